"""Imports every package's tables so that Alembic sees the whole app schema in one metadata."""

from appdb.base import Base

# Packages that own tables register them here, e.g. ``import knowledge_base.models  # noqa: F401``.

metadata = Base.metadata
