"""The "Partners" pages in headless Chromium (system chromium), issue 18's browser test: an advisor
opens the Partners view, proposes an introduction between two suggested profiles, both people say
yes in the chat (the chat's own action, as the end-to-end tests answer), and the contact details
show on the introduction's page only then; an advisor of another region sees neither profile.
Screenshots are kept in var/test-artifacts/console/."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

import matchmaking
from bot.actions import partners
from console.advisor.i18n import Translator
from tests.conftest import make_tracker
from tests.console.conftest import PASSWORD
from tests.console.test_console_browser import ARTIFACTS, CHROMIUM, console_url  # noqa: F401
from tests.matchmaking.conftest import make_profile

ANA_EMAIL = "ana.zuniga@example.org"
BEN_PHONE = "+14185550142"
t = Translator("fr")


@pytest.fixture(autouse=True)
def hashing_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    # The real encoder is exercised by tests/matchmaking/test_quality.py.
    monkeypatch.setenv("COOPILOTE_ENCODER", "hashing")


def say_yes_in_the_chat(sender: str, introduction: str) -> list[str]:
    """The person taps "Oui, je veux bien": the chat's action on its own event loop (Playwright's
    sync API holds this thread's), as the action server would run it. Returns the responses."""
    from rasa_sdk.executor import CollectingDispatcher

    tracker = make_tracker(
        slots={"language": "fr"},
        intent="answer_introduction",
        entities=[{"entity": "choice", "value": f"yes:{introduction}"}],
    )
    tracker.sender_id = sender
    dispatcher = CollectingDispatcher()
    with ThreadPoolExecutor(1) as pool:
        pool.submit(
            asyncio.run, partners.ActionAnswerIntroduction().run(dispatcher, tracker, {})
        ).result(timeout=30)
    return [m.get("response") for m in dispatcher.messages]


def log_in(page, url: str, username: str) -> None:
    page.goto(url)
    page.get_by_label("Nom d'utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_advisor_proposes_both_accept_contacts_shown_only_then(console_url: str) -> None:  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    # Two people in Capitale-Nationale (03): CDRQ (alice) serves every region, PROMIS (bob)
    # only Montréal.
    ana = make_profile(
        "web-ana",
        region_code="03",
        contact_value=ANA_EMAIL,
        project_text="Coopérative de traiteur mexicain à Québec, il nous manque une cuisinière",
        skills_sought=["cuisine"],
    )
    ben = make_profile(
        "tg-ben",
        intent="join_project",
        region_code="03",
        contact_method="phone",
        contact_value="418 555-0142",
        project_text="Cuisinier, je veux rejoindre une coop en alimentation",
        skills=["cuisine"],
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        log_in(page, f"{console_url}/partners", "alice")
        expect(page.get_by_role("heading", name=t("partners.title"))).to_be_visible()
        expect(page.get_by_role("link", name=ben.reference)).to_be_visible()
        page.get_by_role("link", name=ana.reference).click()

        # Ben is among the suggestions, with reasons and no contact.
        suggestion = page.locator("ol.suggestions > li").filter(has_text=ben.reference)
        expect(suggestion.locator('[data-reason="skill_sought"]')).to_contain_text("cuisine")
        expect(page.get_by_text(ANA_EMAIL)).to_have_count(0)
        expect(page.get_by_text("555-0142")).to_have_count(0)
        suggestion.get_by_role("button", name=t("partners.propose")).click()

        expect(page.get_by_role("status")).to_have_text(t("partners.done.proposed"))
        introduction = page.url.split("?")[0].rsplit("/", 1)[-1]
        assert introduction.startswith("MI-")
        hidden = page.get_by_text(t("partners.contact.hidden_until_both"))
        expect(hidden).to_have_count(2)
        expect(page.get_by_test_id("contact-a")).to_have_count(0)
        expect(page.get_by_test_id("contact-b")).to_have_count(0)
        page.screenshot(path=str(ARTIFACTS / "partners-proposed.png"), full_page=True)

        # Ana says yes in the chat: still nothing about how to reach anyone.
        assert say_yes_in_the_chat("web-ana", introduction) == [
            "utter_match_introduction_yes_waiting"
        ]
        page.reload()
        expect(page.locator(".badge")).to_have_text(
            matchmaking.label("state", "accepted_by_one", "fr")
        )
        expect(hidden).to_have_count(2)
        expect(page.get_by_text(ANA_EMAIL)).to_have_count(0)
        expect(page.get_by_text(BEN_PHONE)).to_have_count(0)

        # Ben says yes: both contacts appear.
        assert say_yes_in_the_chat("tg-ben", introduction) == ["utter_match_introduction_accepted"]
        page.reload()
        expect(page.locator(".badge")).to_have_text(
            matchmaking.label("state", "accepted_by_both", "fr")
        )
        expect(page.get_by_test_id("contact-a")).to_contain_text(ANA_EMAIL)
        expect(page.get_by_test_id("contact-b")).to_contain_text(BEN_PHONE)
        expect(hidden).to_have_count(0)
        page.screenshot(path=str(ARTIFACTS / "partners-revealed.png"), full_page=True)

        # An advisor of another region: neither profile listed, every page answers 404.
        other = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        log_in(other, f"{console_url}/partners", "bob")
        expect(other.get_by_role("heading", name=t("partners.title"))).to_be_visible()
        expect(other.get_by_text(t("partners.profiles.empty"))).to_be_visible()
        for reference in (ana.reference, ben.reference):
            expect(other.get_by_text(reference)).to_have_count(0)
        for url in (
            f"/partners/profiles/{ana.reference}",
            f"/partners/profiles/{ben.reference}",
            f"/partners/introductions/{introduction}",
        ):
            response = other.goto(f"{console_url}{url}")
            assert response is not None and response.status == 404, url
            expect(other.get_by_role("heading", name=t("error.404.title"))).to_be_visible()
            expect(other.get_by_text(ANA_EMAIL)).to_have_count(0)
            expect(other.get_by_text(BEN_PHONE)).to_have_count(0)
        browser.close()
    final = matchmaking.get_introduction(introduction)
    assert final.state == "accepted_by_both" and final.proposed_by == "alice"
