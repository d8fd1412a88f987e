"""The chat's partner actions (bot/actions/partners.py): the tracker's answers become
matchmaking calls on a real (SQLite) store; refusals store nothing; errors get their answer."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

import matchmaking
from appdb import session_scope, utcnow
from bot.actions import partners
from matchmaking.models import MatchProfile
from privacy import notice
from privacy.models import DestructionLog
from tests.conftest import make_tracker
from tests.matchmaking.conftest import make_profile

FILLED = {
    "match_adult": "yes",
    "match_consent": "yes",
    "match_intent": "own_project",
    "match_project_text": "Une épicerie coopérative de produits latinos",
    "match_sector": "food",
    "match_region": "05",
    "match_reach": "neighbouring",
    "match_role": "worker",
    "match_skills": "cuisine, comptabilité",
    "match_languages": "fr,es",
    "match_availability": "skip",
    "match_contact_method": "email",
    "match_contact_value": "ana@example.org",
    "language": "fr",
}


def names(dispatcher) -> list[str]:
    return [
        m.get("response") or m.get("metadata", {}).get("utter_action") for m in dispatcher.messages
    ]


def tracker_for(slots: dict, sender: str = "web-ana", **kwargs):
    tracker = make_tracker(slots=slots, **kwargs)
    tracker.sender_id = sender
    return tracker


def stored() -> int:
    with session_scope() as session:
        return int(session.execute(select(func.count()).select_from(MatchProfile)).scalar_one())


# -- reading free answers ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("on veut ouvrir un restaurant", "food"),
        ("Services de garde", "childcare"),
        ("housing", "housing"),
        ("du ménage dans les bureaux", "cleaning"),
        ("a software company", "technology"),
        ("quelque chose", None),
    ],
)
def test_sector_is_read_from_words(text, code):
    assert partners.read_sector(text) == code


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("français et espagnol", ["fr", "es"]),
        ("English, Arabic", ["en", "ar"]),
        ("fr, es", ["fr", "es"]),
        ("wolof", ["other"]),
        ("je ne sais pas", []),
    ],
)
def test_languages_are_read_from_words(text, codes):
    assert partners.read_languages(text) == codes


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("oui", "yes"),
        ("Non", "no"),
        ("j'ai 16 ans", "no"),
        ("I'm 34", "yes"),
        ("bof", None),
        # A limit not reached is under age whatever its number (all four were taken as adults).
        ("I am under 18", "no"),
        ("j'ai moins de 18 ans", "no"),
        ("no, under 18", "no"),
        ("pas encore 18 ans", "no"),
        ("not yet, I turn 18 in May", "no"),
        ("plus de 18", "yes"),
        # A number that is no age (was read as a minor of 3).
        ("Oui, j'ai 3 enfants", "yes"),
        ("I have 2 kids and I am 40", "yes"),
    ],
)
def test_age_question(text, answer):
    assert partners.read_age(text) == answer


@pytest.mark.parametrize(
    ("slot", "text", "code"),
    [
        ("match_availability", "les soirs surtout", "evenings_weekends"),
        ("match_availability", "part-time", "part_time"),
        ("match_role", "comme travailleuse", "worker"),
        ("match_intent", "rejoindre le projet de quelqu'un", "join_project"),
        # The project itself, told instead of "my own project" (2026-12-05: not read)
        ("match_intent", "I want to open a restaurant with other people", "own_project"),
        ("match_intent", "je veux partir un traiteur avec des amies", "own_project"),
        ("match_intent", "I want to join a group that opens a bakery", "join_project"),
        ("match_contact_method", "par courriel", "email"),
        ("match_role", "aucune idée de quoi dire", None),
    ],
)
def test_choices_are_read_from_words(slot, text, code):
    assert partners.read_choice(slot, text) == code


def test_skip_words():
    assert (
        partners.is_skip("Passer")
        and partners.is_skip("skip.")
        and partners.is_skip("/choose skip")
    )
    assert not partners.is_skip("une boulangerie")


def test_fields_leave_out_skipped_answers_and_a_contact_without_its_value():
    fields = partners.profile_fields(tracker_for(FILLED))
    assert fields["skills"] == ["cuisine", "comptabilité"]
    assert fields["languages"] == ["fr", "es"]
    assert "availability" not in fields
    assert fields["contact_value"] == "ana@example.org"
    no_value = tracker_for({**FILLED, "match_contact_value": "skip"})
    assert "contact_method" not in partners.profile_fields(no_value)


# -- the form's gates --------------------------------------------------------------------------
async def test_a_minor_or_a_refusal_ends_the_questions(dispatcher):
    form = partners.ValidateMatchProfileForm()
    every = list(partners.FORM_SLOTS)
    minor = tracker_for({"match_adult": "no"})
    assert await form.required_slots(every, dispatcher, minor, {}) == ["match_adult"]
    refused = tracker_for({"match_adult": "yes", "match_consent": "no"})
    assert await form.required_slots(every, dispatcher, refused, {}) == every[:2]
    no_contact = tracker_for(
        {"match_adult": "yes", "match_consent": "yes", "match_contact_method": "skip"}
    )
    assert "match_contact_value" not in await form.required_slots(every, dispatcher, no_contact, {})


async def test_an_unclear_consent_is_a_no_after_two_tries(dispatcher):
    form = partners.ValidateMatchProfileForm()
    first = await form.validate_match_consent("hmm", dispatcher, tracker_for({}), {})
    assert first["match_consent"] is None
    second = await form.validate_match_consent(
        "hmm", dispatcher, tracker_for({"form_failures": first["form_failures"]}), {}
    )
    assert second["match_consent"] == "no"


async def test_a_bad_email_is_asked_again(dispatcher):
    form = partners.ValidateMatchProfileForm()
    slots = {"match_contact_method": "email"}
    result = await form.validate_match_contact_value(
        "ana at home", dispatcher, tracker_for(slots), {}
    )
    assert result["match_contact_value"] is None
    assert names(dispatcher) == ["utter_match_invalid_contact"]


# -- saving ------------------------------------------------------------------------------------
async def test_consent_creates_the_profile_with_both_versions(database, dispatcher):
    events = await partners.ActionSaveMatchProfile().run(dispatcher, tracker_for(FILLED), {})
    assert names(dispatcher) == ["utter_match_profile_saved"]
    [profile] = matchmaking.profiles_of("web-ana")
    assert dispatcher.messages[0]["reference"] == profile.reference
    assert profile.notice_version == notice.version()
    assert profile.consent_wording_version == partners.CONSENT_WORDING_VERSION
    assert (profile.sector, profile.region_code, profile.availability) == ("food", "05", None)
    assert profile.contact_value == "ana@example.org" and profile.language == "fr"
    assert {e["name"]: e["value"] for e in events}["match_consent"] is None  # answers cleared


@pytest.mark.parametrize(
    ("slots", "response"),
    [
        ({"match_adult": "yes", "match_consent": "no"}, "utter_match_refused_consent"),
        ({"match_adult": "no"}, "utter_match_refused_minor"),
        ({"match_adult": "unknown"}, "utter_match_adult_unknown"),
        ({**FILLED, "match_sector": "plomberie"}, "utter_match_invalid_field"),
    ],
)
async def test_refusals_and_bad_answers_store_nothing(database, dispatcher, slots, response):
    await partners.ActionSaveMatchProfile().run(dispatcher, tracker_for(slots), {})
    assert names(dispatcher) == [response]
    assert stored() == 0


async def test_an_unreachable_store_is_said(monkeypatch, dispatcher):
    def down(*args, **kwargs):
        raise matchmaking.StoreUnavailableError("OperationalError")

    monkeypatch.setattr(partners, "_save", down)
    await partners.ActionSaveMatchProfile().run(dispatcher, tracker_for(FILLED), {})
    assert names(dispatcher) == ["utter_match_store_unavailable"]


async def test_a_change_keeps_what_was_skipped(database, dispatcher):
    profile = make_profile("web-ana")
    start_events = await partners.ActionStartMatchProfile().run(dispatcher, tracker_for({}), {})
    started = {e["name"]: e["value"] for e in start_events}
    assert started["match_editing"] == profile.reference and started["match_consent"] == "yes"
    slots = {**{s: "skip" for s in partners.SLOT_FIELDS}, **started, "match_region": "03"}
    dispatcher.messages.clear()
    await partners.ActionSaveMatchProfile().run(dispatcher, tracker_for(slots), {})
    assert names(dispatcher) == ["utter_match_profile_updated"]
    changed = matchmaking.get_profile(profile.reference)
    assert changed.region_code == "03"
    assert changed.sector == profile.sector and changed.contact_value == profile.contact_value


# -- show, pause, delete -------------------------------------------------------------------------
async def test_show_pause_resume_and_delete(database, dispatcher):
    profile = make_profile("web-ana", project_text="Une boulangerie coopérative")
    tracker = tracker_for({"language": "en"})
    await partners.ActionShowMatchProfile().run(dispatcher, tracker, {})
    assert names(dispatcher) == ["utter_match_profile_shown", "utter_match_profile_actions_active"]
    details = dispatcher.messages[0]["details"]
    assert "Food" in details or "food" in details
    assert "Montréal" in details and "not read yet" in details

    dispatcher.messages.clear()
    await partners.ActionPauseMatchProfile().run(dispatcher, tracker, {})
    assert matchmaking.get_profile(profile.reference).status == "paused"
    await partners.ActionResumeMatchProfile().run(dispatcher, tracker, {})
    assert matchmaking.get_profile(profile.reference).status == "active"
    assert names(dispatcher) == ["utter_match_profile_paused", "utter_match_profile_resumed"]

    dispatcher.messages.clear()
    await partners.ActionDeleteMatchProfile().run(dispatcher, tracker, {})
    assert names(dispatcher) == ["utter_match_profile_deleted"]
    assert matchmaking.profiles_of("web-ana") == []
    with session_scope() as session:
        logged = session.execute(
            select(DestructionLog.count).where(DestructionLog.category == "match_profiles")
        ).scalars()
        assert list(logged) == [1]


async def test_without_a_profile_the_person_is_offered_one(database, dispatcher):
    tracker = tracker_for({"language": "fr"}, sender="web-nobody")
    for action in (
        partners.ActionShowMatchProfile(),
        partners.ActionPauseMatchProfile(),
        partners.ActionDeleteMatchProfile(),
    ):
        await action.run(dispatcher, tracker, {})
    assert names(dispatcher) == ["utter_match_no_profile"] * 3


# -- introductions -------------------------------------------------------------------------------
async def test_introduction_shown_without_the_unreviewed_sentence_then_answered(
    database, dispatcher
):
    ana = make_profile("web-ana")
    ben = make_profile("tg-42", project_text="Un traiteur coopératif à Laval, secret: 514-555-0199")
    intro = matchmaking.propose(ana.reference, ben.reference, by="conseillere")

    await partners.ActionShowMatchProfile().run(dispatcher, tracker_for({"language": "fr"}), {})
    [shown] = [m for m in dispatcher.messages if m.get("response") == "utter_match_introduction"]
    assert "514" not in shown["summary"] and "traiteur" not in shown["summary"]
    assert "alimentation" in shown["summary"]
    yes = shown["buttons"][0]["payload"]
    assert yes == f'/answer_introduction{{"choice": "yes:{intro.reference}"}}'
    titles = [button["title"] for button in shown["buttons"]]
    assert titles == ["Oui, je veux bien", "Non merci"]  # the catalogue's, in the person's language
    english = partners._introduction_buttons(intro.reference, "en")
    assert [button["title"] for button in english] == ["Yes, I'd like to", "No thanks"]

    # Another person cannot answer for Ana with a forged button.
    forged = tracker_for(
        {},
        sender="web-mallory",
        intent="answer_introduction",
        entities=[{"entity": "choice", "value": f"yes:{intro.reference}"}],
    )
    dispatcher.messages.clear()
    await partners.ActionAnswerIntroduction().run(dispatcher, forged, {})
    assert names(dispatcher) == ["utter_match_no_introduction"]
    assert matchmaking.get_introduction(intro.reference).state == "proposed"

    answer = tracker_for(
        {},
        intent="answer_introduction",
        entities=[{"entity": "choice", "value": f"yes:{intro.reference}"}],
    )
    await partners.ActionAnswerIntroduction().run(dispatcher, answer, {})
    # Ben answers by typing, the only introduction waiting for him.
    typed = tracker_for({}, sender="tg-42", text="oui", intent="answer_introduction")
    await partners.ActionAnswerIntroduction().run(dispatcher, typed, {})
    assert names(dispatcher)[-2:] == [
        "utter_match_introduction_yes_waiting",
        "utter_match_introduction_accepted",
    ]
    assert matchmaking.get_introduction(intro.reference).revealed
    await partners.ActionAnswerIntroduction().run(dispatcher, answer, {})
    assert names(dispatcher)[-1] == "utter_match_introduction_closed"


# -- projects and the reminder -------------------------------------------------------------------
async def test_projects_near_the_profile(database, dispatcher):
    make_profile("web-ana", region_code="06", sector="food", reach="neighbouring")
    matchmaking.publish_project(
        "cdrq",
        title="Épicerie solidaire",
        description="Une épicerie coop",
        region_code="13",
        language="fr",
        by="conseillere",
        sector="food",
        roles_sought=["worker"],
    )
    await partners.ActionListPartnerProjects().run(dispatcher, tracker_for({"language": "fr"}), {})
    assert names(dispatcher) == ["utter_match_projects_near"]
    assert "Épicerie solidaire" in dispatcher.messages[0]["projects"]
    dispatcher.messages.clear()
    await partners.ActionListPartnerProjects().run(
        dispatcher, tracker_for({"language": "fr"}, sender="web-nobody"), {}
    )
    assert names(dispatcher) == ["utter_match_projects_need_region"]


async def test_projects_asked_for_by_region_and_sector(database, dispatcher, kb):
    matchmaking.publish_project(
        "cdrq",
        title="Épicerie solidaire",
        description="Une épicerie coop",
        region_code="13",
        language="fr",
        by="conseillere",
        sector="food",
    )

    async def asked(text: str) -> list[str]:
        dispatcher.messages.clear()
        tracker = tracker_for({"language": "fr"}, sender="web-nobody", text=text)
        await partners.ActionListPartnerProjects(kb).run(dispatcher, tracker, {})
        return names(dispatcher)

    # No profile and no screening: the region and the sector come from the message.
    assert await asked("des projets en alimentation à Laval?") == ["utter_match_projects_near"]
    assert "Épicerie solidaire" in dispatcher.messages[0]["projects"]
    assert await asked("tech projects in Laval?") == ["utter_match_no_projects_near"]
    assert await asked("food projects in Sherbrooke?") == ["utter_match_no_projects_near"]
    assert await asked("des projets qui cherchent des membres?") == [
        "utter_match_projects_need_region"
    ]


async def test_the_reminder_is_sent_once_at_the_next_visit(database, dispatcher):
    profile = make_profile("web-ana")
    with session_scope() as session:
        row = session.execute(
            select(MatchProfile).where(MatchProfile.reference == profile.reference)
        ).scalar_one()
        row.last_activity_at = utcnow() - timedelta(days=170)
    slots = {"language": "fr"}
    checked = await partners.tell_at_visit(dispatcher, tracker_for(slots), "fr")
    assert names(dispatcher) == ["utter_match_reminder"]
    assert profile.reference in dispatcher.messages[0]["text"]
    assert "{" not in dispatcher.messages[0]["text"]
    assert checked == {"match_checked": checked["match_checked"]}
    # Once a day per conversation, and never again for the same inactivity.
    assert await partners.tell_at_visit(dispatcher, tracker_for({**slots, **checked}), "fr") == {}
    dispatcher.messages.clear()
    await partners.tell_at_visit(dispatcher, tracker_for(slots), "fr")
    assert dispatcher.messages == []
    # "Keep my profile": retention counts again from now.
    await partners.ActionResumeMatchProfile().run(dispatcher, tracker_for(slots), {})
    kept = matchmaking.get_profile(profile.reference)
    assert utcnow() - kept.last_activity_at < timedelta(minutes=1)


async def test_a_visit_without_a_profile_says_nothing(database, dispatcher):
    checked = await partners.tell_at_visit(dispatcher, tracker_for({}, sender="web-new"), "fr")
    assert dispatcher.messages == [] and "match_checked" in checked


@pytest.mark.parametrize(("founders", "offered"), [("1", True), ("2", True), ("5", False)])
async def test_the_screening_offers_partners_when_founders_are_missing(
    dispatcher, plain_kb, founders, offered
):
    from bot.actions import screening_verdict

    answers = {
        "language": "fr",
        "screening_project": "un traiteur",
        "screening_sector": "alimentation",
        "screening_region": "06",
        "screening_founders": founders,
        "screening_members": "workers",
        "screening_control": "one_member_one_vote",
        "screening_capital": "low",
        "screening_investors": "none",
        "screening_surplus": "by_work",
        "screening_governance": "yes",
    }
    action = screening_verdict.ActionSubmitScreening(plain_kb)
    await action.run(dispatcher, make_tracker(slots=answers), {})
    assert ("utter_match_offer" in names(dispatcher)) is offered


@pytest.mark.parametrize(
    ("text", "code"), [("à Sherbrooke", "05"), ("Montréal", "06"), ("06", "06"), ("Atlantis", None)]
)
async def test_the_region_is_read_as_the_screening_reads_it(dispatcher, plain_kb, text, code):
    form = partners.ValidateMatchProfileForm(plain_kb)
    result = await form.validate_match_region(text, dispatcher, tracker_for({}), {})
    assert result["match_region"] == code


async def test_a_cleared_answer_is_not_read(dispatcher):
    """Starting a change clears earlier answers: the form says nothing about them."""
    form = partners.ValidateMatchProfileForm()
    for slot in partners.FORM_SLOTS:
        validate = getattr(form, f"validate_{slot}")
        assert await validate(None, dispatcher, tracker_for({}), {}) == {}
    assert dispatcher.messages == []


async def test_language_names_answer_the_languages_question(dispatcher):
    """ "anglais et arabe" is read as NLU's switch_language: during that question it is the
    answer, and the conversation's language does not change."""
    from bot.actions.validate_slot_mappings import ValidateSlotMappings

    tracker = tracker_for(
        {"requested_slot": "match_languages", "language": "fr", "language_source": "words"},
        text="anglais et arabe",
        intent="switch_language",
        entities=[{"entity": "language", "value": "en"}],
    )
    tracker.active_loop = {"name": "match_profile_form"}
    form = partners.ValidateMatchProfileForm()
    extracted = await form.extract_match_languages(dispatcher, tracker, {})
    assert extracted == {"match_languages": "anglais et arabe"}
    read = await form.validate_match_languages(
        extracted["match_languages"], dispatcher, tracker, {}
    )
    assert read["match_languages"] == "en,ar"
    language = await ValidateSlotMappings().extract_language(dispatcher, tracker, {"responses": {}})
    assert language["language"] == "fr"
    tracker.active_loop = {}
    assert await form.extract_match_languages(dispatcher, tracker, {}) == {}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fr", "1 août 2026"), ("en", "August 1, 2026"), ("es", "1 août 2026")],
)
def test_dates_in_reminders_are_written_as_each_language_writes_them(lang, expected):
    assert partners.format_date(date(2026, 8, 1), lang) == expected


async def test_an_introduction_proposed_later_the_same_day_is_announced_once(
    database, dispatcher, monkeypatch
):
    ana = make_profile("web-ana")
    slots = {"language": "fr"}
    checked = await partners.tell_at_visit(dispatcher, tracker_for(slots), "fr")
    assert dispatcher.messages == []
    # An advisor proposes an introduction after that visit.
    ben = make_profile("tg-42")
    intro = matchmaking.propose(ana.reference, ben.reference, by="conseillere")
    # Within the check interval: no database look-up, nothing said.
    assert await partners.tell_at_visit(dispatcher, tracker_for({**slots, **checked}), "fr") == {}
    # Once the interval is over (the same day): announced, and only once.
    monkeypatch.setattr(partners, "CHECK_EVERY", timedelta(0))
    later = await partners.tell_at_visit(dispatcher, tracker_for({**slots, **checked}), "fr")
    assert names(dispatcher) == ["utter_match_introductions_waiting"]
    assert intro.reference in later["match_checked"]
    dispatcher.messages.clear()
    await partners.tell_at_visit(dispatcher, tracker_for({**slots, **later}), "fr")
    assert dispatcher.messages == []
    # Another day, it is recalled while it still waits for an answer.
    yesterday = "2020-01-01T09:00:00+00:00 " + intro.reference
    await partners.tell_at_visit(
        dispatcher, tracker_for({**slots, "match_checked": yesterday}), "fr"
    )
    assert names(dispatcher) == ["utter_match_introductions_waiting"]
