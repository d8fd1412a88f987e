"""The advisors' toolkit: screening with a client (both languages, from a dossier), the
orientation sheet (PDF text read back) and its email with consent, outcomes and follow-ups."""

from __future__ import annotations

import email
import email.policy
import io
import re
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

import appdb
from console.advisor import toolkit
from console.advisor.i18n import Translator
from handoff import store
from handoff.models import AuditEvent, NotificationOutbox, SheetEmail
from handoff.notify import DirectoryTransport, deliver_due
from screening import Answers
from screening.presentation import present, verdict_for
from screening.texts import text
from tests.console.conftest import EMAIL, Session, create

WORKERS = {
    "project": "Une boulangerie de quartier",
    "sector": "alimentation",
    "region_code": "06",
    "founders": "3",
    "members": "workers",
    "control": "one_member_one_vote",
    "capital_need": "low",
    "outside_investors": "none",
    "surplus": "by_work",
    "governance_ready": "yes",
}


@pytest.fixture(autouse=True)
def shared_kb(plain_kb, monkeypatch):
    monkeypatch.setattr(toolkit, "knowledge_base", lambda request: plain_kb)
    return plain_kb


def unescape(html: str) -> str:
    import html as html_module

    return html_module.unescape(html)


def expected(kb, lang: str, values: dict[str, str] = WORKERS):
    parsed = toolkit.read_answers(values).answers
    assert parsed is not None
    return present(parsed, verdict_for(parsed, kb), lang, kb)


def audit_actions(actor: str) -> list[tuple[str | None, str, dict | None]]:
    with appdb.session_scope() as session:
        return [
            (reference, action, details)
            for reference, action, details in session.execute(
                select(AuditEvent.reference, AuditEvent.action, AuditEvent.details)
                .where(AuditEvent.actor == actor)
                .order_by(AuditEvent.id)
            )
        ]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_advisor_screens_a_client_in_the_clients_language(people, shared_kb, lang) -> None:
    alice = Session("alice")
    form = alice.get(f"/screenings/new?client_lang={lang}")
    assert form.status_code == 200
    page = unescape(form.text)
    # The chat's own questions, in the client's language.
    assert Translator(lang)("screen.q.members") in page
    assert 'lang="' + lang + '"' in page

    result = alice.post("/screenings/result", {**WORKERS, "client_lang": lang})
    assert result.status_code == 200, result.text
    page = unescape(result.text)
    shown = expected(shared_kb, lang)
    assert shown.coop_fit == "strong"
    for reason in shown.reasons:
        assert reason.text in page
    for step in shown.next_steps:
        assert step in page
    assert shown.coop_type_meaning and shown.coop_type_meaning in page
    assert shared_kb.get("cdrq-montreal-laval").text("title", lang) in page
    assert text("coop_types", "travail", lang)[1:] in page
    # No dossier: no email form, the audit event has codes only and no reference.
    assert 'action="/screenings/email"' not in page
    assert audit_actions("alice")[-1] == (
        None,
        "screened",
        {
            "language": lang,
            "coop_fit": "strong",
            "recommended_coop_type": "travail",
            "table_version": shown.verdict.table_version,
        },
    )


def test_the_console_gives_the_same_verdict_as_the_chat(people, shared_kb) -> None:
    answers = Answers(founders=1, control="proportional_to_capital", members="workers")
    alice = Session("alice")
    page = unescape(
        alice.post(
            "/screenings/result",
            {"founders": "1", "control": "proportional_to_capital", "members": "workers"},
        ).text
    )
    shown = present(answers, verdict_for(answers, shared_kb), "fr", shared_kb)
    assert shown.coop_fit == "weak"
    assert Translator("fr")("screen.fit.weak") in page
    assert Translator("fr")("screen.no_type") in page
    assert [r.text in page for r in shown.reasons] == [True] * len(shown.reasons)


def test_refused_answers_are_marked_and_nothing_is_evaluated(people) -> None:
    alice = Session("alice")
    response = alice.post("/screenings/result", {**WORKERS, "members": "aliens", "founders": "0"})
    assert response.status_code == 422
    assert 'id="q-members" name="members" aria-invalid="true"' in response.text
    assert 'aria-invalid="true" aria-describedby="e-founders"' in response.text
    assert not [a for a in audit_actions("alice") if a[1] == "screened"]


def test_csrf_is_required(people) -> None:
    alice = Session("alice")
    assert alice.post("/screenings/result", WORKERS, csrf=False).status_code == 403


def test_a_screening_from_a_dossier_is_prefilled_only_with_consent(dossiers) -> None:
    alice = Session("alice")
    page = alice.get(f"/screenings/new?dossier={dossiers['cdrq']}").text
    assert 'name="founders" type="number" min="1" max="1000" inputmode="numeric" value="3"' in page
    assert '<option value="workers" selected>' in page
    assert "boulangerie" in page

    store.withdraw_consent(dossiers["cdrq"], "share_summary", by="alice")
    page = alice.get(f"/screenings/new?dossier={dossiers['cdrq']}").text
    assert 'value="3"' not in page and '<option value="workers" selected>' not in page


def test_another_organisations_dossier_is_not_found(dossiers) -> None:
    alice = Session("alice")
    assert alice.get(f"/screenings/new?dossier={dossiers['promis']}").status_code == 404
    response = alice.post("/screenings/result", {**WORKERS, "dossier": dossiers["promis"]})
    assert response.status_code == 404
    admin = Session("admin")
    assert admin.get(f"/screenings/new?dossier={dossiers['promis']}").status_code == 200


def pdf_text(body: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(body))
    words = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", words), len(reader.pages)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_orientation_sheet_pdf_reads_back(people, shared_kb, lang) -> None:
    alice = Session("alice")
    response = alice.post("/screenings/sheet.pdf", {**WORKERS, "client_lang": lang})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "attachment" in response.headers["content-disposition"]
    words, pages = pdf_text(response.content)
    assert 1 <= pages <= 2
    shown = expected(shared_kb, lang)
    t = Translator(lang)
    flat = lambda s: re.sub(r"\s+", " ", s)  # noqa: E731

    assert flat(t("screen.fit.strong")) in words
    assert flat(shown.reasons[0].text) in words
    assert flat(shown.next_steps[0]) in words
    assert flat(shown.coop_type_meaning or "")[:60] in words
    assert shared_kb.get("cdrq-montreal-laval").text("title", lang) in words
    assert "cdrq.coop" in words
    assert t("sheet.sources") in words
    # Nothing personal unless the advisor adds it.
    assert "boulangerie" not in words
    assert audit_actions("alice")[-1][1:] == ("printed", {"format": "sheet_pdf", "language": lang})


def test_the_sheet_includes_only_what_the_advisor_chose(dossiers) -> None:
    alice = Session("alice")
    body = {**WORKERS, "dossier": dossiers["cdrq"], "client_name": "Zébulon Q."}
    words, _pages = pdf_text(alice.post("/screenings/sheet.pdf", body).content)
    assert "Zébulon Q." in words
    assert "boulangerie" not in words and dossiers["cdrq"] not in words
    body.update(include_project="1", include_reference="1")
    words, _pages = pdf_text(alice.post("/screenings/sheet.pdf", body).content)
    assert "Une boulangerie de quartier" in words and dossiers["cdrq"] in words


def test_emailing_the_sheet_needs_consent_and_goes_through_the_outbox(dossiers, tmp_path) -> None:
    alice = Session("alice")
    reference = dossiers["cdrq"]
    body = {**WORKERS, "dossier": reference, "client_lang": "en", "email": EMAIL}
    refused = alice.post("/screenings/email", body)
    assert refused.status_code == 422
    assert Translator("fr")("refused.consent") in unescape(refused.text)
    bad = alice.post("/screenings/email", {**body, "consent": "1", "email": "not-an-address"})
    assert bad.status_code == 422

    sent = alice.post("/screenings/email", {**body, "consent": "1"})
    assert sent.status_code == 303
    assert sent.headers["location"].endswith("?done=sheet_emailed#sheet_emailed")
    with appdb.session_scope() as session:
        row = session.execute(
            select(NotificationOutbox).where(NotificationOutbox.kind == "orientation_sheet")
        ).scalar_one()
        assert row.recipient == EMAIL and row.attachment[:4] == b"%PDF"
        consent = session.execute(select(SheetEmail)).scalar_one()
        assert (consent.language, consent.advisor, consent.outbox_id) == ("en", "alice", row.id)
        assert consent.consent_wording_version
    event = audit_actions("alice")[-1]
    assert event[:2] == (reference, "sheet_emailed") and EMAIL not in str(event)

    mail_dir = tmp_path / "sheets"
    assert deliver_due(DirectoryTransport(mail_dir)).sent >= 1
    messages = [email.message_from_bytes(p.read_bytes()) for p in mail_dir.glob("*.eml")]
    sheet = next(m for m in messages if m["To"] == EMAIL)
    assert sheet["Subject"] == Translator("en")("sheet.email.subject")
    attachment = next(part for part in sheet.walk() if part.get_filename())
    filename = attachment.get_filename()
    assert filename is not None and filename.startswith("orientation-sheet-")
    payload = attachment.get_payload(decode=True)
    assert isinstance(payload, bytes)
    words, _pages = pdf_text(payload)
    assert Translator("en")("screen.fit.strong") in words


def test_outcome_and_due_follow_ups(dossiers) -> None:
    alice = Session("alice")
    reference = dossiers["cdrq"]
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    response = alice.post(
        f"/dossiers/{reference}/outcome",
        {"referred_to": "PME MTL", "follow_up_date": yesterday, "outcome": "referred"},
    )
    assert response.status_code == 303
    assert store.get_dossier(reference).outcome == "referred"
    assert alice.post(f"/dossiers/{reference}/outcome", {"outcome": "lost"}).status_code == 303
    assert store.get_dossier(reference).outcome == "referred"  # refused, unchanged

    later = create()
    store.record_outcome(
        later, referred_to=None, follow_up_date=date.today() + timedelta(days=5), by="alice"
    )
    store.record_outcome(
        dossiers["promis"], referred_to=None, follow_up_date=date.today(), by="bob"
    )
    page = alice.get("/follow-ups").text
    assert reference in page and later in page and dossiers["promis"] not in page
    assert "Suivis à faire aujourd'hui ou en retard : 1" in unescape(alice.get("/dossiers").text)
    due, upcoming = page.split('id="upcoming-h"')
    assert reference in due and later in upcoming
    assert dossiers["promis"] in Session("admin").get("/follow-ups").text
    store.update_status(reference, "closed", by="alice")
    assert reference not in alice.get("/follow-ups").text


def test_daily_reminder_lists_due_follow_ups_per_organisation(dossiers, tmp_path) -> None:
    from handoff.reminders import send_reminders

    today = date(2026, 12, 3)
    store.record_outcome(dossiers["cdrq"], referred_to=None, follow_up_date=today, by="alice")
    store.record_outcome(
        dossiers["promis"], referred_to=None, follow_up_date=today + timedelta(days=1), by="bob"
    )
    store.assign(dossiers["cdrq"], "alice", by="alice")
    mail_dir = tmp_path / "reminders"
    assert send_reminders(today, DirectoryTransport(mail_dir)) == 1
    (message,) = [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in mail_dir.glob("*.eml")
    ]
    body = message.get_content()
    assert dossiers["cdrq"] in body and "2026-12-03 — alice" in body
    assert dossiers["promis"] not in body and EMAIL not in body
    assert "/follow-ups" in body


def test_the_api_reads_and_changes_the_outcome(dossiers) -> None:
    from console.auth import accounts
    from tests.console.conftest import new_client

    headers = {"Authorization": f"Bearer {accounts.issue_api_token('alice', by='test')}"}
    client = new_client()
    url = f"/api/handoffs/{dossiers['cdrq']}"
    changed = client.patch(url, json={"outcome": "coop_project_started"}, headers=headers)
    assert changed.status_code == 200 and changed.json()["outcome"] == "coop_project_started"
    dated = client.patch(url, json={"follow_up_date": "2026-12-20"}, headers=headers)
    assert dated.json()["outcome"] == "coop_project_started"  # kept when not sent
    assert client.patch(url, json={"outcome": "lost"}, headers=headers).status_code == 422
    cleared = client.patch(url, json={"outcome": None}, headers=headers)
    assert cleared.json()["outcome"] is None


def test_erasing_the_person_erases_the_sheet_email_and_its_consent(dossiers) -> None:
    from privacy.erasure import erase_person

    reference = dossiers["cdrq"]
    alice = Session("alice")
    body = {**WORKERS, "dossier": reference, "email": EMAIL, "consent": "1"}
    assert alice.post("/screenings/email", body).status_code == 303
    erase_person(reference=reference, by="admin")
    with appdb.session_scope() as session:
        assert session.execute(select(SheetEmail)).first() is None
        assert EMAIL not in session.execute(select(NotificationOutbox.recipient)).scalars().all()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_longest_sheet_still_fits_on_two_pages(shared_kb, lang) -> None:
    from console.advisor.sheet import SheetOptions, build_sheet

    # Many reasons, questions to settle, next steps and organisations at once.
    answers = Answers(
        region_code="06",
        founders=1,
        members="unsure",
        control="unsure",
        capital_need="high",
        outside_investors="returns_only",
        surplus="by_capital",
        governance_ready="unsure",
    )
    shown = present(answers, verdict_for(answers, shared_kb), lang, shared_kb)
    options = SheetOptions("CDRQ", "Zébulon Q.", "x" * toolkit.MAX_PROJECT, "CP-AAAA-BBBB")
    _words, pages = pdf_text(build_sheet(shown, Translator(lang), options))
    assert pages <= 2


def test_every_question_and_choice_has_its_text_in_both_catalogues() -> None:
    from console.advisor.i18n import keys

    for lang in ("fr", "en"):
        have = keys(lang)
        for question in toolkit.QUESTIONS:
            assert f"screen.q.{question}" in have
        for question, values in toolkit.CHOICE_QUESTIONS.items():
            if question != "region_code":  # region names come from the knowledge base
                assert {f"screen.a.{question}.{v}" for v in values} <= have
        assert {f"screen.fit.{fit}" for fit in ("strong", "conditional", "weak")} <= have


def test_the_persons_export_lists_the_emailed_sheet_and_its_consent(dossiers) -> None:
    from privacy.export import export_person

    reference = dossiers["cdrq"]
    alice = Session("alice")
    body = {**WORKERS, "dossier": reference, "email": EMAIL, "consent": "1"}
    assert alice.post("/screenings/email", body).status_code == 303
    (dossier,) = export_person(reference=reference)["dossiers"]
    (sheet,) = dossier["orientation_sheets_emailed"]
    assert sheet["to"] == EMAIL and sheet["by"] == "alice" and sheet["language"] == "fr"
    assert sheet["consent_wording_version"]
