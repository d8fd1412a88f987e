"""The JSON API: list, read, change, notes, and its OpenAPI description."""

from __future__ import annotations

from console.auth import accounts
from handoff import store
from tests.console.conftest import Session, new_client


def bearer(username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {accounts.issue_api_token(username, by='test')}"}


def test_list_with_filters_pagination_and_counts(dossiers) -> None:
    client, headers = new_client(), bearer("admin")
    body = client.get("/api/handoffs", headers=headers).json()
    assert body["total"] == 3 and body["counts"] == {"new": 3, "in_progress": 0, "closed": 0}
    assert client.get("/api/handoffs?language=en", headers=headers).json()["total"] == 1
    assert client.get("/api/handoffs?region=05", headers=headers).json()["total"] == 1
    shared = client.get("/api/handoffs?organisation=shared", headers=headers).json()
    assert [i["reference"] for i in shared["items"]] == [dossiers["shared"]]
    paged = client.get("/api/handoffs?size=2&page=2", headers=headers).json()
    assert len(paged["items"]) == 1 and paged["page"] == 2
    assert client.get("/api/handoffs?status=bogus", headers=headers).status_code == 422
    assert client.get("/api/handoffs?size=1000", headers=headers).status_code == 422
    assert client.get("/api/handoffs", headers=headers).headers["cache-control"] == "no-store"


def test_read_patch_and_notes(dossiers) -> None:
    ref = dossiers["cdrq"]
    client, headers = new_client(), bearer("alice")
    full = client.get(f"/api/handoffs/{ref}", headers=headers).json()
    assert full["contact_value"] == "zebulon.quatremains@example.org"
    assert full["transcript"][0]["text"].startswith("Bonjour")
    assert "sender_id" not in full
    patched = client.patch(
        f"/api/handoffs/{ref}",
        headers=headers,
        json={
            "status": "in_progress",
            "assignee": "alice",
            "referred_to": "PME MTL",
            "follow_up_date": "2026-12-01",
        },
    )
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert body["status"] == "in_progress" and body["assignee"] == "alice"
    assert body["referred_to"] == "PME MTL" and body["follow_up_date"] == "2026-12-01"
    # Only the sent fields change.
    again = client.patch(f"/api/handoffs/{ref}", headers=headers, json={"status": "closed"})
    assert again.json()["referred_to"] == "PME MTL" and again.json()["assignee"] == "alice"
    unassign = client.patch(f"/api/handoffs/{ref}", headers=headers, json={"assignee": None})
    assert unassign.json()["assignee"] is None
    assert (
        client.patch(f"/api/handoffs/{ref}", headers=headers, json={"assignee": "bob"}).status_code
        == 422
    )
    assert (
        client.patch(f"/api/handoffs/{ref}", headers=headers, json={"colour": "red"}).status_code
        == 422
    )
    note = client.post(f"/api/handoffs/{ref}/notes", headers=headers, json={"text": "Rappel"})
    assert note.status_code == 201 and note.json()["author"] == "alice"
    assert (
        client.post(f"/api/handoffs/{ref}/notes", headers=headers, json={"text": ""}).status_code
        == 422
    )
    moved = client.patch(
        f"/api/handoffs/{ref}", headers=headers, json={"organisation_key": "promis"}
    )
    assert moved.status_code == 200 and moved.json()["organisation_key"] == "promis"
    assert client.get(f"/api/handoffs/{ref}", headers=headers).status_code == 404
    actions = [e for e in store.get_dossier(ref).notes]
    assert [n.text for n in actions] == ["Rappel"]


def test_openapi_description_lists_the_api(people) -> None:
    client = new_client()
    assert client.get("/openapi.json").status_code == 401
    document = Session("alice").get("/openapi.json").json()
    paths = document["paths"]
    assert set(paths) == {
        "/api/handoffs",
        "/api/handoffs/{reference}",
        "/api/handoffs/{reference}/notes",
    }
    assert {"get", "patch"} <= set(paths["/api/handoffs/{reference}"])
    assert "post" in paths["/api/handoffs/{reference}/notes"]
    schemes = document["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
