"""Personal details sent to the assistant never appear in any process's log output."""

from __future__ import annotations

import json

import pytest
import requests

from tests.e2e.conftest import new_sender
from tests.e2e.test_socketio import converse

pytestmark = pytest.mark.e2e

# A surname no other test uses: test_privacy_chat looks for its own in the stores.
NAME = "Zéphyrine Nakashima-Tremblay"
EMAIL = "zephyrine.okt@courriel-exemple.ca"
PHONE = "514-555-0187"
SECRETS = (NAME, EMAIL, PHONE, PHONE.replace("-", ""))


async def test_personal_details_stay_out_of_the_logs(servers):
    message = f"Je m'appelle {NAME}, mon courriel est {EMAIL} et mon téléphone {PHONE}"
    # REST, normal path
    servers.send(message)
    servers.send(f"My name is {NAME}, email {EMAIL}, phone {PHONE}", sender=new_sender())
    # socket.io
    await converse(servers, [message])
    # error paths: a malformed body, a sender that is refused, a message too long
    url = f"{servers.base_url}/webhooks/rest/webhook"
    requests.post(url, data=f'{{"sender": "x", "message": "{message}"', timeout=30)
    requests.post(url, json={"sender": f"{EMAIL} {PHONE}", "message": message}, timeout=30)
    requests.post(url, json={"sender": new_sender(), "message": message * 40}, timeout=30)
    requests.post(url, json=[message], timeout=30)
    requests.post(
        url,
        data=json.dumps({"sender": new_sender(), "message": message, "metadata": [NAME]}),
        timeout=30,
    )
    # messages starting with "/", which Rasa's parser quotes in full in its warnings
    for text in (
        f"/ écrivez-moi à {EMAIL} ou {PHONE}",
        f"/greet {NAME} {EMAIL} {PHONE}",
        f'/greet{{"email": "{EMAIL}"}} {PHONE}',
        f"/@{EMAIL} {PHONE}",
    ):
        servers.send(text, new_sender())
    # the handoff flow, where the contact details end up in slots
    sender = new_sender()
    for step in [
        "Bonjour",
        "/request_human",
        "oui",
        "oui",
        "courriel",
        EMAIL,
        "le matin",
        "projet de coop",
        "Laval",
    ]:
        replies = servers.send(step, sender)
    servers.send(replies[-1]["buttons"][0]["payload"], sender)
    sender = new_sender()
    for step in [
        "Hello",
        "/request_human",
        "yes",
        "no",
        "phone",
        PHONE,
        "evenings",
        "my co-op project",
        "Montréal",
    ]:
        servers.send(step, sender)
    logs = servers.settled_logs()  # with everything the processes printed until now
    assert "rasa" in logs.lower(), "no log output was captured at all"
    for secret in SECRETS:
        assert secret not in logs, f"{secret!r} found in the logs"
    # Rasa logs a failed response interpolation with the slots' values: there must be none.
    assert "interpolator.interpolate" not in logs
