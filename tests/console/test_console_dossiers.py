"""The inbox (filters, pagination, counts), the dossier page, its changes, the audit trail,
exports (CSV, print), escaping of hostile text, and both languages."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from sqlalchemy import select, update

import appdb
from appdb import utcnow
from handoff import store
from handoff.dossier import ConsentAnswers
from handoff.models import AuditEvent, HandoffDossier
from tests.console.conftest import (
    EMAIL,
    MALICIOUS,
    PROJECT,
    Session,
    create,
    new_client,
    without_transcript_consent,
)


def events(reference: str) -> list[tuple[str, str]]:
    with appdb.session_scope() as session:
        return [
            (actor, action)
            for actor, action in session.execute(
                select(AuditEvent.actor, AuditEvent.action)
                .where(AuditEvent.reference == reference)
                .order_by(AuditEvent.id)
            )
        ]


def refs_in(html: str) -> list[str]:
    return re.findall(r'href="/dossiers/(CP-[0-9A-Z-]+)"', html)


def test_inbox_filters_pagination_and_counts(people) -> None:
    made = [
        create(region_code="06" if i % 2 else "03", language="fr" if i < 15 else "en")
        for i in range(25)
    ]
    with appdb.session_scope() as session:
        # Newest first: spread the creation times, the last one made is the newest.
        for i, ref in enumerate(made):
            session.execute(
                update(HandoffDossier)
                .where(HandoffDossier.reference == ref)
                .values(created_at=utcnow() - timedelta(days=25 - i))
            )
    store.update_status(made[0], "closed", by="alice")
    alice = Session("alice")
    first = alice.get("/dossiers").text
    assert refs_in(first) == list(reversed(made))[:20]
    assert "Page 1 sur 2" in first
    second = alice.get("/dossiers?page=2").text
    assert refs_in(second) == list(reversed(made))[20:]
    # Counts by status, under the other filters.
    assert re.search(r"Nouveau</span> <strong>24</strong>", first)
    assert re.search(r"Fermé</span> <strong>1</strong>", first)
    closed = alice.get("/dossiers?status=closed").text
    assert refs_in(closed) == [made[0]]
    english = refs_in(alice.get("/dossiers?language=en").text)
    assert sorted(english) == sorted(made[15:])
    region = refs_in(alice.get("/dossiers?region=03").text)
    assert sorted(region) == sorted(made[0::2])
    day = (utcnow() - timedelta(days=3)).astimezone().date().isoformat()
    recent = refs_in(alice.get(f"/dossiers?date_from={day}").text)
    assert set(recent) <= set(made[-4:]) and len(recent) >= 2
    # Filters survive pagination links and bad values are ignored.
    assert "language=en" in alice.get("/dossiers?language=en").text
    assert alice.get("/dossiers?status=bogus&region=99&page=x").status_code == 200


def test_dossier_page_shows_the_summary_first_then_the_rest(dossiers) -> None:
    alice = Session("alice")
    html = alice.get(f"/dossiers/{dossiers['cdrq']}").text
    order = [
        html.index(marker)
        for marker in (
            "Résumé du projet",
            "Évaluation et réponses",
            "Pourquoi ce transfert",
            "Conversation",
            "Notes",
        )
    ]
    assert order == sorted(order)
    assert "Zébulon veut fonder une coopérative de boulangerie" in html
    assert "Forte" in html and "Demande de la personne" in html
    assert "Je préfère parler à une personne" in html  # the person's own words
    assert EMAIL in html and "accordé" in html and "2026-11-v1" in html
    assert html.count('name="csrf_token"') >= 6
    assert alice.get(f"/dossiers/{dossiers['cdrq']}").headers["cache-control"] == "no-store"


def test_without_transcript_consent_no_words_and_no_transcript(people) -> None:
    ref = store.create_dossier(without_transcript_consent()).reference
    html = Session("alice").get(f"/dossiers/{ref}").text
    assert "Je préfère parler" not in html and "Bonjour, je veux" not in html
    assert "Conversation non partagée" in html and PROJECT in html


def test_hostile_text_is_escaped_in_pages_and_inert_in_exports(people) -> None:
    ref = create(
        project_summary=MALICIOUS,
        availability="=1+2",
        transcript=[{"who": "user", "text": MALICIOUS, "at": None}],
    )
    alice = Session("alice")
    alice.post(f"/dossiers/{ref}/notes", {"text": MALICIOUS})
    alice.post(f"/dossiers/{ref}/outcome", {"referred_to": "@SUM(A1:A9)"})
    for path in (f"/dossiers/{ref}", f"/dossiers/{ref}/print"):
        html = alice.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in html
    assert "script-src 'self'" in alice.get(f"/dossiers/{ref}").headers["content-security-policy"]
    body = alice.get(f"/dossiers/{ref}/export.csv").content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(body), delimiter=";") for cell in row]
    assert "'=1+2" in cells and "'@SUM(A1:A9)" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    listed = alice.get("/dossiers.csv").content.decode("utf-8-sig")
    list_cells = [c for row in csv.reader(io.StringIO(listed), delimiter=";") for c in row]
    assert "'=1+2" in list_cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in list_cells)


def test_csv_is_utf8_with_bom_and_keeps_accents(dossiers) -> None:
    alice = Session("alice")
    response = alice.get(f"/dossiers/{dossiers['cdrq']}/export.csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8")
    assert "Référence" in text and "Zébulon" in text and "coopérative" in text
    listed = alice.get("/dossiers.csv")
    assert listed.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(listed.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Référence" and rows[1][0] == dossiers["cdrq"] and len(rows) == 2
    english = alice.get("/dossiers.csv?lang=en").content.decode("utf-8-sig")
    assert english.startswith("Reference;Received")


def test_changes_through_the_forms(dossiers) -> None:
    ref = dossiers["cdrq"]
    alice = Session("alice")
    assert alice.post(f"/dossiers/{ref}/notes", {"text": "Appel prévu lundi"}).status_code == 303
    assert alice.post(f"/dossiers/{ref}/status", {"status": "in_progress"}).status_code == 303
    assert alice.post(f"/dossiers/{ref}/assignee", {"assignee": "carole"}).status_code == 303
    response = alice.post(
        f"/dossiers/{ref}/outcome",
        {"referred_to": "CDRQ Montréal", "follow_up_date": "2026-12-15"},
    )
    assert response.headers["location"] == f"/dossiers/{ref}?done=outcome#outcome"
    dossier = store.get_dossier(ref)
    assert dossier.status == "in_progress" and dossier.assignee == "carole"
    assert dossier.referred_to == "CDRQ Montréal" and str(dossier.follow_up_date) == "2026-12-15"
    assert [n.text for n in dossier.notes] == ["Appel prévu lundi"]
    # Refusals: an advisor of another organisation cannot be assigned; bad values are named.
    bad = alice.post(f"/dossiers/{ref}/assignee", {"assignee": "bob"})
    assert bad.headers["location"].endswith("error=assignee")
    assert "ne peut pas être responsable" in alice.get(bad.headers["location"]).text
    assert alice.post(f"/dossiers/{ref}/status", {"status": "done"}).status_code == 303
    assert store.get_dossier(ref).status == "in_progress"
    closed = alice.post(f"/dossiers/{ref}/status", {"status": "closed"})
    assert closed.status_code == 303 and store.get_dossier(ref).status == "closed"


def test_transfer_to_another_organisation_hands_it_over(dossiers) -> None:
    ref = dossiers["cdrq"]
    alice = Session("alice")
    response = alice.post(f"/dossiers/{ref}/transfer", {"organisation": "promis"})
    assert response.headers["location"] == "/dossiers?done=transferred"
    assert alice.get(f"/dossiers/{ref}").status_code == 404
    assert Session("bob").get(f"/dossiers/{ref}").status_code == 200
    bob = Session("bob")
    bob.post(f"/dossiers/{ref}/transfer", {"organisation": "shared"})
    assert store.get_dossier(ref).queue == "shared"
    assert Session("admin").get("/dossiers?organisation=shared").text.count(ref) >= 1


def test_every_view_change_and_export_is_audited(dossiers) -> None:
    ref = dossiers["cdrq"]
    alice = Session("alice")
    alice.get(f"/dossiers/{ref}")
    alice.post(f"/dossiers/{ref}/notes", {"text": "note"})
    alice.post(f"/dossiers/{ref}/status", {"status": "in_progress"})
    alice.post(f"/dossiers/{ref}/assignee", {"assignee": "alice"})
    alice.post(f"/dossiers/{ref}/outcome", {"referred_to": "PME MTL"})
    alice.get(f"/dossiers/{ref}/export.csv")
    alice.get(f"/dossiers/{ref}/print")
    alice.get("/dossiers.csv")
    actions = [action for actor, action in events(ref) if actor == "alice"]
    for expected in (
        "viewed",
        "note_added",
        "status",
        "assigned",
        "outcome",
        "exported",
        "printed",
    ):
        assert expected in actions, expected
    assert actions.count("exported") == 2
    # Admins read the trail; the note's text never enters it.
    admin = Session("admin")
    trail = admin.get(f"/admin/audit?reference={ref}").text
    assert "Note ajoutée" in trail and "Imprimé" in trail and "alice" in trail
    assert "note</" not in trail
    assert "Journal d&#39;audit du dossier" in admin.get(f"/dossiers/{ref}").text
    assert "Journal d" not in alice.get(f"/dossiers/{ref}").text.split("<main")[1]


def test_printable_page(dossiers) -> None:
    html = Session("alice").get(f"/dossiers/{dossiers['cdrq']}/print").text
    assert "Confidentiel" in html and "/assets/console/print.js" in html and PROJECT in html
    assert "<nav" not in html


def test_both_languages(dossiers) -> None:
    alice = Session("alice")
    french = alice.get("/dossiers").text
    assert '<html lang="fr">' in french and "Se déconnecter" in french
    english = alice.get("/dossiers?lang=en")
    assert '<html lang="en">' in english.text and "Log out" in english.text
    # The choice sticks (cookie) for the next pages.
    page = alice.get(f"/dossiers/{dossiers['cdrq']}").text
    assert "Project summary" in page and "Asked by the person" in page and "Strong" in page
    assert "Username" in new_client().get("/login?lang=en").text
    assert "Nom d&#39;utilisateur" in new_client().get("/login").text


def test_withdrawing_a_consent_stops_the_sharing_at_once(people) -> None:
    ref = create(
        consent=ConsentAnswers(
            share_summary=True,
            share_transcript=True,
            wording_version="2026-11-v1",
            notice_version="2026-11-26.1",
        )
    )
    alice = Session("alice")
    page = alice.get(f"/dossiers/{ref}").text
    assert "avis de confidentialité 2026-11-26.1" in page
    assert f"/dossiers/{ref}/consents/share_transcript/withdraw" in page

    unconfirmed = alice.post(f"/dossiers/{ref}/consents/share_transcript/withdraw")
    assert unconfirmed.headers["location"].endswith("error=withdraw_confirm")
    assert store.get_dossier(ref).transcript is not None
    unknown = alice.post(f"/dossiers/{ref}/consents/marketing/withdraw", {"confirm": "1"})
    assert unknown.headers["location"].endswith("error=purpose")

    done = alice.post(f"/dossiers/{ref}/consents/share_transcript/withdraw", {"confirm": "1"})
    assert done.headers["location"] == f"/dossiers/{ref}?done=consent_withdrawn#consent_withdrawn"
    dossier = store.get_dossier(ref)
    assert dossier.transcript is None and dossier.contact_value == EMAIL
    [withdrawn] = [c for c in dossier.consents if c.purpose == "share_transcript"]
    assert withdrawn.withdrawn_at is not None
    page = alice.get(f"/dossiers/{ref}").text
    assert "Je préfère parler à une personne" not in page
    assert f"/dossiers/{ref}/consents/share_transcript/withdraw" not in page
    # An advisor of another organisation cannot withdraw anything on this dossier.
    bob = Session("bob")
    refused = bob.post(f"/dossiers/{ref}/consents/share_summary/withdraw", {"confirm": "1"})
    assert refused.status_code == 404
    assert store.get_dossier(ref).contact_value == EMAIL
