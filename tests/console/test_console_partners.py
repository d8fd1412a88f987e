"""The "Partners" pages: advisors see their regions only (another region's advisor sees
nothing and gets 404s), suggestions show reasons in the advisor's language and never a
contact, an introduction reveals contacts only once both sides said yes, everything audited."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

import appdb
import matchmaking
from handoff.models import AuditEvent
from tests.console.conftest import Session
from tests.matchmaking.conftest import make_profile

ANA_EMAIL = "ana.zuniga@example.org"
BEN_EMAIL = "ben.okafor@example.org"


@pytest.fixture(autouse=True)
def hashing_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    # The real encoder is exercised by tests/matchmaking/test_quality.py.
    monkeypatch.setenv("COOPILOTE_ENCODER", "hashing")


@pytest.fixture()
def pair(people) -> tuple[str, str]:
    """Two people in Capitale-Nationale (03): CDRQ serves every region, PROMIS only Montréal."""
    ana = make_profile(
        "sender-ana",
        region_code="03",
        contact_value=ANA_EMAIL,
        project_text="Coopérative de traiteur mexicain à Québec, il nous manque une cuisinière",
        skills_sought=["cuisine"],
    )
    ben = make_profile(
        "sender-ben",
        intent="join_project",
        region_code="03",
        contact_value=BEN_EMAIL,
        project_text="Cuisinier, je veux rejoindre une coop en alimentation",
        skills=["cuisine"],
    )
    return ana.reference, ben.reference


def audit_actions(reference: str) -> list[tuple[str, str]]:
    with appdb.session_scope() as session:
        return [
            (actor, action)
            for actor, action in session.execute(
                select(AuditEvent.actor, AuditEvent.action)
                .where(AuditEvent.reference == reference)
                .order_by(AuditEvent.id)
            ).all()
        ]


def test_an_advisor_of_another_region_sees_nothing(pair) -> None:
    ana, ben = pair
    bob = Session("bob")  # PROMIS: Montréal only
    listing = bob.get("/partners")
    assert listing.status_code == 200
    assert ana not in listing.text and ben not in listing.text
    for url in (f"/partners/profiles/{ana}", f"/partners/profiles/{ben}"):
        assert bob.get(url).status_code == 404
    assert ("bob", "access_refused") in audit_actions(ana)
    response = bob.post("/partners/introductions", {"profile": ana, "other": ben})
    assert response.status_code == 404
    assert matchmaking.introductions_of(ana) == []


def test_suggestions_with_reasons_in_the_advisors_language_and_no_contact(pair) -> None:
    ana, ben = pair
    alice = Session("alice")  # CDRQ: every region
    assert ana in alice.get("/partners").text
    page = alice.get(f"/partners/profiles/{ana}")
    assert page.status_code == 200
    assert ben in page.text
    assert "même secteur (alimentation)" in page.text
    assert "a une compétence recherchée : cuisine" in page.text
    assert ANA_EMAIL not in page.text and BEN_EMAIL not in page.text
    english = alice.get(f"/partners/profiles/{ana}?lang=en")
    assert "same sector (food)" in english.text
    assert "has a skill that is sought: cuisine" in english.text
    assert ("alice", "viewed") in audit_actions(ana)


def test_contact_revealed_only_after_both_accept(pair) -> None:
    ana, ben = pair
    alice = Session("alice")
    response = alice.post("/partners/introductions", {"profile": ana, "other": ben})
    assert response.status_code == 303
    url = response.headers["location"].split("?")[0]
    reference = url.rsplit("/", 1)[-1]
    page = alice.get(url).text
    assert "proposée" in page and ANA_EMAIL not in page and BEN_EMAIL not in page
    assert alice.post(f"{url}/answer", {"side": "a", "answer": "yes"}).status_code == 303
    page = alice.get(url).text
    assert ANA_EMAIL not in page and BEN_EMAIL not in page
    alice.post(f"{url}/answer", {"side": "b", "answer": "yes"})
    page = alice.get(url).text
    assert ANA_EMAIL in page and BEN_EMAIL in page
    assert alice.post(f"{url}/met").status_code == 303
    alice.post(f"{url}/outcome", {"outcome": "founding_together"})
    alice.post(f"{url}/notes", {"text": "Premier rendez-vous au café"})
    final = matchmaking.get_introduction(reference)
    assert (final.state, final.outcome) == ("outcome", "founding_together")
    actions = [a for _, a in audit_actions(reference)]
    assert actions[:3] == ["introduction_proposed", "viewed", "introduction_answer"]
    assert actions.count("viewed") == 3
    for expected in ("introduction_answer", "introduction_met", "introduction_outcome"):
        assert expected in actions
    assert "introduction_note" in actions
    # The other region's advisor cannot open the introduction either.
    assert Session("bob").get(url).status_code == 404


def test_a_declined_introduction_never_reveals(pair) -> None:
    ana, ben = pair
    alice = Session("alice")
    url = (
        alice.post("/partners/introductions", {"profile": ana, "other": ben})
        .headers["location"]
        .split("?")[0]
    )
    alice.post(f"{url}/answer", {"side": "a", "answer": "yes"})
    alice.post(f"{url}/answer", {"side": "b", "answer": "no"})
    page = alice.get(url).text
    assert ANA_EMAIL not in page and BEN_EMAIL not in page
    assert alice.post(f"{url}/met").headers["location"].endswith("error=transition_refused")


def test_forms_need_the_csrf_token(pair) -> None:
    ana, ben = pair
    alice = Session("alice")
    assert (
        alice.post(
            "/partners/introductions", {"profile": ana, "other": ben}, csrf=False
        ).status_code
        == 403
    )
    assert matchmaking.introductions_of(ana) == []


def test_an_organisation_publishes_a_project_and_gets_suggestions(people) -> None:
    joiner = make_profile(
        "sender-ben",
        intent="join_project",
        region_code="06",
        project_text="Je veux rejoindre une épicerie coopérative",
        contact_value=BEN_EMAIL,
    )
    bob = Session("bob")
    form = bob.get("/partners/projects/new")
    assert form.status_code == 200 and "Publier" in form.text
    response = bob.post(
        "/partners/projects",
        {
            "title": "Épicerie coopérative de Parc-Extension",
            "description": "Une épicerie de quartier cherche des membres travailleurs",
            "region_code": "06",
            "sector": "food",
            "roles_sought": "worker",
            "languages": "fr",
            "language": "fr",
        },
    )
    assert response.status_code == 303
    url = response.headers["location"].split("?")[0]
    reference = url.rsplit("/", 1)[-1]
    project = matchmaking.get_project(reference)
    assert project.organisation_key == "promis" and project.roles_sought == ("worker",)
    page = bob.get(url).text
    assert joiner.reference in page and "cherche ce rôle" in page
    assert BEN_EMAIL not in page
    assert ("bob", "project_published") in audit_actions(reference)
    proposed = bob.post(
        "/partners/introductions",
        {"profile": joiner.reference, "other": reference, "back": "project"},
    )
    assert (
        proposed.status_code == 303
        and "/partners/introductions/MI-" in proposed.headers["location"]
    )
    refused = bob.post("/partners/projects", {"title": "", "description": "x", "region_code": "06"})
    assert refused.status_code == 400
    assert re.search(r'role="alert"', refused.text)


def test_an_admin_sees_every_region(pair) -> None:
    ana, _ = pair
    admin = Session("admin")
    assert ana in admin.get("/partners").text
    assert admin.get(f"/partners/profiles/{ana}").status_code == 200


def test_the_advisor_marks_a_sentence_reviewed(pair) -> None:
    ana, _ = pair
    alice = Session("alice")
    page = alice.get(f"/partners/profiles/{ana}").text
    assert f"/partners/profiles/{ana}/review" in page
    assert alice.post(f"/partners/profiles/{ana}/review").status_code == 303
    assert matchmaking.get_profile(ana).text_reviewed_by == "alice"
    assert "Relu par alice" in alice.get(f"/partners/profiles/{ana}").text
    assert Session("bob").post(f"/partners/profiles/{ana}/review").status_code == 404
    assert ("alice", "profile_text_reviewed") in audit_actions(ana)


def test_suggestions_and_introductions_stay_in_the_advisors_regions(people) -> None:
    """A Laval person who accepts neighbouring regions matches a Montréal one, but a Montréal
    advisor neither sees them among the suggestions nor introduces them (from either page)."""
    mtl = make_profile(
        "sender-mtl",
        region_code="06",
        project_text="Coopérative de traiteur mexicain, il nous manque une cuisinière",
        skills_sought=["cuisine"],
    )
    laval = make_profile(
        "sender-laval",
        intent="join_project",
        region_code="13",
        contact_value="laval.person@example.org",
        project_text="Cuisinière, je veux rejoindre une coop en alimentation. 514-555-0199",
        skills=["cuisine"],
    )
    # The match exists: an advisor of every region is offered it.
    alice = Session("alice")  # CDRQ: every region
    assert laval.reference in alice.get(f"/partners/profiles/{mtl.reference}").text
    bob = Session("bob")  # PROMIS: Montréal only
    page = bob.get(f"/partners/profiles/{mtl.reference}")
    assert page.status_code == 200
    assert laval.reference not in page.text and "514-555-0199" not in page.text
    response = bob.post(
        "/partners/introductions", {"profile": mtl.reference, "other": laval.reference}
    )
    assert response.status_code == 404
    # Nor from a project of bob's organisation: the person must be visible too.
    project = matchmaking.publish_project(
        "promis",
        title="Traiteur coopératif",
        description="Un traiteur cherche une cuisinière",
        region_code="06",
        language="fr",
        by="bob",
        sector="food",
        skills_sought=["cuisine"],
    )
    assert laval.reference not in bob.get(f"/partners/projects/{project.reference}").text
    response = bob.post(
        "/partners/introductions",
        {"profile": laval.reference, "other": project.reference, "back": "project"},
    )
    assert response.status_code == 404
    assert matchmaking.introductions_of(laval.reference) == []
    assert ("bob", "access_refused") in audit_actions(laval.reference)


def test_contact_details_in_free_text_warn_the_reviewer_and_stay_masked(people) -> None:
    """The reviewer reads the person's own words and a warning; every other view (suggestions,
    the introduction before both said yes) shows the catalogue's mask instead of the number."""
    ana = make_profile(
        "sender-ana",
        region_code="03",
        project_text="Traiteur mexicain, texto au 418-555-0142",
        skills_sought=["cuisine"],
    )
    ben = make_profile(
        "sender-ben",
        intent="join_project",
        region_code="03",
        project_text="Cuisinier, écrivez-moi à ben.cuisine@example.org",
        skills=["cuisine"],
    )
    alice = Session("alice")
    review = alice.get(f"/partners/profiles/{ben.reference}?lang=en").text
    assert 'data-testid="contact-warning"' in review and "email address" in review
    assert "ben.cuisine@example.org" in review  # the reviewer sees what was written
    french = alice.get(f"/partners/profiles/{ben.reference}?lang=fr").text
    assert "Attention : la personne a écrit des coordonnées (adresse courriel)" in french
    # Ana's page: Ben is suggested, his address masked; Ana's own number is the review's.
    page = alice.get(f"/partners/profiles/{ana.reference}").text
    assert ben.reference in page and "ben.cuisine@example.org" not in page
    assert "Cuisinier, écrivez-moi à [coordonnées retirées]" in page
    assert "numéro de téléphone" in page
    english = alice.get(f"/partners/profiles/{ana.reference}?lang=en").text
    assert "Cuisinier, écrivez-moi à [contact removed]" in english
    # No warning where there is nothing to warn about.
    plain = make_profile("sender-carl", region_code="03", project_text="Une boulangerie")
    assert (
        'data-testid="contact-warning"'
        not in alice.get(f"/partners/profiles/{plain.reference}").text
    )
    # The introduction's page masks both sentences until, and after, both said yes.
    url = (
        alice.post("/partners/introductions", {"profile": ana.reference, "other": ben.reference})
        .headers["location"]
        .split("?")[0]
    )
    intro = alice.get(f"{url}?lang=fr").text
    assert "418-555-0142" not in intro and "ben.cuisine@example.org" not in intro
    assert intro.count("[coordonnées retirées]") == 2
