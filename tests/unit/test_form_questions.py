"""Each custom question action is the one Rasa's forms actually call.

Rasa 3.6 asks for a slot with the first of ``action_ask_<form>_<slot>``,
``utter_ask_<form>_<slot>``, ``action_ask_<slot>``, ``utter_ask_<slot>`` found in the domain: an
``action_ask_<slot>`` beside an ``utter_ask_<form>_<slot>`` is never called (the confirmation of a
number of founders or a place already given, and "the other contact method", were silently dead).
"""

from pathlib import Path

import pytest
from rasa.core.actions.forms import FormAction
from rasa.shared.core.domain import Domain

DOMAIN = Path(__file__).resolve().parents[2] / "bot" / "domain"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(DOMAIN))


@pytest.mark.parametrize(
    ("form", "slot", "action"),
    [
        ("screening_form", "screening_founders", "action_ask_screening_form_screening_founders"),
        ("screening_form", "screening_region", "action_ask_screening_form_screening_region"),
        ("screening_form", "screening_sector", "action_ask_screening_form_screening_sector"),
        (
            "handoff_form",
            "handoff_contact_method",
            "action_ask_handoff_form_handoff_contact_method",
        ),
        ("handoff_form", "handoff_contact_value", "action_ask_handoff_contact_value"),
        ("match_profile_form", "match_consent", "action_ask_match_consent"),
    ],
)
def test_the_custom_question_is_the_one_asked(domain, form, slot, action):
    asked = FormAction(form, None)._name_of_utterance(domain, slot)
    assert asked == action
