"""What Rasa's SQL tracker store costs per turn: a read (``retrieve``) and a write (``save``) of
conversations of N turns, on SQLite (rollback journal, and write-ahead log as scripts/run.py sets
it) and on PostgreSQL when one answers. Not part of the tests:
``.venv/bin/python scripts/bench_tracker_store.py [--turns 30] [--conversations 5]
[--postgres postgresql://postgres@127.0.0.1:5432]`` (a database is made there and dropped).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rasa.core.tracker_store import SQLTrackerStore  # noqa: E402
from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import (  # noqa: E402
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker  # noqa: E402

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

INTENTS = ["ask_cooperative_question", "greet", "thank", "help", "affirm", "deny", "goodbye"]


def turn_events(turn: int) -> list:
    """About what one of Coopilote's turns adds: the message with its parse data, the slot
    extraction, the language slots, one answer."""
    ranking = [{"name": name, "confidence": 1 / (i + 2)} for i, name in enumerate(INTENTS)]
    parse_data = {
        "intent": ranking[0],
        "entities": [],
        "intent_ranking": ranking,
        "language_detection": {"language": "fr", "confidence": 0.95, "words": 7, "other": None},
    }
    return [
        UserUttered(
            f"Combien faut-il de membres pour fonder une coopérative ? ({turn})",
            ranking[0],
            [],
            parse_data,
        ),
        ActionExecuted("action_extract_slots"),
        SlotSet("language", "fr"),
        SlotSet("language_source", "words"),
        ActionExecuted("action_answer_question"),
        BotUttered("Une coopérative de travail compte au moins trois membres. " * 6),
        SlotSet("kb_last_entry", "members-minimum"),
        ActionExecuted("action_listen"),
    ]


async def measure(store: SQLTrackerStore, domain: Domain, conversations: int, turns: int) -> dict:
    reads: list[float] = []
    writes: list[float] = []
    for _ in range(conversations):
        sender = f"bench-{uuid.uuid4().hex}"
        tracker = DialogueStateTracker.from_events(
            sender,
            [ActionExecuted("action_session_start"), SessionStarted()],
            slots=domain.slots,
        )
        await store.save(tracker)
        for turn in range(turns):
            started = time.perf_counter()
            tracker = await store.retrieve(sender)
            reads.append((time.perf_counter() - started) * 1000)
            assert tracker is not None
            for event in turn_events(turn):
                tracker.update(event, domain)
            started = time.perf_counter()
            await store.save(tracker)
            writes.append((time.perf_counter() - started) * 1000)
    return {
        "read p50": statistics.median(reads),
        "read p95": statistics.quantiles(reads, n=20)[18],
        "write p50": statistics.median(writes),
        "write p95": statistics.quantiles(writes, n=20)[18],
    }


def sqlite_store(domain: Domain, path: Path, wal: bool) -> SQLTrackerStore:
    if wal:
        with sqlite3.connect(path) as connection:
            connection.execute("PRAGMA journal_mode=WAL")
        connection.close()
    return SQLTrackerStore(domain, dialect="sqlite", db=str(path))


def _server(url: str) -> Engine:
    import sqlalchemy as sa

    return sa.create_engine(f"{url.rstrip('/')}/postgres", isolation_level="AUTOCOMMIT")


def postgres_database(server_url: str, database: str) -> str:
    """A new, empty database on the server (Rasa's store waits forever for a missing one)."""
    import sqlalchemy as sa

    engine = _server(server_url)
    with engine.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{database}"'))
    engine.dispose()
    return f"{server_url.rstrip('/')}/{database}"


def drop_postgres_database(server_url: str, database: str) -> None:
    import sqlalchemy as sa

    try:
        engine = _server(server_url)
        with engine.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}"'))
        engine.dispose()
    except Exception:  # noqa: BLE001,S110 - no server, nothing to drop
        pass


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=30)
    parser.add_argument("--conversations", type=int, default=5)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    domain = Domain.load(str(ROOT / "bot" / "domain"))
    work = Path(tempfile.mkdtemp(prefix="coopilote-tracker-bench-"))
    database = f"coopilote_bench_tracker_{uuid.uuid4().hex[:8]}"
    stores = {
        "SQLite, rollback journal (Rasa's default)": lambda: sqlite_store(
            domain, work / "journal.db", wal=False
        ),
        "SQLite, write-ahead log (scripts/run.py)": lambda: sqlite_store(
            domain, work / "wal.db", wal=True
        ),
        "PostgreSQL": lambda: SQLTrackerStore(
            domain, dialect="postgresql", host=postgres_database(args.postgres, database)
        ),
    }
    print(f"{args.conversations} conversations × {args.turns} turns; ms per turn\n")
    print("| tracker store | read p50 | read p95 | write p50 | write p95 |")
    print("| --- | --- | --- | --- | --- |")
    for name, make in stores.items():
        try:
            store = make()
        except Exception as error:  # noqa: BLE001 - a missing PostgreSQL skips its line
            print(f"| {name} | not measured: {type(error).__name__} | | | |")
            continue
        r = await measure(store, domain, args.conversations, args.turns)
        print(
            f"| {name} | {r['read p50']:.1f} | {r['read p95']:.1f} "
            f"| {r['write p50']:.1f} | {r['write p95']:.1f} |"
        )
        store.engine.dispose()
    drop_postgres_database(args.postgres, database)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
