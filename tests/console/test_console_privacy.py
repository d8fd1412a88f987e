"""People's privacy requests in the console (admins only): the JSON export (access and
portability) and the two-step erasure, across the app database, the tracker store and the files
on disk; afterwards no byte of the made-up person is left, the other person is untouched, and
the audit trail holds codes, counts and references only."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

import appdb
from console.advisor.i18n import TIMEZONE
from handoff.files import dossier_file_name, reference_of
from handoff.models import AuditEvent, HandoffDossier
from handoff.notify import DirectoryTransport, deliver_due
from handoff.store import add_note
from tests.console.conftest import Session, new_client
from tests.privacy.conftest import (
    EMAIL,
    EVENTS_SQL,
    NAME,
    OTHER_EMAIL,
    OTHER_NAME,
    PHONE,
    PHONE_TYPED,
    Stores,
    make_dossier,
    utc,
)

SENDER = "sender-philomene"
TELEGRAM = "sender-philomene-telegram"
OTHER = "sender-gaspard"
# ASCII, so that it is found even inside JSON that escapes accents.
SURNAME = NAME.split()[-1]
SECRETS = (NAME, SURNAME, EMAIL, PHONE, PHONE_TYPED)


@pytest.fixture()
def stores(people, database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Stores:
    """The console's database with a tracker store (Rasa's ``events`` table) and an export
    folder beside it, as tests/privacy/conftest.py builds them."""
    tracker_url = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = sa.create_engine(tracker_url, future=True)
    with engine.begin() as connection:
        connection.execute(sa.text(EVENTS_SQL["sqlite"]))
    engine.dispose()
    exports, mail = tmp_path / "exports", tmp_path / "mail"
    exports.mkdir()
    mail.mkdir(exist_ok=True)
    monkeypatch.setenv("TRACKER_STORE_URL", tracker_url)
    monkeypatch.setenv("PRIVACY_EXPORT_DIR", str(exports))
    monkeypatch.setenv("HANDOFF_MAIL_DIR", str(mail))
    return Stores("sqlite", database, tracker_url, exports, mail)


def populate(stores: Stores) -> tuple[str, str, str]:
    """Philomène: a web conversation and a dossier by email, a Telegram conversation and a
    dossier by phone, a note, mail and an export file; Gaspard: the same once."""
    first = make_dossier(sender_id=SENDER)
    second = make_dossier(
        sender_id=TELEGRAM, channel="telegram", contact_method="phone", contact_value=PHONE
    )
    theirs = make_dossier(sender_id=OTHER, name=OTHER_NAME, email=OTHER_EMAIL)
    add_note(first, f"{NAME} rappelle lundi", by="alice")
    stores.conversation(SENDER, utc(2026, 11, 20), f"Je m'appelle {NAME}", "Bonjour!")
    stores.add_event(SENDER, "user", utc(2026, 11, 20, 1), text=f"mon courriel: {EMAIL}")
    stores.conversation(TELEGRAM, utc(2026, 11, 21), PHONE_TYPED, "Merci")
    stores.conversation(OTHER, utc(2026, 11, 22), f"Moi c'est {OTHER_NAME}", "Bonjour!")
    deliver_due(DirectoryTransport(stores.mail))
    # Export files record their dossier's reference in their name, as every writer does.
    (stores.exports / dossier_file_name(first, ".csv")).write_text(
        f"{first};{NAME};{EMAIL}\n", encoding="utf-8"
    )
    (stores.exports / dossier_file_name(theirs, ".csv")).write_text(
        f"{theirs};{OTHER_NAME}\n", encoding="utf-8"
    )
    return first, second, theirs


def audit(action: str) -> list[AuditEvent]:
    with appdb.session_scope() as session:
        query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        return list(session.execute(query).scalars())


def dossier_count() -> int:
    with appdb.session_scope() as session:
        return session.execute(select(func.count()).select_from(HandoffDossier)).scalar_one()


def shown(page: str) -> str:
    """The page as read: entities decoded, hidden inputs left out."""
    return html.unescape(re.sub(r'<input type="hidden"[^>]*>', "", page))


# --- who may use the pages -------------------------------------------------------------------

PAGES = ["/admin/privacy", "/admin/incidents", "/admin/incidents/1"]
FORMS = [
    "/admin/privacy/export",
    "/admin/privacy/erase",
    "/admin/privacy/erase/confirm",
    "/admin/incidents",
    "/admin/incidents/1",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_for_admins_only(people, path: str) -> None:
    anonymous = new_client().get(path)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/login?next=")
    assert Session("alice").get(path).status_code == 404


@pytest.mark.parametrize("path", FORMS)
def test_forms_are_for_admins_only_and_need_the_csrf_token(stores: Stores, path: str) -> None:
    first, _second, _theirs = populate(stores)
    data = {"reference": first, "confirm": "yes"}
    anonymous = new_client().post(path, data=data)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    assert Session("alice").post(path, data).status_code == 404
    admin = Session("admin")
    assert admin.post(path, data, csrf=False).status_code == 403
    assert admin.client.post(path, data={**data, "csrf_token": "x" * 43}).status_code == 403
    assert dossier_count() == 3 and audit("exported") == [] and audit("erased") == []


def test_the_admin_navigation_links_the_privacy_pages(people) -> None:
    admin = Session("admin").get("/admin/privacy").text
    assert 'href="/admin/privacy" aria-current="page"' in admin
    assert 'href="/admin/incidents"' in admin
    assert "/admin/privacy" not in Session("alice").get("/dossiers").text


# --- export ----------------------------------------------------------------------------------


def test_export_downloads_the_persons_data_and_nobody_elses(stores: Stores) -> None:
    first, second, theirs = populate(stores)
    files_before = sorted(p.name for p in stores.exports.iterdir())
    admin = Session("admin")
    response = admin.post("/admin/privacy/export", {"sender_id": SENDER, "contact": PHONE_TYPED})
    assert response.status_code == 200
    today = datetime.now(TIMEZONE).date().isoformat()
    assert response.headers["content-disposition"] == (
        f'attachment; filename="coopilote-export-{today}.json"'
    )
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["cache-control"] == "no-store"
    document = json.loads(response.content.decode("utf-8"))
    assert document["format"] == "coopilote-personal-data/1"
    assert sorted(d["reference"] for d in document["dossiers"]) == sorted([first, second])
    assert {c["sender_id"] for c in document["conversations"]} == {SENDER, TELEGRAM}
    said = [e["text"] for c in document["conversations"] for e in c["events"] if e.get("text")]
    assert f"Je m'appelle {NAME}" in said and f"mon courriel: {EMAIL}" in said
    notes = [n["text"] for d in document["dossiers"] for n in d["notes"]]
    assert notes == [f"{NAME} rappelle lundi"]
    body = response.content.decode("utf-8")
    for foreign in (OTHER_NAME, OTHER_EMAIL, OTHER, theirs):
        assert foreign not in body
    # Handed to the browser only: nothing written to the export folder.
    assert sorted(p.name for p in stores.exports.iterdir()) == files_before


def test_export_is_audited_without_personal_data(stores: Stores) -> None:
    first, second, _theirs = populate(stores)
    Session("admin").post("/admin/privacy/export", {"sender_id": SENDER, "contact": PHONE_TYPED})
    events = audit("exported")
    assert {e.reference for e in events} == {first, second}
    assert all(e.actor == "admin" and e.dossier_id is not None for e in events)
    details = events[0].details
    assert details["purpose"] == "access_request" and details["keys"] == ["sender_id", "contact"]
    assert details["counts"] == {
        "conversations": 2,
        "events": 7,
        "dossiers": 2,
        "matchmaking_profiles": 0,
    }
    recorded = repr([(e.reference, e.actor, e.details) for e in events])
    for secret in (*SECRETS, SENDER, TELEGRAM):
        assert secret not in recorded


def test_export_of_a_conversation_without_dossier_is_audited_without_reference(
    stores: Stores,
) -> None:
    stores.conversation("web-7f3a9c", utc(2026, 11, 20), f"I am {NAME}", "Hello!")
    response = Session("admin").post("/admin/privacy/export", {"sender_id": "web-7f3a9c"})
    assert response.status_code == 200
    assert json.loads(response.content)["conversations"][0]["sender_id"] == "web-7f3a9c"
    [event] = audit("exported")
    assert event.reference is None and event.details["counts"]["conversations"] == 1


def test_export_when_nothing_is_found_says_so_instead_of_an_empty_file(stores: Stores) -> None:
    populate(stores)
    response = Session("admin").post("/admin/privacy/export", {"contact": "inconnu@example.com"})
    assert response.status_code == 200
    assert "content-disposition" not in response.headers
    assert response.headers["content-type"].startswith("text/html")
    assert "Aucune donnée trouvée avec ces clés" in shown(response.text)
    assert 'role="status"' in response.text
    assert 'value="inconnu@example.com"' in response.text  # the form is refilled
    assert audit("exported") == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Donnez au moins une clé"),
        ({"sender_id": "  ", "contact": " "}, "Donnez au moins une clé"),
        ({"reference": "CP-12"}, "CP-XXXX-XXXX"),
        ({"contact": "x" * 300}, "trop longue"),
    ],
)
@pytest.mark.parametrize("action", ["export", "erase"])
def test_a_usable_key_is_required(stores: Stores, data: dict, message: str, action: str) -> None:
    populate(stores)
    response = Session("admin").post(f"/admin/privacy/{action}", data)
    assert response.status_code == 400
    assert message in shown(response.text)
    assert 'role="alert" id="privacy-error"' in response.text
    assert 'aria-describedby="keys-hint privacy-error"' in response.text
    assert dossier_count() == 3 and audit("exported") == []


def test_the_pages_speak_english_too(stores: Stores) -> None:
    populate(stores)
    admin = Session("admin")
    page = admin.get("/admin/privacy?lang=en").text
    assert "Requests about personal information" in page and "Download the data (JSON)" in page
    refused = admin.post("/admin/privacy/export", {})
    assert "Give at least one key" in refused.text


# --- erasure ---------------------------------------------------------------------------------


def erase_keys() -> dict[str, str]:
    return {"sender_id": SENDER, "contact": PHONE_TYPED}


def test_erasure_asks_for_confirmation_and_shows_what_will_go(stores: Stores) -> None:
    first, second, theirs = populate(stores)
    admin = Session("admin")
    page = admin.post("/admin/privacy/erase", erase_keys())
    assert page.status_code == 200
    text = shown(page.text)
    assert first in text and second in text and theirs not in text
    assert "<dt>Conversations avec l'assistant</dt><dd>2</dd>" in text
    assert re.search(r"<dt>Dossiers</dt>\s*<dd>2 :", text)
    for secret in (*SECRETS, OTHER_NAME):
        assert secret not in text
    assert 'action="/admin/privacy/erase/confirm"' in page.text
    assert "Effacer définitivement ces données" in page.text
    assert 'type="checkbox" id="erase-confirm" name="confirm" value="yes" required' in page.text
    # Nothing erased yet, and a confirmation without the box ticked erases nothing either.
    refused = admin.post("/admin/privacy/erase/confirm", erase_keys())
    assert refused.status_code == 400
    assert "Cochez la case de confirmation" in shown(refused.text)
    assert 'aria-invalid="true" aria-describedby="confirm-error"' in refused.text
    assert dossier_count() == 3 and set(stores.senders()) == {SENDER, TELEGRAM, OTHER}
    assert audit("erased") == []


def test_erasure_when_nothing_is_found_erases_nothing(stores: Stores) -> None:
    populate(stores)
    response = Session("admin").post("/admin/privacy/erase", {"reference": "CP-2345-6789"})
    assert response.status_code == 200
    assert "Aucune donnée trouvée avec ces clés" in shown(response.text)
    assert "erase/confirm" not in response.text
    assert dossier_count() == 3 and audit("erased") == []


def test_a_confirmation_posted_without_a_match_erases_nothing(stores: Stores) -> None:
    """The confirmation is a form anyone with the page can post again with other keys: when the
    keys match no conversation and no dossier, nothing runs, not even on files that happen to
    contain the value typed (here the domain of Philomène's email, inside her export file)."""
    populate(stores)
    on_disk = sorted(p.name for p in [*stores.exports.iterdir(), *stores.mail.iterdir()])
    domain = EMAIL.split("@")[1]
    for keys in ({"contact": domain}, {"reference": "CP-2345-6789"}, {"sender_id": "Subject"}):
        response = Session("admin").post("/admin/privacy/erase/confirm", {**keys, "confirm": "yes"})
        assert response.status_code == 200
        assert "Aucune donnée trouvée avec ces clés" in shown(response.text)
    assert sorted(p.name for p in [*stores.exports.iterdir(), *stores.mail.iterdir()]) == on_disk
    assert dossier_count() == 3 and audit("erased") == []


def test_confirmed_erasure_leaves_no_trace_in_any_file(stores: Stores, tmp_path: Path) -> None:
    first, second, theirs = populate(stores)

    def raw(pattern: str) -> bytes:
        return b"".join(p.read_bytes() for p in tmp_path.glob(pattern))

    # The search can find them: before the erasure, every one is in the files.
    for secret in (NAME, EMAIL, PHONE):
        assert secret.encode() in raw("console.db*")
    # The tracker store holds events as JSON, accents escaped: the surname and email are ASCII.
    assert SURNAME.encode() in raw("tracker.db*") and EMAIL.encode() in raw("tracker.db*")
    admin = Session("admin")
    admin.post("/admin/privacy/erase", erase_keys())
    done = admin.post("/admin/privacy/erase/confirm", {**erase_keys(), "confirm": "yes"})
    assert done.status_code == 200
    result = shown(done.text)
    assert "L'effacement est fait" in result and 'role="status"' in result
    assert first in result and second in result and theirs not in result
    for label, count in (
        ("Conversations avec l'assistant", 2),
        ("Dossiers", 2),
        ("Notes des conseillers", 1),
        ("Fichiers d'export sur le serveur", 1),
    ):
        assert f'<th scope="row">{label}</th><td>{count}</td>' in result, label
    for secret in SECRETS:
        assert secret not in result

    appdb.reset_engine()  # the app's connections are closed: its WAL is folded in and removed
    app_files = list(tmp_path.glob("console.db*"))
    tracker_files = list(tmp_path.glob("tracker.db*"))
    assert app_files and tracker_files
    for path in app_files + tracker_files + list(stores.exports.rglob("*")):
        if path.is_file():
            content = path.read_bytes()
            for secret in SECRETS:
                assert secret.encode() not in content, (path.name, secret)
    # Gaspard is untouched, in every store.
    assert OTHER_NAME.encode() in raw("console.db*") and OTHER_EMAIL.encode() in raw("console.db*")
    assert set(stores.senders()) == {OTHER}
    assert [reference_of(p) for p in stores.exports.iterdir()] == [theirs]
    with appdb.session_scope() as session:
        left = set(session.execute(select(HandoffDossier.reference)).scalars())
    assert left == {theirs}


def test_erasure_is_audited_without_the_erased_values(stores: Stores) -> None:
    first, second, _theirs = populate(stores)
    admin = Session("admin")
    admin.post("/admin/privacy/erase/confirm", {**erase_keys(), "confirm": "yes"})
    events = audit("erased")
    assert {e.reference for e in events} == {first, second}
    assert all(e.actor == "admin" and e.dossier_id is None for e in events)
    assert events[0].details["counts"]["dossiers"] == 2
    recorded = repr([(e.reference, e.actor, e.details) for e in events])
    for secret in (*SECRETS, SENDER, TELEGRAM):
        assert secret not in recorded
    trail = admin.get(f"/admin/audit?reference={first}").text
    assert "Effacé (demande de la personne)" in trail


def test_an_unreachable_store_is_reported_and_can_be_retried(
    stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _second, _theirs = populate(stores)
    # A closed port on loopback: the connection is refused at once.
    monkeypatch.setenv("TRACKER_STORE_URL", "postgresql://nobody@127.0.0.1:9/none")
    admin = Session("admin")
    response = admin.post("/admin/privacy/erase/confirm", {"reference": first, "confirm": "yes"})
    assert response.status_code == 503
    assert "injoignable" in response.text
    assert dossier_count() == 3 and audit("erased") == []
