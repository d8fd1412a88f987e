"""Choosing by typing (issue 14): every screening question's button title, typed out in either
language, is read as the button's own answer ("By how much each member uses it", "Medium
($50,000 to $500,000)", "6 or more")."""

import re
from pathlib import Path

import pytest
import yaml

from screening import parsing

DOMAIN = Path(__file__).resolve().parents[2] / "bot" / "domain"
PARSERS = {
    "founders": parsing.parse_founders,
    "members": parsing.parse_members,
    "control": parsing.parse_control,
    "capital": parsing.parse_capital,
    "investors": parsing.parse_investors,
    "surplus": parsing.parse_surplus,
    "governance": parsing.parse_governance,
}


def _buttons() -> list[tuple[str, str, str, str]]:
    responses: dict = {}
    for path in sorted(DOMAIN.glob("*.yml")):
        responses.update(yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {})
    found = []
    for question in PARSERS:
        for variation in responses[f"utter_ask_screening_form_screening_{question}"]:
            language = variation["condition"][0]["value"]
            for button in variation.get("buttons") or []:
                chosen = re.search(r'"choice": *"([^"]+)"', button["payload"])
                code = chosen.group(1) if chosen else button["payload"]
                found.append((question, language, button["title"], code))
    return found


BUTTONS = _buttons()


def test_every_screening_question_with_buttons_is_checked():
    assert {question for question, *_ in BUTTONS} >= {"members", "control", "surplus"}
    assert {language for _, language, *_ in BUTTONS} == {"fr", "en"}


@pytest.mark.parametrize(("question", "language", "title", "code"), BUTTONS)
def test_a_typed_button_title_is_its_answer(question, language, title, code):
    assert str(PARSERS[question](title)) == code
