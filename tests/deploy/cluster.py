"""The production layout of deploy/ with real processes on this machine, no containers: two Rasa
replicas sharing a PostgreSQL tracker store and a Redis lock store, an action server, and nginx
in front, configured from deploy/nginx/coopilote.conf.template. tests/deploy and
``scripts/bench.py --replicas`` start it.

The app database is reached through a TCP proxy (tests/e2e/tcp_proxy.py) that a test cuts to
make PostgreSQL unavailable without touching the shared server.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import sqlalchemy as sa

from tests.e2e.tcp_proxy import TcpProxy
from tests.support.processes import free_port, stop_process_group, wait_for_url
from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TEMPLATE = ROOT / "deploy" / "nginx" / "coopilote.conf.template"
PG_ADMIN = os.environ.get("DEPLOY_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = ("127.0.0.1", 6379)
_PLACEHOLDER = re.compile(r"\$\{([A-Z0-9_]+)\}")


def template_names() -> set[str]:
    """The ``${NAME}`` placeholders of the nginx template."""
    return set(_PLACEHOLDER.findall(TEMPLATE.read_text()))


def render_nginx(values: dict[str, str]) -> str:
    """The template with its placeholders filled, as envsubst does in deploy/docker-compose.yml;
    nginx's own ``$variables`` stay. Every placeholder must be given."""
    missing = template_names() - set(values)
    if missing:
        raise KeyError(f"no value for {sorted(missing)}")
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], TEMPLATE.read_text())


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )


def missing_services() -> str | None:
    """Why the cluster cannot start here, or None."""
    if nginx_binary() is None:
        return "nginx is not installed (scripts/test.sh installs it with apt-get when it can)"
    if not any((ROOT / "bot" / "models").glob("*.tar.gz")):
        return "no trained model in bot/models"
    try:
        engine = sa.create_engine(PG_ADMIN, future=True)
        with engine.connect():
            pass
        engine.dispose()
    except sa.exc.OperationalError:
        return f"PostgreSQL unreachable at {PG_ADMIN}"
    try:
        socket.create_connection(REDIS, timeout=2).close()
    except OSError:
        return f"Redis unreachable at {REDIS[0]}:{REDIS[1]}"
    return None


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    """``url`` answers (scripts/fuzz.py and scripts/bench.py use this too)."""
    wait_for_url(url, process, log, timeout)


@dataclass
class Cluster:
    """Started by ``start()``; ``close()`` stops every process and drops the databases."""

    work: Path
    replicas: int = 2
    # The knowledge base's encoder: tests use the quick `hashing` one, the benchmark the default.
    encoder: str | None = "hashing"
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    rasa_ports: list[int] = field(default_factory=list)
    action_port: int = 0
    nginx_port: int = 0
    nginx_actions_port: int = 0
    databases: list[str] = field(default_factory=list)
    db_proxy: TcpProxy | None = None
    # Where nginx sends the web app's paths; nobody listens there unless the caller starts the
    # web app on it (scripts/fuzz.py does).
    console_port: int = field(default_factory=free_port)

    @property
    def url(self) -> str:
        """nginx: the address clients use."""
        return f"http://127.0.0.1:{self.nginx_port}"

    def replica_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.rasa_ports[index]}"

    @property
    def access_log(self) -> Path:
        return self.work / "log" / "nginx-access.log"

    @property
    def app_db(self) -> str:
        """The app database, directly (not through the proxy)."""
        return f"postgresql://postgres@127.0.0.1:5432/{self.databases[0]}"

    # --- start and stop

    def start(self) -> Cluster:
        (self.work / "log").mkdir(parents=True, exist_ok=True)
        self._create_databases()
        self.db_proxy = TcpProxy(5432).up()
        self.rasa_ports = [free_port() for _ in range(self.replicas)]
        self.action_port = free_port()
        self.nginx_port, self.nginx_actions_port = free_port(), free_port()
        app_db, tracker_db = self.databases
        self.env = {
            **os.environ,
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "DATABASE_URL": f"postgresql://postgres@127.0.0.1:{self.db_proxy.port}/{app_db}",
            "TRACKER_STORE_URL": f"postgresql://postgres@127.0.0.1:5432/{tracker_db}",
            "TRACKER_STORE_DIALECT": "postgresql",
            "LOCK_STORE_TYPE": "redis",
            "REDIS_HOST": REDIS[0],
            "REDIS_PORT": str(REDIS[1]),
            "REDIS_LOCK_DB": "1",
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.nginx_actions_port}/webhook",
            "ACTION_SERVER_SECRET": secrets.token_urlsafe(24),
            "SOCKETIO_SESSION_SECRET": secrets.token_urlsafe(24),
            "BRIDGE_SHARED_SECRET": secrets.token_urlsafe(24),
            "SOCKETIO_ALLOWED_ORIGINS": "http://partner.example",
            "CHAT_FORWARDED_ALLOW_IPS": "127.0.0.1",
            "CHAT_MAX_PER_MINUTE_ADDRESS": "1000000",
            "CHAT_MAX_PER_MINUTE_CONVERSATION": "1000000",
            # The tests file several dossiers with one contact address.
            "HANDOFF_MAX_PER_DAY": "1000",
            "HANDOFF_MAIL_DIR": str(self.work / "mail"),
            "PRIVACY_EXPORT_DIR": str(self.work / "exports"),
            "COOPILOTE_LOG_DIR": str(self.work / "log"),
            "COOPILOTE_WARM_UP": "1",
            "COOPILOTE_JSON_LOGS": "1",  # as deploy/docker-compose.yml
            "SANIC_HOST": "127.0.0.1",
        }
        if self.encoder:
            self.env["COOPILOTE_ENCODER"] = self.encoder
            self.env["COOPILOTE_CACHE_DIR"] = str(self.work / "cache")
        # The replicas load their model (the longest) while the app database is prepared.
        for index in range(self.replicas):
            self.start_rasa(index, wait=False)
        for command in (
            ["-m", "appdb.migrate"],
            ["-m", "knowledge_base", "load"],
            ["-m", "handoff.seed"],
        ):
            subprocess.run(
                [sys.executable, *command],
                cwd=ROOT,
                env=self.env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        self.start_actions()
        self.start_nginx()
        for index in range(self.replicas):
            self.wait_rasa(index)
        return self

    def _create_databases(self) -> None:
        admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT", future=True)
        tag = uuid.uuid4().hex[:8]
        with admin.connect() as connection:
            for kind in ("app", "tracker"):
                name = f"coopilote_deploy_{kind}_{tag}"
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
                self.databases.append(name)
        admin.dispose()

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        log = self.work / "log" / f"{name}.log"
        with log.open("ab") as out:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes[name] = process
        return process

    def start_rasa(self, index: int, wait: bool = True) -> None:
        port = self.rasa_ports[index]
        self._spawn(
            f"rasa-{index + 1}",
            [
                str(BIN / "rasa"),
                "run",
                "--model",
                str(ROOT / "bot" / "models"),
                "--endpoints",
                "endpoints.yml",
                "--credentials",
                "credentials.yml",
                "--interface",
                "127.0.0.1",
                "--port",
                str(port),
                "--enable-api",
                "--auth-token",
                self.token,
                "--logging-config-file",
                "deploy/logging.yml",
            ],
        )
        if wait:
            self.wait_rasa(index)

    def wait_rasa(self, index: int) -> None:
        name = f"rasa-{index + 1}"
        wait_for(
            f"{self.replica_url(index)}/",
            self.processes[name],
            self.work / "log" / f"{name}.log",
            timeout=600,
        )

    def start_actions(self) -> None:
        process = self._spawn(
            "actions",
            [
                sys.executable,
                "-m",
                "bot.json_logs",
                "bot.action_server",
                "-p",
                str(self.action_port),
            ],
        )
        wait_for(
            f"http://127.0.0.1:{self.action_port}/health",
            process,
            self.work / "log" / "actions.log",
            timeout=300,
        )
        if "nginx" in self.processes:
            # Rasa calls the action servers through nginx, which keeps a server it found down
            # out of use for fail_timeout (5 s, deploy/nginx): an action server back sooner
            # (a warm start takes about that) is ready for Rasa once nginx passes calls again.
            wait_for(
                f"http://127.0.0.1:{self.nginx_actions_port}/health",
                process,
                self.work / "log" / "actions.log",
                timeout=60,
            )

    def kill(self, name: str) -> None:
        """Kills a process at once (SIGKILL), as a crash would."""
        stop_process_group(self.processes.pop(name), signal.SIGKILL)

    def start_nginx(self) -> None:
        path = self._write_nginx_config(list(range(self.replicas)))
        nginx = nginx_binary()
        assert nginx is not None
        process = self._spawn(
            "nginx", [nginx, "-p", str(path.parent), "-c", str(path), "-g", "daemon off;"]
        )
        wait_for(f"{self.url}/nginx-health", process, self.work / "log" / "nginx.log", timeout=30)

    def route_to(self, replicas: list[int]) -> None:
        """nginx sends every conversation to these replicas only (reloaded without a restart)."""
        self._write_nginx_config(replicas)
        master = psutil.Process(self.processes["nginx"].pid)
        before = {child.pid for child in master.children()}
        master.send_signal(signal.SIGHUP)
        # The reload is done when the master's workers are all new: the old ones, which kept the
        # previous routes, have exited.
        wait_until(
            lambda: (now := {c.pid for c in master.children()}) and not (now & before),
            timeout=30,
            what="nginx's new workers",
        )

    def _write_nginx_config(self, replicas: list[int]) -> Path:
        run_dir = self.work / "nginx"
        run_dir.mkdir(exist_ok=True)
        upstreams = [f"127.0.0.1:{self.rasa_ports[i]}" for i in replicas]
        if len(upstreams) == 1:
            upstreams.append(upstreams[0])
        config = render_nginx(
            {
                "LISTEN_PORT": f"127.0.0.1:{self.nginx_port}",
                "ACTIONS_LISTEN_PORT": f"127.0.0.1:{self.nginx_actions_port}",
                "RASA_1": upstreams[0],
                "RASA_2": upstreams[1],
                # One action server here; deploy/ runs two.
                "ACTIONS_1": f"127.0.0.1:{self.action_port}",
                "ACTIONS_2": f"127.0.0.1:{self.action_port}",
                "CONSOLE": f"127.0.0.1:{self.console_port}",
                "NGINX_RUN_DIR": str(run_dir),
            }
        )
        # The access log into a file the tests read, instead of nginx's standard output.
        config = config.replace("/dev/stdout", str(self.access_log))
        path = run_dir / "nginx.conf"
        path.write_text(config)
        return path

    def close(self) -> None:
        for process in self.processes.values():
            stop_process_group(process)
        self.processes.clear()
        if self.db_proxy is not None:
            self.db_proxy.close()
        if self.databases:
            admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT", future=True)
            with admin.connect() as connection:
                for name in self.databases:
                    connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

    # --- reading what happened

    def access_entries(self) -> list[dict]:
        """nginx's JSON access log, oldest first."""
        if not self.access_log.exists():
            return []
        return [
            json.loads(line)
            for line in self.access_log.read_text().splitlines()
            if line.startswith("{")
        ]

    def tracker_events(self, sender: str) -> list[dict]:
        """The conversation's events, read from the tracker store through replica 1's HTTP API
        (or whichever replica still runs)."""
        for index, port in enumerate(self.rasa_ports):
            if f"rasa-{index + 1}" not in self.processes:
                continue
            url = f"http://127.0.0.1:{port}/conversations/{sender}/tracker?token={self.token}"
            with urllib.request.urlopen(url, timeout=30) as reply:  # noqa: S310 - loopback
                return json.loads(reply.read())["events"]
        raise RuntimeError("no replica runs")

    def logs(self) -> str:
        return "\n".join(
            p.read_text(errors="replace") for p in sorted((self.work / "log").glob("*.log"))
        )
