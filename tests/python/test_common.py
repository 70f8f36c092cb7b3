"""HTTP and number handling shared by the three helpers."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
import requests
import responses

from backend.helpers import common
from backend.helpers.common import ProviderError, as_number, get_json, iso, new_session, parse_retry_after

URL = "http://upstream.test/thing"


def fetch(timeout=(1, 2)):
    return get_json(new_session(), URL, headers={"Authorization": "Bearer tok-123"}, timeout=timeout,
                    provider="p", label="Upstream", auth_hint="THE_VAR")


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch):
    monkeypatch.setattr(common.time, "sleep", lambda seconds: None)


def test_returns_parsed_json_and_sends_user_agent(upstream):
    upstream.get(URL, json={"a": 1})
    assert fetch() == {"a": 1}
    sent = upstream.calls[0].request.headers
    assert sent["User-Agent"].startswith("ai-usage-dashboard/")
    assert sent["Authorization"] == "Bearer tok-123"


def test_timeout_maps_to_upstream_timeout(upstream):
    upstream.get(URL, body=requests.ReadTimeout("slow"))
    with pytest.raises(ProviderError) as caught:
        fetch()
    assert caught.value.code == "upstream_timeout"
    assert caught.value.status == 504


def test_connection_error_is_retried_once_then_fails(upstream):
    upstream.get(URL, body=requests.ConnectionError("reset"))
    with pytest.raises(ProviderError) as caught:
        fetch()
    assert caught.value.code == "upstream_error"
    assert len(upstream.calls) == 2


def test_server_error_then_success_recovers_with_one_retry(upstream):
    upstream.get(URL, status=503)
    upstream.get(URL, json={"ok": True})
    assert fetch() == {"ok": True}
    assert len(upstream.calls) == 2


@pytest.mark.parametrize("status", [401, 403])
def test_auth_failures_are_not_retried_and_name_the_variable(upstream, status):
    upstream.get(URL, status=status, json={"message": "Bad credentials tok-123"})
    with pytest.raises(ProviderError) as caught:
        fetch()
    assert caught.value.code == "unauthorized"
    assert "THE_VAR" in caught.value.message
    assert "tok-123" not in caught.value.message
    assert len(upstream.calls) == 1


def test_rate_limit_honours_retry_after_without_retrying(upstream):
    upstream.get(URL, status=429, headers={"Retry-After": "17"})
    with pytest.raises(ProviderError) as caught:
        fetch()
    assert (caught.value.code, caught.value.retry_after_seconds, caught.value.status) == ("rate_limited", 17, 429)
    assert len(upstream.calls) == 1


def test_redirects_are_not_followed_so_the_token_stays_home(upstream):
    upstream.get(URL, status=302, headers={"Location": "http://elsewhere.test/steal"})
    with pytest.raises(ProviderError) as caught:
        fetch()
    assert caught.value.code == "upstream_error"
    assert [c.request.url for c in upstream.calls] == [URL]


def test_client_error_is_not_retried(upstream):
    upstream.get(URL, status=422, body="<html>nope</html>")
    with pytest.raises(ProviderError) as caught:
        fetch()
    assert caught.value.code == "upstream_error"
    assert "<html>" not in caught.value.message
    assert len(upstream.calls) == 1


@pytest.mark.parametrize("body", [b"", b"<html><body>Bad gateway</body></html>", b"{not json", b'{"a": NaN}',
                                  b'{"a": Infinity}', b"\xff\xfe"])
def test_non_json_bodies_are_bad_payloads(upstream, body):
    upstream.get(URL, body=body)
    with pytest.raises(ProviderError) as caught:
        fetch()
    assert caught.value.code == "bad_upstream_payload"


def test_oversized_body_is_refused(upstream):
    upstream.get(URL, body=b"[" + b"1," * (3 * 1024 * 1024) + b"1]")
    with pytest.raises(ProviderError) as caught:
        fetch()
    assert caught.value.code == "bad_upstream_payload"
    assert "5 MB" in caught.value.message


@pytest.mark.parametrize("value, expected", [(3, 3.0), (2.5, 2.5), ("12.5", 12.5), (" 7 ", 7.0), (0, 0.0)])
def test_as_number_accepts_numbers_and_numeric_strings(value, expected):
    assert as_number(value, "p", "L", "x") == expected


@pytest.mark.parametrize("value", [True, None, "abc", [], {}, 10**400, float("nan"), float("inf"), 1e300])
def test_as_number_rejects_everything_else(value):
    with pytest.raises(ProviderError) as caught:
        as_number(value, "p", "L", "data.x")
    assert caught.value.code == "bad_upstream_payload"
    assert "data.x" in caught.value.message


@pytest.mark.parametrize("header, expected", [("30", 30), (" 5 ", 5), (None, None), ("soon", None),
                                              ("Wed, 21 Oct 2026 07:28:00 GMT", None), ("999999", 86400)])
def test_parse_retry_after(header, expected):
    assert parse_retry_after(header) == expected


def test_session_ignores_netrc_and_proxies_from_environment():
    assert new_session().trust_env is False


def test_the_suite_cannot_reach_the_network():
    """Guard for the suite (conftest's no_network): only this machine can be reached."""
    import socket

    with pytest.raises(AssertionError, match="never touch the network"):
        socket.create_connection(("192.0.2.1", 443), timeout=0.1)  # TEST-NET-1: refused before any packet


def test_responses_mock_is_strict():
    """Guard for the suite: an unregistered URL raises instead of reaching the network."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock, pytest.raises(ProviderError):
        mock.get("http://other.test/", json={})
        fetch()


@pytest.mark.parametrize("moment, text", [
    (datetime(2026, 11, 25, 8, 5, 9, tzinfo=UTC), "2026-11-25T08:05:09Z"),
    (datetime(148, 11, 9, 3, 48, 31, tzinfo=UTC), "0148-11-09T03:48:31Z"),
    (datetime(2026, 11, 25, 9, 0, tzinfo=timezone(timedelta(hours=1))), "2026-11-25T08:00:00Z"),
])
def test_iso_is_always_utc_with_a_four_digit_year(moment, text):
    assert iso(moment) == text


def test_a_connection_failure_says_where_it_tried_and_nothing_a_url_may_hide(upstream):
    secret_url = "http://user:hunter2@upstream.test:8443/v1/thing?token=tok-123"
    upstream.get(secret_url, body=requests.ConnectionError("refused"))
    with pytest.raises(common.Unreachable) as caught:
        get_json(new_session(), secret_url, headers={}, timeout=(1, 2), provider="p", label="Upstream", auth_hint="X")
    assert caught.value.message == "Could not connect to Upstream at `http://upstream.test:8443`. Check your connection."
    assert (caught.value.code, caught.value.where) == ("upstream_error", "http://upstream.test:8443")


@pytest.mark.parametrize(("url", "where"), [
    ("http://[::1]:8080/api", "http://[::1]:8080"),
    ("https://tok/en:x@host.test/v1", "https://?"),  # an unescaped / in a user part: nothing of it is shown
    ("https://api.example.test/v1?key=abc", "https://api.example.test"),
])
def test_where_a_url_points_shows_its_host_and_port_only(url, where):
    assert common.url_origin(url) == where
