"""Outages during a handoff, with a second set of real servers on PostgreSQL behind a proxy.

The database is reached through a TCP proxy that the test cuts and restores; the SMTP server is
started only after the dossier is stored. Skipped (with the reason printed) without PostgreSQL.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from tests.e2e.conftest import new_sender, running_servers
from tests.handoff.smtp_server import SmtpServer, free_port

pytestmark = pytest.mark.e2e
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
RASA_PORT, ACTION_PORT = 5107, 5157


class TcpProxy:
    """Forwards a loopback port to PostgreSQL; ``cut()`` refuses and drops connections."""

    def __init__(self, target_port: int) -> None:
        self.port = free_port()
        self.target = target_port
        self.loop = asyncio.new_event_loop()
        self.server = None
        self.writers: set = set()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()

    async def _pipe(self, reader, writer):
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _handle(self, reader, writer):
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target)
        except OSError:
            writer.close()
            return
        self.writers |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(10)

    def up(self) -> None:
        async def start():
            self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

        self._run(start())

    def cut(self) -> None:
        async def stop():
            self.server.close()
            await self.server.wait_closed()
            for writer in self.writers:
                writer.close()
            self.writers.clear()

        self._run(stop())


@pytest.fixture(scope="module")
def outage(tmp_path_factory):
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT", future=True)
    name = f"coopilote_outage_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        print(f"PostgreSQL unreachable at {PG_ADMIN}: {error.orig}")
        pytest.skip(f"PostgreSQL unreachable at {PG_ADMIN}")
    proxy = TcpProxy(5432)
    proxy.up()
    smtp = SmtpServer(port=free_port())
    work = tmp_path_factory.mktemp("outage")
    env = {
        **os.environ,
        "RASA_PORT": str(RASA_PORT),
        "ACTION_PORT": str(ACTION_PORT),
        "CONSOLE_PORT": "8107",
        "TRACKER_STORE_URL": f"sqlite:///{work / 'tracker.db'}",
        "DATABASE_URL": f"postgresql://postgres@127.0.0.1:{proxy.port}/{name}",
        "COOPILOTE_LOG_DIR": str(work / "log"),
        "RASA_API_TOKEN": secrets.token_urlsafe(24),
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp.port),
        "SMTP_STARTTLS": "false",
        "HANDOFF_NOTIFY_INTERVAL_S": "1",
        "HANDOFF_RETRY_BASE_S": "1",
    }
    env.pop("ACTION_ENDPOINT_URL", None)
    try:
        with running_servers(env, work, RASA_PORT):
            yield {
                "url": f"http://127.0.0.1:{RASA_PORT}/webhooks/rest/webhook",
                "proxy": proxy,
                "smtp": smtp,
                "db": f"postgresql://postgres@127.0.0.1:5432/{name}",
                "logs": work,
            }
    finally:
        smtp.stop()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def say(outage, sender, message):
    reply = requests.post(outage["url"], json={"sender": sender, "message": message}, timeout=90)
    assert reply.status_code == 200
    return [m.get("text", "") for m in reply.json()], reply.json()


HANDOFF_STEPS = [
    "Bonjour",
    "/request_human",
    "oui",
    "non",
    "courriel",
    "camille.exemple@courriel.ca",
    "le matin",
    "mon projet de coop",
    "Montréal",
]


def walk_to_the_organisation(outage, sender) -> str:
    """The handoff up to the last step; returns the payload that confirms the organisation."""
    for message in HANDOFF_STEPS:
        _, replies = say(outage, sender, message)
    return replies[-1]["buttons"][0]["payload"]


def ask_for_a_person(outage, sender):
    return say(outage, sender, walk_to_the_organisation(outage, sender))[0]


def dossiers(outage, sender):
    engine = sa.create_engine(outage["db"], future=True)
    with engine.connect() as connection:
        rows = (
            connection.execute(
                sa.text("SELECT reference FROM handoff_dossier WHERE sender_id = :s"), {"s": sender}
            )
            .scalars()
            .all()
        )
    engine.dispose()
    return rows


def test_database_down_then_back(outage):
    sender = new_sender()
    # The conversation runs while the database is reachable, then it goes away at the last step.
    payload = walk_to_the_organisation(outage, sender)
    outage["proxy"].cut()
    try:
        texts, _ = say(outage, sender, payload)
    finally:
        outage["proxy"].up()
    assert any("n'a pas été transmise" in t for t in texts), texts
    assert not any("CP-" in t for t in texts), "no reference may be claimed"
    assert dossiers(outage, sender) == []
    # Back up: the next handoff works.
    other = new_sender()
    texts = ask_for_a_person(outage, other)
    references = dossiers(outage, other)
    assert len(references) == 1 and references[0] in texts[0]


def test_smtp_down_then_up_delivers_the_notification(outage):
    sender = new_sender()
    texts = ask_for_a_person(outage, sender)
    (reference,) = dossiers(outage, sender)
    assert reference in texts[0]
    time.sleep(3)  # the notifier tries, SMTP refuses, the row stays pending
    assert outage["smtp"].messages == []
    outage["smtp"].start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(
        reference.encode() in m.data for m in outage["smtp"].messages
    ):
        time.sleep(1)
    bodies = [m.data for m in outage["smtp"].messages if reference.encode() in m.data]
    assert bodies, "the notification was not delivered after SMTP came back"
    assert b"camille.exemple" not in bodies[0]


def test_no_personal_details_in_the_logs(outage):
    logs = "\n".join(p.read_text(errors="replace") for p in Path(outage["logs"]).rglob("*.log"))
    assert "rasa" in logs.lower(), "no logs were captured"
    assert "camille.exemple@courriel.ca" not in logs
