"""A command word inside an answer is not the command (bot/nlu/command_guard.py)."""

from pathlib import Path

import pytest
import yaml

from bot.nlu.command_guard import (
    DISTRESS,
    GUARDED,
    QUESTION,
    fold,
    is_the_request,
    mentions_distress,
)

DATA = Path(__file__).resolve().parents[2] / "bot" / "data" / "nlu"


def _vocabulary() -> dict[str, set[str]]:
    """What CommandGuard.train learns: the words of each guarded intent's examples."""
    words: dict[str, set[str]] = {intent: set() for intent in (*GUARDED, DISTRESS)}
    for path in DATA.rglob("*.yml"):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if item.get("intent") in words:
                for line in item["examples"].splitlines():
                    words[item["intent"]].update(fold(line.lstrip("- ")))
    return words


VOCABULARY = _vocabulary()


def _guarded(text: str, *ranking: tuple[str, float]) -> tuple[dict, list[dict]]:
    """The guard's (intent, ranking) for ``text`` read by the model as ``ranking``, best first."""
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.command_guard import CommandGuard

    scores = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message = Message(data={"text": text, "intent": scores[0], "intent_ranking": scores})
    CommandGuard(None, None, VOCABULARY).process([message])  # type: ignore[arg-type]
    return message.get("intent"), message.get("intent_ranking")


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("annuler", "stop_form"),
        ("stop", "stop_form"),
        ("cancel please", "stop_form"),
        ("je veux arrêter le questionnaire", "stop_form"),
        ("on recommence", "start_over"),
        ("start over", "start_over"),
        ("recommencer svp", "start_over"),
        ("bye", "goodbye"),
        ("supprimer mes données", "delete_my_data"),
        ("forget me", "delete_my_data"),
        ("pourquoi cette question?", "ask_why"),
        ("why do you need that", "ask_why"),
        ("wait why do you ask this?", "ask_why"),
    ],
)
def test_the_request_itself_stands(text, intent):
    assert is_the_request(text, intent, VOCABULARY)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("un café zéro gaspillage", "start_over"),
        ("a bus-stop kiosk", "stop_form"),
        ("arrêter de travailler pour un patron", "stop_form"),
        ("a cleaning company for offices, owned by us cleaners", "start_over"),
        ("cancel culture café", "stop_form"),
        ("we want to restart my father's bakery", "start_over"),
        ("bye bye la pauvreté, une épicerie solidaire", "goodbye"),
        ("selon l'argent investi", "delete_my_data"),
        ("chacune a le même vote, c'est important pour nous", "ask_why"),
    ],
)
def test_a_command_word_inside_an_answer_is_not_the_request(text, intent):
    assert not is_the_request(text, intent, VOCABULARY)


def test_a_typo_in_the_request_still_counts():
    assert is_the_request("recomencer", "start_over", VOCABULARY)


def test_an_intent_without_learnt_vocabulary_is_not_second_guessed():
    assert is_the_request("supprimer mes données", "delete_my_data", {"stop_form": {"stop"}})


@pytest.mark.parametrize(
    "text",
    [
        "je veux mourir",
        "j'ai des idées noires",
        "I don't want to live anymore",
        "je suis en detresse",
        "je suis désespérée",
        "I feel hopeless",
        "je suis désespérrée",  # a typo in a long word still counts
    ],
)
def test_distress_in_words_people_use_stands(text):
    assert mentions_distress(text, VOCABULARY)


@pytest.mark.parametrize(
    "text",
    [
        "livraison",
        "transport",
        "bike delivery",
        "Québec",
        # a word people in distress use, inside a compound that speaks of something else
        "Oui, nous avons déjà un comité de santé-sécurité qui fonctionne bien",
        "yes, we already have a health and safety committee",
        "la sécurité alimentaire du quartier",
        # one letter from « vivre »: the surplus shared by what each farm delivers
        "selon ce que chaque ferme livre",
    ],
)
def test_an_answer_that_only_looks_like_distress_is_not(text):
    assert not mentions_distress(text, VOCABULARY)


def test_distress_said_beside_a_compound_still_stands():
    assert mentions_distress("je ne me sens pas en sécurité chez moi", VOCABULARY)
    assert mentions_distress("comité santé-sécurité… mais je veux mourir", VOCABULARY)


def test_a_model_without_distress_vocabulary_keeps_every_distress_reading():
    assert mentions_distress("livraison", {"stop_form": {"stop"}})


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        (
            "I'm thinking about a home care business with other people from my community. "
            "Is a coop right for us?",
            "start_screening",
        ),
        (
            "une entreprise de soins à domicile avec d'autres gens de ma communauté, "
            "est-ce qu'une coop c'est pour nous?",
            "start_screening",
        ),
        ("I need co-founders, is a coop right for us?", "find_partners"),
        ("je cherche des associés pour ma coop", "find_partners"),
        ("how do I find people to start a co-op with?", "find_partners"),
    ],
)
def test_a_question_about_fit_that_names_no_partner_is_the_screenings(text, reading):
    intent, ranking = _guarded(text, ("find_partners", 0.72), ("start_screening", 0.04))
    assert intent["name"] == reading
    assert ranking[0]["name"] == reading
    # Not left as a tie with the reading it replaced (the fallback would call it ambiguous).
    first, second = ranking[:2]
    assert first["confidence"] - second["confidence"] > 0.1


@pytest.mark.parametrize(
    ("text", "read_as", "reading"),
    [
        ("we have nothing to eat tonight", "resume_form", "ask_cooperative_question"),
        ("jpeux pas payer mon loyer ce mois ci", "greet", "ask_cooperative_question"),
        # a project about it, or distress, stays what it was
        ("on veut ouvrir une banque alimentaire en coop", "start_screening", "start_screening"),
        ("je veux mourir, j'ai plus rien à manger", "distress", "distress"),
    ],
)
def test_a_need_said_in_plain_words_is_a_question_for_its_entry(text, read_as, reading):
    intent, _ = _guarded(text, (read_as, 0.95), ("ask_cooperative_question", 0.01))
    assert intent["name"] == reading


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        (
            "allo, c'est quoi le membership d'une coop? genre qui peut joindre, faut tu etre "
            "citoyen?",
            "ask_cooperative_question",
        ),
        ("who can become a member of a co-op?", "ask_cooperative_question"),
        ("how do I find people to start a co-op with?", "find_partners"),
        ("je cherche des associés pour ma coop", "find_partners"),
        ("est-ce que vous pouvez m'aider à trouver des membres?", "find_partners"),
    ],
)
def test_a_question_about_members_that_seeks_no_one_is_a_question(text, reading):
    intent, _ = _guarded(text, ("find_partners", 0.8), ("ask_cooperative_question", 0.1))
    assert intent["name"] == reading


@pytest.mark.parametrize(
    ("text", "confidence", "reading"),
    [
        # a question read, unsure, as the screening
        (
            "pis si la coop fait faillite, est-ce que je peux perdre mon condo?",
            0.6,
            "ask_cooperative_question",
        ),
        ("can a member be expelled from a co-op?", 0.5, "ask_cooperative_question"),
        (
            "if we take on a new guy in our worker coop, can we like test him out for a while "
            "before he's a full member? how long max?",
            0.76,
            "ask_cooperative_question",
        ),
        ("can we test my project?", 0.76, None),
        # sure, or the screening's own words, or a project: the screening stays
        ("can a member be expelled from a co-op?", 0.9, None),
        ("est-ce que la coop est pour moi?", 0.6, None),
        ("how do I know if a coop is right for me?", 0.6, None),
        ("can you do the screening?", 0.6, None),
        ("which type of co-op would fit a bakery?", 0.6, None),
        ("on commence?", 0.6, None),
        ("we want to open a bakery", 0.6, None),
    ],
)
def test_a_question_read_unsure_as_the_screening_is_a_question(text, confidence, reading):
    intent, ranking = _guarded(
        text, ("start_screening", confidence), ("ask_cooperative_question", 0.2)
    )
    assert intent["name"] == (reading or "start_screening")
    if reading:
        assert ranking[0]["confidence"] - ranking[1]["confidence"] > 0.1


@pytest.mark.parametrize(
    ("text", "read_as", "reading"),
    [
        (
            "hi. is there a real person i can talk to? about our bubble tea shop as coop",
            "start_screening",
            "request_human",
        ),
        (
            "j'aimerais parler à une vraie personne de mon projet de coop",
            "start_screening",
            "request_human",
        ),
        (
            "Bonjour, est-ce que je peux parler avec quelqu'un de vrai? j'ai besoin d'aide pour "
            "monter le dossier de ma coop, merci, thanks",
            "thank",
            "request_human",
        ),
        (
            "Can someone call me about starting a co-op?",
            "ask_cooperative_question",
            "request_human",
        ),
        ("j'aimerais qu'un conseiller me rappelle pour ma coop", "ask_resources", "request_human"),
        # Asking whether the co-op form fits, or a question about people, stays what it was.
        ("would a co-op make sense for a hair salon?", "start_screening", "start_screening"),
        (
            "une personne peut-elle être membre de deux coops?",
            "ask_cooperative_question",
            "ask_cooperative_question",
        ),
        # A yes to a question keeps being a yes, whatever it says of people.
        ("yes, an advisor can contact me", "affirm", "affirm"),
    ],
)
def test_a_request_for_a_person_is_one_whatever_it_names(text, read_as, reading):
    intent, ranking = _guarded(text, (read_as, 0.82), ("request_human", 0.15))
    assert intent["name"] == reading
    assert ranking[0]["name"] == reading
    # Not left as a tie with the reading it replaced (the fallback would call it ambiguous).
    first, second = ranking[:2]
    assert first["confidence"] - second["confidence"] > 0.1


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        # asks whether a co-op suits the project, and nothing else: the screening
        ("est-ce qu'une coop me convient?", "start_screening"),
        ("une coop nous conviendrait-elle?", "start_screening"),
        ("should we set up as a co-op?", "start_screening"),
        ("La formule coop pourrait-elle marcher pour notre garage?", "start_screening"),
        # also asks something else, or asks nothing about fit: the question stands
        (
            "would a co-op work for our salon, and how is it different from a corporation?",
            "ask_cooperative_question",
        ),
        ("how do I know if a co-op is right for me?", "ask_cooperative_question"),
        ("c'est quoi une coop de travail?", "ask_cooperative_question"),
    ],
)
def test_a_question_that_only_asks_about_fit_is_the_screening(text, reading):
    intent, _ = _guarded(text, ("ask_cooperative_question", 0.99), ("start_screening", 0.01))
    assert intent["name"] == reading


@pytest.mark.parametrize("command", sorted(GUARDED))
def test_a_misread_command_never_becomes_distress(command):
    # « mécanique auto » answering the sector question: read as a command it is not, its
    # runner-up distress must not interrupt the screening with crisis resources (it looped).
    intent, ranking = _guarded(
        "mécanique auto", (command, 0.64), (DISTRESS, 0.2), ("inform_sector", 0.1)
    )
    assert intent["name"] == "inform_sector"
    assert ranking[-1]["name"] in (*GUARDED, DISTRESS)


def _with_language(text: str, language: str) -> tuple[dict, list[dict]]:
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.command_guard import CommandGuard

    scores = [
        {"name": "switch_language", "confidence": 0.86},
        {"name": "start_screening", "confidence": 0.03},
    ]
    entity = {"entity": "language", "value": language, "start": 0, "end": 1}
    message = Message(
        data={"text": text, "intent": scores[0], "intent_ranking": scores, "entities": [entity]}
    )
    CommandGuard(None, None, VOCABULARY).process([message])  # type: ignore[arg-type]
    return message.get("intent"), message.get("intent_ranking")


@pytest.mark.parametrize(
    ("text", "switches"),
    [
        ("French please", True),
        ("en français svp", True),
        ("can we continue in English? my French is not good", True),
        ("est-ce qu'on peut parler en anglais, je comprends mieux", True),
        ("can we do all this in English please", True),
        (
            "we want to call it 'La Raíz Colectiva', it's spanish, is that allowed here or do we "
            "have to put it all in french?",
            False,
        ),
        (
            "Hi, I'm a freelance translator in Laval (Arabic, French and English). I work on my "
            "own but I like the idea of co-ops. Could it work for someone like me?",
            False,
        ),
    ],
)
def test_a_language_named_in_a_longer_message_is_not_a_switch(text, switches):
    intent, _ = _with_language(text, "fr")
    assert (intent["name"] == "switch_language") is switches


@pytest.mark.parametrize(
    ("text", "read_as", "reading"),
    [
        (
            "we want to call it 'La Raíz Colectiva', it's spanish, is that allowed here?",
            "resume_match_profile",
            "ask_cooperative_question",
        ),
        ("mon profil", "show_match_profile", "show_match_profile"),
        ("pause my profile", "pause_match_profile", "pause_match_profile"),
        (
            "je ne veux plus de présentations pour l'instant",
            "pause_match_profile",
            "pause_match_profile",
        ),
        ("I want to meet partners again", "resume_match_profile", "resume_match_profile"),
    ],
)
def test_a_profile_command_speaks_of_the_profile(text, read_as, reading):
    intent, _ = _guarded(
        text, (read_as, 0.64), ("request_human", 0.06), ("ask_cooperative_question", 0.05)
    )
    assert intent["name"] == reading


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        (
            "we are only 2 sisters, is it enough people for make a coop or we need more persons?",
            "ask_cooperative_question",
        ),
        ("est-ce qu'une coopérative peut vendre de l'alcool?", "ask_cooperative_question"),
        ("what's the weather tomorrow?", "out_of_scope"),
    ],
)
def test_a_message_naming_the_coop_is_not_out_of_scope(text, reading):
    intent, _ = _guarded(
        text, ("out_of_scope", 0.92), ("find_partners", 0.02), ("ask_cooperative_question", 0.02)
    )
    assert intent["name"] == reading


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        # A project told with its place: the organisations there, and the screening offered.
        ("jai un projet de food truck avec 2 chums a Gatineau", "ask_resources"),
        ("my wife and me want to open a daycare in Longueuil", "ask_resources"),
        # Without a place: not understood, which offers the screening for a project told.
        ("on veut partir une friperie avec des amies", "nlu_fallback"),
        ("me and my cousin want to start a cleaning business", "nlu_fallback"),
        # Out of scope stays out of scope: no business of one's own, or a question.
        ("I want to run a marathon in Montreal", "out_of_scope"),
        ("je veux ouvrir la fenêtre", "out_of_scope"),
        ("how do I start my car in winter?", "out_of_scope"),
    ],
)
def test_a_project_told_is_not_out_of_scope(text, reading):
    intent, ranking = _guarded(text, ("out_of_scope", 0.77), ("ask_resources", 0.02))
    assert intent["name"] == reading
    assert ranking[0]["name"] == reading


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        # About the assistant itself: what it can do (dev first messages: "no sure answer").
        ("Hi there, I'm new in Canada, just checking what this chat is about", "help"),
        ("c'est quoi ce chat?", "help"),
        ("what do you do exactly", "help"),
        # About co-ops: questions.
        ("what is a coop?", "ask_cooperative_question"),
        ("what do you do for a living in a coop", "ask_cooperative_question"),
    ],
)
def test_a_question_about_the_assistant_gets_what_it_can_do(text, reading):
    intent, _ = _guarded(text, ("ask_cooperative_question", 0.99), ("help", 0.01))
    assert intent["name"] == reading


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        # Money needed is a question about financing (read as the screening at 0.83).
        ("I need money to start my business", "ask_cooperative_question"),
        ("j'ai besoin d'argent pour partir ma coop", "ask_cooperative_question"),
        ("on cherche du financement pour notre café", "ask_cooperative_question"),
        ("est-ce que je peux avoir un prêt de la caisse pour ma coop", "ask_cooperative_question"),
        ("can we get a loan for our co-op?", "ask_cooperative_question"),
        # The screening asked for stays the screening.
        ("I want to check if a coop fits my business", "start_screening"),
        ("we need 4 members, can you check our project?", "start_screening"),
    ],
)
def test_money_needed_is_a_question_about_financing(text, reading):
    intent, _ = _guarded(text, ("start_screening", 0.83), ("ask_cooperative_question", 0.02))
    assert intent["name"] == reading


@pytest.mark.parametrize(
    ("text", "value", "switches"),
    [
        ("30k-ish", "30k-ish", False),  # the capital answer, read as a switch to English (0.97)
        ("englsh pls", "englsh", True),
        ("en anglais svp", "anglais", True),
        ("in French", "fr", True),
    ],
)
def test_a_switch_names_a_language(text, value, switches):
    intent, _ = _with_language(text, value)
    assert (intent["name"] == "switch_language") is switches


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        # Found talking to the assistant: the switch was made and the question dropped.
        ("ok english then. whats a ristourne", "ask_cooperative_question"),
        ("en français svp. comment on fait pour partir une coop?", "ask_cooperative_question"),
        ("can you speak english? what is a coop?", "ask_cooperative_question"),
        ("english please?", "switch_language"),
        ("can we continue in english? i have questions", "switch_language"),
    ],
)
def test_a_question_after_a_switch_is_answered(text, reading):
    intent, _ = _with_language(text, "en")
    assert intent["name"] == reading


@pytest.mark.parametrize(
    ("text", "stays"),
    [
        # the founders answer, read as distress at 0.99 because of "myself" (it looped 20 times)
        ("My wife, a friend from Kharkiv who arrived last year, and myself.", False),
        ("my wife and a friend and myself", False),
        ("my husband hits me and my 2 kids", True),
        ("je me sens seul et sans espoir", True),
        ("I want to kill myself", True),
    ],
)
def test_people_counted_without_words_of_harm_are_no_distress(text, stays):
    intent, _ = _guarded(
        text, (DISTRESS, 0.99), ("delete_my_data", 0.005), ("ask_resources", 0.003)
    )
    assert (intent["name"] == DISTRESS) is stays


def test_every_distress_training_example_stays_distress():
    from pathlib import Path

    import yaml

    from bot.nlu.command_guard import counts_people, says_distress_outright

    examples = []
    for path in (Path(__file__).parents[2] / "bot" / "data" / "nlu").glob("*/handoff.yml"):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if item.get("intent") == DISTRESS:
                examples += [line.strip()[2:] for line in item["examples"].splitlines() if line]
    assert len(examples) > 50
    lost = [t for t in examples if counts_people(t) and not says_distress_outright(t)]
    assert lost == []


def test_a_reading_replaced_never_becomes_a_person_a_yes_or_a_profile_command():
    # switch_language (French and English named) had request_human, deny and
    # delete_match_profile before start_screening: none of them is this message.
    text = (
        "Hi, I'm a freelance translator in Laval (Arabic, French and English). I work on my own"
        " but I like the idea of co-ops. Could it work for someone like me?"
    )
    intent, _ = _guarded(
        text,
        ("switch_language", 0.917),
        ("request_human", 0.012),
        ("deny", 0.009),
        ("delete_match_profile", 0.007),
        ("start_screening", 0.006),
    )
    assert intent["name"] == "start_screening"


@pytest.mark.parametrize(
    ("text", "confidence", "reading"),
    [
        ("pis si la coop fait faillite, est-ce que je peux perdre mon condo?", 0.96, QUESTION),
        ("if the co-op goes bankrupt can the bank take my car?", 0.96, QUESTION),
        ("we want to open a bakery, can we?", 0.96, "start_screening"),
    ],
)
def test_a_question_about_what_a_member_risks_is_a_question(text, confidence, reading):
    intent, _ = _guarded(text, ("start_screening", confidence), (QUESTION, 0.02))
    assert intent["name"] == reading


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("Who can help me start a co-op in Gatineau?", "ask_resources"),
        ("qui peut m'aider à Sherbrooke?", "ask_resources"),
        ("who can help me understand the reserve?", QUESTION),
    ],
)
def test_who_helps_somewhere_named_is_the_resources(text, reading):
    intent, _ = _guarded(text, (QUESTION, 0.525), ("ask_resources", 0.47))
    assert intent["name"] == reading
    assert intent["confidence"] >= 0.5


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        (
            "hi, who could help me with a coop project in Baie-Comeau? I'd rather contact them "
            "myself",
            "ask_resources",
        ),
        ("qui pourrait m'aider à partir une coop à Rimouski?", "ask_resources"),
        ("we want to open a bakery co-op in Laval", "start_screening"),
    ],
)
def test_who_helps_somewhere_named_is_not_the_questionnaire(text, reading):
    """dev5 en-90: read as the screening, which then said the question back as the project."""
    intent, _ = _guarded(text, ("start_screening", 0.97), ("ask_resources", 0.02))
    assert intent["name"] == reading


def test_a_person_asked_for_in_so_many_words_is_sure():
    """dev14: read as a person at 0.24, then as not understood."""
    intent, _ = _guarded(
        "ok so who can tell me if my papers are ok for that?",
        ("request_human", 0.24),
        ("affirm", 0.12),
    )
    assert intent["name"] == "request_human"
    assert intent["confidence"] >= 0.8


def test_an_unsure_person_reading_without_the_words_stays_unsure():
    intent, _ = _guarded("ok so what about that", ("request_human", 0.24), ("affirm", 0.12))
    assert intent["confidence"] < 0.5


def test_a_malformed_word_file_is_refused_naming_the_list(tmp_path, monkeypatch):
    import bot.nlu.command_guard as guard

    words = tmp_path / "command_guard.yml"
    words.write_text(guard.WORDS_FILE.read_text(encoding="utf-8") + "\nseeking_words: chercher\n")
    monkeypatch.setattr(guard, "WORDS_FILE", words)
    with pytest.raises(ValueError, match="seeking_words"):
        guard._words_file()


@pytest.mark.parametrize(
    ("text", "becomes"),
    [
        (
            "Bonjour! On est 4 coiffeuses à Laval pis on veut ouvrir un salon en coop, "
            "ça marcherait-tu?",
            "start_screening",
        ),
        ("hi! we want to open a bakery with 3 friends in Laval", "ask_cooperative_question"),
        ("bonjour!", "greet"),
        ("salut, chu arrivée du Maroc y a 6 mois", "greet"),
    ],
)
def test_a_project_read_as_a_greeting_is_the_project(text, becomes):
    # A model trained in CI read the hairdressers' project as a greeting (0.66) and the welcome
    # was the answer (2026-12-05).
    intent, _ = _guarded(text, ("greet", 0.66), ("ask_cooperative_question", 0.05))
    assert intent["name"] == becomes
