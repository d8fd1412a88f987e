"""The decision table applied to answers: every row, type and verdict, minimums at the boundary."""

from __future__ import annotations

import itertools
import json

import pytest

from screening import Answers, Minimums, evaluate, summary
from screening.answers import CHOICES
from screening.table import default_table

KB_ENTRY = "minimum-founding-members"
MINIMUMS = Minimums.from_facts({"min_founders": {"general": 5, "travail": 3}}, KB_ENTRY)

# Everything a co-op asks for, with a worker co-op: the strong baseline the cases change.
BASE = {
    "founders": 5,
    "members": "workers",
    "control": "one_member_one_vote",
    "capital_need": "low",
    "outside_investors": "none",
    "surplus": "by_use",
    "governance_ready": "yes",
}


def answers(**changes) -> Answers:
    return Answers(**{**BASE, **changes})


# (case id, changes to BASE, coop_fit, recommended_coop_type, rows that must match,
#  next steps that must be listed, fields to settle (exact list))
CASES = [
    (
        "worker coop, all fits",
        {},
        "strong",
        "travail",
        [
            "members_workers",
            "founders_enough",
            "control_one_member_one_vote",
            "investors_none",
            "capital_modest",
            "surplus_by_use",
            "governance_ready",
        ],
        ["contact_cdrq"],
        [],
    ),
    ("consumer coop", {"members": "users"}, "strong", "consommateurs", ["members_users"], [], []),
    (
        "producer coop",
        {"members": "producers"},
        "strong",
        "producteurs",
        ["members_producers", "minimum_to_confirm"],
        ["contact_cdrq"],
        [],
    ),
    (
        "worker-shareholder coop",
        {"members": "employees_buying_in"},
        "strong",
        "travailleurs_actionnaires",
        ["members_employees_buying_in", "minimum_to_confirm"],
        [],
        [],
    ),
    (
        "solidarity coop",
        {"members": "mix"},
        "strong",
        "solidarite",
        ["members_mix", "minimum_to_confirm"],
        [],
        [],
    ),
    # Minimums at the boundary: travail has its own 3, the others take the general 5.
    (
        "worker coop, 3 founders = minimum",
        {"founders": 3},
        "strong",
        "travail",
        ["founders_enough"],
        [],
        [],
    ),
    (
        "worker coop, 2 founders < 3",
        {"founders": 2},
        "conditional",
        "travail",
        ["founders_below_minimum"],
        ["find_partners", "contact_cdrq"],
        [],
    ),
    (
        "consumer coop, 5 founders = minimum",
        {"members": "users", "founders": 5},
        "strong",
        "consommateurs",
        ["founders_enough"],
        [],
        [],
    ),
    (
        "consumer coop, 4 founders < 5",
        {"members": "users", "founders": 4},
        "conditional",
        "consommateurs",
        ["founders_below_minimum"],
        ["find_partners"],
        [],
    ),
    (
        "consumer coop, 3 founders (enough for travail only)",
        {"members": "users", "founders": 3},
        "conditional",
        "consommateurs",
        ["founders_below_minimum"],
        ["find_partners"],
        [],
    ),
    (
        "producer coop, 4 founders < general 5",
        {"members": "producers", "founders": 4},
        "conditional",
        "producteurs",
        ["founders_below_minimum", "minimum_to_confirm"],
        ["find_partners", "contact_cdrq"],
        [],
    ),
    (
        "worker-shareholder coop, 4 founders",
        {"members": "employees_buying_in", "founders": 4},
        "conditional",
        "travailleurs_actionnaires",
        ["founders_below_minimum"],
        ["find_partners"],
        [],
    ),
    (
        "solidarity coop, 4 founders",
        {"members": "mix", "founders": 4},
        "conditional",
        "solidarite",
        ["founders_below_minimum"],
        ["find_partners"],
        [],
    ),
    (
        "solidarity coop, 12 founders",
        {"members": "mix", "founders": 12},
        "strong",
        "solidarite",
        ["founders_enough"],
        [],
        [],
    ),
    (
        "alone",
        {"founders": 1},
        "conditional",
        "travail",
        # Founding alone says it all: not also "there are 1 of you, below the minimum".
        ["founding_alone"],
        ["find_partners", "compare_legal_forms"],
        [],
    ),
    (
        "founders not known",
        {"founders": None},
        "conditional",
        "travail",
        ["founders_unknown"],
        [],
        ["founders"],
    ),
    (
        "members unsure",
        {"members": "unsure"},
        "conditional",
        "none",
        ["members_unsure"],
        ["settle_member_type"],
        ["members"],
    ),
    (
        "members not answered",
        {"members": None},
        "conditional",
        "none",
        ["members_unsure"],
        ["settle_member_type"],
        ["members"],
    ),
    (
        "members unsure, 2 founders: below every minimum",
        {"members": "unsure", "founders": 2},
        "conditional",
        "none",
        ["members_unsure", "founders_below_minimum"],
        ["find_partners"],
        ["members"],
    ),
    (
        "members unsure, 3 founders: enough for some type",
        {"members": "unsure", "founders": 3},
        "conditional",
        "none",
        ["members_unsure", "founders_enough"],
        [],
        ["members"],
    ),
    (
        "control by capital",
        {"control": "proportional_to_capital"},
        "weak",
        "none",
        ["control_by_capital"],
        ["consider_business_corporation", "compare_legal_forms"],
        [],
    ),
    (
        "investors want control",
        {"outside_investors": "want_control"},
        "weak",
        "none",
        ["investors_want_control"],
        ["consider_business_corporation"],
        [],
    ),
    (
        "investors want control, consumer coop",
        {"members": "users", "outside_investors": "want_control"},
        "weak",
        "none",
        ["investors_want_control"],
        [],
        [],
    ),
    (
        "investors for returns only",
        {"outside_investors": "returns_only"},
        "conditional",
        "travail",
        ["investors_returns_only"],
        ["explore_financing"],
        [],
    ),
    (
        "investors for returns, surpluses by capital",
        {"outside_investors": "returns_only", "surplus": "by_capital"},
        "weak",
        "none",
        ["investors_returns_on_capital", "investors_returns_only", "surplus_by_capital"],
        ["consider_business_corporation"],
        [],
    ),
    (
        "contradiction: workers with surpluses by capital",
        {"surplus": "by_capital"},
        "conditional",
        "travail",
        ["surplus_by_capital", "members_workers"],
        ["compare_legal_forms"],
        [],
    ),
    (
        "worker coop sharing by work",
        {"surplus": "by_work"},
        "strong",
        "travail",
        ["surplus_by_work_with_workers"],
        [],
        [],
    ),
    (
        "solidarity coop sharing by work",
        {"members": "mix", "surplus": "by_work"},
        "strong",
        "solidarite",
        ["surplus_by_work_with_workers"],
        [],
        [],
    ),
    (
        "worker-shareholders sharing by work",
        {"members": "employees_buying_in", "surplus": "by_work"},
        "strong",
        "travailleurs_actionnaires",
        ["surplus_by_work_with_workers"],
        [],
        [],
    ),
    (
        "contradiction: consumers sharing by work",
        {"members": "users", "surplus": "by_work"},
        "conditional",
        "consommateurs",
        ["surplus_by_work_without_workers"],
        ["talk_to_advisor"],
        [],
    ),
    (
        "contradiction: producers sharing by work",
        {"members": "producers", "surplus": "by_work"},
        "conditional",
        "producteurs",
        ["surplus_by_work_without_workers"],
        [],
        [],
    ),
    (
        "not ready for governance",
        {"governance_ready": "no"},
        "conditional",
        "travail",
        ["governance_not_ready"],
        ["prepare_governance"],
        [],
    ),
    (
        "governance unsure",
        {"governance_ready": "unsure"},
        "conditional",
        "travail",
        ["governance_unsure"],
        ["prepare_governance"],
        ["governance_ready"],
    ),
    (
        "control unsure",
        {"control": "unsure"},
        "conditional",
        "travail",
        ["control_unsure"],
        [],
        ["control"],
    ),
    (
        "capital unsure",
        {"capital_need": "unsure"},
        "conditional",
        "travail",
        ["capital_unsure"],
        ["explore_financing"],
        ["capital_need"],
    ),
    (
        "investors unsure",
        {"outside_investors": "unsure"},
        "conditional",
        "travail",
        ["investors_unsure"],
        ["explore_financing"],
        ["outside_investors"],
    ),
    (
        "surplus unsure",
        {"surplus": "unsure"},
        "conditional",
        "travail",
        ["surplus_unsure"],
        [],
        ["surplus"],
    ),
    ("medium capital", {"capital_need": "medium"}, "strong", "travail", ["capital_modest"], [], []),
    (
        "high capital, no investors: a note only",
        {"capital_need": "high"},
        "strong",
        "travail",
        ["capital_high_without_investors"],
        ["explore_financing"],
        [],
    ),
    (
        "high capital with lenders",
        {"capital_need": "high", "outside_investors": "returns_only"},
        "conditional",
        "travail",
        ["investors_returns_only"],
        [],
        [],
    ),
    (
        "weak wins over conditional",
        {"control": "proportional_to_capital", "founders": 2, "governance_ready": "no"},
        "weak",
        "none",
        ["control_by_capital", "founders_below_minimum", "governance_not_ready"],
        # A co-op is not recommended: no "find partners for the co-op" (not_when_weak).
        ["consider_business_corporation", "compare_legal_forms", "talk_to_advisor"],
        [],
    ),
    (
        "control by capital, members unsure",
        {"control": "proportional_to_capital", "members": "unsure"},
        "weak",
        "none",
        ["control_by_capital", "members_unsure"],
        [],
        ["members"],
    ),
    (
        "several open questions",
        {"members": "mix", "control": "unsure", "surplus": "unsure"},
        "conditional",
        "solidarite",
        ["control_unsure", "surplus_unsure"],
        [],
        ["control", "surplus"],
    ),
    (
        "nothing answered",
        {k: None for k in BASE},
        "conditional",
        "none",
        ["founders_unknown", "members_unsure", "governance_unsure"],
        [],
        [
            "founders",
            "members",
            "control",
            "outside_investors",
            "capital_need",
            "surplus",
            "governance_ready",
        ],
    ),
]


@pytest.mark.parametrize(
    ("changes", "fit", "coop_type", "rows", "steps", "to_settle"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_verdict(changes, fit, coop_type, rows, steps, to_settle):
    verdict = evaluate(answers(**changes), MINIMUMS)
    assert verdict.coop_fit == fit
    assert verdict.recommended_coop_type == coop_type
    assert set(rows) <= set(verdict.rows), verdict.rows
    if "founding_alone" in verdict.rows:
        assert "founders_below_minimum" not in verdict.rows
    assert set(steps) <= set(verdict.next_steps), verdict.next_steps
    if fit == "weak":
        assert not set(verdict.next_steps) & {"find_partners", "prepare_governance"}
    assert verdict.to_settle == to_settle


def test_every_row_is_reached_by_the_cases():
    reached = {row for case in CASES for row in evaluate(answers(**case[1]), MINIMUMS).rows}
    never = [row.id for row in default_table().rows if row.id not in reached]
    assert never == [], f"rows no case reaches: {never}"


def test_every_type_and_verdict_is_covered():
    verdicts = [evaluate(answers(**case[1]), MINIMUMS) for case in CASES]
    assert {v.coop_fit for v in verdicts} == {"strong", "conditional", "weak"}
    assert {v.recommended_coop_type for v in verdicts} == {
        "travail",
        "travailleurs_actionnaires",
        "producteurs",
        "consommateurs",
        "solidarite",
        "none",
    }


def test_weak_verdict_keeps_the_type_the_members_point_to():
    verdict = evaluate(answers(control="proportional_to_capital", members="mix"), MINIMUMS)
    assert (verdict.recommended_coop_type, verdict.type_from_members) == ("none", "solidarite")


def test_reasons_cite_the_answer_and_the_legal_entry():
    verdict = evaluate(answers(control="proportional_to_capital", founders=2), MINIMUMS)
    by_code = {r.code: r for r in verdict.reasons}
    assert by_code["control_by_capital"].field == "control"
    assert by_code["control_by_capital"].kb_entry == "one-member-one-vote"
    assert by_code["control_by_capital"].effect == "against"
    assert by_code["founders_below_minimum"].kb_entry == "minimum-founding-members"
    assert by_code["founders_below_minimum"].effect == "condition"
    assert by_code["members_are_workers"].effect == "fits"
    # the same reason given by two rows appears once
    codes = [(r.code, r.field) for r in verdict.reasons]
    assert len(codes) == len(set(codes))


def test_founders_minimum_applied_is_reported():
    verdict = evaluate(answers(members="producers", founders=4), MINIMUMS)
    minimum = verdict.founders_minimum
    assert minimum is not None
    assert (minimum.coop_type, minimum.count, minimum.to_confirm, minimum.kb_entry) == (
        "producteurs",
        5,
        True,
        KB_ENTRY,
    )


@pytest.mark.parametrize(
    ("facts", "founders", "fit"),
    [
        ({"general": 5}, 3, "conditional"),  # no sourced travail figure: general 5, to confirm
        ({"general": 5, "travail": 3}, 3, "strong"),
        ({"general": 3}, 3, "strong"),
        ({"general": 5, "travail": 4}, 3, "conditional"),
    ],
)
def test_minimums_come_from_the_facts(facts, founders, fit):
    minimums = Minimums.from_facts({"min_founders": facts}, KB_ENTRY)
    assert evaluate(answers(founders=founders), minimums).coop_fit == fit


def test_from_facts_marks_fallbacks_to_confirm():
    by_type = MINIMUMS.by_type
    assert (by_type["travail"].count, by_type["travail"].to_confirm) == (3, False)
    assert (by_type["solidarite"].count, by_type["solidarite"].to_confirm) == (5, True)
    assert MINIMUMS.general.to_confirm is False
    assert MINIMUMS.for_type("none").count == 3


@pytest.mark.parametrize(
    "facts",
    [
        {},
        {"min_founders": {"travail": 3}},
        {"min_founders": {"general": 0}},
        {"min_founders": {"general": "5"}},
        {"min_founders": {"general": 5, "housing": 3}},
        {"min_founders": {"general": True}},
    ],
)
def test_from_facts_refuses_bad_facts(facts):
    with pytest.raises(ValueError, match=KB_ENTRY):
        Minimums.from_facts(facts, KB_ENTRY)


@pytest.mark.parametrize(
    "values",
    [
        {"members": "workerz"},
        {"founders": 0},
        {"founders": True},
        {"region_code": "18"},
        {"governance_ready": True},
    ],
)
def test_answers_refuse_values_outside_the_codes(values):
    with pytest.raises(ValueError):
        Answers(**values)


def test_every_answer_combination_reaches_a_coherent_verdict():
    fields = list(CHOICES)
    for combo in itertools.product(*(CHOICES[f] for f in fields), (None, 1, 2, 3, 5)):
        given = Answers(**dict(zip(fields, combo[:-1], strict=True)), founders=combo[-1])
        verdict = evaluate(given, MINIMUMS)
        unsure = [f for f in fields if getattr(given, f) == "unsure"]
        if verdict.coop_fit == "weak":
            assert verdict.recommended_coop_type == "none"
        if verdict.coop_fit == "strong":
            assert verdict.recommended_coop_type != "none" and not verdict.to_settle
        assert set(unsure) <= set(verdict.to_settle)
        if unsure or given.founders is None:
            assert verdict.coop_fit != "strong"
        if "proportional_to_capital" in combo or "want_control" in combo:
            assert verdict.coop_fit == "weak"


def test_summary_is_json_and_records_the_factors():
    given = answers(founders=2, project="Café", region_code="06")
    verdict = evaluate(given, MINIMUMS)
    record = summary(given, verdict, typed={"founders": "moi et un ami"})
    restored = json.loads(json.dumps(record))
    assert restored["answers"]["founders"] == 2
    assert restored["typed"] == {"founders": "moi et un ami"}
    assert restored["verdict"]["coop_fit"] == "conditional"
    assert restored["verdict"]["rows"] == verdict.rows
    assert restored["table_version"] == default_table().version
    assert restored["kind"] == "automated_first_assessment"


def test_answers_from_slots_ignore_other_slots():
    given = Answers.from_dict({"members": "users", "language": "fr", "requested_slot": "x"})
    assert given.members == "users" and given.as_dict()["founders"] is None
