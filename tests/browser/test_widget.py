"""The chat widget in headless Chromium against the real Rasa and action servers."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.widget import GREETING_EN, GREETING_FR, Widget, new_page
from tests.domain_texts import classify

pytestmark = pytest.mark.e2e


@pytest.fixture(params=[360, 1280], ids=["360px", "1280px"])
def width(request) -> int:
    return request.param


@pytest.fixture
def widget(browser, web, width):
    page = new_page(browser, width)
    page.goto(f"{web}/")
    yield Widget(page)
    assert page.js_errors == [], page.js_errors
    page.context.close()


def test_open_greet_quick_reply_and_reload(widget, web):
    page = widget.page
    launcher = page.get_by_role("button", name="Ouvrir le clavardage avec Coopilote")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    widget.greet()
    if page.viewport_size["width"] < 480:  # the panel fills a phone's screen
        expect(launcher).to_be_hidden()
    session = widget.session_id()
    assert session and re.fullmatch(r"web-[0-9a-f]{24}-[0-9a-f]{8,12}-[0-9a-f]{32}", session)

    page.get_by_role("button", name="Qu'est-ce qu'une coopérative ?").click()
    expect(widget.user.last).to_have_text("Vous :Qu'est-ce qu'une coopérative ?")
    widget.wait_for_bot(2)
    answer = widget.bot.nth(1)
    expect(answer).to_contain_text("coopérative")
    links = answer.locator("a")
    assert links.count() >= 1
    for i in range(links.count()):
        assert links.nth(i).get_attribute("target") == "_blank"
        assert links.nth(i).get_attribute("rel") == "noopener"
        assert links.nth(i).get_attribute("href").startswith("http")

    before = widget.page.locator(".cp-msg").all_inner_texts()
    page.reload()
    expect(widget.panel).to_be_visible()  # still open after the reload
    expect(widget.page.locator(".cp-msg")).to_have_count(len(before))
    assert widget.page.locator(".cp-msg").all_inner_texts() == before
    assert widget.session_id() == session

    # Another page of the same site: the same conversation, which goes on.
    page.goto(f"{web}/?lang=en")
    expect(widget.page.locator(".cp-msg")).to_have_count(len(before))
    expect(widget.panel).to_be_visible()
    widget.say("merci")
    assert widget.session_id() == session


def test_new_conversation_clears_what_the_browser_kept(widget):
    widget.greet()
    widget.say("Bonjour, je m'appelle Amina Diallo")
    old_session = widget.session_id()
    widget.page.get_by_role("button", name="Nouvelle conversation").click()
    expect(widget.status).to_contain_text("Nouvelle conversation commencée")
    expect(widget.user).to_have_count(0)
    expect(widget.bot.first).to_contain_text(GREETING_FR, timeout=45_000)
    expect(widget.bot).to_have_count(1)
    assert widget.session_id() not in (None, old_session)
    kept = widget.page.evaluate("JSON.stringify(Object.entries(localStorage))")
    assert "Amina" not in kept


def test_switch_language(widget, web, browser, width):
    widget.greet(GREETING_FR)
    widget.page.get_by_role("button", name="Switch to English").click()
    expect(widget.page.get_by_label("Your message")).to_be_visible()
    widget.wait_for_bot(2)
    assert classify(widget.bot.last.inner_text().split(":", 1)[1].strip()) == (
        "utter_language_switched",
        "en",
    )
    expect(widget.bot.last).to_have_attribute("lang", "en")
    widget.page.reload()
    expect(widget.page.get_by_role("button", name="Passer au français")).to_be_visible()

    # A page in English opens the widget in English, and the bot greets in English.
    page = new_page(browser, width)
    page.goto(f"{web}/?lang=en")
    english = Widget(page)
    english.greet(GREETING_EN)
    expect(page.get_by_label("Your message")).to_be_visible()
    page.context.close()


def test_keyboard_only(widget):
    page = widget.page
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate(
            "document.activeElement?.shadowRoot?.activeElement?.classList.contains('cp-launcher')"
        ):
            break
    else:
        pytest.fail("the launcher cannot be reached with Tab")
    page.keyboard.press("Enter")
    expect(widget.panel).to_be_visible()
    expect(widget.input).to_be_focused()
    expect(widget.bot.first).to_contain_text(GREETING_FR, timeout=45_000)

    page.keyboard.type("Bonjour")
    page.keyboard.press("Enter")
    widget.wait_for_bot(2)
    # Back from the input to the last quick reply, and choose it with the keyboard.
    expect(widget.replies.first).to_be_visible()
    page.keyboard.press("Shift+Tab")
    last_reply = widget.replies.last
    expect(last_reply).to_be_focused()
    title = last_reply.inner_text()
    page.keyboard.press("Enter")
    expect(widget.user.last).to_contain_text(title)
    expect(widget.input).to_be_focused()
    widget.wait_for_bot(3)

    page.keyboard.press("Escape")
    expect(widget.panel).to_be_hidden()
    launcher = page.locator(".cp-launcher")
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")


@pytest.mark.parametrize("width", [1280], ids=["1280px"], indirect=True)
def test_html_and_script_render_as_text(widget):
    page = widget.page
    widget.greet()
    hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>gras</b>'
    widget.say(hostile)
    assert widget.user.last.inner_text().endswith(hostile)
    assert widget.page.locator(".cp-msg img, .cp-msg script, .cp-msg b").count() == 0

    # A bot message with HTML, and the formatting the widget does support.
    history = [
        {
            "who": "bot",
            "text": (
                '**Important** : <img src=x onerror="window.__pwned=3"> <script>x</script>\n'
                "- un\n- deux [lien](https://example.org/a) et https://example.org/b.\n"
                "[piège](javascript:alert(1))"
            ),
            "lang": "fr",
        }
    ]
    page.evaluate("h => localStorage.setItem('coopilote.v1.history', h)", json.dumps(history))
    page.reload()
    message = widget.bot.first
    expect(message).to_contain_text('<img src=x onerror="window.__pwned=3"> <script>x</script>')
    assert message.locator("strong").inner_text() == "Important"
    assert message.locator("li").count() == 2
    hrefs = [a.get_attribute("href") for a in message.locator("a").all()]
    assert hrefs == ["https://example.org/a", "https://example.org/b"]
    assert message.locator("img, script").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_the_privacy_notice_opens_the_conversation(widget):
    widget.greet()
    expect(widget.notice).to_have_count(1)
    assert widget.page.locator(".cp-bot").first.inner_text() == widget.notice.inner_text()
    link = widget.notice.locator("a")
    expect(link).to_have_attribute("href", re.compile(r"/confidentialite$"))
    widget.say("merci")
    expect(widget.notice).to_have_count(1)


@pytest.mark.parametrize("width", [1280], ids=["1280px"], indirect=True)
def test_erasure_from_the_widget_clears_the_browser_too(widget):
    widget.greet()
    widget.say("Bonjour, je m'appelle Amina Diallo")
    widget.say("supprimer mes données")
    widget.page.get_by_role("button", name="Oui, tout effacer").click()
    expect(widget.status).to_contain_text("Vos données sont effacées", timeout=45_000)
    # Only the confirmation stays on screen; nothing of the conversation stays in the browser.
    expect(widget.page.locator(".cp-msg")).to_have_count(1)
    expect(widget.bot.first).to_contain_text("C'est fait")
    kept = widget.page.evaluate("JSON.stringify(Object.entries(localStorage))")
    assert "Amina" not in kept and "supprimer" not in kept
    # The next message is a new conversation: the notice comes again.
    widget.input.fill("Bonjour")
    widget.input.press("Enter")
    expect(widget.notice).to_have_count(1, timeout=45_000)
