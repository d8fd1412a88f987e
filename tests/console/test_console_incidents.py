"""The register of confidentiality incidents in the console (admins only): record one, refuse
a faulty form with the message next to the field and nothing stored, list the most recently
discovered first, and complete an entry later."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from sqlalchemy import select

import appdb
from console.advisor import pages_incidents
from handoff.models import AuditEvent
from privacy.incidents import get_incident, list_incidents
from tests.console.conftest import Session


def form(**overrides: str) -> dict[str, str]:
    fields = {
        "information_concerned": "Résumés de projet et courriels de 3 dossiers",
        "circumstances": "Export CSV envoyé par erreur à un autre organisme partenaire",
        "occurred_on": "2026-11-20",
        "occurred_until": "",
        "discovered_on": "2026-11-22",
        "discovered_until": "",
        "persons_concerned": "3",
        "risk_assessment": "Renseignements peu sensibles, destinataire de confiance, fichier "
        "supprimé : pas de risque de préjudice sérieux",
        "measures_taken": "Suppression confirmée par écrit; exports limités aux admins",
        "cai_notified_on": "",
        "persons_notified_on": "",
        "public_notice_reason": "",
    }
    fields.update(overrides)
    return {name: value for name, value in fields.items() if value is not None}


def incident_id(response) -> int:
    assert response.status_code == 303, response.text
    match = re.fullmatch(
        r"/admin/incidents/(\d+)\?done=(recorded|updated)", response.headers["location"]
    )
    assert match, response.headers["location"]
    return int(match.group(1))


def audit_actions() -> list[tuple[str, str, dict | None]]:
    with appdb.session_scope() as session:
        rows = session.execute(
            select(AuditEvent.actor, AuditEvent.action, AuditEvent.details)
            .where(AuditEvent.action.like("incident_%"))
            .order_by(AuditEvent.id)
        ).all()
    return [tuple(row) for row in rows]


def test_record_an_incident_with_every_field(people) -> None:
    admin = Session("admin")
    data = form(
        occurred_until="2026-11-21",
        occurred_approximate="1",
        discovered_until="2026-11-23",
        persons_concerned="40",
        persons_approximate="1",
        serious_injury_risk="1",
        cai_notified_on="2026-11-24",
        persons_notified_on="2026-11-25",
        public_notice="1",
        public_notice_reason="Personnes injoignables individuellement",
    )
    number = incident_id(admin.post("/admin/incidents", data))
    incident = get_incident(number)
    assert incident.recorded_by == "admin"
    assert incident.information_concerned == data["information_concerned"]
    assert (incident.occurred_on, incident.occurred_until) == (
        date(2026, 11, 20),
        date(2026, 11, 21),
    )
    assert incident.discovered_until == date(2026, 11, 23)
    assert incident.occurred_approximate and incident.persons_approximate
    assert incident.persons_concerned == 40 and incident.serious_injury_risk
    assert incident.cai_notified_on == date(2026, 11, 24)
    assert incident.persons_notified_on == date(2026, 11, 25)
    assert incident.public_notice and incident.public_notice_reason == data["public_notice_reason"]
    page = admin.get(f"/admin/incidents/{number}?done=recorded")
    assert page.status_code == 200
    assert "Incident inscrit au registre." in page.text and 'role="status"' in page.text
    assert 'name="cai_notified_on" value="2026-11-24"' in page.text
    assert 'id="inc-public_notice" name="public_notice" value="1" checked' in page.text
    # The trail says who recorded which entry, not what it says.
    assert audit_actions() == [("admin", "incident_recorded", {"incident_id": number})]


def test_unticked_boxes_and_empty_dates_are_recorded_as_such(people) -> None:
    number = incident_id(Session("admin").post("/admin/incidents", form()))
    incident = get_incident(number)
    assert not incident.serious_injury_risk and not incident.public_notice
    assert incident.occurred_until is None and incident.cai_notified_on is None
    assert incident.public_notice_reason is None


INVALID = [
    ({"circumstances": "  "}, "circumstances", "Ce champ est obligatoire."),
    ({"information_concerned": ""}, "information_concerned", "Ce champ est obligatoire."),
    ({"occurred_on": ""}, "occurred_on", "Inscrivez une date"),
    ({"occurred_on": "2026-13-40"}, "occurred_on", "Ce n'est pas une date valide."),
    ({"discovered_on": "2026-11-01"}, "discovered_on", "constaté avant d'avoir eu lieu"),
    ({"occurred_until": "2026-11-01"}, "occurred_until", "ne peut pas précéder son début"),
    ({"persons_concerned": "beaucoup"}, "persons_concerned", "Inscrivez un nombre de personnes"),
    ({"persons_concerned": "-2"}, "persons_concerned", "Inscrivez un nombre de personnes"),
    ({"cai_notified_on": "2026-11-21"}, "cai_notified_on", "Un avis ne peut pas précéder"),
    ({"public_notice": "1"}, "public_notice_reason", "Expliquez pourquoi un avis public"),
    ({"measures_taken": "x" * 10_001}, "measures_taken", "trop long"),
]


@pytest.mark.parametrize(("changes", "field", "message"), INVALID)
def test_a_faulty_form_is_refused_next_to_the_field(people, changes, field, message) -> None:
    response = Session("admin").post("/admin/incidents", form(**changes))
    assert response.status_code == 400
    page = response.text
    error = re.search(rf'<p class="field-error" id="inc-{field}-error">([^<]*)</p>', page)
    assert error and message in html.unescape(error.group(1))
    control = re.search(rf'<(?:input|textarea)[^>]* id="inc-{field}"[^>]*>', page)
    assert control, field
    assert f"inc-{field}-error" in control.group(0) and 'aria-invalid="true"' in control.group(0)
    assert f'href="#inc-{field}"' in page  # the summary at the top leads to the field
    # The rest of what was typed is still there.
    kept = "measures_taken" if field != "measures_taken" else "circumstances"
    assert form()[kept] in html.unescape(page)
    assert list_incidents() == [] and audit_actions() == []


def test_every_problem_of_the_register_has_a_message(people) -> None:
    """Each problem code of the register has its own message: none falls back to the generic
    one (a code missing from the catalogues would, and this test would reveal it)."""
    from privacy.errors import INCIDENT_PROBLEMS

    for changes, _field, _message in INVALID:
        response = Session("admin").post("/admin/incidents", form(**changes))
        assert "Une valeur n'a pas été acceptée" not in html.unescape(response.text), changes
    assert set(INCIDENT_PROBLEMS) <= set(pages_incidents.PROBLEM_CODES)


def test_the_list_shows_the_most_recently_discovered_first(people) -> None:
    admin = Session("admin")
    older = incident_id(admin.post("/admin/incidents", form(discovered_on="2026-11-22")))
    newer = incident_id(
        admin.post(
            "/admin/incidents",
            form(occurred_on="2026-12-01", discovered_on="2026-12-03", persons_concerned="12"),
        )
    )
    oldest = incident_id(
        admin.post("/admin/incidents", form(occurred_on="2026-01-05", discovered_on="2026-01-06"))
    )
    page = admin.get("/admin/incidents").text
    listed = [int(n) for n in re.findall(r'<a href="/admin/incidents/(\d+)">', page)]
    assert listed == [newer, older, oldest]
    assert "Incident nº" in page and "Personnes concernées" in page


def test_an_entry_is_completed_later(people) -> None:
    admin = Session("admin")
    number = incident_id(admin.post("/admin/incidents", form()))
    later = form(
        serious_injury_risk="1",
        cai_notified_on="2026-11-24",
        persons_notified_on="2026-11-26",
        measures_taken="Suppression confirmée; avis envoyés; exports limités aux admins",
    )
    assert incident_id(admin.post(f"/admin/incidents/{number}", later)) == number
    incident = get_incident(number)
    assert incident.serious_injury_risk
    assert (incident.cai_notified_on, incident.persons_notified_on) == (
        date(2026, 11, 24),
        date(2026, 11, 26),
    )
    assert incident.measures_taken.startswith("Suppression confirmée; avis envoyés")
    assert incident.recorded_by == "admin"
    page = admin.get(f"/admin/incidents/{number}?done=updated").text
    assert "Incident mis à jour." in page
    assert [action for _actor, action, _details in audit_actions()] == [
        "incident_recorded",
        "incident_updated",
    ]


def test_a_faulty_change_keeps_the_entry_as_it_was(people) -> None:
    admin = Session("admin")
    number = incident_id(admin.post("/admin/incidents", form()))
    response = admin.post(f"/admin/incidents/{number}", form(persons_notified_on="2026-11-01"))
    assert response.status_code == 400
    assert 'id="inc-persons_notified_on-error"' in response.text
    assert 'value="2026-11-01"' in response.text  # refilled with what was typed
    assert get_incident(number).persons_notified_on is None


@pytest.mark.parametrize("number", ["999", "abc", "-1"])
def test_an_unknown_incident_is_not_found(people, number: str) -> None:
    admin = Session("admin")
    assert admin.get(f"/admin/incidents/{number}").status_code == 404
    assert admin.post(f"/admin/incidents/{number}", form()).status_code == 404


def test_labels_say_what_each_field_means_in_both_languages(people) -> None:
    admin = Session("admin")
    french = html.unescape(admin.get("/admin/incidents").text)
    for label in (
        "Renseignements personnels visés",
        "Nombre de personnes concernées",
        "Date de l'avis à la Commission d'accès à l'information",
        "Mesures prises pour diminuer les risques de préjudice",
    ):
        assert label in french
    english = html.unescape(admin.get("/admin/incidents?lang=en").text)
    assert "Number of persons concerned" in english
    assert "Date the notice was sent to the Commission d'accès à l'information" in english
    # Every control has its label.
    for control in re.findall(r'<(?:input|textarea)[^>]* id="(inc-[a-z_]+)"', french):
        assert f'<label for="{control}">' in french, control
