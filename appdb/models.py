"""Imports every package's tables so that Alembic sees the whole app schema in one metadata."""

# Packages that own tables register them here with a bare import of their models module.
import console.auth.models  # noqa: F401
import handoff.models  # noqa: F401
import knowledge_base.models  # noqa: F401
import matchmaking.models  # noqa: F401
import privacy.models  # noqa: F401
from appdb.base import Base

metadata = Base.metadata
