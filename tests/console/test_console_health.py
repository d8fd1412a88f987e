"""Liveness and readiness of the web app (deploy/: the orchestrator's health checks)."""

from __future__ import annotations

import appdb
from tests.console.conftest import new_client


def test_health_and_ready_with_the_database(client):
    assert client.get("/health").json() == {"status": "ok"}
    reply = client.get("/ready")
    assert reply.status_code == 200 and reply.json() == {"status": "ready"}


def test_not_ready_without_the_database(database, monkeypatch, tmp_path):
    # A PostgreSQL nobody listens on (port 9, discard): the connection is refused at once.
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:9/none")
    appdb.reset_engine()
    client = new_client()
    reply = client.get("/ready")
    assert reply.status_code == 503
    assert reply.json() == {"status": "unavailable", "reason": "database"}
    assert "content-security-policy" in reply.headers
    assert client.get("/health").status_code == 200
