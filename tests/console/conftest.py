"""Fixtures of the console tests: a migrated SQLite database, two organisations with their
advisors, an admin, dossiers, and clients that log in through the real login form."""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

import appdb
from appdb.migrate import upgrade
from console.app import create_app
from console.auth import accounts, passwords
from handoff import store
from handoff.dossier import ConsentAnswers, DossierRequest
from handoff.models import Organisation

PASSWORD = "correct horse battery staple"  # noqa: S105 - a test account
BASE_URL = "https://testserver"
EMAIL = "zebulon.quatremains@example.org"
PROJECT = "Zébulon veut fonder une coopérative de boulangerie à Verdun, déjà trois associés"
MALICIOUS = '<script>alert("xss")</script><img src=x onerror=alert(1)> =HYPERLINK("http://evil")'


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    """Migrations run once; each test starts from a copy of the migrated file."""
    path = tmp_path_factory.mktemp("console-template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    # argon2id with its production cost takes ~0.2 s a hash; the tests log in hundreds of times.
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024))


@pytest.fixture(autouse=True)
def database(tmp_path, migrated_template: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    path = tmp_path / "console.db"
    shutil.copyfile(migrated_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("CONSOLE_SECRET_KEY", "test-secret-key-not-for-production")
    monkeypatch.setenv("HANDOFF_MAIL_DIR", str(tmp_path / "mail"))
    for name in ("CONSOLE_COOKIE_SECURE", "CONSOLE_SESSION_IDLE_MINUTES", "SMTP_HOST"):
        monkeypatch.delenv(name, raising=False)
    appdb.reset_engine()
    yield url
    appdb.reset_engine()


@pytest.fixture()
def people(database: str) -> dict[str, str]:
    """Organisations cdrq and promis (one advisor each), a third without accounts, an admin."""
    with appdb.session_scope() as session:
        for key, name in (
            ("cdrq", "CDRQ"),
            ("promis", "PROMIS"),
            ("sans-console", "Organisme sans console"),
        ):
            session.add(Organisation(key=key, name=name, active=True, on_console=False))
    for username, role, org in (
        ("admin", "admin", None),
        ("alice", "advisor", "cdrq"),
        ("carole", "advisor", "cdrq"),
        ("bob", "advisor", "promis"),
    ):
        accounts.create_user(
            username, role, organisation_key=org, password=PASSWORD, by="test-setup"
        )
    return {"admin": "admin", "alice": "cdrq", "bob": "promis"}


def make_request(**overrides: Any) -> DossierRequest:
    fields: dict[str, Any] = {
        "channel": "rest",
        "sender_id": "sender-42",
        "language": "fr",
        "trigger": "user_request",
        "consent": ConsentAnswers(
            share_summary=True, share_transcript=True, wording_version="2026-11-v1"
        ),
        "region_code": "06",
        "organisation_key": "cdrq",
        "reason": "cooperative",
        "project_summary": PROJECT,
        "screening_summary": {
            "kind": "automated_first_assessment",
            "answers": {"founders": 3, "members": "workers", "project": "boulangerie"},
            "typed": {"founders": "nous sommes trois"},
            "verdict": {
                "coop_fit": "strong",
                "recommended_coop_type": "travail",
                "reasons": [{"code": "members_are_workers", "field": "members", "effect": "fits"}],
                "next_steps": ["contact_cdrq"],
                "to_settle": [],
            },
        },
        "contact_method": "email",
        "contact_value": EMAIL,
        "availability": "en semaine, le matin",
        "transcript": [
            {"who": "user", "text": "Bonjour, je veux fonder une coopérative", "at": None},
            {"who": "bot", "text": "Avec plaisir!", "at": None},
            {"who": "user", "text": "Je préfère parler à une personne", "at": None},
        ],
    }
    fields.update(overrides)
    return DossierRequest(**fields)


def create(**overrides: Any) -> str:
    return store.create_dossier(make_request(**overrides)).reference


def without_transcript_consent(**overrides: Any) -> DossierRequest:
    request = make_request(**overrides)
    return dataclasses.replace(
        request, consent=dataclasses.replace(request.consent, share_transcript=False)
    )


@pytest.fixture()
def dossiers(people) -> dict[str, str]:
    """One dossier per organisation, one in the shared queue."""
    return {
        "cdrq": create(),
        "promis": create(organisation_key="promis", region_code="03", language="en"),
        "shared": create(organisation_key="sans-console", region_code="05"),
    }


def login_token(html: str) -> str:
    match = re.search(r'name="login_token" value="([^"]+)"', html)
    assert match, "login form has no token"
    return match.group(1)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def new_client() -> TestClient:
    return TestClient(create_app(), base_url=BASE_URL, follow_redirects=False)


def log_in(client: TestClient, username: str, password: str = PASSWORD, **extra: str):
    page = client.get("/login")
    data = {"username": username, "password": password, "login_token": login_token(page.text)}
    data.update(extra)
    return client.post("/login", data=data)


class Session:
    """A logged-in browser: the client and the session's CSRF token."""

    def __init__(self, username: str) -> None:
        self.client = new_client()
        response = log_in(self.client, username)
        assert response.status_code == 303, response.text
        self.csrf = csrf_of(self.client.get("/dossiers").text)

    def get(self, url: str, **kwargs: Any):
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: dict[str, str] | None = None, csrf: bool = True):
        body = dict(data or {})
        if csrf:
            body["csrf_token"] = self.csrf
        return self.client.post(url, data=body)


@pytest.fixture()
def as_user(people):
    return Session


@pytest.fixture()
def client(people) -> TestClient:
    return new_client()
