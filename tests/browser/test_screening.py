"""A short screening through the widget, mostly with quick replies, up to the verdict."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.widget import Widget, new_page

pytestmark = pytest.mark.e2e
NOT_TRAINED = "the trained model has no screening form: train it (make train)"
# Free-text questions of the form, answered in words; the others have quick replies.
# The first key found in the question wins (the region question also says "projet").
FREE_TEXT = {
    "ville ou région": "Montréal",
    "projet en une phrase": "un service de traiteur avec trois amies",
}
MAX_STEPS = 20


def tracker(servers, session_id: str) -> dict:
    reply = requests.get(
        f"{servers.base_url}/conversations/{session_id}/tracker",
        params={"token": servers.token},
        timeout=10,
    )
    reply.raise_for_status()
    return reply.json()


@pytest.mark.parametrize("width", [360], ids=["360px"])
def test_a_short_screening_through_the_widget(browser, web, servers, width):
    domain = requests.get(
        f"{servers.base_url}/domain",
        params={"token": servers.token},
        headers={"Accept": "application/json"},
        timeout=10,
    ).json()
    # make test always trains first: a model without the form is a failure, not an excuse.
    assert "screening_form" in (domain.get("forms") or {}), NOT_TRAINED

    page = new_page(browser, width)
    page.goto(f"{web}/")
    widget = Widget(page)
    widget.greet()
    page.get_by_role("button", name="Une coop me convient-elle ?").click()
    widget.wait_for_bot(2)
    session = widget.session_id()
    for _ in range(MAX_STEPS):
        slots = tracker(servers, session)["slots"]
        if slots.get("coop_fit"):
            break
        question = widget.bot.last.inner_text()
        answer = next((text for key, text in FREE_TEXT.items() if key in question), None)
        count = widget.bot.count()
        if widget.replies.count():
            widget.replies.first.click()
            expect(widget.replies).to_have_count(0)
        else:
            widget.input.fill(answer or "Je ne sais pas")
            widget.input.press("Enter")
        widget.wait_for_bot(count + 1)
        page.wait_for_timeout(500)  # a reply may come in several messages
    slots = tracker(servers, session)["slots"]
    transcript = "\n".join(page.locator(".cp-msg").all_inner_texts())
    assert slots.get("coop_fit") in ("strong", "conditional", "weak"), transcript
    assert slots.get("recommended_coop_type")
    assert page.js_errors == []
    page.context.close()
