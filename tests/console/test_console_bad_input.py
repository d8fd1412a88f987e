"""Out-of-range query values get a 400 or a 422 with the security headers, never a 500: page
numbers that overflow the databases' integers, dates that overflow Python's (9999-12-31 plus the
day the inbox adds to an end date) on the inbox, its CSV, the audit trail and the JSON API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from console.app import create_app
from tests.console.conftest import BASE_URL, Session
from tests.console.test_console_api import bearer

HUGE = "9" * 30


def _client() -> TestClient:
    # Server errors become 500 answers here, as a browser would see them.
    return TestClient(
        create_app(), base_url=BASE_URL, follow_redirects=False, raise_server_exceptions=False
    )


def _admin() -> Session:
    """A logged-in admin whose client shows server errors as answers."""
    admin = Session("admin")
    cookies = admin.client.cookies
    admin.client = _client()
    admin.client.cookies = cookies
    return admin


def _secured(response) -> None:
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "url",
    [
        f"/api/handoffs?page={HUGE}",
        f"/api/handoffs?page=-{HUGE}",
        "/api/handoffs?page=100001",
        "/api/handoffs?date_to=9999-12-31",
        "/api/handoffs?date_from=0001-01-01",
        "/api/handoffs?date_from=9999-12-31&date_to=9999-12-31",
    ],
)
def test_the_api_answers_422(dossiers, url: str) -> None:
    response = _client().get(url, headers=bearer("admin"))
    assert response.status_code == 422, response.text
    _secured(response)


@pytest.mark.parametrize(
    "url",
    [f"/dossiers?page={HUGE}", "/dossiers?page=100001", f"/admin/audit?page={HUGE}"],
)
def test_pages_answer_400_in_the_users_language(dossiers, url: str) -> None:
    admin = _admin()
    response = admin.get(url)
    assert response.status_code == 400, response.text[:500]
    assert "Demande incorrecte" in response.text
    _secured(response)
    english = admin.get(url + "&lang=en")
    assert english.status_code == 400 and "Bad request" in english.text


@pytest.mark.parametrize(
    "url",
    [
        "/dossiers?date_to=9999-12-31",
        "/dossiers?date_from=0001-01-01&date_to=9999-12-31",
        "/dossiers.csv?date_to=9999-12-31",
        "/dossiers.csv?date_from=0001-01-01",
    ],
)
def test_impossible_dates_are_dropped_like_unreadable_ones(dossiers, url: str) -> None:
    """The pages drop a filter they cannot read (documented); they no longer crash on it."""
    admin = _admin()
    response = admin.get(url)
    assert response.status_code == 200
    _secured(response)
