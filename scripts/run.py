"""Start Coopilote: train when the data changed, start the Rasa server, migrate and load the
content while it loads its model, then start the action server and the web app.

``make run`` calls this after installing. Ctrl-C (or SIGTERM) stops every process it started.
Tests start the servers through this same script (``--no-train``, other ports and databases).
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from types import FrameType

from privacy.secret_files import secret_file

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
BIN = Path(sys.executable).parent
MODELS = ROOT / "bot" / "models"
# Rasa answers here once its model is loaded, whatever channels the credentials open (the
# production credentials open no REST channel: waiting for /webhooks/rest/ would never end).
RASA_READY_PATH = "/version"


def rasa_cmd(*args: str) -> list[str]:
    """Rasa's command line, without JAX in its process (bot/rasa_main.py)."""
    return [sys.executable, "-m", "bot.rasa_main", *args]


def set_default_environment() -> None:
    """Embedded defaults for every variable endpoints.yml reads."""
    VAR.mkdir(exist_ok=True)
    env = os.environ
    env.setdefault("RASA_PORT", "5005")
    env.setdefault("ACTION_PORT", "5055")
    env.setdefault("CONSOLE_PORT", "8000")
    # The web app's public address: the chat's privacy notice links to its privacy page.
    env.setdefault("COOPILOTE_WEB_URL", f"http://localhost:{env['CONSOLE_PORT']}")
    env.setdefault("ACTION_ENDPOINT_URL", f"http://127.0.0.1:{env['ACTION_PORT']}/webhook")
    env.setdefault("TRACKER_STORE_URL", f"sqlite:///{VAR / 'tracker.db'}")
    env.setdefault("TRACKER_STORE_DIALECT", env["TRACKER_STORE_URL"].split(":", 1)[0].split("+")[0])
    env.setdefault("LOCK_STORE_TYPE", "in_memory")
    env.setdefault("REDIS_HOST", "127.0.0.1")
    env.setdefault("REDIS_PORT", "6379")
    env.setdefault("REDIS_LOCK_DB", "1")
    env.setdefault("COOPILOTE_CREDENTIALS", str(ROOT / "credentials.yml"))
    env.setdefault("COOPILOTE_LOG_DIR", str(VAR / "log"))
    # The action server needs a shared secret (ACTION_SERVER_SECRET); keep it on loopback too.
    env.setdefault("SANIC_HOST", "127.0.0.1")
    # Telemetry would try to reach the internet at every start.
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # The action server builds its knowledge base (and loads the sentence encoder) before it
    # serves, not at the first question (bot/action_server.py).
    env.setdefault("COOPILOTE_WARM_UP", "1")


def api_token() -> tuple[str, Path | None]:
    """RASA_API_TOKEN, or a generated token kept in var/ (mode 0600) for local use."""
    token = os.environ.get("RASA_API_TOKEN", "").strip()
    if token:
        return token, None
    path = VAR / "rasa-api-token"
    token = secret_file(path)
    os.environ["RASA_API_TOKEN"] = token
    return token, path


def shared_secret(variable: str, file_name: str) -> None:
    """``variable`` for the processes that share it: generated into var/ (mode 0600) when unset,
    so that every process started here gets the same one."""
    if not os.environ.get(variable, "").strip():
        os.environ[variable] = secret_file(VAR / file_name)


def bridge_secret() -> None:
    """BRIDGE_SHARED_SECRET for Rasa's bridge channel and the Telegram bridge."""
    shared_secret("BRIDGE_SHARED_SECRET", "bridge-shared-secret")


def action_server_secret() -> None:
    """ACTION_SERVER_SECRET: Rasa sends it with every action call (endpoints.yml), the action
    server refuses calls without it."""
    shared_secret("ACTION_SERVER_SECRET", "action-server-secret")


def socketio_session_secret() -> None:
    """SOCKETIO_SESSION_SECRET: signs the conversation ids the socket.io channel issues; the same
    for every Rasa replica, and kept across restarts so that conversations survive them."""
    shared_secret("SOCKETIO_SESSION_SECRET", "socketio-session-secret")


def sqlite_tracker_wal(url: str) -> Path | None:
    """Put a SQLite tracker store in write-ahead-log mode (a setting the file keeps): each turn's
    save is one append to the log instead of a rollback journal written and deleted, and reads
    do not wait for it. The file and its table are otherwise Rasa's. Other URLs: nothing."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url == prefix:
        return None
    path = Path(url[len(prefix) :])
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
    connection.close()
    return path


def train_when_needed(train: bool) -> None:
    """Train when the data changed (unless ``train`` is false); exits without a model."""
    if train:
        print(
            "• Training the model when the data changed (a few minutes the first time) …",
            flush=True,
        )
        subprocess.run(
            rasa_cmd(
                "train",
                "--domain",
                "bot/domain",
                "--data",
                "bot/data",
                "--config",
                "config.yml",
                "--out",
                str(MODELS),
            ),
            cwd=ROOT,
            check=True,
        )
    if not any(MODELS.glob("*.tar.gz")):
        sys.exit("No trained model in bot/models: run without --no-train first.")


def _lower_priority() -> None:
    """In a child process, before it runs: a lower CPU priority (niceness + 10)."""
    os.nice(10)


def load_data() -> None:
    """Migrate the app database, load the knowledge base and the organisations (while the Rasa
    server loads its model: it needs neither).

    Raises:
        RuntimeError: a step failed (its own output says why).
    """
    steps = (
        ("Migrating the app database", ["appdb.migrate"]),
        ("Loading the knowledge base content", ["knowledge_base", "load"]),
        ("Loading the organisations", ["handoff.seed"]),
    )
    for what, module in steps:
        print(f"• {what} …", flush=True)
        # At a lower priority: the Rasa server loading its model meanwhile goes first.
        done = subprocess.run(
            [sys.executable, "-m", *module], cwd=ROOT, check=False, preexec_fn=_lower_priority
        )
        if done.returncode != 0:
            raise RuntimeError(f"{what.lower()} failed (exit status {done.returncode})")


def _positive(variable: str, default: int) -> int:
    raw = os.environ.get(variable, "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else default


def rotating_log(path: Path) -> logging.Logger:
    """A logger writing a process's output lines to ``path``, rotated by size: logs hold no
    message text or contact details, but they must not grow without end either."""
    handler = logging.handlers.RotatingFileHandler(
        path,
        maxBytes=_positive("COOPILOTE_LOG_MAX_BYTES", 10 * 1024 * 1024),
        backupCount=_positive("COOPILOTE_LOG_BACKUPS", 5),
        encoding="utf-8",
    )
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger(f"coopilote.process.{path.stem}")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger


class Supervisor:
    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.processes: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, cmd: list[str]) -> None:
        log = rotating_log(self.log_dir / f"{name}.log")
        process = subprocess.Popen(
            cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append((name, process))

        def pump() -> None:
            assert process.stdout is not None
            for raw in process.stdout:
                line = raw.decode("utf-8", "replace")
                log.info(line.rstrip("\n"))
                sys.stdout.write(f"[{name}] {line}")
                sys.stdout.flush()
            for handler in log.handlers:
                handler.close()

        threading.Thread(target=pump, daemon=True).start()

    def failed(self) -> str | None:
        for name, process in self.processes:
            if process.poll() is not None:
                return f"{name} exited with status {process.returncode}"
        return None

    def stop(self) -> None:
        for _, process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for _, process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def wait_for(url: str, supervisor: Supervisor, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        problem = supervisor.failed()
        if problem:
            raise RuntimeError(problem)
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:  # noqa: S310 - local URL
                if reply.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-train", action="store_true", help="use the newest trained model")
    args = parser.parse_args()

    set_default_environment()
    token, token_path = api_token()
    bridge_secret()
    action_server_secret()
    socketio_session_secret()
    sqlite_tracker_wal(os.environ["TRACKER_STORE_URL"])
    train_when_needed(train=not args.no_train)

    env = os.environ
    supervisor = Supervisor(Path(env["COOPILOTE_LOG_DIR"]))
    stopping = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    rasa_port, action_port = env["RASA_PORT"], env["ACTION_PORT"]
    console_port = env["CONSOLE_PORT"]
    try:
        # The Rasa server first: loading its model is the longest step, and it needs neither the
        # app database nor the knowledge base, loaded meanwhile.
        supervisor.start(
            "rasa",
            rasa_cmd(
                "run",
                "--model",
                str(MODELS),
                "--endpoints",
                "endpoints.yml",
                "--credentials",
                env["COOPILOTE_CREDENTIALS"],
                "--interface",
                "127.0.0.1",
                "--port",
                rasa_port,
                "--enable-api",
                # One argument: a token may start with "-" (token_urlsafe), which argparse
                # would otherwise read as an option.
                f"--auth-token={token}",
            ),
        )
        load_data()
        supervisor.start("actions", [sys.executable, "-m", "bot.action_server", "-p", action_port])
        # The advisors' console, the chat widget's files and the demo page; in the same process
        # (console.background), three loops: sends the advisors' email notifications from the
        # outbox, retrying until they go out; destroys what its retention period is over for, in
        # every store, once a day; emails each organisation the list of its due follow-ups, once
        # a day.
        supervisor.start("console", [sys.executable, "-m", "console", "--background"])
        # A machine busy with other work may need longer (COOPILOTE_START_TIMEOUT_S, default
        # 900 s: under heavy load the model and the warm-up took over 5 minutes).
        patience = _positive("COOPILOTE_START_TIMEOUT_S", 900)
        wait_for(f"http://127.0.0.1:{action_port}/health", supervisor, patience)
        wait_for(f"http://127.0.0.1:{console_port}/health", supervisor, patience)
        wait_for(f"http://127.0.0.1:{rasa_port}{RASA_READY_PATH}", supervisor, patience)
        telegram = bool(env.get("TELEGRAM_BOT_TOKEN", "").strip())
        if telegram:  # docs/telegram.md: long polling unless TELEGRAM_MODE=webhook
            supervisor.start("telegram", [sys.executable, "-m", "bot.telegram"])
            # Partner profiles made on Telegram: the inactivity reminder, once a day (issue 18).
            supervisor.start(
                "match-reminders", [sys.executable, "-m", "bot.telegram.match_reminders"]
            )
    except RuntimeError as error:
        print(f"✗ Coopilote did not start: {error}", file=sys.stderr)
        supervisor.stop()
        return 1

    where = f"in {token_path}" if token_path else "from RASA_API_TOKEN"
    print(
        f"""
✓ Coopilote is running.
  Talk to it:   curl -s -XPOST http://localhost:{rasa_port}/webhooks/rest/webhook \\
                  -H 'Content-Type: application/json' -d '{{"sender": "me", "message": "Bonjour"}}'
  Socket.io:    http://localhost:{rasa_port}/socket.io (allowed origins: SOCKETIO_ALLOWED_ORIGINS)
  HTTP API:     http://localhost:{rasa_port}/status?token=…  (token {where})
  Action server http://127.0.0.1:{action_port}/health
  Web app:      http://localhost:{console_port}/ (demo page with the chat widget),
                http://localhost:{console_port}/login (advisors' console; docs/console.md)
  Telegram:     {"bridge running" if telegram else "off (set TELEGRAM_BOT_TOKEN)"}, docs/telegram.md
  Logs:         {supervisor.log_dir}
  Stop:         Ctrl-C
""",
        flush=True,
    )
    while not stopping.is_set():
        problem = supervisor.failed()
        if problem:
            print(f"✗ {problem}; stopping the others.", file=sys.stderr)
            supervisor.stop()
            return 1
        stopping.wait(1)
    print("Stopping …", flush=True)
    supervisor.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
