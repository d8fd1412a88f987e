"""Compatibility: the community widget rasa-webchat 1.0.1 (npm) holds a conversation with our
hardened socket.io channel (it also catches the lost-reply regression of python-socketio ≥ 5.10)."""

from __future__ import annotations


def test_rasa_webchat_holds_a_conversation(servers, web, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{web}/test/webchat?server={servers.base_url}")
    page.locator(".rw-launcher").click()
    # utter_greet, in French (the widget's initPayload is "Bonjour")
    page.locator(".rw-response").filter(has_text="Coopilote").first.wait_for(timeout=30_000)
    page.locator(".rw-new-message").fill("in English please")
    page.locator(".rw-new-message").press("Enter")
    page.get_by_text("I'll continue in English").wait_for(timeout=30_000)
    page.close()
