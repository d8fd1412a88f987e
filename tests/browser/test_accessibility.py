"""axe-core (WCAG 2.1 A and AA) on the demo page with the widget in each state, and screenshots."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.widget import Widget, new_page
from tests.support.processes import free_port

pytestmark = pytest.mark.e2e
# Screenshots for a human look at the layout (kept after the run).
SHOTS = Path(os.environ.get("BROWSER_SCREENSHOTS", tempfile.gettempdir()))


@pytest.mark.parametrize("width", [360, 1280], ids=["360px", "1280px"])
def test_no_wcag_violation_in_any_state(browser, web, axe_source, width):
    # bypass_csp lets the test inject axe; the widget itself runs under the page's strict CSP
    # in every other test.
    page = new_page(browser, width, bypass_csp=True, reduced_motion="reduce")
    page.goto(f"{web}/")
    widget = Widget(page)
    expect(widget.launcher).to_be_visible()
    found = {"closed": widget.axe_violations(axe_source)}

    widget.open()
    found["open"] = widget.axe_violations(axe_source)

    widget.greet()
    expect(widget.replies).not_to_have_count(0)
    found["with buttons"] = widget.axe_violations(axe_source)
    page.screenshot(path=SHOTS / f"coopilote-widget-{width}.png")

    # No server behind the widget: the error state.
    dead = f"http://127.0.0.1:{free_port()}"
    page.goto(f"{web}/test/partner?server={dead}")
    expect(widget.panel).to_be_visible()  # it was open on the other page
    expect(widget.status).to_contain_text("Impossible de joindre le serveur", timeout=30_000)
    found["with an error"] = widget.axe_violations(axe_source)
    page.screenshot(path=SHOTS / f"coopilote-widget-{width}-error.png")
    page.context.close()

    assert found == {state: [] for state in found}


def test_launcher_has_an_accessible_name_and_panel_is_labelled(browser, web):
    page = new_page(browser, 1280)
    page.goto(f"{web}/")
    launcher = page.get_by_role("button", name="Ouvrir le clavardage avec Coopilote")
    expect(launcher).to_have_attribute("aria-controls", "cp-panel")
    launcher.click()
    expect(page.get_by_role("dialog", name="Coopilote")).to_be_visible()
    expect(page.get_by_role("log", name="Messages de la conversation")).to_be_visible()
    expect(page.get_by_role("button", name="Fermer le clavardage").first).to_be_visible()
    privacy = page.get_by_role("link", name="Confidentialité (nouvel onglet)")
    expect(privacy).to_have_attribute("href", f"{web}/confidentialite")
    expect(privacy).to_have_attribute("rel", "noopener")
    page.context.close()
