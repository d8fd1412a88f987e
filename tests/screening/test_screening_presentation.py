"""screening.present: the texts the chat and the console show for one verdict."""

import pytest

from screening import Answers
from screening.presentation import present, verdict_for

WORKERS = Answers(
    region_code="06",
    founders=3,
    members="workers",
    control="one_member_one_vote",
    capital_need="low",
    outside_investors="none",
    surplus="by_work",
    governance_ready="yes",
)


FRENCH = {
    "name": "une coopérative de travail",
    "meaning": "La coopérative de travail a pour but principal de donner du travail à ses membres.",
    "founders": "Vous êtes assez nombreux pour fonder ce type de coop (au moins 3, selon les",
    "next_step": "Contacter la CDRQ (Coopérative de développement régional du Québec), qui "
    "accompagne les projets de coop de l'idée à la constitution.",
}
ENGLISH = {
    "name": "a worker co-op",
    "meaning": "A worker co-op's main aim is to give its members work.",
    "founders": "There are enough of you to found this type of co-op (at least 3, under the",
    "next_step": "Contact the CDRQ (Coopérative de développement régional du Québec), which "
    "supports co-op projects from the idea to constitution.",
}


@pytest.mark.parametrize(("lang", "expected"), [("fr", FRENCH), ("en", ENGLISH)])
def test_a_worker_coop_is_explained_with_its_region_organisations(plain_kb, lang, expected):
    verdict = verdict_for(WORKERS, plain_kb)
    shown = present(WORKERS, verdict, lang, plain_kb)
    assert shown.coop_fit == "strong" and shown.coop_type == "travail"
    assert shown.coop_type_name == expected["name"]
    assert shown.coop_type_meaning.startswith(expected["meaning"])  # the entry's short text
    # One sentence per reason, in the person's language, the founders' minimum filled in.
    reasons = [r.text for r in shown.reasons]
    assert len(reasons) == len(verdict.reasons) == 9
    assert [r for r in reasons if r.startswith(expected["founders"])] == [reasons[2]]
    assert not any("{" in r for r in reasons)
    assert shown.next_steps == [expected["next_step"]]
    ids = [r.id for r in shown.resources]
    assert ids[0] == "cdrq-montreal-laval"  # local ones first
    assert all("cooperative" in r.needs for r in shown.resources)
    assert "06" in shown.region_name
    assert any("economie.gouv.qc.ca" in s.url for s in shown.sources)


def test_control_by_capital_recommends_no_type(plain_kb):
    answers = Answers(founders=1, control="proportional_to_capital")
    shown = present(answers, verdict_for(answers, plain_kb), "en", plain_kb)
    assert shown.coop_fit == "weak"
    assert shown.coop_type_name is None and shown.coop_type_meaning is None
    assert shown.region_name is None
    assert all("all" in r.regions for r in shown.resources)
