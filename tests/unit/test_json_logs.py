"""JSON log lines for containers (bot/json_logs.py): one object a line, the user's words out."""

from __future__ import annotations

import io
import json
import logging

import pytest

from bot import json_logs


@pytest.fixture
def root_logger():
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    yield root
    root.handlers[:], root.level = saved


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_record_is_one_json_object_without_contact_details(root_logger):
    stream = io.StringIO()
    json_logs.configure(stream=stream)
    logging.getLogger("coopilote.test").warning(
        "handoff from %s at %s", "camille@example.org", "514-555-0199"
    )
    (entry,) = lines(stream)
    assert entry["level"] == "warning" and entry["logger"] == "coopilote.test"
    assert "camille@example.org" not in entry["message"] and "555-0199" not in entry["message"]
    assert entry["time"].endswith("+00:00")


def test_rasa_structured_events_stay_objects_with_the_text_redacted(root_logger):
    stream = io.StringIO()
    json_logs.configure(stream=stream)
    event = {"event": "processor.message.parsed", "user_text": "mon courriel: a@b.ca"}
    logging.getLogger("rasa.core.processor").info(json.dumps(event))
    (entry,) = lines(stream)
    assert entry["event"]["event"] == "processor.message.parsed"
    assert entry["event"]["user_text"] == "[redacted]"


def test_an_exception_is_logged_without_its_message(root_logger):
    stream = io.StringIO()
    json_logs.configure(stream=stream)
    try:
        raise ValueError("bad input from camille@example.org")
    except ValueError:
        logging.getLogger("x").exception("failed")
    (entry,) = lines(stream)
    assert "ValueError" in entry["exception"]
    assert "camille@example.org" not in entry["exception"]


def test_the_wrapper_runs_a_module_with_json_logs(root_logger, tmp_path, monkeypatch, capsys):
    (tmp_path / "noisy_module.py").write_text(
        "import logging\n"
        "logging.basicConfig(format='%(message)s')  # a no-op: the root logger is set up\n"
        "logging.getLogger('noisy').warning('call me at 514-555-0199')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv(json_logs.ENV_FLAG, "0")  # restored (unset) after the test
    monkeypatch.setattr("sys.argv", ["bot.json_logs"])
    assert json_logs.main(["noisy_module"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    entry = json.loads(out[0])
    assert entry["logger"] == "noisy" and "555-0199" not in entry["message"]
    assert json_logs.enabled()


def test_handlers_libraries_installed_are_replaced(root_logger):
    sanic_like = logging.getLogger("coopilote.test.library")
    own = logging.StreamHandler(io.StringIO())
    sanic_like.addHandler(own)
    sanic_like.propagate = False
    try:
        stream = io.StringIO()
        json_logs.configure(stream=stream)
        sanic_like.error("server error for camille@example.org")
        (entry,) = lines(stream)
        assert entry["logger"] == "coopilote.test.library"
        assert "camille@example.org" not in entry["message"]
        assert own.stream.getvalue() == ""
    finally:
        sanic_like.handlers.clear()
