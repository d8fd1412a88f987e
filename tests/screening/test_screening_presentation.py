"""screening.present: the texts the chat and the console show for one verdict."""

import pytest

from screening import Answers
from screening.presentation import present, verdict_for
from screening.texts import text

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


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_worker_coop_is_explained_with_its_region_organisations(plain_kb, lang):
    verdict = verdict_for(WORKERS, plain_kb)
    shown = present(WORKERS, verdict, lang, plain_kb)
    assert shown.coop_fit == "strong" and shown.coop_type == "travail"
    assert shown.coop_type_name == text("coop_types", "travail", lang)
    assert shown.coop_type_meaning == plain_kb.get("coop-types-worker").text("short", lang)
    assert [r.text for r in shown.reasons] == [
        text("reasons", r.code, lang, minimum=verdict.founders_minimum.count, founders=3)
        for r in verdict.reasons
    ]
    assert shown.next_steps == [text("next_steps", c, lang) for c in verdict.next_steps]
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
