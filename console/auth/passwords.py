"""Password hashing (argon2id through argon2-cffi) and the password policy (ASVS 6.2)."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
MAX_LENGTH = 128
# A short deny-list of the passwords tried first by credential-stuffing tools; length ≥ 12 already
# rules out most of the common lists.
COMMON = frozenset(
    {
        "123456789012",
        "1234567890123",
        "password1234",
        "motdepasse123",
        "qwertyuiop12",
        "azertyuiop12",
        "coopilote123",
        "coopilote2026",
        "administrator",
        "administrateur",
        "passwordpassword",
        "iloveyou1234",
        "bonjour123456",
    }
)

_hasher = PasswordHasher()
# Verified against when the username is unknown, so that timing does not reveal accounts.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class WeakPassword(ValueError):  # noqa: N818 - reads as a sentence at the call site
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def check_policy(password: str, username: str = "") -> None:
    """Length only (no composition rules, ASVS 6.2.5), a deny-list, and not the username."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword("too_short")
    if len(password) > MAX_LENGTH:
        raise WeakPassword("too_long")
    if password.lower() in COMMON or (username and password.lower() == username.lower()):
        raise WeakPassword("too_common")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def generate_password() -> str:
    """A random initial password (about 120 bits), to be changed at the first login."""
    return secrets.token_urlsafe(15)
