"""From a conversation to an advisor's follow-up: a real handoff through REST, then the advisor
of the chosen organisation works the dossier in the console with headless Chromium.

Screenshots at both widths are kept in var/test-artifacts/console/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import appdb
from tests.e2e.conftest import CONSOLE_PORT, new_sender, response_names

pytestmark = pytest.mark.e2e
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "console"
PASSWORD = "une phrase de passe assez longue"  # noqa: S105 - a test account
WIDTHS = {"laptop": (1280, 800), "tablet": (768, 1024)}


@pytest.fixture
def app_database(servers, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", servers.database_url)
    appdb.reset_engine()
    yield
    appdb.reset_engine()


def hand_off(servers, sender: str, question: str) -> str:
    for message in [
        "Bonjour",
        question,
        "/request_human",
        "oui",
        "oui",
        "courriel",
        "lea.exemple@courriel.ca",
        "le matin",
        "mon projet de coop",
        "Montréal",
    ]:
        replies = servers.send(message, sender)
    replies = servers.send(replies[-1]["buttons"][0]["payload"], sender)
    assert response_names(replies) == ["utter_handoff_confirmed"]
    return replies[0]["text"]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_advisor_follows_up_a_real_handoff(servers, app_database, width):
    if CHROMIUM is None:
        print("chromium is not installed: the console journey is skipped")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    from console.auth import accounts
    from handoff import store

    sender = new_sender()
    confirmation = hand_off(servers, sender, "C'est quoi une coopérative de travail?")
    (dossier,) = [d for d in store.list_dossiers().items if d.sender_id == sender]
    assert dossier.reference in confirmation
    username = f"conseil{width}"
    accounts.create_user(
        username,
        "advisor",
        organisation_key=dossier.organisation_key,
        password=PASSWORD,
        by="test-setup",
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    w, h = WIDTHS[width]
    base = f"http://127.0.0.1:{CONSOLE_PORT}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": w, "height": h})
        page.goto(f"{base}/dossiers")
        page.get_by_label("Nom d'utilisateur").fill(username)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.get_by_role("link", name=dossier.reference).click()
        page.get_by_role("heading", name="Résumé du projet").wait_for()
        transcript = page.locator(".transcript").inner_text()
        assert "C'est quoi une coopérative de travail?" in transcript
        assert "lea.exemple@courriel.ca" in page.content()
        page.screenshot(path=str(ARTIFACTS / f"journey-dossier-{width}.png"), full_page=True)
        page.get_by_label("Ajouter une note").fill("Appel prévu lundi")
        page.get_by_role("button", name="Ajouter la note").click()
        page.get_by_text("Note ajoutée.").wait_for()
        page.get_by_label("Orienté vers").fill("CDRQ Montréal-Laval")
        page.get_by_label("Date de suivi").fill("2026-12-15")
        page.get_by_role("button", name="Enregistrer la suite").click()
        page.get_by_text("Suite enregistrée.").wait_for()
        page.get_by_label("Statut", exact=True).select_option("closed")
        page.get_by_role("button", name="Changer le statut").click()
        page.get_by_text("Statut enregistré.").wait_for()
        page.screenshot(path=str(ARTIFACTS / f"journey-closed-{width}.png"), full_page=True)
        browser.close()
    worked = store.get_dossier(dossier.reference)
    assert worked.status == "closed"
    assert worked.referred_to == "CDRQ Montréal-Laval"
    assert [note.text for note in worked.notes] == ["Appel prévu lundi"]
