"""Phone numbers and e-mail addresses in a person's free text (issue 18: contact details never
appear in a suggestion, nor reach the other side before both said yes): found in Québec's usual
formats, masked in French and in English wherever the other side or a suggestion could read
them, even after the advisor's review; ordinary numbers left alone."""

from __future__ import annotations

import pytest

import matchmaking
from matchmaking import Candidate, Matcher, Reason
from matchmaking.redaction import contact_kinds, redact, redact_items
from tests.matchmaking.conftest import make_profile

FR_MASK, EN_MASK = "[coordonnées retirées]", "[contact removed]"


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Appelez-moi au 514-555-0199 le soir", ("phone",)),
        ("mon cell : (438) 555 0177", ("phone",)),
        ("Texto au 450.555.0134.", ("phone",)),
        ("WhatsApp +1 819 555 0100", ("phone",)),
        ("sans frais 1-800-555-0123", ("phone",)),
        ("call 5145550199 after 6", ("phone",)),
        ("au 555-0199 (pas d'indicatif)", ("phone",)),
        ("en France : +33 6 12 34 56 78", ("phone",)),
        ("écrivez à ana.zuniga@example.org", ("email",)),
        ("email me: Ana_Z+coop@Courriel.QC.ca!", ("email",)),
        ("ana @ exemple.ca", ("email",)),
        ("ana[at]exemple[dot]ca", ("email",)),
        ("ana arobase exemple.ca", ("email",)),
        ("514 555 0199 ou ben@example.com", ("phone", "email")),
    ],
)
def test_contact_details_are_found_in_quebec_formats(text: str, kinds: tuple[str, ...]) -> None:
    assert contact_kinds(text) == kinds
    for lang, mask in (("fr", FR_MASK), ("en", EN_MASK)):
        masked = redact(text, lang)
        assert masked is not None and mask in masked
        for digits in ("555", "@", "[at]", "arobase", "5145550199"):
            assert digits not in masked, (text, masked)


@pytest.mark.parametrize(
    "text",
    [
        "Un budget de 150 000 $ pour 2024-2025",
        "Nous sommes 5 associés, ouvert de 9 h à 17 h, 7 jours sur 7",
        "A $250,000 loan over 10 years at 4.5 %",
        "We meet at St.Laurent station, suite 1200",
        "Code postal H2X 1Y4, 3 enfants, 12 ans d'expérience",
        "Le 12-06-2026 à 14 h 30",
        "",
    ],
)
def test_ordinary_numbers_and_words_are_left_alone(text: str) -> None:
    assert contact_kinds(text) == ()
    assert redact(text, "fr") == text and redact(text, "en") == text


def test_the_mask_is_the_catalogues_in_each_language() -> None:
    assert redact("Tél. 514-555-0199, merci", "fr") == f"Tél. {FR_MASK}, merci"
    assert redact("Phone 514-555-0199, thanks", "en") == f"Phone {EN_MASK}, thanks"
    assert redact(None, "fr") is None
    assert redact_items(("cuisine", "a@b.ca"), "en") == ("cuisine", EN_MASK)
    assert matchmaking.label("redaction", "contact_removed", "fr") == FR_MASK


def test_a_skill_holding_a_number_is_never_a_reason_and_renders_masked() -> None:
    seeker = Candidate("A", skills_sought=("cuisine 514-555-0199",), languages=("fr",))
    cook = Candidate("B", skills=("cuisine 514-555-0199",), languages=("fr",))
    suggestion = Matcher().score(seeker, cook)
    assert suggestion is not None and "skill_sought" not in suggestion.codes
    # A reason stored before this rule (an introduction's suggestion) renders masked anyway.
    stored = Reason("skill_sought", {"skill": "cuisine, ana@example.org"})
    assert matchmaking.render_reason(stored.code, stored.params, "fr") == (
        f"a une compétence recherchée : cuisine, {FR_MASK}"
    )
    assert matchmaking.render_reason(stored.code, stored.params, "en") == (
        f"has a skill that is sought: cuisine, {EN_MASK}"
    )


def test_the_other_side_never_reads_a_number_even_after_review(database) -> None:
    ana = make_profile(
        "sender-ana",
        project_text="Traiteur mexicain, appelez-moi au (438) 555 0177 ou ana@example.org",
    )
    ben = make_profile("sender-ben", intent="join_project")
    ben_en = make_profile("sender-kim", intent="join_project", languages=["fr", "en"])
    matchmaking.review_text(ana.reference, by="paul")
    told = matchmaking.propose(ana.reference, ben.reference, by="paul").summary_for("b")
    assert told["text"] == f"Traiteur mexicain, appelez-moi au {FR_MASK} ou {FR_MASK}"
    english = matchmaking.propose(ana.reference, ben_en.reference, by="paul")
    assert english.summary_for("b", "en")["text"] == (
        f"Traiteur mexicain, appelez-moi au {EN_MASK} ou {EN_MASK}"
    )
    # The stored sentence is the person's own, unchanged (they see it under "mon profil").
    project_text = matchmaking.get_profile(ana.reference).project_text
    assert project_text is not None
    assert "555 0177" in project_text


def test_a_suggestion_shows_no_contact_detail(database, encoder) -> None:
    ana = make_profile("sender-ana")
    ben = make_profile(
        "sender-ben",
        intent="join_project",
        project_text="Cuisinier, texto au 514.555.0199",
        skills=["cuisine", "ben@example.org"],
    )
    project = matchmaking.publish_project(
        "cdrq",
        title="Épicerie coopérative — info 450-555-0134",
        description="Écrivez à epicerie@example.org",
        region_code="06",
        language="fr",
        sector="food",
        by="paul",
    )
    for lang, mask in (("fr", FR_MASK), ("en", EN_MASK)):
        ranked = matchmaking.suggest_for(ana.reference, encoder, lang=lang)
        assert {r.other.reference for r in ranked} == {ben.reference, project.reference}
        for r in ranked:
            shown = r.other.text + " ".join(
                matchmaking.render_reason(x.code, x.params, lang) for x in r.suggestion.reasons
            )
            assert "555" not in shown and "@" not in shown and mask in r.other.text


def test_the_chat_lists_projects_without_a_number_in_their_title(database) -> None:
    from bot.actions import partners

    project = matchmaking.publish_project(
        "cdrq",
        title="Épicerie solidaire, info 450-555-0134",
        description="Une épicerie",
        region_code="06",
        language="fr",
        by="paul",
    )
    assert partners.project_lines([project], "fr").startswith(
        f"- Épicerie solidaire, info {FR_MASK} — "
    )
    assert EN_MASK in partners.project_lines([project], "en")
