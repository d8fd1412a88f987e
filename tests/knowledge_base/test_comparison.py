"""Comparison questions are read as two sides (issue 14)."""

import pytest

from knowledge_base.comparison import comparison_sides, is_comparison_entry


@pytest.mark.parametrize(
    "question, sides",
    [
        (
            "what is the difference between a worker co-op and a solidarity co-op?",
            ("a worker co-op", "a solidarity co-op"),
        ),
        (
            "how is a coop d'habitation different from a coop de travailleurs?",
            ("a coop d'habitation", "a coop de travailleurs"),
        ),
        ("coop de travail ou coop de solidarité?", ("coop de travail", "coop de solidarité")),
        ("quelle est la différence entre une coop et un OBNL", ("une coop", "un OBNL")),
        ("ristourne vs dividende", ("ristourne", "dividende")),
        (
            "wait what's the diffrence between a worker coop and a solidarity coop?",
            ("a worker coop", "a solidarity coop"),
        ),
        ("OBNL ou coop, quoi choisir?", ("OBNL", "coop")),
        ("should we choose a co-op or a corporation?", ("a co-op", "a corporation")),
        (
            "is a coopérative de solidarité the same thing as a coop de consommateurs or no? "
            "I keep seeing both names",
            ("a coopérative de solidarité", "a coop de consommateurs"),
        ),
        (
            "est-ce qu'une coop de solidarité c'est la même chose qu'une coop de consommateurs?",
            ("une coop de solidarité", "une coop de consommateurs"),
        ),
        ("Is a co-op similar to a non-profit?", ("a co-op", "a non-profit")),
    ],
)
def test_the_two_sides_of_a_comparison(question, sides):
    assert comparison_sides(question) == sides


@pytest.mark.parametrize(
    "question",
    [
        "c'est quoi une coop",
        "can I work or study?",  # one question with two verbs
        "est-ce que je dois payer des impôts ou pas?",
        "on est 3 ou 4",
        "is this the same as before?",  # nothing named to compare
        "is the reserve the same every year?",
    ],
)
def test_questions_that_compare_nothing(question):
    assert comparison_sides(question) is None


def test_comparison_entries_are_known_by_their_id():
    assert is_comparison_entry("coop-vs-nonprofit-obnl")
    assert is_comparison_entry("compare-legal-forms")
    assert not is_comparison_entry("coop-types-worker")
