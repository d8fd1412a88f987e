"""The app database shared by the knowledge base, the handoff store and the console.

One place builds the SQLAlchemy engine and sessions from ``DATABASE_URL``; Rasa's tracker store
lives in another database so that Alembic never sees Rasa's tables.
"""

from appdb.base import Base, UTCDateTime, utcnow
from appdb.engine import database_url, get_engine, reset_engine, session_scope

__all__ = [
    "Base",
    "UTCDateTime",
    "database_url",
    "get_engine",
    "reset_engine",
    "session_scope",
    "utcnow",
]
