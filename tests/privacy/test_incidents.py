"""The confidentiality-incident register: every field of the regulation, checks, listing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from privacy.incidents import (
    InvalidIncidentError,
    get_incident,
    list_incidents,
    record_incident,
    update_incident,
)
from tests.privacy.conftest import Stores


def _incident(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "information_concerned": "Résumés de projet et courriels de 3 dossiers",
        "circumstances": "Export CSV envoyé par erreur à un autre organisme partenaire",
        "occurred_on": date(2026, 11, 20),
        "discovered_on": date(2026, 11, 22),
        "persons_concerned": 3,
        "risk_assessment": "Informations peu sensibles, destinataire de confiance, fichier "
        "supprimé : pas de risque de préjudice sérieux",
        "serious_injury_risk": False,
        "measures_taken": "Suppression confirmée par écrit; exports limités aux admins",
        "recorded_by": "admin-b",
    }
    fields.update(overrides)
    return fields


def test_record_and_list(stores: Stores) -> None:
    first = record_incident(**_incident())
    second = record_incident(
        **_incident(
            occurred_on=date(2026, 10, 1),
            occurred_until=date(2026, 10, 15),
            occurred_approximate=True,
            discovered_on=date(2026, 11, 25),
            persons_concerned=40,
            persons_approximate=True,
            serious_injury_risk=True,
            cai_notified_on=date(2026, 11, 26),
            persons_notified_on=date(2026, 11, 27),
            public_notice=True,
            public_notice_reason="Personnes injoignables individuellement",
        )
    )
    listed = list_incidents()
    assert [i.id for i in listed] == [second.id, first.id]
    assert listed[0].occurred_until == date(2026, 10, 15)
    assert listed[0].cai_notified_on == date(2026, 11, 26)
    assert listed[1].recorded_by == "admin-b"
    assert listed[1].as_dict()["discovered_on"] == "2026-11-22"
    assert get_incident(first.id) == first


def test_notices_are_added_later(stores: Stores) -> None:
    incident = record_incident(**_incident(serious_injury_risk=True))
    assert incident.cai_notified_on is None
    updated = update_incident(incident.id, cai_notified_on=date(2026, 11, 23))
    assert updated.cai_notified_on == date(2026, 11, 23)
    with pytest.raises(InvalidIncidentError) as error:
        update_incident(incident.id, recorded_by="someone")
    assert error.value.field == "recorded_by"
    with pytest.raises(LookupError):
        update_incident(999, measures_taken="x")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"information_concerned": "  "}, "information_concerned"),
        ({"measures_taken": ""}, "measures_taken"),
        ({"occurred_until": date(2026, 11, 1)}, "occurred_until"),
        ({"discovered_on": date(2026, 11, 1)}, "discovered_on"),
        ({"persons_concerned": -1}, "persons_concerned"),
        ({"cai_notified_on": date(2026, 11, 21)}, "cai_notified_on"),
        ({"public_notice": True}, "public_notice_reason"),
        ({"recorded_by": ""}, "recorded_by"),
    ],
)
def test_invalid_entries_name_the_field(
    sqlite_stores: Stores, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidIncidentError) as error:
        record_incident(**_incident(**overrides))
    assert error.value.field == field
    assert list_incidents() == []
