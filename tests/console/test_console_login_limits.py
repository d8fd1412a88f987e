"""Login limits behind a reverse proxy: the client's address comes from X-Forwarded-For only
when the connection comes from a configured proxy; failures are limited per account and per
address separately, with a wait that doubles; failures on unknown usernames never lock a real
account."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

import appdb
from console.app import create_app
from console.auth import accounts
from console.auth.models import ConsoleUser, LoginAttempt
from console.settings import Settings, trusted_proxies
from tests.console.conftest import BASE_URL, PASSWORD, log_in

PROXY = "10.0.0.1"
ATTACKER = "203.0.113.9"
ADVISOR = "198.51.100.7"
WRONG = "wrong password!!"


def through(source: str, forwarded_for: str | None = None) -> TestClient:
    """A browser whose connection comes from ``source`` (the proxy, or the client itself)."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return TestClient(
        create_app(),
        base_url=BASE_URL,
        follow_redirects=False,
        client=(source, 40000),
        headers=headers,
    )


@pytest.fixture()
def behind_proxy(people, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONSOLE_FORWARDED_ALLOW_IPS", f"{PROXY}, 192.168.0.0/16")


def age_attempts(by: timedelta) -> None:
    """Time passes: the attempts (and the accounts, created before them) are older by ``by``."""
    with appdb.session_scope() as session:
        for attempt in session.execute(select(LoginAttempt)).scalars():
            attempt.at = attempt.at - by
        for user in session.execute(select(ConsoleUser)).scalars():
            user.created_at = user.created_at - by


def test_an_attacker_behind_the_proxy_does_not_lock_out_the_advisors(behind_proxy) -> None:
    attacker = through(PROXY, ATTACKER)
    for number in range(25):
        log_in(attacker, f"guess{number}", WRONG)
    assert log_in(attacker, "alice").status_code == 429
    # Alice comes through the same proxy, from her own address: not locked.
    assert log_in(through(PROXY, ADVISOR), "alice").status_code == 303
    # A chain of proxies: the client is the rightmost address that is not a trusted proxy.
    chained = through(PROXY, f"{ATTACKER}, 192.168.1.20")
    assert log_in(chained, "bob").status_code == 429


def test_forwarded_headers_from_anyone_else_are_ignored(behind_proxy) -> None:
    """A client that is not a configured proxy cannot choose its address to escape the limit."""
    for number in range(20):
        spoofing = through(ATTACKER, f"198.51.100.{number}")
        assert log_in(spoofing, f"guess{number}", WRONG).status_code == 401
    assert log_in(through(ATTACKER, "198.51.100.250"), "alice").status_code == 429
    assert log_in(through(ADVISOR), "alice").status_code == 303


def test_without_configured_proxies_the_connection_address_counts(people) -> None:
    for number in range(20):
        log_in(through(PROXY, f"198.51.100.{number}"), f"guess{number}", WRONG)
    assert log_in(through(PROXY, ADVISOR), "alice").status_code == 429


def test_the_account_waits_longer_after_each_further_failure(behind_proxy) -> None:
    attacker = through(PROXY, ATTACKER)
    for _ in range(5):
        assert log_in(attacker, "alice", WRONG).status_code == 401
    alice = through(PROXY, ADVISOR)
    assert log_in(alice, "alice").status_code == 429  # locked, from every address
    # Hammering a locked account does not lengthen the wait.
    for _ in range(10):
        log_in(attacker, "alice", WRONG)
    age_attempts(timedelta(seconds=61))
    assert log_in(attacker, "alice", WRONG).status_code == 401  # one more try after 1 min
    age_attempts(timedelta(seconds=61))
    assert log_in(alice, "alice").status_code == 429  # now 2 min
    age_attempts(timedelta(seconds=60))
    assert log_in(alice, "alice").status_code == 303
    # A success starts the account's count again.
    assert log_in(attacker, "alice", WRONG).status_code == 401


def test_failures_on_unknown_usernames_never_lock_a_real_account(behind_proxy) -> None:
    attacker = through(PROXY, ATTACKER)
    for _ in range(10):
        log_in(attacker, "paul", WRONG)
    # The account is created afterwards: earlier failures on its name do not count.
    accounts.create_user("paul", "advisor", organisation_key="cdrq", password=PASSWORD, by="t")
    assert log_in(through(PROXY, ADVISOR), "paul").status_code == 303


@pytest.mark.parametrize("value", ["*", "proxy.example", "10.0.0.1, nonsense"])
def test_only_addresses_and_networks_are_trusted(value: str) -> None:
    with pytest.raises(ValueError, match="CONSOLE_FORWARDED_ALLOW_IPS"):
        trusted_proxies(value)


def test_settings_read_the_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONSOLE_FORWARDED_ALLOW_IPS", " 10.0.0.1 ,fd00::/8,")
    assert Settings.from_environment().forwarded_allow_ips == ("10.0.0.1", "fd00::/8")
    monkeypatch.delenv("CONSOLE_FORWARDED_ALLOW_IPS")
    assert Settings.from_environment().forwarded_allow_ips == ()
