"""Tables of the console's accounts: users, server-side sessions, login attempts."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    String,
)

from appdb import Base, UTCDateTime, utcnow

ROLES = ("advisor", "admin")


class ConsoleUser(Base):
    """An advisor (one organisation) or an admin (every organisation and the shared queue)."""

    __tablename__ = "console_user"
    __table_args__ = (
        CheckConstraint("role IN ('advisor', 'admin')", name="role"),
        CheckConstraint("role = 'admin' OR organisation_key IS NOT NULL", name="advisor_org"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    # Stored lower-case; it is the actor name in the audit trail and the dossier's assignee.
    username = Column(String(120), nullable=False, unique=True)
    display_name = Column(String(200), nullable=True)
    role = Column(String(10), nullable=False)
    organisation_key = Column(String(80), ForeignKey("organisation.key"), nullable=True, index=True)
    password_hash = Column(String(255), nullable=False)
    # Set for generated passwords (creation, reset): the next login must choose a new one.
    must_change_password = Column(Boolean, nullable=False, default=True)
    active = Column(Boolean, nullable=False, default=True)
    # SHA-256 of the bearer token (the token itself is shown once and never stored).
    api_token_hash = Column(String(64), nullable=True, unique=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
    last_login_at = Column(UTCDateTime, nullable=True)


class ConsoleSession(Base):
    """A login; the cookie carries a signed random token whose SHA-256 is ``id``."""

    __tablename__ = "console_session"

    id = Column(String(64), primary_key=True)
    user_id = Column(
        Integer, ForeignKey("console_user.id", ondelete="CASCADE"), nullable=False, index=True
    )
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    last_seen_at = Column(UTCDateTime, nullable=False, default=utcnow)


class LoginAttempt(Base):
    """One login try, for the limits per account and per address (kept one day)."""

    __tablename__ = "console_login_attempt"

    id = Column(Integer, primary_key=True, autoincrement=True)
    at = Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    username = Column(String(120), nullable=False, index=True)
    address = Column(String(64), nullable=False, index=True)
    succeeded = Column(Boolean, nullable=False)
