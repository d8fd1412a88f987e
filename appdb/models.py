"""Every package's tables in one metadata, so that Alembic sees the whole app schema.

A package that owns tables registers its models module as an entry point of the group
``coopilote.tables`` (pyproject.toml); appdb knows no package, web or other.
"""

from __future__ import annotations

from importlib.metadata import entry_points

from appdb.base import Base

TABLES_GROUP = "coopilote.tables"


def register_tables() -> list[str]:
    """Import every registered models module; the names of the packages that registered one.

    Raises:
        RuntimeError: none is registered (the project is not installed: ``make install``).
    """
    registered = sorted(entry_points(group=TABLES_GROUP), key=lambda point: point.name)
    if not registered:
        raise RuntimeError(f"no {TABLES_GROUP} entry point: install the project (make install)")
    for point in registered:
        point.load()
    return [point.name for point in registered]


register_tables()
metadata = Base.metadata
