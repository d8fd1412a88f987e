"""deploy/: the nginx template is valid nginx once filled in, and the Compose file fills in
exactly its placeholders. (Compose itself cannot run here: there is no container engine.)"""

from __future__ import annotations

import re
import subprocess

import pytest
import yaml

from tests.deploy.cluster import ROOT, nginx_binary, render_nginx, template_names

COMPOSE = ROOT / "deploy" / "docker-compose.yml"


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_compose_fills_in_exactly_the_template_placeholders():
    nginx = compose()["services"]["nginx"]
    command = " ".join(nginx["command"])
    substituted = set(re.findall(r"\$\$([A-Z0-9_]+)", command))
    assert substituted == template_names()
    assert substituted <= set(nginx["environment"])


def test_compose_runs_two_rasa_replicas_on_shared_stores():
    services = compose()["services"]
    rasa = [services["rasa-1"], services["rasa-2"]]
    for replica in rasa:
        env = replica["environment"]
        assert env["LOCK_STORE_TYPE"] == "redis"
        assert env["TRACKER_STORE_DIALECT"] == "postgresql"
        assert "credentials.production.yml" in replica["command"]
        assert "deploy/logging.yml" in replica["command"]
    assert {"actions-1", "actions-2", "console", "notifier", "privacy", "postgres", "redis"} <= set(
        services
    )


def test_the_filled_in_template_is_valid_nginx(tmp_path):
    nginx = nginx_binary()
    if nginx is None:
        print("nginx is not installed: cannot check the configuration")
        pytest.skip("nginx is not installed")
    values = {name: "127.0.0.1:1" for name in template_names()}
    values.update(LISTEN_PORT="127.0.0.1:2", ACTIONS_LISTEN_PORT="127.0.0.1:3")
    values["NGINX_RUN_DIR"] = str(tmp_path)
    path = tmp_path / "nginx.conf"
    path.write_text(render_nginx(values))
    checked = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(path)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    assert not re.search(r"\$\{[A-Z]", path.read_text())


def test_a_missing_value_is_refused():
    with pytest.raises(KeyError):
        render_nginx({"LISTEN_PORT": "8080"})
