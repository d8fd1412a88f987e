"""Login, logout, timeouts, cookies, CSRF, failed-login limits, forced password change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

import appdb
from appdb import utcnow
from console.auth import accounts
from console.auth.models import ConsoleSession, ConsoleUser
from handoff.models import AuditEvent
from tests.console.conftest import PASSWORD, Session, csrf_of, log_in, new_client


def test_login_sets_a_secure_http_only_same_site_cookie(client) -> None:
    response = log_in(client, "alice")
    assert response.status_code == 303
    assert response.headers["location"] == "/dossiers"
    cookie = next(
        v
        for k, v in response.headers.multi_items()
        if k == "set-cookie" and v.startswith("__Host-coopilote-session=")
    )
    lowered = cookie.lower()
    assert "httponly" in lowered and "secure" in lowered and "samesite=lax" in lowered
    assert "path=/" in lowered and "domain=" not in lowered
    assert client.get("/dossiers").status_code == 200


def test_the_session_row_holds_a_digest_not_the_token(client) -> None:
    log_in(client, "alice")
    token = client.cookies.get("__Host-coopilote-session")
    with appdb.session_scope() as session:
        ids = session.execute(select(ConsoleSession.id)).scalars().all()
    assert len(ids) == 1 and token and ids[0] not in token


def test_plain_http_cookie_when_configured(people, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONSOLE_COOKIE_SECURE", "false")
    from fastapi.testclient import TestClient

    from console.app import create_app

    client = TestClient(create_app(), base_url="http://testserver", follow_redirects=False)
    response = log_in(client, "alice")
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("coopilote-session=") and "secure" not in cookie.lower()
    assert client.get("/dossiers").status_code == 200


def test_wrong_password_is_refused_without_saying_which_part(client) -> None:
    wrong = log_in(client, "alice", "not the right password")
    unknown = log_in(client, "nobody", "not the right password")
    assert wrong.status_code == unknown.status_code == 401
    assert "incorrect" in wrong.text
    assert client.get("/dossiers").status_code == 303


def test_login_without_its_form_token_is_refused(client) -> None:
    client.get("/login")
    response = client.post("/login", data={"username": "alice", "password": PASSWORD})
    assert response.status_code == 403
    assert client.get("/dossiers").status_code == 303


def test_logout_ends_the_session_on_the_server(people) -> None:
    browser = Session("alice")
    cookie = browser.client.cookies.get("__Host-coopilote-session")
    assert cookie is not None
    stolen = {"Cookie": "__Host-coopilote-session=" + cookie}
    assert new_client().get("/dossiers", headers=stolen).status_code == 200
    response = browser.post("/logout")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert new_client().get("/dossiers", headers=stolen).status_code == 303
    with appdb.session_scope() as session:
        assert session.execute(select(ConsoleSession)).first() is None


def test_logout_needs_the_csrf_token(people) -> None:
    browser = Session("alice")
    assert browser.post("/logout", csrf=False).status_code == 403
    assert browser.get("/dossiers").status_code == 200


def test_idle_timeout(people) -> None:
    browser = Session("alice")
    with appdb.session_scope() as session:
        session.execute(update(ConsoleSession).values(last_seen_at=utcnow() - timedelta(hours=1)))
    response = browser.get("/dossiers")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_absolute_timeout(people) -> None:
    browser = Session("alice")
    with appdb.session_scope() as session:
        session.execute(update(ConsoleSession).values(created_at=utcnow() - timedelta(hours=11)))
    assert browser.get("/dossiers").status_code == 303


def test_forged_cookie_is_ignored(client) -> None:
    log_in(client, "alice")
    real = client.cookies.get("__Host-coopilote-session")
    forged = real[:-3] + ("aaa" if not real.endswith("aaa") else "bbb")
    headers = {"Cookie": f"__Host-coopilote-session={forged}"}
    assert new_client().get("/dossiers", headers=headers).status_code == 303


def test_too_many_failures_lock_the_account_for_a_while(people) -> None:
    client = new_client()
    for _ in range(5):
        assert log_in(client, "alice", "wrong password!!").status_code == 401
    # Even the right password waits until the window passes.
    assert log_in(client, "alice").status_code == 429
    # Another account from the same address is not locked.
    assert log_in(new_client(), "bob").status_code == 303
    with appdb.session_scope() as session:
        actions = session.execute(select(AuditEvent.action)).scalars().all()
    assert "login_throttled" in actions and "login_failed" in actions


def test_too_many_failures_from_one_address(people, monkeypatch) -> None:
    monkeypatch.setenv("CONSOLE_LOGIN_MAX_PER_ADDRESS", "3")
    client = new_client()
    for name in ("x1", "x2", "x3"):
        assert log_in(client, name, "wrong password!!").status_code == 401
    assert log_in(client, "alice").status_code == 429


def test_the_window_passes(people) -> None:
    client = new_client()
    for _ in range(5):
        log_in(client, "alice", "wrong password!!")
    from console.auth.models import LoginAttempt

    with appdb.session_scope() as session:
        session.execute(update(LoginAttempt).values(at=utcnow() - timedelta(minutes=16)))
    assert log_in(client, "alice").status_code == 303


def test_open_redirects_are_refused(client) -> None:
    response = log_in(client, "alice", next="//evil.example/x")
    assert response.headers["location"] == "/dossiers"
    other = new_client()
    assert log_in(other, "bob", next="/dossiers?status=new").headers["location"] == (
        "/dossiers?status=new"
    )


def test_login_redirect_keeps_the_asked_page(client) -> None:
    response = client.get("/dossiers?status=closed")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fdossiers%3Fstatus%3Dclosed"


def test_generated_password_must_be_changed_first(people) -> None:
    _, initial = accounts.create_user("dora", "advisor", organisation_key="cdrq", by="test")
    client = new_client()
    response = log_in(client, "dora", initial)
    assert response.headers["location"] == "/account/password"
    assert client.get("/dossiers").headers["location"] == "/account/password"
    assert client.get("/api/handoffs").status_code == 403
    page = client.get("/account/password")
    csrf = csrf_of(page.text)
    weak = client.post(
        "/account/password",
        data={
            "csrf_token": csrf,
            "current_password": initial,
            "new_password": "short",
            "confirm_password": "short",
        },
    )
    assert weak.status_code == 400
    new = "une phrase de passe assez longue"
    done = client.post(
        "/account/password",
        data={
            "csrf_token": csrf,
            "current_password": initial,
            "new_password": new,
            "confirm_password": new,
        },
    )
    assert done.status_code == 303
    assert client.get("/dossiers").status_code == 200
    assert log_in(new_client(), "dora", new).status_code == 303


def test_deactivation_ends_sessions_and_tokens(people) -> None:
    browser = Session("alice")
    token = accounts.issue_api_token("alice", by="test")
    admin = Session("admin")
    with appdb.session_scope() as session:
        alice_id = session.execute(
            select(ConsoleUser.id).where(ConsoleUser.username == "alice")
        ).scalar_one()
    assert admin.post(f"/admin/users/{alice_id}/active", {"active": "0"}).status_code == 303
    assert browser.get("/dossiers").status_code == 303
    api = new_client()
    assert api.get("/api/handoffs", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert log_in(new_client(), "alice").status_code == 401


def test_admin_resets_a_password(people) -> None:
    browser = Session("bob")
    admin = Session("admin")
    with appdb.session_scope() as session:
        bob_id = session.execute(
            select(ConsoleUser.id).where(ConsoleUser.username == "bob")
        ).scalar_one()
    response = admin.post(f"/admin/users/{bob_id}/password")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    import re

    shown = re.search(r"<code>([^<]+)</code>", response.text)
    assert shown is not None
    password = shown.group(1)
    assert browser.get("/dossiers").status_code == 303  # old session ended
    assert log_in(new_client(), "bob", password).headers["location"] == "/account/password"
