"""The console in headless Chromium (system chromium) at tablet and laptop widths: log in, find
the dossier, read it, add a note, record an outcome, close it. Screenshots are kept in
var/test-artifacts/console/."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from tests.console.conftest import PASSWORD, create
from tests.support.web import serve_in_thread

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "console"
WIDTHS = {"tablet": (768, 1024), "laptop": (1280, 800)}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def console_url(people, monkeypatch: pytest.MonkeyPatch):
    if CHROMIUM is None:
        reason = "chromium is not installed: console browser check skipped"
        print(reason)
        pytest.skip(reason)
    pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("CONSOLE_COOKIE_SECURE", "false")  # plain http on loopback
    from console.app import create_app

    with serve_in_thread(create_app(), free_port(), "the console") as url:
        yield url


@pytest.mark.parametrize("width", list(WIDTHS))
def test_advisor_works_a_dossier_in_the_browser(console_url: str, width: str) -> None:
    from playwright.sync_api import sync_playwright

    reference = create(
        transcript=[
            {"who": "user", "text": "<b>Je veux</b> fonder une coop", "at": None},
            {"who": "bot", "text": "Très bien.", "at": None},
        ]
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    w, h = WIDTHS[width]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        page = browser.new_page(viewport={"width": w, "height": h})
        page.goto(f"{console_url}/dossiers")
        page.get_by_label("Nom d'utilisateur").fill("alice")
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.get_by_role("link", name=reference).click()
        page.get_by_role("heading", name="Résumé du projet").wait_for()
        first = page.locator(".transcript .text").first.inner_text()
        assert first == "<b>Je veux</b> fonder une coop"
        assert page.locator(".transcript b").count() == 0
        page.screenshot(path=str(ARTIFACTS / f"dossier-{width}.png"), full_page=True)
        # Nothing wider than the window: usable without horizontal scrolling.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, overflow
        page.get_by_label("Ajouter une note").fill("Appel prévu lundi")
        page.get_by_role("button", name="Ajouter la note").click()
        page.get_by_text("Note ajoutée.").wait_for()
        page.get_by_label("Orienté vers").fill("CDRQ Montréal")
        page.get_by_label("Date de suivi").fill("2026-12-15")
        page.get_by_role("button", name="Enregistrer la suite").click()
        page.get_by_text("Suite enregistrée.").wait_for()
        page.get_by_label("Statut", exact=True).select_option("closed")
        page.get_by_role("button", name="Changer le statut").click()
        page.get_by_text("Statut enregistré.").wait_for()
        page.goto(f"{console_url}/dossiers")
        page.screenshot(path=str(ARTIFACTS / f"inbox-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, overflow
        browser.close()
    from handoff import store

    dossier = store.get_dossier(reference)
    assert dossier.status == "closed" and dossier.referred_to == "CDRQ Montréal"
    assert [n.text for n in dossier.notes] == ["Appel prévu lundi"]
