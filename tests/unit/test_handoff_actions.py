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
        ("we're taxi drivers who want to team up and share a dispatch", "cooperative"),
        ("nous voulons démarrer un atelier ensemble; conseils pour commencer", "cooperative"),
        ("blah", None),
    ],
)
async def test_need(dispatcher, text, need):
    result = await ValidateHandoffForm().validate_handoff_need(text, dispatcher, make_tracker(), {})
    assert result["handoff_need"] == need
    assert bool(dispatcher.messages) == (need is None)


async def test_a_need_not_read_twice_takes_the_default_and_says_so(dispatcher):
    tracker = make_tracker(slots={"form_failures": {"handoff_need": 1}})
    result = await ValidateHandoffForm().validate_handoff_need("blah", dispatcher, tracker, {})
    assert result["handoff_need"] == "cooperative"
    assert dispatcher.messages[-1]["response"] == "utter_handoff_need_taken_as_default"


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
        ("email", "nadia point exemple", None),
        ("email", "not-an-email", None),
        ("phone", "555-01", None),
        # inside a sentence
        ("email", "sure, it's nadia.exemple@courriel.ca", "nadia.exemple@courriel.ca"),
        ("phone", "mon numéro c'est le 514 555-0199 svp", "+15145550199"),
    ],
)
async def test_contact_value(dispatcher, method, value, stored):
    tracker = make_tracker(slots={"handoff_contact_method": method})
    result = await ValidateHandoffForm().validate_handoff_contact_value(
        value, dispatcher, tracker, {}
    )
    assert result == {"handoff_contact_value": stored}


@pytest.mark.parametrize(
    ("text", "now"),
    [
        (
            "ah non laissez faire, finalement je préfère pas donner mon numéro. "
            "écrivez-moi par courriel plutôt",
            "email",
        ),
        ("I'd rather not give my phone, email me instead", "email"),
        ("actually no phone please", None),
    ],
)
async def test_a_change_of_mind_instead_of_the_number(dispatcher, text, now):
    tracker = make_tracker(slots={"handoff_contact_method": "phone"})
    result = await ValidateHandoffForm().validate_handoff_contact_value(
        text, dispatcher, tracker, {}
    )
    assert result == {
        "handoff_contact_method": now,
        "handoff_refused_method": "phone",
        "handoff_contact_value": None,
    }
    assert dispatcher.messages == []  # the form asks the other way (or none) next


@pytest.mark.parametrize(
    ("text", "method", "value"),
    [
        ("email then: ada.o@example.org", "email", "ada.o@example.org"),
        ("par téléphone, au 514 555-0199", "phone", "+15145550199"),
        ("by email please", "email", None),
    ],
)
async def test_a_contact_given_with_the_method_is_not_asked_again(dispatcher, text, method, value):
    tracker = make_tracker(slots={})
    result = await ValidateHandoffForm().validate_handoff_contact_method(
        text, dispatcher, tracker, {}
    )
    assert result["handoff_contact_method"] == method
    assert result.get("handoff_contact_value") == value


@pytest.mark.parametrize(
    ("method", "text", "said"),
    [
        ("phone", "819 555 0142 after 5pm", "after 5pm"),
        ("email", "ada@exemple.ca, le soir de préférence", "le soir de préférence"),
        ("phone", "514-555-0190 en semaine entre 9h et 17h", "en semaine entre 9h et 17h"),
        ("phone", "my number is 819 555 0142, I am Ada", None),
    ],
)
async def test_the_availability_said_with_the_contact_is_not_asked_again(
    dispatcher, method, text, said
):
    tracker = make_tracker(slots={"handoff_contact_method": method})
    result = await ValidateHandoffForm().validate_handoff_contact_value(
        text, dispatcher, tracker, {}
    )
    assert result["handoff_contact_value"]
    assert result.get("handoff_availability") == said
    chosen = await ValidateHandoffForm().validate_handoff_contact_method(
        f"by {method}: {text}", dispatcher, make_tracker(slots={}), {}
    )
    assert chosen.get("handoff_availability") == said
    # said earlier, it is not replaced
    known = make_tracker(slots={"handoff_contact_method": method, "handoff_availability": "noon"})
    again = await ValidateHandoffForm().validate_handoff_contact_value(text, dispatcher, known, {})
    assert "handoff_availability" not in again


async def test_after_refusing_the_phone_the_address_alone_is_the_answer(dispatcher):
    tracker = make_tracker(slots={"handoff_refused_method": "phone"})
    result = await ValidateHandoffForm().validate_handoff_contact_method(
        "fatou.diallo@exemple.ca", dispatcher, tracker, {}
    )
    assert result["handoff_contact_method"] == "email"
    assert result["handoff_contact_value"] == "fatou.diallo@exemple.ca"


async def test_after_refusing_the_phone_unreadable_answers_end_without_contact_details(
    dispatcher,
):
    # "le soir après 18h" asked the same question again and again: now it counts as a failure.
    tracker = make_tracker(slots={"handoff_refused_method": "phone"})
    first = await ValidateHandoffForm().validate_handoff_contact_method(
        "le soir après 18h", dispatcher, tracker, {}
    )
    assert first["handoff_contact_method"] is None
    assert dispatcher.messages == []  # no "choose email or phone" after the phone was refused
    tracker = make_tracker(slots={"handoff_refused_method": "phone", **first})
    second = await ValidateHandoffForm().validate_handoff_contact_method(
        "le soir après 18h", dispatcher, tracker, {}
    )
    assert second["handoff_contact_method"] == "none"
    assert [m["response"] for m in dispatcher.messages] == ["utter_handoff_contact_skipped"]


def test_consent_version_changes_with_the_consent_wording_only():
    domain = {
        "responses": {"utter_handoff_explain": [{"text": "A"}], "utter_greet": [{"text": "Hi"}]}
    }
    changed = {
        "responses": {"utter_handoff_explain": [{"text": "B"}], "utter_greet": [{"text": "Hi"}]}
    }
    other = {
        "responses": {"utter_handoff_explain": [{"text": "A"}], "utter_greet": [{"text": "Yo"}]}
    }
    assert consent_wording_version(domain) != consent_wording_version(changed)
    # Rewording a response the person does not consent to keeps the recorded version.
    assert consent_wording_version(domain) == consent_wording_version(other)


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


async def test_the_daily_limit_is_told_politely_with_public_contacts(dispatcher, kb, monkeypatch):
    """No reference is announced; the person gets the limit's text and where to turn instead."""
    from bot.actions import handoff_flow
    from handoff.dossier import DailyLimitReached

    async def refuse(request, max_per_day=None):
        assert max_per_day == 3
        raise DailyLimitReached("3 dossiers in 24 hours")

    monkeypatch.delenv("HANDOFF_MAX_PER_DAY", raising=False)
    monkeypatch.setattr(handoff_flow, "create_dossier_in_thread", refuse)
    tracker = make_tracker(
        slots={
            "language": "fr",
            "handoff_consent_summary": "yes",
            "handoff_consent_transcript": "no",
            "handoff_contact_method": "email",
            "handoff_contact_value": "philomene@example.org",
            "handoff_region": "06",
        }
    )
    events = await handoff_flow.ActionSubmitHandoff(kb).run(dispatcher, tracker, {})
    responses = [m.get("response") for m in dispatcher.messages]
    assert responses[0] == "utter_handoff_daily_limit"
    assert dispatcher.messages[1]["text"]  # the public contacts
    assert "utter_handoff_confirmed" not in responses
    assert {"event": "slot", "name": "handoff_reference"} not in [
        {"event": e["event"], "name": e.get("name")} for e in events
    ]


async def test_contact_method_is_not_asked_a_third_time(dispatcher):
    form = ValidateHandoffForm()
    tracker = make_tracker(slots={"language": "fr"})
    first = await form.validate_handoff_contact_method("euh", dispatcher, tracker, {})
    assert first["handoff_contact_method"] is None
    tracker = make_tracker(slots={"language": "fr", "form_failures": first["form_failures"]})
    second = await form.validate_handoff_contact_method("bof", dispatcher, tracker, {})
    assert second["handoff_contact_method"] == "none"
    assert dispatcher.messages[-1]["response"] == "utter_handoff_contact_skipped"


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_with_no_organisation_for_the_place_the_shared_queue_is_named_by_the_domain(
    dispatcher, plain_kb, monkeypatch, lang
):
    from bot.actions import handoff_flow
    from bot.actions.texts import domain_text
    from tests.domain_texts import responses

    monkeypatch.setattr(handoff_flow, "_offered", lambda tracker, kb: [])
    domain = {"responses": responses()}
    tracker = make_tracker(slots={"language": lang})
    await handoff_flow.ActionAskHandoffOrganisation(plain_kb).run(dispatcher, tracker, domain)
    [asked] = dispatcher.messages
    assert asked["organisation"] == domain_text(domain, "utter_handoff_shared_queue", lang)
    [button] = asked["buttons"]
    assert button["title"] == domain_text(domain, "utter_handoff_shared_queue_button", lang)
    assert button["title"] and handoff_flow.SHARED_QUEUE in button["payload"]


def _after_request(request: str, then: str) -> "object":
    """A tracker where ``request`` started the handoff and ``then`` answers the summary question."""
    tracker = make_tracker(text=then)
    tracker.events = [
        {"event": "user", "text": "bonjour"},
        {"event": "user", "text": request},
        {"event": "action", "name": "action_start_handoff"},
        {"event": "user", "text": then},
    ]
    return tracker


@pytest.mark.parametrize(
    ("request_text", "answer", "method"),
    [
        ("can someone call me back?", "yes", "phone"),
        ("j'aimerais qu'un conseiller me rappelle", "oui", "phone"),
        ("could an advisor email me?", "yes", "email"),
        ("pouvez-vous m'écrire par courriel?", "oui", "email"),
        # said with the consent itself
        ("I want to talk to a person", "yes, call me", "phone"),
        # nothing said about how: the question is asked
        ("I want to talk to a person", "yes", None),
        # « je m'appelle » is a name, not a call
        ("je m'appelle Fatou, je veux parler à quelqu'un", "oui", None),
        # a method refused is not wished
        ("please don't call me, I want to talk to a person", "yes", None),
    ],
)
async def test_the_way_to_be_reached_said_in_the_request_is_not_asked_again(
    dispatcher, request_text, answer, method
):
    tracker = _after_request(request_text, answer)
    result = await ValidateHandoffForm().validate_handoff_consent_summary(
        answer, dispatcher, tracker, {}
    )
    assert result["handoff_consent_summary"] == "yes"
    assert result.get("handoff_contact_method") == method


@pytest.mark.parametrize(
    ("request_text", "method", "value"),
    [
        ("ok can someone call me back, 450 555 0134", "phone", "+14505550134"),
        ("écrivez-moi par courriel à fatou.d@example.ca svp", "email", "fatou.d@example.ca"),
        ("can someone call me back?", "phone", None),
    ],
)
async def test_the_number_given_with_the_request_is_not_asked_again(
    dispatcher, request_text, method, value
):
    tracker = _after_request(request_text, "yes")
    result = await ValidateHandoffForm().validate_handoff_consent_summary(
        "yes", dispatcher, tracker, {}
    )
    assert result.get("handoff_contact_method") == method
    assert result.get("handoff_contact_value") == value


async def test_a_wished_way_waits_for_the_consent(dispatcher):
    tracker = _after_request("can someone call me back?", "no")
    result = await ValidateHandoffForm().validate_handoff_consent_summary(
        "no", dispatcher, tracker, {}
    )
    assert result["handoff_consent_summary"] == "no"
    assert "handoff_contact_method" not in result
    assert "handoff_contact_value" not in result


@pytest.mark.parametrize(
    ("text", "region"),
    [("Québec", "03"), ("à Québec", "03"), ("Quebec City", "03"), ("Sherbrooke", "05")],
)
async def test_asked_where_in_quebec_quebec_is_the_city(dispatcher, plain_kb, text, region):
    """dev13: « Québec » answered three times to the handoff's place question was refused."""
    result = await ValidateHandoffForm(plain_kb).validate_handoff_region(
        text, dispatcher, make_tracker(), {}
    )
    assert result["handoff_region"] == region
    assert not dispatcher.messages


async def test_a_place_not_in_quebec_is_asked_again(dispatcher, plain_kb):
    result = await ValidateHandoffForm(plain_kb).validate_handoff_region(
        "Toronto", dispatcher, make_tracker(), {}
    )
    assert result["handoff_region"] is None
    assert dispatcher.messages[0]["response"] == "utter_invalid_handoff_region"


async def test_only_the_summary_answered_to_the_transcript_question_is_a_no(dispatcher):
    """Found talking to the assistant: it was asked again « please simply answer yes or no »."""
    result = await ValidateHandoffForm().validate_handoff_consent_transcript(
        "only the summary pls, not the whole chat", dispatcher, make_tracker(), {}
    )
    assert result["handoff_consent_transcript"] == "no"
    assert not dispatcher.messages


async def test_after_a_screening_the_need_is_not_asked_even_when_the_person_asks_later(
    dispatcher,
):
    """Found talking to the assistant: a person asked later than the verdict's offer."""
    form = ValidateHandoffForm()
    slots = {"handoff_consent_summary": "no", "handoff_consent_transcript": "yes"}
    asked = await form.required_slots([], dispatcher, make_tracker(slots=slots), {})
    assert "handoff_need" in asked
    screened = {**slots, "coop_fit": "strong", "handoff_trigger": "user_request"}
    asked = await form.required_slots([], dispatcher, make_tracker(slots=screened), {})
    assert "handoff_need" not in asked
