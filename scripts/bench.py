"""Benchmark: conversations through the REST channel, Coopilote next to a bare
``rasa init --no-prompt`` assistant measured in the same run.

For each assistant: one conversation at a time (sequential), then ``--conversations`` at once;
prints p50/p95/p99 latency per turn and throughput as a Markdown table, the ratio lines against
the bare assistant (the targets of docs/benchmarks.md), the peak memory (RSS) of every process
``make run`` starts and the cold start (all processes up, model present). The two assistants
start one after the other so that neither start is slowed by the other.

Not part of the tests: ``make bench`` (options: --conversations, --turns, --profile DIR to record
py-spy flame graphs of the Rasa and action servers during Coopilote's turns).

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
import shutil
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
    # A language the assistant does not speak: the language identifier's other models load.
    "Hola, quiero abrir una cooperativa con mis amigos",
    "thanks!",
]
BARE_TURNS = ["hello", "I am happy", "are you a bot?", "I am sad", "yes", "goodbye", "hi"]
# The process names of `make run` (scripts/run.py), found by a marker in their command line.
OUR_PROCESSES = (
    ("rasa", " run --model "),
    ("actions", "bot.action_server"),
    ("console", "-m console"),
)
# Targets (issue #19): Coopilote / bare.
TARGET_P95 = 1.3
TARGET_THROUGHPUT = 0.75
TARGET_RSS_MIB = 1.8 * 1024
TARGET_COLD_START_S = 40.0


def rasa_version() -> str:
    from importlib.metadata import version

    return version("rasa")


class MemoryWatch:
    """Samples the RSS of named process trees; keeps the peak of each and of their sum, from the
    start and, separately, while a group serves turns (``serving``): what the processes hold,
    without the transient peak of loading the model and building the knowledge base."""

    def __init__(self) -> None:
        self.peaks: dict[str, float] = {}
        self.total_peaks: dict[str, float] = {}
        self.serving_peaks: dict[str, float] = {}
        self.serving_total_peaks: dict[str, float] = {}
        self._groups: dict[str, dict[str, int]] = {}
        self._serving: set[str] = set()
        self._stop = threading.Event()
        self._lock = threading.Lock()

    def watch(self, group: str, name: str, pid: int) -> None:
        with self._lock:
            self._groups.setdefault(group, {})[name] = pid

    def serving(self, group: str) -> None:
        """From now on ``group`` serves turns (its start-up is over)."""
        with self._lock:
            self._serving.add(group)

    @staticmethod
    def _tree_rss(pid: int) -> float:
        try:
            root = psutil.Process(pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            return 0.0
        total = 0
        for proc in procs:
            try:
                total += proc.memory_info().rss
            except psutil.Error:
                continue
        return total / 2**20

    def _sample(self) -> None:
        with self._lock:
            groups = {group: dict(names) for group, names in self._groups.items()}
            serving = set(self._serving)
        for group, names in groups.items():
            total = 0.0
            for name, pid in names.items():
                rss = self._tree_rss(pid)
                total += rss
                key = f"{group} {name}"
                self.peaks[key] = max(self.peaks.get(key, 0.0), rss)
                if group in serving:
                    self.serving_peaks[key] = max(self.serving_peaks.get(key, 0.0), rss)
            self.total_peaks[group] = max(self.total_peaks.get(group, 0.0), total)
            if group in serving:
                peak = self.serving_total_peaks.get(group, 0.0)
                self.serving_total_peaks[group] = max(peak, total)

    def run(self) -> None:
        while not self._stop.wait(0.2):
            self._sample()

    def stop(self) -> None:
        self._stop.set()


def children_by_marker(parent: int) -> dict[str, int]:
    found: dict[str, int] = {}
    try:
        children = psutil.Process(parent).children(recursive=False)
    except psutil.Error:
        return found
    for child in children:
        try:
            cmdline = " ".join(child.cmdline())
        except psutil.Error:
            continue
        for name, marker in OUR_PROCESSES:
            if marker in cmdline:
                found[name] = child.pid
    return found


async def wait_ready(url: str, process: subprocess.Popen, timeout: float = 600) -> float:
    """Seconds until ``url`` answers 200."""
    started = time.monotonic()
    async with aiohttp.ClientSession() as session:
        while time.monotonic() - started < timeout:
            if process.poll() is not None:
                raise RuntimeError(f"{url}: the process exited ({process.returncode})")
            try:
                async with session.get(url) as reply:
                    if reply.status == 200:
                        return time.monotonic() - started
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError(f"{url} not ready")


async def wait_running(log: Path, process: subprocess.Popen, timeout: float = 600) -> None:
    """Until scripts/run.py says every process is up (it waits for each one's health)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"scripts/run.py exited ({process.returncode}); see {log}")
        if "Coopilote is running" in log.read_text(errors="replace"):
            return
        await asyncio.sleep(0.2)
    raise RuntimeError("Coopilote did not start")


async def drive(url: str, turns: list[str], conversations: int, turns_per: int) -> dict:
    latencies: list[float] = []
    errors = 0

    async def conversation(session: aiohttp.ClientSession) -> None:
        nonlocal errors
        sender = f"bench-{uuid.uuid4().hex}"
        for text in (turns * (turns_per // len(turns) + 1))[:turns_per]:
            start = time.perf_counter()
            async with session.post(url, json={"sender": sender, "message": text}) as reply:
                await reply.read()
                if reply.status != 200:
                    errors += 1
            latencies.append((time.perf_counter() - start) * 1000)

    timeout = aiohttp.ClientTimeout(total=600)
    async with aiohttp.ClientSession(timeout=timeout) as session:
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


async def measure(url: str, turns: list[str], args: argparse.Namespace) -> dict[str, dict]:
    timeout = aiohttp.ClientTimeout(total=600)
    async with aiohttp.ClientSession(timeout=timeout):
        await drive(url, turns, 1, len(turns))  # warm-up, not counted
    results = {"sequential": await drive(url, turns, 1, args.turns)}
    results[f"{args.conversations} at once"] = await drive(
        url, turns, args.conversations, args.turns
    )
    return results


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
    """Stop ``process`` and everything it started: scripts/run.py starts each server in a session
    of its own, which a kill of run.py alone would leave running."""
    try:
        children = psutil.Process(process.pid).children(recursive=True)
    except psutil.Error:
        children = []
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    for child in children:
        try:
            child.terminate()
        except psutil.Error:
            continue
    _, alive = psutil.wait_procs(children, timeout=15)
    for child in alive:
        try:
            child.kill()
        except psutil.Error:
            continue


class Profiler:
    """py-spy record on the given processes while Coopilote's turns run (--profile DIR)."""

    def __init__(self, out: Path | None) -> None:
        self.out = out
        self.recorders: list[subprocess.Popen] = []

    def start(self, pids: dict[str, int]) -> None:
        if self.out is None:
            return
        spy = shutil.which("py-spy", path=str(BIN)) or shutil.which("py-spy")
        if spy is None:
            sys.exit("--profile needs py-spy (uv sync installs it with the dev group)")
        self.out.mkdir(parents=True, exist_ok=True)
        for name, pid in pids.items():
            for fmt, suffix in (("flamegraph", "svg"), ("raw", "txt")):
                self.recorders.append(
                    subprocess.Popen(
                        [
                            spy,
                            "record",
                            "--pid",
                            str(pid),
                            "--rate",
                            "50",
                            "--subprocesses",
                            "--format",
                            fmt,
                            "--output",
                            str(self.out / f"{name}.{suffix}"),
                        ],
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                )

    def stop(self) -> None:
        for recorder in self.recorders:
            if recorder.poll() is None:
                recorder.send_signal(signal.SIGINT)
        for recorder in self.recorders:
            try:
                recorder.wait(timeout=60)
            except subprocess.TimeoutExpired:
                recorder.kill()


def ratio_line(label: str, ours: float, bare: float, target: str, ok: bool) -> str:
    ratio = ours / bare if bare else float("inf")
    return f"- {label}: {ratio:.2f}× the bare bot's (target {target}) {'✓' if ok else '✗'}"


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
            watch.watch("rasa", f"replica {index + 1}", cluster.processes[f"rasa-{index + 1}"].pid)
        watch.watch("action", "server", cluster.processes["actions"].pid)
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
    parser.add_argument("--conversations", type=int, default=10)
    parser.add_argument("--turns", type=int, default=30, help="turns per conversation")
    parser.add_argument(
        "--rasa-port",
        type=int,
        default=int(os.environ.get("BENCH_PORT", 5205)),
        help="Coopilote's Rasa; its actions on +50, its console on +3000, the bare bot on +1",
    )
    parser.add_argument(
        "--bare-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / f"coopilote-bench-bare-rasa-{rasa_version()}",
        help="the bare assistant's folder: made by rasa init (and trained) once, then reused",
    )
    parser.add_argument(
        "--no-bare",
        action="store_true",
        help="Coopilote only (no bare assistant, no ratio lines): memory, cold start, latency",
    )
    parser.add_argument("--profile", type=Path, help="write py-spy flame graphs into this folder")
    parser.add_argument(
        "--replicas", action="store_true", help="1 and 2 Rasa replicas behind nginx (deploy/)"
    )
    parser.add_argument("--concurrency", type=int, nargs="+", default=[10, 50])
    args = parser.parse_args()
    if args.replicas:
        return await replica_mode(args)
    rasa_port = args.rasa_port
    action_port, bare_port, console_port = rasa_port + 50, rasa_port + 1, rasa_port + 3000

    work = Path(tempfile.mkdtemp(prefix="coopilote-bench-"))
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    bare_dir = args.bare_dir
    if args.no_bare:
        pass
    elif not any((bare_dir / "models").glob("*.tar.gz")):
        print(f"• Making the bare assistant with rasa init in {bare_dir} …", flush=True)
        bare_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(bare_dir)],
            cwd=bare_dir,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    else:
        print(f"• The bare assistant made earlier by rasa init: {bare_dir}", flush=True)

    ours_env = {
        **env,
        "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(action_port),
        "CONSOLE_PORT": str(console_port),
        "TRACKER_STORE_URL": os.environ.get(
            "BENCH_TRACKER_STORE_URL", f"sqlite:///{work / 'tracker.db'}"
        ),
        "DATABASE_URL": f"sqlite:///{work / 'app.db'}",
        "COOPILOTE_LOG_DIR": str(work / "log"),
        # This checkout's code, also when the environment's editable install points at another.
        "PYTHONPATH": str(ROOT),
        # Every simulated conversation comes from 127.0.0.1.
        "CHAT_MAX_PER_MINUTE_ADDRESS": "1000000",
        "CHAT_MAX_PER_MINUTE_CONVERSATION": "1000000",
    }
    for variable in ("ACTION_ENDPOINT_URL", "TRACKER_STORE_DIALECT"):
        ours_env.pop(variable, None)
    watch = MemoryWatch()
    watcher = threading.Thread(target=watch.run, daemon=True)
    watcher.start()
    profiler = Profiler(args.profile)
    results: dict[str, dict[str, dict]] = {}
    cold: dict[str, float] = {}

    print("• Starting Coopilote (scripts/run.py --no-train) …", flush=True)
    began = time.monotonic()
    ours = start(
        [sys.executable, "scripts/run.py", "--no-train"], ROOT, ours_env, work / "ours.log"
    )
    try:
        while len(children_by_marker(ours.pid)) < 2 and ours.poll() is None:
            for name, pid in children_by_marker(ours.pid).items():
                watch.watch("coopilote", name, pid)
            await asyncio.sleep(0.2)
        await wait_running(work / "ours.log", ours)
        cold["coopilote"] = time.monotonic() - began
        pids = children_by_marker(ours.pid)
        for name, pid in pids.items():
            watch.watch("coopilote", name, pid)
        watch.serving("coopilote")
        print("• Coopilote's turns …", flush=True)
        profiler.start({name: pids[name] for name in ("rasa", "actions") if name in pids})
        results["coopilote"] = await measure(
            f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook", COOPILOTE_TURNS, args
        )
        profiler.stop()
        time.sleep(0.5)
    finally:
        profiler.stop()
        stop(ours)

    if not args.no_bare:
        await run_bare(args, bare_dir, bare_port, env, work, watch, results, cold)
    watch.stop()
    report(args, results, watch, cold)
    return 0


async def run_bare(
    args: argparse.Namespace,
    bare_dir: Path,
    bare_port: int,
    env: dict,
    work: Path,
    watch: MemoryWatch,
    results: dict,
    cold: dict,
) -> None:
    print("• Starting the bare assistant (rasa run) …", flush=True)
    began = time.monotonic()
    bare = start(
        [str(BIN / "rasa"), "run", "-p", str(bare_port), "-i", "127.0.0.1"],
        bare_dir,
        env,
        work / "bare.log",
    )
    watch.watch("bare", "rasa", bare.pid)
    try:
        await wait_ready(f"http://127.0.0.1:{bare_port}/webhooks/rest/", bare)
        cold["bare rasa init"] = time.monotonic() - began
        watch.serving("bare")
        print("• The bare assistant's turns …", flush=True)
        results["bare rasa init"] = await measure(
            f"http://127.0.0.1:{bare_port}/webhooks/rest/webhook", BARE_TURNS, args
        )
        time.sleep(0.5)
    finally:
        stop(bare)


def report(
    args: argparse.Namespace, results: dict, watch: MemoryWatch, cold: dict[str, float]
) -> None:
    print(
        f"\nMachine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f}; conversations of {args.turns} turns, "
        f"one at a time then {args.conversations} at once\n"
    )
    print("| assistant | run | turns | errors | p50 ms | p95 ms | p99 ms | turns/s |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, runs in results.items():
        for run, r in runs.items():
            print(
                f"| {name} | {run} | {r['turns']} | {r['errors']} | {r['p50']:.0f} "
                f"| {r['p95']:.0f} | {r['p99']:.0f} | {r['throughput']:.1f} |"
            )
    concurrent = f"{args.conversations} at once"
    print()
    ours_r: dict = results["coopilote"]
    bare_r: dict = results.get("bare rasa init") or {}
    for run in ["sequential", concurrent] if bare_r else []:
        ratio = ours_r[run]["p95"] / bare_r[run]["p95"]
        print(
            ratio_line(
                f"p95 latency, {run}",
                ours_r[run]["p95"],
                bare_r[run]["p95"],
                f"≤ {TARGET_P95}×",
                ratio <= TARGET_P95,
            )
        )
    if bare_r:
        ratio = ours_r[concurrent]["throughput"] / bare_r[concurrent]["throughput"]
        print(
            ratio_line(
                f"throughput, {concurrent}",
                ours_r[concurrent]["throughput"],
                bare_r[concurrent]["throughput"],
                f"≥ {TARGET_THROUGHPUT}×",
                ratio >= TARGET_THROUGHPUT,
            )
        )

    print("\n| process | peak RSS MiB while serving | peak RSS MiB from the start |")
    print("| --- | --- | --- |")
    for name, peak in watch.peaks.items():
        print(f"| {name} | {watch.serving_peaks.get(name, 0.0):.0f} | {peak:.0f} |")
    for group, peak in watch.total_peaks.items():
        serving = watch.serving_total_peaks.get(group, 0.0)
        print(f"| **{group}, all processes together** | {serving:.0f} | {peak:.0f} |")
    print()
    for label, peaks in (
        ("while serving turns", watch.serving_total_peaks),
        ("from the start (loading included)", watch.total_peaks),
    ):
        total = peaks.get("coopilote", 0.0)
        print(
            f"- Coopilote's processes together, peak {label}: {total:.0f} MiB "
            f"(target ≤ {TARGET_RSS_MIB:.0f} MiB) {'✓' if total <= TARGET_RSS_MIB else '✗'}"
        )
    for name, seconds in cold.items():
        target = name == "coopilote"
        mark = (" ✓" if seconds <= TARGET_COLD_START_S else " ✗") if target else ""
        suffix = f" (target ≤ {TARGET_COLD_START_S:.0f} s){mark}" if target else ""
        print(f"- Cold start, {name} (all processes up, model present): {seconds:.1f} s{suffix}")
    if args.profile:
        print(f"\nFlame graphs (py-spy): {args.profile}")


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
