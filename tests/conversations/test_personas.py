"""Every persona file of every set present is valid, and its expected verdict is what the decision
table gives for its facts (the form's slots turned into answers by the action itself)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.actions.screening_form import FIELD_SLOTS
from bot.actions.screening_verdict import MINIMUMS_ENTRY, answers_from
from screening import Minimums, evaluate
from tests.conftest import make_tracker
from tests.conversations.personas import (
    PersonaError,
    load_persona,
    load_set,
    present_sets,
    set_dir,
)

SETS = present_sets()
FILES = [path for name in SETS for path in sorted(set_dir(name).glob("*.yml"))]


def _slots(facts) -> dict[str, str]:
    """The screening form's slots once the facts are answered, as the form stores them."""
    values = {
        "founders": None if facts.founders is None else str(facts.founders),
        "members": facts.members,
        "control": facts.control,
        "capital_need": facts.capital_need,
        "outside_investors": facts.outside_investors,
        "surplus": facts.surplus,
        "governance_ready": facts.governance_ready,
    }
    return {FIELD_SLOTS[field]: value for field, value in values.items()}


def test_the_development_set_is_there_in_both_languages():
    personas = load_set("dev")
    by_language = {lang: [p for p in personas if p.lang == lang] for lang in ("fr", "en")}
    assert len(by_language["fr"]) >= 10 and len(by_language["en"]) >= 10
    goals = {p.goal for p in personas}
    assert goals == {"screening", "handoff", "question", "screening_then_handoff"}


@pytest.mark.parametrize("name", SETS)
def test_every_file_of_the_set_loads(name):
    load_set(name)  # raises PersonaError naming each file and field


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_expected_verdict_is_the_decision_table_on_the_facts(path: Path, kb):
    persona = load_persona(path)
    if not persona.wants_screening:
        return
    minimums = Minimums.from_facts(kb.get(MINIMUMS_ENTRY).facts, MINIMUMS_ENTRY)
    answers = answers_from(make_tracker(slots=_slots(persona.final_facts())))
    verdict = evaluate(answers, minimums)
    expected = persona.expected
    got = (verdict.coop_fit, verdict.recommended_coop_type)
    assert got == (expected.coop_fit, expected.recommended_coop_type), (
        f"{path}: expected {expected.coop_fit}/{expected.recommended_coop_type} but the decision "
        f"table gives {got[0]}/{got[1]} (rows {verdict.rows})"
    )


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.yml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """
id: en-99-sample
lang: en
summary: a sample
goal: screening
opening: "is a co-op right for us?"
style: {buttons: never}
facts: {founders: 3, members: workers}
says:
  yes: ["sure"]
  no: ["nope"]
expected: {coop_fit: conditional, recommended_coop_type: travail}
"""


def test_a_minimal_file_loads_and_unquoted_yes_no_keys_are_words(tmp_path):
    persona = load_persona(_write(tmp_path, "en-99-sample", GOOD))
    assert persona.says_for("yes") == ["sure"] and persona.says_for("no") == ["nope"]
    assert persona.style.patience == 3


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (("members: workers", "members: staff"), "facts.members"),
        (("goal: screening", "goal: chat"), "goal"),
        (('no: ["nope"]', 'maybe: ["nope"]'), "says"),
        (("{coop_fit: conditional, ", "{"), "expected"),
        (("id: en-99-sample", "id: en-98-other"), "id"),
        (("style: {buttons: never}", "style: {buttons: often}"), "style.buttons"),
    ],
)
def test_a_broken_file_names_the_file_and_the_field(tmp_path, change, field):
    path = _write(tmp_path, "en-99-sample", GOOD.replace(*change))
    with pytest.raises(PersonaError) as raised:
        load_persona(path)
    assert str(path) in str(raised.value)
    assert any(problem.field == field for problem in raised.value.problems), str(raised.value)


def test_an_event_must_be_at_a_question_the_assistant_asks(tmp_path):
    text = GOOD + 'events:\n  - {at: favourite_colour, say: "blue"}\n'
    with pytest.raises(PersonaError) as raised:
        load_persona(_write(tmp_path, "en-99-sample", text))
    assert "events[0].at" in str(raised.value)


def test_a_correction_counts_for_the_expected_verdict(tmp_path):
    text = (
        GOOD + 'events:\n  - {at: control, say: "actually we are 2", correction: {founders: 2}}\n'
    )
    persona = load_persona(_write(tmp_path, "en-99-sample", text))
    assert persona.final_facts().founders == 2 and persona.facts.founders == 3


def test_a_contact_correction_may_be_partial(tmp_path):
    text = GOOD.replace("goal: screening", "goal: screening_then_handoff").replace(
        "facts: {founders: 3, members: workers}",
        "facts:\n  founders: 3\n  members: workers\n  contact: {consent_summary: true,"
        " consent_transcript: false, method: phone, phone: '514 555-0101',"
        " email: a@example.org}",
    )
    text = text.replace(
        "expected: {", "expected: {handoff: {consent_summary: true, consent_transcript: false}, "
    )
    text += (
        'events:\n  - {at: phone, say: "email me instead",'
        " correction: {contact: {method: email}}}\n"
    )
    persona = load_persona(_write(tmp_path, "en-99-sample", text))
    assert persona.final_facts().contact.method == "email"
