"""A small page object for the chat widget (Playwright locators pierce its open shadow root)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Browser, Page, ViewportSize, expect

WIDTHS: dict[int, ViewportSize] = {
    360: {"width": 360, "height": 740},
    1280: {"width": 1280, "height": 800},
}
REPLY_TIMEOUT_MS = 45_000
GREETING_FR = "Bonjour, je suis Coopilote"
GREETING_EN = "Hello, I'm Coopilote"
SESSION_KEY = "coopilote.v1.session"
# The privacy notice opens every conversation; ``Widget.bot`` leaves it out (``Widget.notice``).
NOTICE = re.compile(r"Avant de commencer :|Before we start:")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass
class Widget:
    page: Page

    @property
    def launcher(self):
        return self.page.locator(".cp-launcher")

    @property
    def panel(self):
        return self.page.get_by_role("dialog", name="Coopilote")

    @property
    def bot(self):
        """The bot's messages, without the privacy notice."""
        return self.page.locator(".cp-bot").filter(has_not_text=NOTICE)

    @property
    def notice(self):
        return self.page.locator(".cp-bot").filter(has_text=NOTICE)

    @property
    def user(self):
        return self.page.locator(".cp-user")

    @property
    def replies(self):
        return self.page.locator(".cp-reply")

    @property
    def status(self):
        return self.page.locator(".cp-status")

    @property
    def input(self):
        return self.page.locator("#cp-input")

    def open(self) -> None:
        self.page.get_by_role(
            "button", name=re.compile("Ouvrir le clavardage|Open the chat")
        ).click()
        expect(self.panel).to_be_visible()

    def wait_for_bot(self, count: int) -> None:
        """Waits for at least count bot messages and for the typing indicator to go."""
        expect(self.bot.nth(count - 1)).to_be_attached(timeout=REPLY_TIMEOUT_MS)
        expect(self.page.locator(".cp-typing")).to_be_hidden(timeout=REPLY_TIMEOUT_MS)

    def greet(self, greeting: str = GREETING_FR) -> None:
        """Opens the panel (unless open) and waits for the bot's greeting and its buttons."""
        if not self.panel.is_visible():
            self.open()
        expect(self.bot.first).to_contain_text(greeting, timeout=REPLY_TIMEOUT_MS)
        expect(self.replies.first).to_be_visible()

    def say(self, text: str) -> None:
        before = self.bot.count()
        self.input.fill(text)
        self.input.press("Enter")
        expect(self.user.last).to_have_text(re.compile(re.escape(text)))
        self.wait_for_bot(before + 1)

    def session_id(self) -> str | None:
        return self.page.evaluate(f"localStorage.getItem('{SESSION_KEY}')")

    def axe_violations(self, axe_source: str) -> list[dict]:
        """WCAG 2.1 A/AA violations; the page's context needs bypass_csp to inject axe."""
        if not self.page.evaluate("typeof axe !== 'undefined'"):
            self.page.add_script_tag(content=axe_source)
        results = self.page.evaluate(
            """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})""", WCAG_TAGS
        )
        return [
            {
                "id": v["id"],
                "help": v["help"],
                "targets": [n["target"] for n in v["nodes"]][:5],
            }
            for v in results["violations"]
        ]


def host_page(widget_url: str, server: str) -> str:
    """A partner's page with the one script tag, pointed at the given socket.io server."""
    return f"""<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Partenaire</title></head>
<body><main><h1>Un organisme partenaire</h1><p>Page de test.</p></main>
<script src="{widget_url}" data-server="{server}" defer></script></body></html>"""


def new_page(browser: Browser, width: int, **context_options) -> Page:
    context = browser.new_context(viewport=WIDTHS[width], locale="fr-CA", **context_options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors  # type: ignore[attr-defined]
    return page
