"""Finding the administrative region named in free text."""

from __future__ import annotations

import pytest

from knowledge_base.gazetteer import (
    CITY_OF_QUEBEC,
    Ambiguous,
    RegionMatch,
    city_meant,
    find_region,
)


@pytest.mark.parametrize(
    ("text", "code", "matched"),
    [
        ("J'habite à montreal", "06", "montreal"),
        ("MONTRÉAL", "06", "MONTRÉAL"),
        ("I live in Montréal-Nord", "06", "Montréal-Nord"),
        ("Trois Rivieres", "04", "Trois Rivieres"),
        ("à trois-rivières", "04", "trois-rivières"),
        ("St-Jérôme", "15", "St-Jérôme"),
        ("ste agathe des monts", "15", "ste agathe des monts"),
        ("Saint-Jérôme, dans les Laurentides", "15", "Saint-Jérôme"),
        ("Québec City", "03", "Québec City"),
        ("quebec city", "03", "quebec city"),
        ("la ville de Québec", "03", "ville de Québec"),
        ("je suis dans la Mauricie", "04", "Mauricie"),
        ("the Laurentians region", "15", "Laurentians region"),
        ("Montérégie", "16", "Montérégie"),
        ("je vis au Québec, à Lévis", "12", "Lévis"),
        ("Montréal, Québec", "06", "Montréal"),
        ("L'Ancienne-Lorette", "03", "L'Ancienne-Lorette"),
        ("ancienne lorette", "03", "ancienne lorette"),
    ],
)
def test_region_found(kb, text, code, matched):
    found = kb.find_region(text)
    assert isinstance(found, RegionMatch), found
    assert (found.code, found.matched) == (code, matched)
    assert kb.get(found.entry_id).code == code


@pytest.mark.parametrize(
    ("text", "code", "matched"),
    [
        # A newcomer's spelling of a city's name: a letter missing, doubled or swapped.
        ("sherbrook", "05", "sherbrooke"),
        ("a cleaning company in sherbrook", "05", "sherbrooke"),
        ("à gatinau", "07", "gatineau"),
        ("longeuil", "16", "longueuil"),
        ("chicoutim", "02", "chicoutimi"),
    ],
)
def test_a_city_typed_with_a_letter_wrong_is_found(text, code, matched):
    found = find_region(text)  # the real content's regions and cities
    assert isinstance(found, RegionMatch), found
    assert (found.code, found.matched) == (code, matched)


@pytest.mark.parametrize(
    "text",
    [
        "montre-moi le menu",  # "montre" is no "montreal": too short for it
        "est-ce vrai que les coops ferment moins vite",  # nor « ferment » Fermont
        "ma carte d'assurance maladie",  # nor « maladie » La Malbaie
        "services i guess, cleaning houses and offices",
    ],
)
def test_words_close_to_a_city_name_are_not_it(text):
    assert find_region(text) is None


@pytest.mark.parametrize("text", ["Quebec", "Je vis au Québec", "QUÉBEC"])
def test_quebec_alone_is_city_or_province(kb, text):
    found = kb.find_region(text)
    assert isinstance(found, Ambiguous) and found.province
    assert [c.code for c in found.candidates] == ["03"]


@pytest.mark.parametrize(
    ("text", "codes"),
    [("Saint-Georges", {"12", "16"}), ("entre Montréal et Lévis", {"06", "12"})],
)
def test_several_regions_are_ambiguous(kb, text, codes):
    found = kb.find_region(text)
    assert isinstance(found, Ambiguous) and not found.province
    assert {c.code for c in found.candidates} == codes


@pytest.mark.parametrize(
    "text", ["", "nulle part", "province de Québec", "Toronto", "je monte à la montagne"]
)
def test_no_region(kb, text):
    assert kb.find_region(text) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # "south shore" alone is Montérégie's; beside Lévis it is Lévis
        ("Lévis, on the south shore.", "12"),
        ("à Lévis, sur la rive-sud", "12"),
    ],
)
def test_a_place_named_beside_a_relative_area_is_that_place(kb, text, code):
    found = kb.find_region(text)
    assert isinstance(found, RegionMatch), found
    assert found.code == code


@pytest.mark.parametrize(
    ("text", "within_quebec", "asked_which", "city"),
    [
        ("à Québec", False, False, True),  # French says the city with « à »
        ("a Quebec, dans Limoilou", False, False, True),
        ("au Québec", False, False, False),  # the province
        ("we are a Quebec company", False, False, False),  # an English "a"
        ("Québec", False, False, False),
        ("Québec", True, False, True),  # asked where in Québec: the province is no answer
        ("Québec", False, True, True),  # said again after "Do you mean Québec City?"
        ("Montréal", True, True, False),  # not ambiguous: nothing to decide
        ("Laval ou Longueuil", True, True, False),  # ambiguous between regions, not the city
    ],
)
def test_quebec_is_the_city_only_when_it_can_only_mean_it(
    kb, text, within_quebec, asked_which, city
):
    meant = city_meant(
        kb.find_region(text), text, within_quebec=within_quebec, asked_which=asked_which
    )
    assert (meant is not None and meant.code == CITY_OF_QUEBEC) is city
    assert meant is None or not city or isinstance(meant, RegionMatch)
