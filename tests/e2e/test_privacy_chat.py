"""Privacy in the chat, end to end: the short notice first, and erasure on request (REST and the
web widget's socket.io; Telegram is in tests/telegram/test_privacy_telegram.py)."""

from __future__ import annotations

import sqlalchemy as sa

from privacy import notice
from tests.domain_texts import classify
from tests.e2e.conftest import Servers, new_sender, response_names, texts
from tests.e2e.test_handoff import first_organisation_payload, walk
from tests.e2e.test_socketio import converse
from tests.support.waiting import wait_until

# A made-up person: none of this may survive an erasure anywhere on disk.
NAME = "Zanele Okonkwo-Marchetti"
EMAIL = "zanele.okonkwo@exemple-courriel.ca"
PHONE_TYPED, PHONE_STORED = "(438) 555-0147", "+14385550147"
TRACES = (NAME, "Okonkwo", EMAIL, PHONE_STORED, "555-0147")


def store_files(servers: Servers) -> list:
    """Every file of both databases (with SQLite's journal files), exports and mail on disk."""
    assert servers.work is not None
    return [p for p in servers.work.rglob("*") if p.is_file() and p.suffix != ".log"]


def traces_on_disk(servers: Servers, needles=TRACES) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in store_files(servers):
        data = path.read_bytes()
        for needle in needles:
            if needle.encode("utf-8") in data or needle.encode("utf-16-le") in data:
                found.setdefault(needle, []).append(path.name)
    return found


def query(url: str, sql: str, **params) -> list:
    engine = sa.create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            return list(connection.execute(sa.text(sql), params))
    finally:
        engine.dispose()


def tracker_url(servers: Servers) -> str:
    assert servers.work is not None
    return f"sqlite:///{servers.work / 'tracker.db'}"


def events_of(servers: Servers, sender: str) -> int:
    [(count,)] = query(
        tracker_url(servers), "SELECT count(*) FROM events WHERE sender_id = :s", s=sender
    )
    return count


def wait_for_no_events(servers: Servers, sender: str, timeout: float = 15.0) -> None:
    """Socket.io sends the last reply before Rasa saves the turn and the channel deletes it."""
    wait_until(
        lambda: events_of(servers, sender) == 0,
        timeout,
        "the conversation's events to be deleted",
        every=0.2,
    )


def test_the_notice_comes_first_once_in_the_users_language(servers):
    for first, words, page in (
        ("Bonjour, c'est quoi une coopérative ?", "Avant de commencer", "/confidentialite"),
        ("Hello, what is a cooperative?", "Before we start", "/privacy"),
    ):
        sender = new_sender()
        replies = servers.send(first, sender, keep_notice=True)
        assert response_names(replies)[0] == notice.SHORT_NOTICE_RESPONSE
        assert response_names(replies)[1] == "utter_kb_answer"
        text = texts(replies)[0]
        assert text.startswith(words) and text.rstrip().endswith(page)
        assert "30" in text
        again = servers.send("merci", sender, keep_notice=True)
        assert notice.SHORT_NOTICE_RESPONSE not in response_names(again)
        # The version shown is kept with the conversation, to be recorded with any consent.
        [(data,)] = query(
            tracker_url(servers),
            "SELECT data FROM events WHERE sender_id = :s AND type_name = 'slot' "
            "AND data LIKE '%privacy_notice_version%'",
            s=sender,
        )
        assert notice.version() in data


def test_french_erasure_with_a_dossier_leaves_no_trace(servers):
    sender = new_sender()
    walk(servers, sender, [f"Bonjour, je m'appelle {NAME}", "je veux parler à un conseiller"])
    replies = walk(
        servers,
        sender,
        ["oui", "oui", "par courriel", EMAIL, "en semaine", "mon projet de coopérative", "Laval"],
    )
    replies = servers.send(first_organisation_payload(replies), sender)
    assert response_names(replies) == ["utter_handoff_confirmed"]
    [(reference, dossier_id)] = query(
        servers.database_url,
        "SELECT reference, id FROM handoff_dossier WHERE sender_id = :s",
        s=sender,
    )
    consents = query(
        servers.database_url,
        "SELECT purpose, notice_version FROM consent WHERE dossier_id = :d",
        d=dossier_id,
    )
    assert {version for _, version in consents} == {notice.version()}
    assert traces_on_disk(servers, (NAME, EMAIL)).keys() == {NAME, EMAIL}

    replies = servers.send("supprimer mes données", sender)
    assert response_names(replies) == ["utter_ask_erasure_confirmation"]
    assert [b["title"] for b in replies[0]["buttons"]] == ["Oui, tout effacer", "Non, garder"]
    replies = servers.send("oui", sender)
    assert response_names(replies) == ["utter_erasure_done_with_dossiers"]
    assert reference in texts(replies)[0]
    assert all("custom" not in r for r in replies), "the channel's marker is never shown"

    assert events_of(servers, sender) == 0
    assert (
        query(servers.database_url, "SELECT id FROM handoff_dossier WHERE id = :d", d=dossier_id)
        == []
    )
    assert traces_on_disk(servers) == {}
    audit = query(
        servers.database_url,
        "SELECT actor, details FROM audit_event WHERE reference = :r AND action = 'erased'",
        r=reference,
    )
    assert [actor for actor, _ in audit] == ["person"]
    assert all(trace not in str(audit) for trace in TRACES)

    # Writing again starts a new conversation, notice included.
    replies = servers.send("Bonjour", sender, keep_notice=True)
    assert response_names(replies)[:2] == [notice.SHORT_NOTICE_RESPONSE, "utter_greet"]


def test_english_erasure_without_a_dossier_and_a_cancelled_one(servers):
    sender = new_sender()
    servers.send(f"Hi, I'm {NAME}, my phone is {PHONE_TYPED}", sender)
    replies = servers.send("delete my data", sender)
    assert response_names(replies) == ["utter_ask_erasure_confirmation"]
    replies = servers.send("/deny", sender)
    assert response_names(replies) == ["utter_erasure_cancelled"]
    assert events_of(servers, sender) > 0, "a cancelled request erases nothing"

    # A "yes" that answers nothing erases nothing either.
    replies = servers.send("yes", sender)
    assert "utter_erasure_done" not in response_names(replies)
    assert events_of(servers, sender) > 0

    replies = servers.send("please forget everything about me", sender)
    assert response_names(replies) == ["utter_ask_erasure_confirmation"]
    replies = servers.send("yes", sender)
    assert response_names(replies) == ["utter_erasure_done"]
    assert classify(texts(replies)[0])[1] == "en"
    assert events_of(servers, sender) == 0
    assert traces_on_disk(servers, (NAME, "555-0147")) == {}


def test_erasure_in_the_middle_of_the_screening(servers):
    sender = new_sender()
    walk(servers, sender, ["Bonjour", "/start_screening", f"une boulangerie avec {NAME}"])
    replies = servers.send("effacez mes données", sender)
    assert response_names(replies) == ["utter_ask_erasure_confirmation"]
    replies = servers.send("/affirm", sender)
    assert response_names(replies) == ["utter_erasure_done"]
    assert events_of(servers, sender) == 0


async def test_erasure_through_the_web_widget_channel(servers):
    notices: list[dict] = []
    sid, answers = await converse(
        servers,
        [f"Bonjour, ici {NAME}", "supprimer mes données", "/affirm"],
        notices=notices,
    )
    assert [classify(n["text"])[0] for n in notices] == [notice.SHORT_NOTICE_RESPONSE]
    names = [classify(a["text"])[0] for a in answers]
    assert names[1:] == ["utter_ask_erasure_confirmation", "utter_erasure_done"]
    wait_for_no_events(servers, sid)
    assert traces_on_disk(servers, (NAME,)) == {}
