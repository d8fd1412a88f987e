"""Who may reach what: anonymous walk over every route, roles, and dossiers of another
organisation (IDOR) in pages, forms, exports and the API."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from starlette.routing import Mount

import appdb
from console.app import create_app
from console.auth import accounts
from handoff.models import AuditEvent
from tests.console.conftest import Session, new_client

# Public by design: the login page, the health check, the widget's files and its demo and
# privacy pages, and the stylesheets.
PUBLIC = {"/login", "/health", "/ready", "/", "/confidentialite", "/privacy", "/widget/"}
PUBLIC_MOUNTS = {"/widget/v1", "/static", "/assets/console"}


def every_route() -> list[tuple[str, str]]:
    app = create_app()
    found: list[tuple[str, str]] = []
    # Routes of several kinds and FastAPI's included routers: read by duck typing.
    stack: list[Any] = list(app.routes)
    while stack:
        route = stack.pop()
        if isinstance(route, Mount):
            continue
        included = getattr(route, "original_router", None) or (
            route if hasattr(route, "routes") and not hasattr(route, "methods") else None
        )
        if included is not None:  # an included router (FastAPI ≥ 0.16x includes lazily)
            prefix = getattr(getattr(route, "include_context", None), "prefix", "") or ""
            for child in included.routes:
                if prefix and hasattr(child, "path"):
                    found.extend((m, prefix + child.path) for m in child.methods - {"HEAD"})
                else:
                    stack.append(child)
            continue
        for method in sorted(getattr(route, "methods", None) or {"GET"}):
            if method != "HEAD":
                found.append((method, route.path))
    return sorted(set(found))


def concrete(path: str) -> str:
    for name, value in (
        ("{reference}", "CP-2345-6789"),
        ("{user_id}", "1"),
        ("{incident_id}", "1"),
    ):
        path = path.replace(name, value)
    return path


def test_walk_refuses_anonymous_requests_except_public_ones(people) -> None:
    client = new_client()
    routes = every_route()
    assert ("GET", "/api/handoffs") in routes and ("POST", "/dossiers/{reference}/notes") in routes
    assert len(routes) > 20
    for method, path in routes:
        response = client.request(method, concrete(path))
        if path in PUBLIC:
            # The login form's POST is public but, without its form token, refused.
            expected_refusal = (method, path) == ("POST", "/login")
            assert (
                (response.status_code == 403) if expected_refusal else (response.status_code < 400)
            ), path
            continue
        if path.startswith("/api/") or path == "/openapi.json":
            assert response.status_code == 401, (method, path)
        else:
            assert response.status_code == 303, (method, path, response.status_code)
            assert response.headers["location"].startswith("/login"), path


def test_public_mounts_serve_files_without_login(people) -> None:
    client = new_client()
    assert client.get("/assets/console/console.css").status_code == 200
    assert client.get("/widget/v1/coopilote.js").status_code == 200
    app = create_app()
    mounts = {r.path for r in app.routes if isinstance(r, Mount)}
    assert mounts == PUBLIC_MOUNTS


@pytest.mark.parametrize(
    "path", ["/admin/users", "/admin/audit", "/admin/privacy", "/admin/incidents"]
)
def test_advisors_cannot_open_admin_pages(people, path: str) -> None:
    assert Session("alice").get(path).status_code == 404
    assert Session("admin").get(path).status_code == 200


def test_advisors_cannot_use_admin_forms(people) -> None:
    alice = Session("alice")
    assert alice.post("/admin/users/1/active", {"active": "0"}).status_code == 404
    assert alice.post("/admin/users/1/password").status_code == 404


OTHER_ORG_GETS = ["/dossiers/{ref}", "/dossiers/{ref}/print", "/dossiers/{ref}/export.csv"]
OTHER_ORG_POSTS = [
    ("/dossiers/{ref}/notes", {"text": "intrus"}),
    ("/dossiers/{ref}/status", {"status": "closed"}),
    ("/dossiers/{ref}/assignee", {"assignee": "alice"}),
    ("/dossiers/{ref}/transfer", {"organisation": "cdrq"}),
    ("/dossiers/{ref}/outcome", {"referred_to": "ailleurs"}),
]


@pytest.mark.parametrize("path", OTHER_ORG_GETS)
def test_another_organisations_dossier_is_not_found_in_pages(dossiers, path: str) -> None:
    alice = Session("alice")
    for key in ("promis", "shared"):
        response = alice.get(path.format(ref=dossiers[key]))
        assert response.status_code == 404, (path, key)
        assert "boulangerie" not in response.text
    assert alice.get(path.format(ref=dossiers["cdrq"])).status_code == 200
    # Same answer as a reference that does not exist.
    assert alice.get(path.format(ref="CP-2345-6789")).status_code == 404


@pytest.mark.parametrize(("path", "data"), OTHER_ORG_POSTS)
def test_another_organisations_dossier_cannot_be_changed(dossiers, path, data) -> None:
    from handoff import store

    bob = Session("bob")
    response = bob.post(path.format(ref=dossiers["cdrq"]), data)
    assert response.status_code == 404
    dossier = store.get_dossier(dossiers["cdrq"])
    assert dossier.status == "new" and dossier.notes == () and dossier.assignee is None
    assert dossier.organisation_key == "cdrq" and dossier.referred_to is None


def test_refusals_are_audited(dossiers) -> None:
    Session("bob").get(f"/dossiers/{dossiers['cdrq']}")
    with appdb.session_scope() as session:
        events = session.execute(
            select(AuditEvent.actor, AuditEvent.action).where(
                AuditEvent.reference == dossiers["cdrq"]
            )
        ).all()
    assert ("bob", "access_refused") in events and ("bob", "viewed") not in events


def test_inbox_and_list_export_hold_only_the_organisations_dossiers(dossiers) -> None:
    alice = Session("alice")
    page = alice.get("/dossiers").text
    assert dossiers["cdrq"] in page
    assert dossiers["promis"] not in page and dossiers["shared"] not in page
    csv = alice.get("/dossiers.csv?organisation=promis").content.decode("utf-8-sig")
    assert dossiers["promis"] not in csv and dossiers["shared"] not in csv


def test_admins_see_every_organisation_and_the_shared_queue(dossiers) -> None:
    admin = Session("admin")
    page = admin.get("/dossiers").text
    assert all(ref in page for ref in dossiers.values())
    shared = admin.get("/dossiers?organisation=shared").text
    assert dossiers["shared"] in shared and dossiers["cdrq"] not in shared
    assert admin.get(f"/dossiers/{dossiers['promis']}").status_code == 200


def api(client, method: str, path: str, token: str, **kwargs):
    return client.request(method, path, headers={"Authorization": f"Bearer {token}"}, **kwargs)


def test_api_refuses_another_organisations_dossier(dossiers) -> None:
    token = accounts.issue_api_token("bob", by="test")
    client = new_client()
    ref = dossiers["cdrq"]
    assert api(client, "GET", f"/api/handoffs/{ref}", token).status_code == 404
    patch = api(client, "PATCH", f"/api/handoffs/{ref}", token, json={"status": "closed"})
    assert patch.status_code == 404
    note = api(client, "POST", f"/api/handoffs/{ref}/notes", token, json={"text": "x"})
    assert note.status_code == 404
    listed = api(client, "GET", "/api/handoffs?organisation=cdrq", token).json()
    assert [item["reference"] for item in listed["items"]] == []
    own = api(client, "GET", "/api/handoffs", token).json()
    assert [item["reference"] for item in own["items"]] == [dossiers["promis"]]


def test_api_tokens_and_their_refusals(dossiers) -> None:
    client = new_client()
    assert client.get("/api/handoffs").status_code == 401
    bad = api(client, "GET", "/api/handoffs", "cpt_not-a-token")
    assert bad.status_code == 401 and bad.headers["www-authenticate"] == "Bearer"
    token = accounts.issue_api_token("admin", by="test")
    assert api(client, "GET", "/api/handoffs", token).json()["total"] == 3
    accounts.revoke_api_token("admin", by="test")
    assert api(client, "GET", "/api/handoffs", token).status_code == 401


def test_api_with_the_session_cookie_needs_the_csrf_header(dossiers) -> None:
    alice = Session("alice")
    ref = dossiers["cdrq"]
    assert alice.get(f"/api/handoffs/{ref}").status_code == 200
    refused = alice.client.patch(f"/api/handoffs/{ref}", json={"status": "in_progress"})
    assert refused.status_code == 403
    accepted = alice.client.patch(
        f"/api/handoffs/{ref}",
        json={"status": "in_progress"},
        headers={"X-CSRF-Token": alice.csrf},
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "in_progress"


@pytest.mark.parametrize(("path", "data"), OTHER_ORG_POSTS)
def test_forms_without_csrf_token_are_refused(dossiers, path, data) -> None:
    from handoff import store

    alice = Session("alice")
    ref = dossiers["cdrq"]
    response = alice.post(path.format(ref=ref), data, csrf=False)
    assert response.status_code == 403
    wrong = alice.client.post(path.format(ref=ref), data={**data, "csrf_token": "x" * 43})
    assert wrong.status_code == 403
    dossier = store.get_dossier(ref)
    assert dossier.status == "new" and dossier.notes == () and dossier.organisation_key == "cdrq"


def test_cross_origin_form_posts_are_refused(dossiers) -> None:
    alice = Session("alice")
    response = alice.client.post(
        f"/dossiers/{dossiers['cdrq']}/notes",
        data={"text": "x", "csrf_token": alice.csrf},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
