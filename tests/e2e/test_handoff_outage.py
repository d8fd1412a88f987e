"""Outages during a handoff: the app database on PostgreSQL behind a proxy, then SMTP.

The shared servers' Rasa talks, for this module, to an action server and a notifier of its own
(the commands scripts/run.py starts), whose PostgreSQL database is reached through a TCP proxy
that the test cuts and restores; the SMTP server is started only after the dossier is stored.
Skipped (with the reason printed) without PostgreSQL.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from tests.e2e.conftest import ACTION_PORT, ROOT, new_sender, stop_process_group
from tests.e2e.tcp_proxy import TcpProxy
from tests.handoff.smtp_server import SmtpServer
from tests.support.processes import free_port, wait_for_url
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
BIN = Path(sys.executable).parent
# What scripts/run.py does to a database before it starts the servers.
PREPARE = [
    [sys.executable, "-m", "appdb.migrate"],
    [sys.executable, "-m", "knowledge_base", "load"],
    [sys.executable, "-m", "handoff.seed"],
]


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


@pytest.fixture(scope="module")
def outage(servers, tmp_path_factory):
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT", future=True)
    name = f"coopilote_outage_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        print(f"PostgreSQL unreachable at {PG_ADMIN}: {error.orig}")
        pytest.skip(f"PostgreSQL unreachable at {PG_ADMIN}")
    proxy = TcpProxy(5432).up()
    smtp = SmtpServer(port=free_port())
    work = tmp_path_factory.mktemp("outage")
    (work / "log").mkdir()
    action_port = free_port()
    env = {
        **servers.env,  # the same tracker store and settings as the Rasa it serves
        "ACTION_PORT": str(action_port),
        "SANIC_HOST": "127.0.0.1",
        "DATABASE_URL": f"postgresql://postgres@127.0.0.1:{proxy.port}/{name}",
        "COOPILOTE_LOG_DIR": str(work / "log"),
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp.port),
        "SMTP_STARTTLS": "false",
        "HANDOFF_NOTIFY_INTERVAL_S": "1",
        "HANDOFF_RETRY_BASE_S": "1",
    }
    processes: list[subprocess.Popen] = []
    try:
        for command in PREPARE:
            subprocess.run(command, cwd=ROOT, env=env, check=True)
        for log_name, command in (
            ("actions", [sys.executable, "-m", "bot.action_server", "-p", str(action_port)]),
            ("notifier", [sys.executable, "-m", "handoff.notifier"]),
        ):
            processes.append(start(command, env, work / "log" / f"{log_name}.log"))
        wait_for_url(
            f"http://127.0.0.1:{action_port}/health",
            processes[0],
            work / "log" / "actions.log",
            timeout=180,
            what="the action server",
        )
        servers.action_proxy.retarget(action_port)
        try:
            yield {
                "url": f"{servers.base_url}/webhooks/rest/webhook",
                "proxy": proxy,
                "smtp": smtp,
                "db": f"postgresql://postgres@127.0.0.1:5432/{name}",
                "logs": work,
                "servers": servers,
            }
        finally:
            servers.action_proxy.retarget(ACTION_PORT)
    finally:
        for process in processes:
            stop_process_group(process)
        smtp.stop()
        proxy.close()
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


def outbox(outage, reference) -> list[tuple[str, int, str | None]]:
    """(status, attempts, last error) of the dossier's notifications."""
    engine = sa.create_engine(outage["db"], future=True)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT o.status, o.attempts, o.last_error FROM notification_outbox o "
                "JOIN handoff_dossier d ON d.id = o.dossier_id WHERE d.reference = :r"
            ),
            {"r": reference},
        ).all()
    engine.dispose()
    return [tuple(row) for row in rows]


def refused_and_pending(rows) -> bool:
    return bool(rows) and all(
        status == "pending" and attempts >= 1 and error for status, attempts, error in rows
    )


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
    # The notifier tries, SMTP refuses, the rows stay pending.
    wait_until(
        lambda: refused_and_pending(outbox(outage, reference)),
        30,
        "the notifier to find SMTP down and keep the notification pending",
        every=0.5,
    )
    assert outage["smtp"].messages == []
    outage["smtp"].start()
    bodies = wait_until(
        lambda: [m.data for m in outage["smtp"].messages if reference.encode() in m.data],
        60,
        "the notification to be delivered after SMTP came back",
        every=0.5,
    )
    assert b"camille.exemple" not in bodies[0]


def test_no_personal_details_in_the_logs(outage):
    logs = "\n".join(p.read_text(errors="replace") for p in Path(outage["logs"]).rglob("*.log"))
    logs += outage["servers"].settled_logs()  # Rasa's, which served these conversations
    assert "rasa" in logs.lower(), "no logs were captured"
    assert "camille.exemple@courriel.ca" not in logs
