"""Every response exists in French and English, as variations conditioned on the language slot."""

import pytest

from tests.domain_texts import responses, variation_language


@pytest.mark.parametrize("name", sorted(responses()))
def test_response_has_one_french_and_one_english_variation(name):
    languages = sorted(variation_language(v) for v in responses()[name])
    assert languages == ["en", "fr"], f"{name} has variations for {languages}"


@pytest.mark.parametrize("name", sorted(responses()))
def test_variations_offer_the_same_buttons_in_both_languages(name):
    counts = {variation_language(v): len(v.get("buttons") or []) for v in responses()[name]}
    assert counts["fr"] == counts["en"], f"{name}: buttons {counts}"


def test_french_variations_address_the_user_as_vous():
    tutoiement = [" tu ", " ton ", " ta ", " tes ", " toi "]
    for name, variations in responses().items():
        for variation in variations:
            if variation_language(variation) == "fr":
                text = f" {variation['text'].lower()} "
                assert not any(word in text for word in tutoiement), name
