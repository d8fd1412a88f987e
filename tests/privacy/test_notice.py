"""The privacy notice: one version for the chat's short notice and the web app's full page."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from console.app import create_app
from console.settings import Settings
from privacy import notice
from privacy.__main__ import main


def test_wording_and_version_move_together(capsys: pytest.CaptureFixture[str]) -> None:
    # Failing here means a notice text changed: give privacy/notice.yml a new version and the
    # fingerprint that `python -m privacy notice` prints.
    assert notice.fingerprint() == notice.recorded_fingerprint()
    assert main(["notice"]) == 0
    assert notice.version() in capsys.readouterr().out


def test_a_changed_wording_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(notice, "recorded_fingerprint", lambda: "0000000000000000")
    assert main(["notice"]) == 1


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/confidentialite", ("45 jours", "supprimer mes données", "/oubli")),
        ("/privacy", ("45 days", "delete my data", "/forget")),
    ],
)
def test_full_page_states_periods_version_and_erasure(
    monkeypatch: pytest.MonkeyPatch, path: str, words: tuple[str, ...]
) -> None:
    monkeypatch.setenv("PRIVACY_RETENTION_CONVERSATION_DAYS", "45")
    monkeypatch.setenv("COOPILOTE_PRIVACY_CONTACT", "Responsable : vieprivee@organisme.example")
    with TestClient(create_app(Settings(port=0))) as client:
        page = client.get(path)
    assert page.status_code == 200
    for expected in (*words, notice.version(), "vieprivee@organisme.example", "365"):
        assert expected in page.text, expected
