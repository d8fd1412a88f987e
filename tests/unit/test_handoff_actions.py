"""Handoff form validators and helpers, with tracker fixtures (no network, no database)."""

import pytest

from bot.actions.handoff_flow import (
    ValidateHandoffForm,
    consent_wording_version,
    trigger_of,
)
from tests.conftest import make_tracker


@pytest.mark.parametrize(
    ("text", "need"),
    [
        ("cooperative", "cooperative"),
        ("mon projet de coopérative", "cooperative"),
        ("my co-op project", "cooperative"),
        ("m'installer et trouver un emploi", "integration"),
        ("settling in, finding a job", "integration"),
        ("blah", None),
    ],
)
async def test_need(dispatcher, text, need):
    result = await ValidateHandoffForm().validate_handoff_need(text, dispatcher, None, {})
    assert result == {"handoff_need": need}
    assert bool(dispatcher.messages) == (need is None)


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("15-35", "15-35"),
        ("36+", "36+"),
        ("unsaid", "unsaid"),
        ("j'ai 28 ans", "15-35"),
        ("I'm 52", "36+"),
        ("jeune", None),
        ("3 ou 4", None),
    ],
)
async def test_age_group(dispatcher, text, group):
    result = await ValidateHandoffForm().validate_handoff_age_group(text, dispatcher, None, {})
    assert result == {"handoff_age_group": group}


@pytest.mark.parametrize(
    ("method", "value", "stored"),
    [
        ("email", "nadia.exemple@courriel.ca", "nadia.exemple@courriel.ca"),
        ("phone", "(514) 555-0199", "+15145550199"),
        ("email", "pas une adresse", None),
        ("phone", "555-01", None),
    ],
)
async def test_contact_value(dispatcher, method, value, stored):
    tracker = make_tracker(slots={"handoff_contact_method": method})
    result = await ValidateHandoffForm().validate_handoff_contact_value(
        value, dispatcher, tracker, {}
    )
    assert result == {"handoff_contact_value": stored}


def test_consent_version_changes_with_the_wording():
    domain = {"responses": {"utter_handoff_explain": [{"text": "A"}]}}
    changed = {"responses": {"utter_handoff_explain": [{"text": "B"}]}}
    assert consent_wording_version(domain) != consent_wording_version(changed)
    assert consent_wording_version(domain) == consent_wording_version(domain)


def test_trigger_after_a_screening_notice():
    tracker = make_tracker()
    tracker.events = [
        {"event": "user", "text": "oui"},
        {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_screening_notice"}},
        {"event": "user", "text": "/request_human"},
    ]
    assert trigger_of(tracker) == "after_screening"
    tracker.events[1]["metadata"]["utter_action"] = "utter_offer_human"
    assert trigger_of(tracker) == "sensitive_topic"
    tracker.events[1]["metadata"]["utter_action"] = "utter_greet"
    assert trigger_of(tracker) == "user_request"
