"""Free-text answers to the handoff questions: consent, contact method, organisation."""

import pytest

from handoff.answers import (
    asks_for_a_person,
    asks_something,
    is_question,
    parse_consent,
    parse_contact_method,
    parse_organisation,
)


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("oui", "yes"),
        ("Oui, d'accord", "yes"),
        ("j'accepte", "yes"),
        ("yes, that's ok", "yes"),
        ("I agree", "yes"),
        ("non", "no"),
        ("non merci", "no"),
        ("I'd rather not", "no"),
        # Words that mean yes to other questions are not consent.
        ("ensemble", None),
        ("together", None),
        ("prêt", None),
        ("go", None),
        # A question asked back, or yes and no together, is not an answer.
        ("what exactly would you send them?", None),
        ("c'est quoi le résumé?", None),
        ("oui mais non", None),
        ("", None),
    ],
)
def test_consent_needs_an_explicit_answer(text, answer):
    assert parse_consent(text) == answer


@pytest.mark.parametrize(
    ("text", "question"),
    [("what exactly would you send them?", True), ("c'est quoi le résumé", True), ("oui", False)],
)
def test_questions_asked_back(text, question):
    assert is_question(text) is question


@pytest.mark.parametrize(
    ("text", "chosen", "refused"),
    [
        ("par courriel", "email", None),
        ("email please", "email", None),
        ("call me", "phone", None),
        ("je préfère pas donner mon téléphone", None, "phone"),
        ("I don't want to give my phone", None, "phone"),
        ("par courriel, pas par téléphone", "email", "phone"),
        ("no contact details", "none", None),
        ("euh", None, None),
    ],
)
def test_contact_method_and_a_change_of_mind(text, chosen, refused):
    assert parse_contact_method(text) == (chosen, refused)


OFFERED = [
    ("cdrq-montreal-laval", ["CDRQ – Montréal-Laval office", "CDRQ"]),
    ("pme-mtl", ["PME MTL (Montréal)", "PME MTL"]),
    ("chantier", ["Chantier de l'économie sociale"]),
]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Oui, ça me convient.", "cdrq-montreal-laval"),
        ("yes that works", "cdrq-montreal-laval"),
        ("ok", "cdrq-montreal-laval"),
        ("PME MTL", "pme-mtl"),
        ("pme mtl svp", "pme-mtl"),
        ("the second one", "pme-mtl"),
        ("la troisième", "chantier"),
        ("non", None),
        ("je sais pas", None),
    ],
)
def test_organisation_chosen_by_typing(text, key):
    assert parse_organisation(text, OFFERED) == key


def test_no_organisation_offered_chooses_nothing():
    assert parse_organisation("oui", []) is None


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("together with the summary? what is it exactly", True),
        ("ensemble, c'est quoi au juste", True),
        ("what would you send them", True),
        ("ensemble", False),
        ("ok go", False),
        ("hmm maybe later", False),
    ],
)
def test_a_question_anywhere_in_a_consent_answer_is_asked(text, asks):
    # Not a consent either way: the form explains what is shared, then asks again.
    assert parse_consent(text) is None or not asks
    assert asks_something(text) is asks


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("hi. is there a real person i can talk to? about our bubble tea shop as coop", True),
        ("j'aimerais parler à une vraie personne de mon projet de coop", True),
        ("j'aimerais qu'un conseiller me rappelle", True),
        ("appelez-moi svp", True),
        (
            "salut! est-ce quelqun peut me rappeler svp au 438-555-0177, c pour une coop de taxi",
            True,
        ),
        ("pouvez-vous me rappeler?", True),
        ("is there someone I can actually talk to", True),
        ("ok can somone from the cdrq call me", True),
        ("could the people at the CDRQ contact me?", True),
        ("can a co-op call a meeting without me?", False),
        ("ok so who can tell me if my papers are ok for that?", True),
        ("qui peut me dire si mes papiers sont corrects?", True),
        ("je voudrais parler à quelqu'un de vrai", True),
        ("une personne à qui parler de ma coop?", True),
        ("can someone in a co-op talk to the bank for the members?", False),
        ("Can someone call me about starting a co-op?", True),
        ("would a co-op make sense for a hair salon?", False),
        ("une personne peut-elle être membre de deux coops?", False),
        ("we want to help people talk to a real estate agent", False),
        # Reaching a person named before (dev first messages): a request for a person.
        (
            "Salam, ma sœur m'a dit qu'il y a une dame qui aide les immigrants pour les coops, "
            "comment je peux la joindre?",
            True,
        ),
        ("comment joindre une conseillère?", True),
        ("how can I reach someone at the CDRQ?", True),
        # An organisation's contact details are a question.
        ("comment contacter le registraire?", False),
        ("comment on fait pour joindre les autres membres?", False),
    ],
)
def test_a_request_for_a_person_is_told_from_a_mention_of_people(text, asks):
    assert asks_for_a_person(text) is asks


@pytest.mark.parametrize(
    ("text", "shared", "answer"),
    [
        ("only the summary pls, not the whole chat", "transcript", "no"),
        ("only the summary pls, not the whole chat", "summary", "yes"),
        ("juste le résumé, pas toute la conversation", "transcript", "no"),
        ("oui, juste le résumé", "transcript", "no"),
        ("non, juste le résumé", "summary", "no"),
        ("yes", "transcript", "yes"),
        ("only the summary", None, None),
    ],
)
def test_only_the_summary_refuses_the_transcript(text, shared, answer):
    assert parse_consent(text, shared=shared) == answer
