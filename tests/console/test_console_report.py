"""The handoff report: figures checked against a seeded database, access by organisation,
the chart (SVG drawn by matplotlib) and the CSV export; no personal data anywhere."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlalchemy import update

import appdb
from appdb import utcnow
from console.advisor import reports
from console.auth.sessions import Principal
from handoff import store
from handoff.models import AuditEvent, HandoffDossier
from tests.console.conftest import EMAIL, PROJECT, Session, create


def seed() -> dict[str, list[str]]:
    """cdrq: 3 dossiers (2 fr in region 06, 1 en in 03), promis: 2, shared queue: 1."""
    made = {
        "cdrq": [create(), create(), create(language="en", region_code="03", channel="telegram")],
        "promis": [create(organisation_key="promis"), create(organisation_key="promis")],
        "shared": [create(organisation_key="sans-console", region_code="05")],
    }
    created = {}
    with appdb.session_scope() as session:
        for reference in [r for refs in made.values() for r in refs]:
            dossier = session.query(HandoffDossier).filter_by(reference=reference).one()
            created[reference] = dossier.created_at
    # First contacts 2 h and 4 h after arrival for two cdrq dossiers (and a mere view: ignored).
    first, second, third = made["cdrq"]
    store.update_status(first, "in_progress", by="alice")
    store.add_note(second, "Appel fait", by="carole")
    store.get_dossier(third, viewer="alice")
    with appdb.session_scope() as session:
        for reference, hours in ((first, 2), (second, 4)):
            session.execute(
                update(AuditEvent)
                .where(AuditEvent.reference == reference)
                .values(at=created[reference] + timedelta(hours=hours))
            )
    store.record_outcome(first, referred_to=None, follow_up_date=None, by="a", outcome="referred")
    store.record_outcome(
        made["promis"][0], referred_to=None, follow_up_date=None, by="b", outcome="no_answer"
    )
    # The outcome events count as a contact too: put them after the first ones.
    with appdb.session_scope() as session:
        session.execute(
            update(AuditEvent)
            .where(AuditEvent.action == "outcome", AuditEvent.reference == first)
            .values(at=created[first] + timedelta(hours=30))
        )
    return made


def principal(username: str, org: str | None, admin: bool = False) -> Principal:
    return Principal(
        user_id=1,
        username=username,
        role="admin" if admin else "advisor",
        organisation_key=org,
        must_change_password=False,
    )


def test_figures_by_organisation_for_an_admin(people) -> None:
    seed()
    rows = {
        row.key: row
        for row in reports.handoff_report(principal("admin", None, True), "organisation")
    }
    assert {k: r.count for k, r in rows.items()} == {"cdrq": 3, "promis": 2, "sans-console": 1}
    cdrq = rows["cdrq"]
    assert cdrq.contacted == 2 and cdrq.median_hours == 3.0
    assert cdrq.outcomes == {"referred": 1, "none": 2}
    assert rows["promis"].outcomes == {"no_answer": 1, "none": 1}


def test_an_advisor_sees_only_their_organisations_figures(people) -> None:
    seed()
    alice = principal("alice", "cdrq")
    by_language = {r.key: r.count for r in reports.handoff_report(alice, "language")}
    assert by_language == {"fr": 2, "en": 1}
    by_region = {r.key: r.count for r in reports.handoff_report(alice, "region")}
    assert by_region == {"06": 2, "03": 1}
    by_channel = {r.key: r.count for r in reports.handoff_report(alice, "channel")}
    assert by_channel == {"rest": 2, "telegram": 1}

    page = Session("alice").get("/reports/handoffs?by=organisation").text
    assert "CDRQ" in page and "PROMIS" not in page and "3 dossiers" in page
    admin_page = Session("admin").get("/reports/handoffs").text
    assert "PROMIS" in admin_page and "6 dossiers" in admin_page


def test_chart_and_csv_hold_figures_and_no_personal_data(people) -> None:
    made = seed()
    alice = Session("alice")
    chart = alice.get("/reports/handoffs/chart.svg?by=organisation")
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/svg+xml"
    assert b"<svg" in chart.content and b"CDRQ" in chart.content
    exported = alice.get("/reports/handoffs.csv?by=language")
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == [
        "Langue",
        "Dossiers",
        "Contactés",
        "Délai médian du premier contact (heures)",
    ]
    assert rows[1][:4] == ["Français", "2", "2", "3,0"]
    assert rows[2][:3] == ["Anglais", "1", "0"]
    everything = exported.text + chart.text + alice.get("/reports/handoffs").text
    for secret in (EMAIL, PROJECT, *made["cdrq"]):
        assert secret not in everything


def test_date_filter(people) -> None:
    seed()
    admin = principal("admin", None, True)
    with appdb.session_scope() as session:
        session.execute(
            update(HandoffDossier)
            .where(HandoffDossier.organisation_key == "promis")
            .values(created_at=utcnow() - timedelta(days=40))
        )

    from datetime import date

    recent = reports.handoff_report(
        admin, "organisation", date_from=date.today() - timedelta(days=7)
    )
    assert {r.key for r in recent} == {"cdrq", "sans-console"}
