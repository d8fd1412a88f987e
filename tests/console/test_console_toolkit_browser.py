"""The toolkit in headless Chromium: an advisor screens a client from a dossier in each
language, downloads the orientation sheet, records an outcome and sees the due follow-up.
Screenshots are kept in var/test-artifacts/console/."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from console.advisor import toolkit
from console.advisor.i18n import Translator
from tests.console.conftest import PASSWORD, create
from tests.console.test_console_browser import ARTIFACTS, CHROMIUM, console_url  # noqa: F401


@pytest.fixture(autouse=True)
def shared_kb(plain_kb, monkeypatch):
    monkeypatch.setattr(toolkit, "knowledge_base", lambda request: plain_kb)


@pytest.mark.parametrize("client_lang", ["fr", "en"])
def test_advisor_screens_prints_and_follows_up(console_url: str, client_lang: str) -> None:  # noqa: F811
    from playwright.sync_api import sync_playwright

    reference = create()
    ct = Translator(client_lang)
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 800}, accept_downloads=True)
        page.goto(f"{console_url}/dossiers/{reference}")
        page.get_by_label("Nom d'utilisateur").fill("alice")
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.get_by_role("link", name="Faire l'évaluation avec la personne").click()
        page.get_by_role("combobox", name="Langue de la personne").select_option(client_lang)
        page.get_by_role("button", name="Changer la langue").click()
        # Prefilled from the chat (the person agreed to share): the members answer is there.
        members = page.get_by_label(ct("screen.q.members"), exact=False)
        assert members.input_value() == "workers"
        page.get_by_label(ct("screen.q.control"), exact=False).select_option("one_member_one_vote")
        page.get_by_label(ct("screen.q.region_code"), exact=False).select_option("06")
        page.get_by_role("button", name="Voir le résultat").click()
        page.get_by_text(ct("screen.fit.conditional")).or_(
            page.get_by_text(ct("screen.fit.strong"))
        ).first.wait_for()
        page.screenshot(path=str(ARTIFACTS / f"screening-{client_lang}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, overflow
        with page.expect_download() as download_info:
            page.locator("#sheet-form").get_by_role("button").click()
        pdf = download_info.value.path().read_bytes()
        words = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        assert ct("sheet.next_steps") in words

        page.get_by_role("link", name=f"Retour au dossier {reference}").first.click()
        page.get_by_label("Date de suivi").fill(yesterday)
        page.get_by_label("Résultat du suivi").select_option("referred")
        page.get_by_role("button", name="Enregistrer la suite").click()
        page.get_by_text("Suite enregistrée.").wait_for()
        page.get_by_role("link", name="Suivis à faire").click()
        due = page.locator(
            "section", has=page.get_by_role("heading", name="À faire maintenant (1)")
        )
        due.get_by_role("link", name=reference).wait_for()
        page.screenshot(path=str(ARTIFACTS / f"follow-ups-{client_lang}.png"), full_page=True)
        browser.close()
