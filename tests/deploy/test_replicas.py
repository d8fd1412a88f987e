"""The production layout with real processes: two Rasa replicas on one PostgreSQL tracker store
and one Redis lock store, nginx in front routing by conversation (tests/deploy/cluster.py).

Started once for the module (each replica loads the model: about a minute). Skipped, with the
reason printed, without nginx, PostgreSQL, Redis or a trained model. The test that kills a replica
runs last: the others use both.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import socketio
import sqlalchemy as sa

from bot.channels.action_outage import apology_texts
from tests.deploy.cluster import Cluster, missing_services
from tests.support.waiting import wait_until, wait_until_async

pytestmark = pytest.mark.e2e

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
QUESTION = "Qu'est-ce qu'une coopérative ?"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    reason = missing_services()
    if reason:
        print(f"tests/deploy skipped: {reason}")
        pytest.skip(reason)
    started = Cluster(tmp_path_factory.mktemp("deploy"))
    try:
        yield started.start()
    finally:
        started.close()


def new_sender() -> str:
    return f"deploy-{uuid.uuid4().hex}"


def say(base_url: str, sender: str, message: str) -> list[dict]:
    reply = requests.post(
        f"{base_url}/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        timeout=120,
    )
    assert reply.status_code == 200, (reply.status_code, reply.text[:300])
    return reply.json()


def texts(replies: list[dict]) -> list[str]:
    return [r.get("text", "") for r in replies]


def user_texts(events: list[dict]) -> list[str]:
    return [e["text"] for e in events if e["event"] == "user"]


def dossiers(cluster: Cluster, sender: str) -> list[str]:
    engine = sa.create_engine(cluster.app_db, future=True)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT reference FROM handoff_dossier WHERE sender_id = :s"), {"s": sender}
        )
        references = list(rows.scalars())
    engine.dispose()
    return references


def walk_to_the_organisation(base_url: str, sender: str, steps=HANDOFF_STEPS) -> str:
    """The handoff up to its last step; the payload that confirms the organisation."""
    replies: list[dict] = []
    for message in steps:
        replies = say(base_url, sender, message)
    return replies[-1]["buttons"][0]["payload"]


def test_nginx_sends_each_conversation_to_one_replica(cluster):
    before = len(cluster.access_entries())
    senders = [new_sender() for _ in range(12)]
    for sender in senders:
        for message in ("Bonjour", "merci"):
            say(cluster.url, sender, message)
    # nginx writes a request's line once it has answered it: the last one may come just after.
    entries = wait_until(
        lambda: logged_chats(cluster, before, 2 * len(senders)),
        timeout=10,
        what="nginx's access log of the 24 messages",
    )
    assert len(entries) == 2 * len(senders)
    used: dict[str, set[str]] = defaultdict(set)
    for index, entry in enumerate(entries):
        assert entry["status"] == 200
        used[senders[index // 2]].add(entry["upstream"])
    assert all(len(upstreams) == 1 for upstreams in used.values()), used
    # Twelve conversations over two replicas: both serve some (a hash puts all twelve on one
    # with a probability of 1 in 2,048).
    assert len(set().union(*used.values())) == 2
    # Rasa's calls to the action servers went through nginx too, none refused (a tracker and the
    # domain are far bigger than a chat message).
    assert not any(e["status"] >= 400 for e in cluster.access_entries()[before:])


def turns(events: list[dict]) -> list[tuple[dict, list[dict]]]:
    """Each user message with the events that follow it, up to the next user message."""
    starts = [i for i, e in enumerate(events) if e["event"] == "user"]
    return [
        (events[i], events[i + 1 : j])
        for i, j in zip(starts, [*starts[1:], len(events)], strict=True)
    ]


def test_interleaved_messages_through_both_replicas_lose_or_duplicate_no_event(cluster):
    """Two messages of one conversation at the same moment on the two replicas: the lock
    (bot/lock_store.py) makes one wait for the other, and the tracker store keeps both turns
    whole. Rasa 3.6's RedisLockStore let both in at once: one answered, not stored."""
    sender = new_sender()
    answered = {"Bonjour": say(cluster.replica_url(0), sender, "Bonjour")}
    # Alternating replicas, one after the other…
    for index, message in enumerate(["Que pouvez-vous faire ?", QUESTION, "dites-m'en plus"]):
        answered[message] = say(cluster.replica_url((index + 1) % 2), sender, message)
    # …then at the same time on both, four times (Rasa's own Redis lock store lost one of the
    # two messages in 4 of 30 such pairs).
    pairs = [
        ("merci", "in English please"),
        ("what can you do?", "thanks!"),
        ("hi", "en français svp"),
        ("salut", "thank you"),
    ]
    with ThreadPoolExecutor(max_workers=2) as pool:
        for first, second in pairs:
            both = {
                first: pool.submit(say, cluster.replica_url(0), sender, first),
                second: pool.submit(say, cluster.replica_url(1), sender, second),
            }
            for message, future in both.items():
                answered[message] = future.result(timeout=180)  # raises what the request raised
    sent = list(answered)

    events = cluster.tracker_events(sender)
    received = user_texts(events)
    assert sorted(received) == sorted(sent), "every message exactly once"
    # The one-after-the-other messages in the order sent; each simultaneous pair in either order.
    assert received[:4] == sent[:4]
    together = received[4:]
    assert [sorted(together[i : i + 2]) for i in range(0, len(together), 2)] == [
        sorted(pair) for pair in pairs
    ]
    # No event twice: each event is unique by its kind, time and content.
    keys = [json.dumps(e, sort_keys=True) for e in events]
    assert len(keys) == len(set(keys))
    # Each message read after the one before it (the lock held the conversation): user messages
    # in time order, every turn ends by listening, and each turn stored exactly what its reply
    # said, in order (a turn saved over by another replica's loses its events).
    user_times = [e["timestamp"] for e in events if e["event"] == "user"]
    assert user_times == sorted(user_times)
    for user, after in turns(events):
        actions = [e["name"] for e in after if e["event"] == "action"]
        assert actions and actions[-1] == "action_listen", (user["text"], actions)
        replied = [e.get("text") or "" for e in after if e["event"] == "bot"]
        assert replied == texts(answered[user["text"]]), user["text"]
        assert replied, f"no reply stored for {user['text']!r}"
    # Both replicas agree: each reads the same conversation from the shared store.
    assert say(cluster.replica_url(1), sender, "thanks") and say(
        cluster.replica_url(0), sender, "bye"
    )
    assert user_texts(cluster.tracker_events(sender)) == [*received, "thanks", "bye"]


async def test_socketio_through_nginx_polling_then_websocket(cluster):
    """Long polling first, then the WebSocket upgrade: every request of the connection must
    reach the replica that holds its engine.io session (sticky by client address)."""
    client = socketio.AsyncClient(reconnection=False)
    replies: asyncio.Queue = asyncio.Queue()
    confirmed: asyncio.Future = asyncio.get_running_loop().create_future()
    client.on("bot_uttered", lambda data: replies.put_nowait(data))
    client.on("session_confirm", lambda sid: confirmed.done() or confirmed.set_result(sid))
    await client.connect(
        cluster.url,
        headers={"Origin": "http://partner.example"},
        transports=["polling", "websocket"],
        socketio_path="/socket.io",
    )
    try:
        await client.emit("session_request", {"session_id": uuid.uuid4().hex})
        sid = await asyncio.wait_for(confirmed, 60)
        await client.emit("user_uttered", {"message": "Bonjour", "session_id": sid})
        reply = await asyncio.wait_for(replies.get(), 60)
        assert reply.get("text")
        assert client.transport() == "websocket"
    finally:
        await client.disconnect()
    # The reply goes out while the turn runs; the tracker is saved when it ends.
    await wait_until_async(
        lambda: "Bonjour" in user_texts(cluster.tracker_events(sid)),
        30,
        "the socket.io conversation to be stored",
        every=0.5,
    )


def test_action_server_killed_then_back(cluster):
    sender = new_sender()
    say(cluster.url, sender, "Bonjour")
    cluster.kill("actions")
    try:
        replies = texts(say(cluster.url, sender, QUESTION))
        assert apology_texts()["fr"] in replies, replies
    finally:
        cluster.start_actions()
    # Back: the same conversation goes on, without an apology.
    replies = texts(say(cluster.url, sender, QUESTION))
    assert replies and apology_texts()["fr"] not in replies, replies
    assert user_texts(cluster.tracker_events(sender)) == ["Bonjour", QUESTION, QUESTION]


def test_app_database_unavailable_then_back_loses_no_dossier(cluster):
    before = new_sender()
    confirm = walk_to_the_organisation(cluster.url, before)
    first = texts(say(cluster.url, before, confirm))
    (kept,) = dossiers(cluster, before)
    assert any(kept in t for t in first)

    during = new_sender()
    confirm = walk_to_the_organisation(cluster.url, during)
    assert cluster.db_proxy is not None
    cluster.db_proxy.cut()
    try:
        replies = texts(say(cluster.url, during, confirm))
    finally:
        cluster.db_proxy.up()
    assert any("n'a pas été transmise" in t for t in replies), replies
    assert not any("CP-" in t for t in replies), "no reference may be claimed"
    assert dossiers(cluster, during) == []

    # Back: the dossier made before is still there, and a new one is stored.
    after = new_sender()
    confirm = walk_to_the_organisation(cluster.url, after)
    third = texts(say(cluster.url, after, confirm))
    (stored,) = dossiers(cluster, after)
    assert any(stored in t for t in third)
    assert dossiers(cluster, before) == [kept]


def chat_entries(cluster: Cluster) -> list[dict]:
    """nginx's access log without Rasa's calls to the action servers."""
    return [e for e in cluster.access_entries() if e["path"].startswith("/webhooks")]


def logged_chats(cluster: Cluster, before: int, count: int) -> list[dict] | None:
    """The chat messages logged after the first ``before`` lines of the access log, once there
    are ``count`` of them (None before)."""
    entries = [e for e in cluster.access_entries()[before:] if e["path"].startswith("/webhooks")]
    return entries if len(entries) >= count else None


def test_a_replica_killed_mid_conversation_the_other_continues_it(cluster):
    sender = new_sender()
    before = len(chat_entries(cluster))
    for message in HANDOFF_STEPS[:5]:
        say(cluster.url, sender, message)
    upstreams = {e["upstream"] for e in chat_entries(cluster)[before:]}
    assert len(upstreams) == 1, upstreams
    (serving,) = upstreams
    index = [f"127.0.0.1:{p}" for p in cluster.rasa_ports].index(serving)
    cluster.kill(f"rasa-{index + 1}")
    # nginx finds the replica gone and sends the conversation to the other, which reads it from
    # the shared tracker store: the handoff form goes on where it was.
    confirm = walk_to_the_organisation(cluster.url, sender, HANDOFF_STEPS[5:])
    replies = texts(say(cluster.url, sender, confirm))
    (reference,) = dossiers(cluster, sender)
    assert any(reference in t for t in replies), replies
    assert user_texts(cluster.tracker_events(sender)) == [*HANDOFF_STEPS, confirm]
    # Every message of the conversation logged (nginx writes a line once it has answered).
    wait_until(
        lambda: len(chat_entries(cluster)) >= before + len(HANDOFF_STEPS) + 1,
        timeout=10,
        what="nginx's access log of the whole conversation",
    )
    later = chat_entries(cluster)[-1]
    # The replica that answered (nginx lists the one it tried first when that one refused).
    assert later["upstream"].split(", ")[-1] != serving and later["status"] == 200


def test_json_logs_without_personal_details(cluster):
    logs = cluster.logs()
    assert "camille.exemple@courriel.ca" not in logs
    rasa_lines = (cluster.work / "log" / "rasa-2.log").read_text(errors="replace").splitlines()
    parsed = [json.loads(line) for line in rasa_lines if line.startswith("{")]
    assert parsed, "Rasa wrote no JSON log line"
    assert all({"time", "level", "logger"} <= set(entry) for entry in parsed)
