"""Needs outside the co-op's scope said in plain words get the resources that help (issue 14)."""

from __future__ import annotations

import pytest

from knowledge_base.needs import need_entry


@pytest.mark.parametrize(
    "text",
    [
        "i lost my job and i can not pay the rent this month, also the fridge is almost empty",
        "where can i get food for my kids this week",
        "j'ai perdu mon emploi et je peux pas payer le loyer",
        "où trouver de la nourriture pour mes enfants cette semaine",
        "help paying my rent",
        "on risque de perdre notre logement",
        "y a-t-il une banque alimentaire à Laval?",
        "we have nothing to eat since Monday",
        "where is the food bank?",
        "comment trouver une banque alimentaire",
    ],
)
def test_rent_and_food_needs_get_the_resources_entry(text):
    assert need_entry(text) == "information-line-211"


@pytest.mark.parametrize(
    "text",
    [
        "we need to rent a commercial space for our coop, how much is the rent?",
        "une épicerie de quartier en coopérative",
        "the rent of our storefront is 2000 a month",
        "on veut payer moins cher notre épicerie en achetant en groupe",
        "a food truck co-op with my cousins",
        "on veut ouvrir une banque alimentaire en coop",
    ],
)
def test_projects_that_speak_of_rent_or_food_are_not_needs(text):
    assert need_entry(text) is None


def test_the_needs_entries_exist_in_the_content():
    from knowledge_base.loader import CONTENT_DIR
    from knowledge_base.needs import _needs
    from knowledge_base.validation import load_directory

    ids = {entry.id for entry, _ in load_directory(CONTENT_DIR)}
    assert {entry_id for entry_id, _ in _needs()} <= ids
