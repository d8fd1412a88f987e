"""Organisations and users of the console: create, deactivate, reset passwords, API tokens.

Used by the ``python -m console.users`` command and by the admins' pages. Every change to an
account is written to the audit trail (action ``account_*``, no dossier, no password).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from appdb import session_scope, utcnow
from console.auth.models import ROLES, ConsoleSession, ConsoleUser
from console.auth.passwords import check_policy, generate_password, hash_password
from handoff.models import AuditEvent, Organisation

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,119}$")
ORG_KEY_RE = re.compile(r"^[a-z0-9_-]{1,80}$")


class AccountError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    display_name: str | None
    role: str
    organisation_key: str | None
    active: bool
    must_change_password: bool
    has_api_token: bool
    created_at: datetime
    last_login_at: datetime | None


def to_user_view(user: ConsoleUser) -> UserView:
    return UserView(
        user.id,
        user.username,
        user.display_name,
        user.role,
        user.organisation_key,
        user.active,
        user.must_change_password,
        user.api_token_hash is not None,
        user.created_at,
        user.last_login_at,
    )


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def account_event(session: Session, actor: str, action: str, details: dict) -> None:
    session.add(AuditEvent(actor=actor, action=action, at=utcnow(), details=details))


def refresh_on_console(session: Session, organisation_key: str | None) -> None:
    """An organisation is on the console while it has an active advisor; otherwise its new
    dossiers go to the shared queue, where admins see them."""
    if organisation_key is None:
        return
    organisation = session.get(Organisation, organisation_key)
    if organisation is None:
        return
    session.flush()
    advisors = session.execute(
        select(func.count())
        .select_from(ConsoleUser)
        .where(
            ConsoleUser.organisation_key == organisation_key,
            ConsoleUser.role == "advisor",
            ConsoleUser.active.is_(True),
        )
    ).scalar_one()
    organisation.on_console = advisors > 0


def upsert_organisation(key: str, name: str, *, by: str) -> bool:
    """Add an organisation (or rename it); returns True when it was new."""
    if not ORG_KEY_RE.match(key):
        raise AccountError("organisation_key")
    if not name.strip() or len(name) > 200:
        raise AccountError("organisation_name")
    with session_scope() as session:
        organisation = session.get(Organisation, key)
        if organisation is None:
            session.add(Organisation(key=key, name=name.strip(), active=True, on_console=False))
            account_event(session, by, "organisation_created", {"organisation": key})
            return True
        organisation.name = name.strip()
        organisation.active = True
        return False


def list_organisations(active_only: bool = True) -> list[tuple[str, str]]:
    with session_scope() as session:
        query = select(Organisation.key, Organisation.name).order_by(Organisation.name)
        if active_only:
            query = query.where(Organisation.active.is_(True))
        return [(key, name) for key, name in session.execute(query)]


def create_user(
    username: str,
    role: str,
    *,
    organisation_key: str | None = None,
    display_name: str | None = None,
    password: str | None = None,
    by: str,
) -> tuple[UserView, str]:
    """Create an account; returns it and its initial password (generated when none is given,
    and then to be changed at the first login)."""
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise AccountError("username")
    if role not in ROLES:
        raise AccountError("role")
    if role == "advisor" and not organisation_key:
        raise AccountError("organisation_required")
    generated = password is None
    if password is None:
        password = generate_password()
    else:
        check_policy(password, username)
    with session_scope() as session:
        if organisation_key is not None:
            organisation = session.get(Organisation, organisation_key)
            if organisation is None or not organisation.active:
                raise AccountError("organisation_unknown")
        exists = session.execute(
            select(ConsoleUser.id).where(ConsoleUser.username == username)
        ).first()
        if exists:
            raise AccountError("username_taken")
        user = ConsoleUser(
            username=username,
            display_name=(display_name or "").strip() or None,
            role=role,
            organisation_key=organisation_key,
            password_hash=hash_password(password),
            must_change_password=generated,
            active=True,
            created_at=utcnow(),
        )
        session.add(user)
        session.flush()
        refresh_on_console(session, organisation_key)
        details = {"user_id": user.id, "role": role, "organisation": organisation_key}
        account_event(session, by, "account_created", details)
        return to_user_view(user), password


def _user(session: Session, username_or_id: str | int) -> ConsoleUser:
    if isinstance(username_or_id, int):
        user = session.get(ConsoleUser, username_or_id)
    else:
        user = session.execute(
            select(ConsoleUser).where(ConsoleUser.username == username_or_id.strip().lower())
        ).scalar_one_or_none()
    if user is None:
        raise AccountError("user_unknown")
    return user


def get_user(username_or_id: str | int) -> UserView:
    with session_scope() as session:
        return to_user_view(_user(session, username_or_id))


def list_users() -> list[UserView]:
    with session_scope() as session:
        users = session.execute(
            select(ConsoleUser).order_by(ConsoleUser.organisation_key, ConsoleUser.username)
        ).scalars()
        return [to_user_view(user) for user in users]


def set_active(username_or_id: str | int, active: bool, *, by: str) -> UserView:
    """Deactivating ends every session and revokes the API token (ASVS 7.4.2)."""
    with session_scope() as session:
        user = _user(session, username_or_id)
        if user.username == by and not active:
            raise AccountError("not_yourself")
        if user.active != active:
            user.active = active
            if not active:
                session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user.id))
                user.api_token_hash = None
            refresh_on_console(session, user.organisation_key)
            action = "account_activated" if active else "account_deactivated"
            account_event(session, by, action, {"user_id": user.id})
        return to_user_view(user)


def reset_password(username_or_id: str | int, *, by: str) -> tuple[UserView, str]:
    """A new random password, to change at the next login; ends the user's sessions."""
    password = generate_password()
    with session_scope() as session:
        user = _user(session, username_or_id)
        user.password_hash = hash_password(password)
        user.must_change_password = True
        session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user.id))
        account_event(session, by, "account_password_reset", {"user_id": user.id})
        return to_user_view(user), password


def set_password(user_id: int, new_password: str, *, keep_session: str | None = None) -> None:
    """The user's own change (current password already checked); other sessions end."""
    with session_scope() as session:
        user = _user(session, user_id)
        check_policy(new_password, user.username)
        user.password_hash = hash_password(new_password)
        user.must_change_password = False
        session.execute(
            delete(ConsoleSession).where(
                ConsoleSession.user_id == user.id, ConsoleSession.id != (keep_session or "")
            )
        )
        account_event(session, user.username, "account_password_changed", {"user_id": user.id})


def issue_api_token(username_or_id: str | int, *, by: str) -> str:
    """A new bearer token for the JSON API (replaces the previous one); shown once."""
    token = "cpt_" + secrets.token_urlsafe(32)
    with session_scope() as session:
        user = _user(session, username_or_id)
        if not user.active:
            raise AccountError("inactive")
        user.api_token_hash = token_digest(token)
        account_event(session, by, "account_token_issued", {"user_id": user.id})
    return token


def revoke_api_token(username_or_id: str | int, *, by: str) -> None:
    with session_scope() as session:
        user = _user(session, username_or_id)
        user.api_token_hash = None
        account_event(session, by, "account_token_revoked", {"user_id": user.id})


def check_password(user_id: int, password: str) -> bool:
    from console.auth.passwords import verify_password

    with session_scope() as session:
        user = session.get(ConsoleUser, user_id)
        return user is not None and user.active and verify_password(user.password_hash, password)
