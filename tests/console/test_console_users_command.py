"""``python -m console.users``: organisations, the first admin, advisors, tokens."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

import appdb
from console.auth import cli
from handoff.models import Organisation
from tests.console.conftest import log_in, new_client

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *argv: str, stdin: str | None = None) -> tuple[int, str]:
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        code = cli.main(list(argv))
    finally:
        sys.stdin = sys.__stdin__
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_first_admin_then_an_organisation_and_its_advisor(capsys) -> None:
    code, out = run(capsys, "create-admin", "Marie")
    assert code == 0 and "created admin marie" in out
    password = out.strip().splitlines()[-1].strip()
    assert log_in(new_client(), "marie", password).headers["location"] == "/account/password"
    assert run(capsys, "organisation", "cdrq", "CDRQ")[0] == 0
    code, out = run(
        capsys,
        "create-advisor",
        "paul",
        "--organisation",
        "cdrq",
        "--password-stdin",
        stdin="une phrase de passe solide\n",
    )
    assert code == 0
    with appdb.session_scope() as session:
        assert (
            session.execute(
                select(Organisation.on_console).where(Organisation.key == "cdrq")
            ).scalar_one()
            is True
        )
    assert log_in(new_client(), "paul", "une phrase de passe solide").status_code == 303
    code, out = run(capsys, "token", "paul")
    token = out.strip().splitlines()[-1].strip()
    response = new_client().get("/api/handoffs", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert run(capsys, "deactivate", "paul")[0] == 0
    with appdb.session_scope() as session:
        assert (
            session.execute(
                select(Organisation.on_console).where(Organisation.key == "cdrq")
            ).scalar_one()
            is False
        )
    assert "paul\tadvisor\tcdrq\tinactive" in run(capsys, "list")[1]


def test_refusals(capsys) -> None:
    assert run(capsys, "create-advisor", "x1", "--organisation", "nowhere")[0] == 2
    code, out = run(capsys, "create-admin", "x2", "--password-stdin", stdin="short\n")
    assert code == 2 and "too_short" in out
    run(capsys, "create-admin", "x3")
    assert "username_taken" in run(capsys, "create-admin", "X3")[1]


def test_the_module_runs_as_a_command(database) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "console.users", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and "create-admin" in result.stdout
