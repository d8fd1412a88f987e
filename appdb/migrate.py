"""Bring the app database to the newest schema: ``python -m appdb.migrate``."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from appdb.engine import database_url

ALEMBIC_INI = Path(__file__).resolve().parent / "alembic.ini"


def alembic_config(url: str | None = None) -> Config:
    """The Alembic configuration of this package, pointed at ``url`` or :func:`database_url`."""
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(ALEMBIC_INI.parent / "migrations"))
    # ConfigParser would read "%" in a password as interpolation.
    config.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    return config


def upgrade(url: str | None = None) -> None:
    """Migrate the database at ``url`` (default :func:`database_url`) to the newest schema."""
    command.upgrade(alembic_config(url), "head")


if __name__ == "__main__":
    upgrade()
