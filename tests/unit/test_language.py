"""Language detection and the choice of the answer language."""

import pytest

from bot.language import Detection, choose_language, detect, language_from_metadata
from tests.support.processes import fresh_python


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bonjour", "fr"),
        ("Allo", "fr"),
        ("Salut!", "fr"),
        ("Hello", "en"),
        ("hey", "en"),
        ("comment partir une coop à Montréal", "fr"),
        ("how do I start a co-op in Montreal", "en"),
        ("je veux start une business avec mes amis", "fr"),
        ("in English please", "en"),
        ("Hola, quiero crear una cooperativa con mis amigos", "other"),
        ("مرحبا، أريد إنشاء تعاونية", "other"),
        ("Здравствуйте, я хочу открыть кооператив", "other"),
        ("你好，我想创办合作社", "other"),
        ("Guten Tag, ich möchte eine Genossenschaft gründen", "other"),
        ("Olá, quero abrir uma cooperativa", "other"),
        ("Ciao, vorrei aprire una cooperativa", "other"),
        # lingua alone calls these German or Polish: no function words of those languages here
        ("what is a coop", "en"),
        ("allooo allo", "fr"),
        ("heyyy", "en"),
        # Nouns both languages share, one English grammar word: French at 0.74 by its letters.
        ("grants for immigrant entrepreneurs?", "en"),
        ("aide pour immigrants entrepreneurs", "fr"),
    ],
)
def test_detect(text, expected):
    assert detect(text).language == expected


@pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "12345", "!!!"])
def test_detect_without_words_is_undecided(text):
    assert detect(text).language is None


@pytest.mark.parametrize("text", ["qwzx plorf vrazt", "asdf jkl qwerty", "NEQ CDRQ CQCM"])
def test_gibberish_and_acronyms_are_not_called_foreign(text):
    assert detect(text).language != "other"


@pytest.mark.parametrize(
    "text",
    [
        "Saint-Laurent, in Montréal",  # was French, 3 words: enough to switch an English talk
        "Trois-Rivières, in Mauricie",
        "We want to open a dépanneur in Montréal, near Jean-Talon market",
        "Hello, my name is Marie-Ève Tremblay and I live in Québec",
    ],
)
def test_place_and_person_names_do_not_make_english_french(text):
    found = detect(text)
    assert found.language == "en" or found.words < 3


def test_names_are_left_out_but_not_the_first_word_of_a_sentence():
    from bot.language.detection import without_names

    assert without_names("Je veux ouvrir un café à Montréal").split() == [
        "Je", "veux", "ouvrir", "un", "café", "à"
    ]  # fmt: skip
    assert without_names("Bonjour. Merci!") == "Bonjour. Merci!"


def test_a_short_spanish_word_is_not_called_foreign():
    # Too short for a reliable call: better to answer in French or English than to refuse.
    assert detect("hola").language in ("fr", "en", None)


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ({"language": "fr-CA"}, "fr"),
        ({"language": "en_US"}, "en"),
        ({"language_code": "EN"}, "en"),
        ({"locale": "es-MX"}, None),
        ({}, None),
        (None, None),
        ("fr", None),
        ({"language": 12}, None),
    ],
)
def test_language_from_metadata(metadata, expected):
    assert language_from_metadata(metadata) == expected


FR_SURE = Detection("fr", 0.99, 6)
EN_SURE = Detection("en", 0.99, 6)
EN_SHORT = Detection("en", 0.87, 1)  # "ok"
EN_WEAK = Detection("en", 0.55, 3)


@pytest.mark.parametrize(
    ("current", "source", "detection", "explicit", "channel", "expected"),
    [
        # explicit requests always win
        ("fr", "words", FR_SURE, "en", None, ("en", "explicit")),
        ("en", "explicit", EN_SURE, "fr", "en", ("fr", "explicit")),
        # first words: a moderately sure detection sets the language
        (None, None, EN_SHORT, None, None, ("en", "words")),
        ("fr", "default", EN_SHORT, None, None, ("en", "words")),
        ("fr", "channel", EN_SURE, None, "fr", ("en", "words")),
        # undecided words: the channel's language, else French
        (None, None, Detection("en", 0.62, 1), None, None, ("fr", "default")),  # "garage"
        (None, None, Detection("en", 0.62, 1), None, "en", ("en", "channel")),
        (None, None, Detection("en", 0.96, 1), None, None, ("en", "words")),  # "bakery"
        (None, None, Detection("en", 0.62, 2), None, None, ("en", "words")),
        (None, None, EN_WEAK, None, "en", ("en", "channel")),
        (None, None, None, None, None, ("fr", "default")),
        ("fr", "default", None, None, "en", ("en", "channel")),
        # settled by words: a short or unsure message does not flip it
        ("fr", "words", EN_SHORT, None, None, ("fr", "words")),
        ("fr", "words", EN_WEAK, None, "en", ("fr", "words")),
        ("en", "explicit", Detection("fr", 0.95, 1), None, None, ("en", "explicit")),
        ("fr", "explicit", Detection("en", 0.99, 3), None, None, ("fr", "explicit")),
        # ... a clear sentence in the other language does
        ("fr", "words", EN_SURE, None, None, ("en", "words")),
        ("fr", "explicit", EN_SURE, None, None, ("en", "words")),
        # foreign-language messages never change it
        ("en", "words", Detection("other", 1.0, 5, "es"), None, None, ("en", "words")),
    ],
)
def test_choose_language(current, source, detection, explicit, channel, expected):
    choice = choose_language(
        current, source, detection, explicit=explicit, channel_language=channel
    )
    assert (choice.language, choice.source) == expected


def test_another_language_is_recognised_without_importing_spacy() -> None:
    """The Rasa process does not load spaCy (about 100 MB) for a message in Spanish."""
    code = (
        "import sys\n"
        "from bot.language.detection import detect\n"
        "found = detect('Hola, quiero abrir una cooperativa con mis amigos')\n"
        "print(found.language, found.other, 'spacy' in sys.modules)\n"
    )
    assert fresh_python(code, timeout=120).split() == ["other", "es", "False"]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("مرحبا، أريد إنشاء تعاونية", "ar"),
        ("Здравствуйте, я хочу открыть кооператив", "ru"),
        ("你好，我想创办合作社", "zh"),
        ("नमस्ते, मैं एक सहकारी शुरू करना चाहता हूँ", "hi"),
    ],
)
def test_another_script_is_told_by_the_script(text: str, iso: str) -> None:
    found = detect(text)
    assert (found.language, found.other) == ("other", iso)


def test_one_grammar_word_decides_a_first_message_but_switches_nothing():
    from bot.language.choice import choose_language

    found = detect("grants for immigrant entrepreneurs?")
    assert choose_language(None, None, found).language == "en"
    assert choose_language("fr", "words", found).language == "fr"
