"""Logins, server-side sessions and the failed-login limits.

The cookie holds a random 256-bit token signed with the app's key; the database holds only its
SHA-256, the user, a CSRF token and the times that enforce the idle and absolute timeouts, so that
logout, timeout and deactivation end a session for real (ASVS 7.2, 7.3, 7.4).

Failed logins are limited in the database (not in memory, so that every process and restart
agrees): at most ``max_failures_per_account`` failures for one username since its last success
within the window, and ``max_failures_per_address`` for one client address. A locked account
unlocks by itself when the window passes, so an attacker can delay but not disable an advisor.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadSignature, Signer
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from appdb import session_scope, utcnow
from console.auth.accounts import account_event, token_digest
from console.auth.config import AuthSettings
from console.auth.models import ConsoleSession, ConsoleUser, LoginAttempt
from console.auth.passwords import hash_password, needs_rehash, verify_password

ATTEMPT_RETENTION = timedelta(days=1)
# The first wait once a limit is reached; it doubles with each further failure.
BACKOFF_BASE = timedelta(minutes=1)
# Writing last_seen_at at most once a minute spares the database a write per request.
TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True)
class Principal:
    """Who is asking: from a session cookie (with its CSRF token) or a bearer token."""

    user_id: int
    username: str
    role: str
    organisation_key: str | None
    must_change_password: bool
    session_id: str | None = None
    csrf_token: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    # "throttled", "invalid", or None on success
    error: str | None = None
    cookie_value: str | None = None
    principal: Principal | None = None


def _signer(settings: AuthSettings) -> Signer:
    return Signer(settings.secret_key, salt="coopilote.console.session")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _principal(user: ConsoleUser, row: ConsoleSession | None = None) -> Principal:
    return Principal(
        user.id,
        user.username,
        user.role,
        user.organisation_key,
        user.must_change_password,
        row.id if row else None,
        row.csrf_token if row else None,
    )


def _wait_until(failures: list[datetime], allowed: int, window: timedelta) -> datetime | None:
    """Past ``allowed`` failures, each further one doubles the wait after the latest: 1 min,
    2, 4… capped at the window. None when no wait applies."""
    excess = len(failures) - allowed
    if excess < 0:
        return None
    return max(failures) + min(BACKOFF_BASE * 2**excess, window)


def _throttled(session: Session, settings: AuthSettings, username: str, address: str) -> bool:
    """Limits per account and per address, counted separately. The account's count starts at
    its last success and only exists for a real account: failures on unknown usernames count
    against their address alone (never against an account created later with that name)."""
    now = utcnow()
    window = timedelta(minutes=settings.login_window_minutes)
    since = now - window
    per_address = session.execute(
        select(LoginAttempt.at).where(
            LoginAttempt.address == address,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.at > since,
        )
    ).scalars()
    waits = [_wait_until(list(per_address), settings.max_failures_per_address, window)]
    created = session.execute(
        select(ConsoleUser.created_at).where(ConsoleUser.username == username)
    ).scalar_one_or_none()
    if created is not None:
        last_success = session.execute(
            select(func.max(LoginAttempt.at)).where(
                LoginAttempt.username == username, LoginAttempt.succeeded.is_(True)
            )
        ).scalar_one()
        account_since = max(t for t in (since, last_success, created) if t is not None)
        per_account = session.execute(
            select(LoginAttempt.at).where(
                LoginAttempt.username == username,
                LoginAttempt.succeeded.is_(False),
                LoginAttempt.at > account_since,
            )
        ).scalars()
        waits.append(_wait_until(list(per_account), settings.max_failures_per_account, window))
    return any(until is not None and now < until for until in waits)


def login(settings: AuthSettings, username: str, password: str, address: str) -> LoginResult:
    username = username.strip().lower()[:120]
    address = address[:64]
    with session_scope() as session:
        session.execute(delete(LoginAttempt).where(LoginAttempt.at < utcnow() - ATTEMPT_RETENTION))
        if _throttled(session, settings, username, address):
            # Not counted as a failure: hammering a locked account must not lengthen its wait.
            account_event(session, username or "-", "login_throttled", {})
            return LoginResult(False, "throttled")
        user = session.execute(
            select(ConsoleUser).where(ConsoleUser.username == username)
        ).scalar_one_or_none()
        stored = user.password_hash if user is not None else None
        valid = verify_password(stored, password) and user is not None and user.active
        session.add(LoginAttempt(username=username, address=address, succeeded=bool(valid)))
        if not valid or user is None:
            account_event(session, username or "-", "login_failed", {})
            return LoginResult(False, "invalid")
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        token = secrets.token_urlsafe(32)
        now = utcnow()
        row = ConsoleSession(
            id=_digest(token),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            last_seen_at=now,
        )
        session.add(row)
        user.last_login_at = now
        account_event(session, user.username, "login", {"user_id": user.id})
        cookie = _signer(settings).sign(token.encode()).decode()
        return LoginResult(True, None, cookie, _principal(user, row))


def session_principal(settings: AuthSettings, cookie_value: str | None) -> Principal | None:
    """The session's user, or None when the cookie is forged, unknown, expired or the user is
    inactive; an expired session row is deleted."""
    if not cookie_value:
        return None
    try:
        token = _signer(settings).unsign(cookie_value.encode()).decode()
    except (BadSignature, UnicodeDecodeError):
        return None
    now = utcnow()
    with session_scope() as session:
        row = session.get(ConsoleSession, _digest(token))
        if row is None:
            return None
        user = session.get(ConsoleUser, row.user_id)
        idle_limit = row.last_seen_at + timedelta(minutes=settings.idle_minutes)
        absolute_limit = row.created_at + timedelta(hours=settings.absolute_hours)
        if user is None or not user.active or now > idle_limit or now > absolute_limit:
            session.delete(row)
            return None
        if now - row.last_seen_at > TOUCH_EVERY:
            row.last_seen_at = now
        return _principal(user, row)


def token_principal(token: str) -> Principal | None:
    if not token or len(token) > 200:
        return None
    with session_scope() as session:
        user = session.execute(
            select(ConsoleUser).where(ConsoleUser.api_token_hash == token_digest(token))
        ).scalar_one_or_none()
        if user is None or not user.active:
            return None
        return _principal(user)


def logout(principal: Principal) -> None:
    if principal.session_id is None:
        return
    with session_scope() as session:
        session.execute(delete(ConsoleSession).where(ConsoleSession.id == principal.session_id))
        account_event(session, principal.username, "logout", {"user_id": principal.user_id})


def login_csrf_signer(settings: AuthSettings) -> Signer:
    """For the login form, which has no session yet: a signed random value in a cookie and in
    the form (double submit)."""
    return Signer(settings.secret_key, salt="coopilote.console.login")
