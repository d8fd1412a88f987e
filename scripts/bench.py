"""Benchmark: N concurrent conversations through the REST channel, Coopilote next to a bare
``rasa init --no-prompt`` assistant measured in the same run.

Prints p50/p95/p99 latency per turn, throughput and the peak memory (RSS of each process tree)
as a Markdown table. Not part of the tests: ``make bench`` (options: --conversations, --turns).

``--replicas`` measures the production layout instead (deploy/, started with real processes by
tests/deploy/cluster.py: PostgreSQL tracker store, Redis lock store, nginx routing by sender id):
throughput through nginx with 1 and then 2 Rasa replicas, at 10 and 50 concurrent conversations
(``--concurrency 10 50``). Needs nginx, PostgreSQL and Redis (``make bench-replicas``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import aiohttp
import psutil

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COOPILOTE_TURNS = [
    "Bonjour",
    "Qu'est-ce qu'une coopérative ?",
    "dites-m'en plus",
    "in English please",
    "what can you do?",
    "How many members do I need to start a co-op?",
    "thanks!",
]
BARE_TURNS = ["hello", "I am happy", "are you a bot?", "I am sad", "yes", "goodbye", "hi"]


class MemoryWatch:
    """Samples the RSS of a process and its children; keeps the peak of each named process."""

    def __init__(self) -> None:
        self.peaks: dict[str, float] = {}
        self._stop = threading.Event()
        self._roots: dict[str, int] = {}

    def watch(self, name: str, pid: int) -> None:
        self._roots[name] = pid

    def _sample(self) -> None:
        for name, pid in self._roots.items():
            try:
                root = psutil.Process(pid)
                procs = [root, *root.children(recursive=True)]
                rss = sum(p.memory_info().rss for p in procs if p.is_running())
            except psutil.Error:
                continue
            self.peaks[name] = max(self.peaks.get(name, 0), rss / 2**20)

    def run(self) -> None:
        while not self._stop.wait(0.2):
            self._sample()

    def stop(self) -> None:
        self._stop.set()


def process_by_cmdline(parent: int, marker: str) -> int | None:
    for child in psutil.Process(parent).children(recursive=True):
        try:
            if marker in " ".join(child.cmdline()):
                return child.pid
        except psutil.Error:
            continue
    return None


async def wait_ready(url: str, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.get(url) as reply:
                    if reply.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(1)
    raise RuntimeError(f"{url} not ready")


async def drive(url: str, turns: list[str], conversations: int, turns_per: int) -> dict:
    latencies: list[float] = []
    errors = 0

    async def conversation(session: aiohttp.ClientSession) -> None:
        nonlocal errors
        sender = f"bench-{uuid.uuid4().hex}"
        for text in (turns * 3)[:turns_per]:
            start = time.perf_counter()
            async with session.post(url, json={"sender": sender, "message": text}) as reply:
                await reply.read()
                if reply.status != 200:
                    errors += 1
            latencies.append((time.perf_counter() - start) * 1000)

    timeout = aiohttp.ClientTimeout(total=600)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        await conversation(session)  # warm-up, not counted
        latencies.clear()
        started = time.perf_counter()
        await asyncio.gather(*(conversation(session) for _ in range(conversations)))
        elapsed = time.perf_counter() - started
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "turns": len(latencies),
        "errors": errors,
        "p50": quantiles[49],
        "p95": quantiles[94],
        "p99": quantiles[98],
        "throughput": len(latencies) / elapsed,
    }


def start(cmd: list[str], cwd: Path, env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        cmd,
        cwd=cwd,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


async def replica_mode(args: argparse.Namespace) -> int:
    """Throughput through nginx with 1, then 2 Rasa replicas on shared stores."""
    sys.path.insert(0, str(ROOT))
    from tests.deploy.cluster import Cluster, missing_services

    reason = missing_services()
    if reason:
        print(f"Cannot measure the replicas: {reason}")
        return 1
    work = Path(tempfile.mkdtemp(prefix="coopilote-bench-replicas-"))
    print(f"• Starting two Rasa replicas, an action server and nginx in {work} …", flush=True)
    # The knowledge base's real encoder (its vectors cached in var/cache), as in production.
    # SIGTERM (and SIGINT, which a background job ignores) stops the processes it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    cluster = Cluster(work, replicas=2, encoder=None)
    rows = []
    watch = MemoryWatch()
    try:
        cluster.start()
        for index in range(2):
            watch.watch(f"rasa replica {index + 1}", cluster.processes[f"rasa-{index + 1}"].pid)
        watch.watch("action server", cluster.processes["actions"].pid)
        threading.Thread(target=watch.run, daemon=True).start()
        url = f"{cluster.url}/webhooks/rest/webhook"
        for replicas in (1, 2):
            cluster.route_to(list(range(replicas)))
            for concurrency in args.concurrency:
                print(f"• {replicas} replica(s), {concurrency} conversations …", flush=True)
                result = await drive(url, COOPILOTE_TURNS, concurrency, args.turns)
                rows.append((replicas, concurrency, result))
    finally:
        watch.stop()
        cluster.close()
    print(
        f"\nMachine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f} at the end; {args.turns} turns a conversation, "
        "through nginx, PostgreSQL tracker store, Redis lock store, one action server\n"
    )
    print("| replicas | conversations | turns | errors | p50 ms | p95 ms | p99 ms | turns/s |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for replicas, concurrency, r in rows:
        print(
            f"| {replicas} | {concurrency} | {r['turns']} | {r['errors']} | {r['p50']:.0f} "
            f"| {r['p95']:.0f} | {r['p99']:.0f} | {r['throughput']:.1f} |"
        )
    print("\n| process | peak RSS MiB |\n| --- | --- |")
    for name, peak in watch.peaks.items():
        print(f"| {name} | {peak:.0f} |")
    return 0


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--turns", type=int, default=7)
    parser.add_argument(
        "--replicas", action="store_true", help="1 and 2 Rasa replicas behind nginx (deploy/)"
    )
    parser.add_argument("--concurrency", type=int, nargs="+", default=[10, 50])
    args = parser.parse_args()
    if args.replicas:
        return await replica_mode(args)

    work = Path(tempfile.mkdtemp(prefix="coopilote-bench-"))
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    print(f"• Making the bare assistant with rasa init in {work / 'bare'} …", flush=True)
    (work / "bare").mkdir()
    subprocess.run(
        [str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(work / "bare")],
        cwd=work / "bare",
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    ours_env = {
        **env,
        "RASA_PORT": "5205",
        "ACTION_PORT": "5255",
        "CONSOLE_PORT": "8205",
        "TRACKER_STORE_URL": f"sqlite:///{work / 'tracker.db'}",
        "DATABASE_URL": f"sqlite:///{work / 'app.db'}",
        "COOPILOTE_LOG_DIR": str(work / "log"),
        # Every simulated conversation comes from 127.0.0.1.
        "CHAT_MAX_PER_MINUTE_ADDRESS": "1000000",
        "CHAT_MAX_PER_MINUTE_CONVERSATION": "1000000",
    }
    ours_env.pop("ACTION_ENDPOINT_URL", None)
    watch = MemoryWatch()
    ours = start(
        [sys.executable, "scripts/run.py", "--no-train"], ROOT, ours_env, work / "ours.log"
    )
    bare = start(
        [str(BIN / "rasa"), "run", "-p", "5305", "-i", "127.0.0.1"],
        work / "bare",
        env,
        work / "bare.log",
    )
    watcher = threading.Thread(target=watch.run, daemon=True)
    try:
        await wait_ready("http://127.0.0.1:5205/webhooks/rest/")
        await wait_ready("http://127.0.0.1:5305/webhooks/rest/")
        for name, marker in (
            ("coopilote rasa", "--port 5205"),
            ("coopilote actions", "bot.action_server"),
        ):
            pid = process_by_cmdline(ours.pid, marker)
            if pid:
                watch.watch(name, pid)
        watch.watch("bare rasa", bare.pid)
        watcher.start()
        results = {
            "coopilote": await drive(
                "http://127.0.0.1:5205/webhooks/rest/webhook",
                COOPILOTE_TURNS,
                args.conversations,
                args.turns,
            ),
            "bare rasa init": await drive(
                "http://127.0.0.1:5305/webhooks/rest/webhook",
                BARE_TURNS,
                args.conversations,
                args.turns,
            ),
        }
        time.sleep(0.5)
    finally:
        watch.stop()
        stop(ours)
        stop(bare)

    print(
        f"\nMachine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}; "
        f"{args.conversations} concurrent conversations × {args.turns} turns\n"
    )
    print("| assistant | turns | errors | p50 ms | p95 ms | p99 ms | turns/s |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, r in results.items():
        print(
            f"| {name} | {r['turns']} | {r['errors']} | {r['p50']:.0f} | {r['p95']:.0f} "
            f"| {r['p99']:.0f} | {r['throughput']:.1f} |"
        )
    print("\n| process | peak RSS MiB |\n| --- | --- |")
    for name, peak in watch.peaks.items():
        print(f"| {name} | {peak:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
