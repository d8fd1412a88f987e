"""Export for one person: their conversation and dossiers, and nobody else's."""

from __future__ import annotations

import json

import pytest

from handoff.store import add_note, update_status, withdraw_consent
from privacy.__main__ import main
from privacy.erasure import NothingToIdentifyError
from privacy.export import export_person
from tests.privacy.conftest import EMAIL, NAME, OTHER_EMAIL, OTHER_NAME, Stores, make_dossier, utc

SENDER = "sender-philomene"


def _populate(stores: Stores) -> tuple[str, str]:
    mine = make_dossier(sender_id=SENDER)
    theirs = make_dossier(sender_id="sender-gaspard", name=OTHER_NAME, email=OTHER_EMAIL)
    add_note(mine, "Rappeler lundi", by="advisor-a")
    update_status(mine, "in_progress", by="advisor-a")
    update_status(mine, "closed", by="advisor-a")
    stores.conversation(SENDER, utc(2026, 11, 20, 10), f"Je m'appelle {NAME}", "Bonjour!")
    stores.conversation("sender-gaspard", utc(2026, 11, 21), OTHER_NAME, "Bonjour!")
    return mine, theirs


def test_export_holds_the_conversation_and_the_dossier(stores: Stores) -> None:
    mine, theirs = _populate(stores)
    document = export_person(sender_id=SENDER)
    json.dumps(document)  # JSON-able as is
    [conversation] = document["conversations"]
    assert conversation["sender_id"] == SENDER
    assert conversation["events"] == [
        {
            "type": "user",
            "at": "2026-11-20T10:00:01+00:00",
            "text": f"Je m'appelle {NAME}",
            "intent": "greet",
        },
        {"type": "bot", "at": "2026-11-20T10:00:02+00:00", "text": "Bonjour!"},
        {"type": "slot", "at": "2026-11-20T10:00:03+00:00", "slot": "language", "value": "fr"},
    ]
    [dossier] = document["dossiers"]
    assert dossier["reference"] == mine
    assert dossier["contact_value"] == EMAIL
    assert NAME in dossier["project_summary"]
    assert {c["purpose"]: c["granted"] for c in dossier["consents"]} == {
        "share_summary": True,
        "share_transcript": True,
    }
    assert [n["text"] for n in dossier["notes"]] == ["Rappeler lundi"]
    assert [(h["from"], h["to"]) for h in dossier["status_history"]] == [
        ("new", "in_progress"),
        ("in_progress", "closed"),
    ]
    actions = [event["action"] for event in dossier["audit_trail"]]
    assert actions == ["created", "note_added", "status", "status"]
    assert document["retention_days"]["conversation"] == 30
    text = json.dumps(document, ensure_ascii=False)
    assert OTHER_NAME not in text and OTHER_EMAIL not in text and theirs not in text


def test_export_by_reference_or_contact_finds_the_same(stores: Stores) -> None:
    mine, _ = _populate(stores)
    withdraw_consent(mine, "share_transcript", by="person")
    by_reference = export_person(reference=mine)
    # The exact normalised value: the domain's case does not matter, the local part's does.
    by_contact = export_person(contact=EMAIL.replace("example.org", "Example.ORG"))
    assert export_person(contact=EMAIL.upper())["dossiers"] == []
    for document in (by_reference, by_contact):
        assert [d["reference"] for d in document["dossiers"]] == [mine]
        assert [c["sender_id"] for c in document["conversations"]] == [SENDER]
        assert document["dossiers"][0]["transcript"] is None
        withdrawn = {c["purpose"]: c["withdrawn_at"] for c in document["dossiers"][0]["consents"]}
        assert withdrawn["share_transcript"] is not None


def test_export_of_an_unknown_person_is_empty(sqlite_stores: Stores) -> None:
    document = export_person(sender_id="nobody")
    assert document["conversations"] == [] and document["dossiers"] == []
    with pytest.raises(NothingToIdentifyError):
        export_person()


def test_cli_prints_json(sqlite_stores: Stores, capsys: pytest.CaptureFixture[str]) -> None:
    _populate(sqlite_stores)
    assert main(["export", "--sender", SENDER]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["conversations"][0]["events"][0]["text"] == f"Je m'appelle {NAME}"
    assert main(["export"]) == 2
