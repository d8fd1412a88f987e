"""The outbox: a dossier survives an SMTP outage, and its email goes out when the server is back."""

from __future__ import annotations

import email
import email.policy
import os
import signal
import subprocess
import sys
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select

import appdb
from appdb import utcnow
from handoff import notify, store
from handoff.models import NotificationOutbox
from handoff.notifier import main as notifier_main
from handoff.notify import DirectoryTransport, SmtpTransport, backoff, deliver_due, retry_failed
from tests.handoff.conftest import EMAIL, NAME, PHONE, PROJECT, make_request
from tests.handoff.smtp_server import SmtpServer
from tests.support.processes import free_port
from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]


def _body(message: EmailMessage) -> str:
    part = message.get_body()
    assert part is not None
    return str(part.get_content())


def outbox() -> list[NotificationOutbox]:
    with appdb.session_scope() as session:
        return list(
            session.execute(select(NotificationOutbox).order_by(NotificationOutbox.id)).scalars()
        )


class Failing:
    sender = "coopilote@localhost"

    def __init__(self) -> None:
        self.calls = 0

    def send(self, message: EmailMessage) -> None:
        self.calls += 1
        raise ConnectionRefusedError(f"cannot reach {message['To']}")


class Collecting:
    sender = "coopilote@localhost"

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> None:
        self.messages.append(message)


@pytest.mark.parametrize(
    ("attempts", "seconds"),
    [(1, 30), (2, 60), (3, 120), (5, 480), (7, 1920), (8, 3600), (20, 3600)],
)
def test_backoff(attempts: int, seconds: int) -> None:
    assert backoff(attempts) == timedelta(seconds=seconds)


def test_smtp_down_then_up(organisations, monkeypatch) -> None:
    port = free_port()
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(port))
    monkeypatch.setenv("SMTP_FROM", "coopilote@coop.example")
    monkeypatch.setenv("CONSOLE_BASE_URL", "https://console.coop.example/")
    transport = SmtpTransport.from_env()
    request = make_request(
        organisation_key="promis", contact_method="phone", contact_value="514 555 0199"
    )
    created = store.create_dossier(request)

    # Down: connection refused. The dossier is there; the email waits with a later attempt.
    now = utcnow()
    assert deliver_due(transport, now=now) == notify.DeliveryCounts(retrying=1)
    [row] = outbox()
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "ConnectionRefusedError")
    assert row.next_attempt_at == now + timedelta(seconds=30)
    assert store.get_dossier(created.reference).contact_value == PHONE
    assert deliver_due(transport, now=now + timedelta(seconds=10)) == notify.DeliveryCounts()

    # Up: the next pass after the back-off sends it.
    server = SmtpServer(port)
    server.start()
    try:
        counts = deliver_due(transport, now=now + timedelta(seconds=31))
    finally:
        server.stop()
    assert counts == notify.DeliveryCounts(sent=1)
    [row] = outbox()
    assert row.status == "sent" and row.sent_at is not None and row.last_error is None

    [received] = server.messages
    assert received.recipients == ["<accueil@promis.example>"]
    message = email.message_from_bytes(received.data, policy=email.policy.default)
    body = _body(message)
    assert created.reference in message["Subject"]
    assert created.reference in body
    assert f"https://console.coop.example/dossiers/{created.reference}" in body
    assert "PROMIS" in body and "français" in body and "French" in body
    raw = received.data.decode("utf-8", "replace")
    for personal in (NAME, "Zébulon", EMAIL, PHONE, "555-0199", "5550199", PROJECT, "sender-42"):
        assert personal not in raw and personal not in body


def test_directory_transport_is_the_default_and_writes_eml(organisations, tmp_path) -> None:
    transport = notify.transport_from_env()
    assert isinstance(transport, DirectoryTransport)
    assert transport.directory == tmp_path / "mail"
    reference = store.create_dossier(make_request(language="en")).reference
    assert deliver_due(transport) == notify.DeliveryCounts(sent=1)
    [path] = list((tmp_path / "mail").glob("*.eml"))
    assert reference in path.name
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["To"] == "intake@localhost"
    assert f"http://localhost:8000/dossiers/{reference}" in _body(message)
    assert not list((tmp_path / "mail").glob(".*.tmp"))


def test_after_max_attempts_the_row_is_failed_visible_and_can_be_retried(
    organisations, monkeypatch
) -> None:
    monkeypatch.setattr(notify, "MAX_ATTEMPTS", 3)
    store.create_dossier(make_request())
    failing, now = Failing(), utcnow()
    for _ in range(3):
        deliver_due(failing, now=now)
        now += timedelta(hours=2)
    [row] = outbox()
    assert (row.status, row.attempts, failing.calls) == ("failed", 3, 3)
    assert deliver_due(failing, now=now) == notify.DeliveryCounts()  # not picked any more
    assert notify.outbox_counts() == {"failed": 1}

    assert retry_failed(now=now) == 1
    collecting = Collecting()
    assert deliver_due(collecting, now=now) == notify.DeliveryCounts(sent=1)
    assert notify.outbox_counts() == {"sent": 1}


def test_a_claimed_row_is_not_sent_twice(organisations) -> None:
    store.create_dossier(make_request())
    [row] = outbox()
    now = utcnow()
    assert notify._claim(row.id, now) is not None
    assert notify._claim(row.id, now) is None  # a second notifier finds it taken
    assert deliver_due(Collecting(), now=now) == notify.DeliveryCounts()


def test_batches(organisations) -> None:
    for _ in range(5):
        store.create_dossier(make_request())
    collecting = Collecting()
    assert deliver_due(collecting, batch=2).sent == 2
    assert deliver_due(collecting, batch=10).sent == 3
    assert len({m["Message-ID"] for m in collecting.messages}) == 5


def _env(database_url: str, mail_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMTP_")}
    env.update(DATABASE_URL=database_url, HANDOFF_MAIL_DIR=str(mail_dir), PYTHONPATH=str(ROOT))
    return env


def test_notifier_once(sqlite_db, tmp_path, capsys) -> None:
    store.create_dossier(make_request(organisation_key=None))
    result = subprocess.run(
        [sys.executable, "-m", "handoff.notifier", "--once"],
        env=_env(sqlite_db, tmp_path / "out"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "sent 1 notification(s)" in result.stdout
    assert len(list((tmp_path / "out").glob("*.eml"))) == 1
    assert notifier_main(["--status"]) == 0
    assert "pending=0 sent=1 failed=0" in capsys.readouterr().out


def test_notifier_loop_stops_cleanly_on_sigterm(sqlite_db, tmp_path) -> None:
    store.create_dossier(make_request(organisation_key=None))
    process = subprocess.Popen(
        [sys.executable, "-m", "handoff.notifier", "--interval", "0.2"],
        env=_env(sqlite_db, tmp_path / "out"),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        wait_until(lambda: list((tmp_path / "out").glob("*.eml")), 30, "the loop to deliver")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.stderr is not None
    assert b"notifier stopped" in process.stderr.read()


def test_notifier_reports_an_unavailable_database(monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", f"postgresql://postgres@127.0.0.1:{free_port()}/none")
    appdb.reset_engine()
    try:
        assert notifier_main(["--once"]) == 2
    finally:
        appdb.reset_engine()
    assert "unavailable" in capsys.readouterr().err
