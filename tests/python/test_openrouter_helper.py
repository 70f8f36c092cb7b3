"""OpenRouter: /key and /credits to the balance contract."""

from datetime import UTC, datetime

import pytest
import requests

from backend.helpers import common
from backend.helpers.common import ProviderError, new_session
from backend.helpers.openrouter_helper import fetch_balance, normalize_balance

BASE = "http://openrouter.test/api/v1"
KEY = "sk-or-v1-SECRET"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch):
    monkeypatch.setattr(common.time, "sleep", lambda seconds: None)


def fetch():
    return fetch_balance(BASE, KEY, (1, 2), new_session())


def test_sample_payloads_give_the_contract(upstream, sample):
    upstream.get(f"{BASE}/key", json=sample("openrouter-key.json"))
    upstream.get(f"{BASE}/credits", json=sample("openrouter-credits.json"))
    body = fetch()
    assert body["provider"] == "openrouter"
    assert body["key_label"] == "sk-or-v1-3f2...9ab"
    assert body["limit_usd"] == 50
    assert body["limit_reset"] == "monthly"
    assert body["usage_usd"] == 118.7255
    assert body["remaining_usd"] == 31.2745
    assert (body["usage_daily_usd"], body["usage_weekly_usd"], body["usage_monthly_usd"]) == (0.8421, 6.1134, 18.7255)
    assert body["is_free_tier"] is False
    assert body["account"] == {"total_credits_usd": 150, "total_usage_usd": 118.7255, "balance_usd": 31.2745}
    assert body["fetched_at"].endswith("Z")
    for call in upstream.calls:
        assert call.request.headers["Authorization"] == f"Bearer {KEY}"


def test_unlimited_key_has_no_remaining(sample):
    payload = sample("openrouter-key.json")
    payload["data"].update(limit=None, limit_remaining=None, limit_reset=None)
    body = normalize_balance(payload, None, NOW)
    assert (body["limit_usd"], body["remaining_usd"], body["limit_reset"], body["account"]) == (None, None, None, None)


def test_missing_optional_fields_and_unknown_extras_are_tolerated():
    body = normalize_balance({"data": {"usage": 2, "limit": 10, "brand_new_field": {"x": 1}}}, None, NOW)
    assert body["remaining_usd"] == 8
    assert body["usage_daily_usd"] is None
    assert body["key_label"] is None


def test_numeric_strings_are_read_as_numbers():
    body = normalize_balance({"data": {"usage": "1.5", "limit": "10", "limit_remaining": "8.5"}},
                             {"data": {"total_credits": "20", "total_usage": "1.5"}}, NOW)
    assert (body["limit_usd"], body["remaining_usd"], body["account"]["balance_usd"]) == (10, 8.5, 18.5)


@pytest.mark.parametrize("status", [401, 403, 404])
def test_refused_credits_leave_account_null(upstream, sample, status):
    upstream.get(f"{BASE}/key", json=sample("openrouter-key.json"))
    upstream.get(f"{BASE}/credits", status=status)
    body = fetch()
    assert body["account"] is None
    assert body["remaining_usd"] == 31.2745


def test_failing_credits_fail_the_read(upstream, sample):
    upstream.get(f"{BASE}/key", json=sample("openrouter-key.json"))
    upstream.get(f"{BASE}/credits", body=requests.ReadTimeout())
    with pytest.raises(ProviderError) as caught:
        fetch()
    assert caught.value.code == "upstream_timeout"


def test_refused_key_names_the_variables(upstream):
    upstream.get(f"{BASE}/key", status=401, json={"error": {"message": f"bad key {KEY}"}})
    upstream.get(f"{BASE}/credits", status=401)
    with pytest.raises(ProviderError) as caught:
        fetch()
    assert caught.value.code == "unauthorized"
    assert "OPENROUTER_API_KEY" in caught.value.message
    assert KEY not in caught.value.message


@pytest.mark.parametrize("payload", [{}, {"data": None}, {"data": []}, [], "text",
                                     {"data": {"usage": "lots"}}, {"data": {"limit": [1]}}])
def test_malformed_key_payloads_are_bad_payloads(payload):
    with pytest.raises(ProviderError) as caught:
        normalize_balance(payload, None, NOW)
    assert caught.value.code == "bad_upstream_payload"


@pytest.mark.parametrize("payload", [{}, {"data": {"total_credits": 1}}, {"data": {"total_credits": None, "total_usage": 1}}])
def test_malformed_credits_payloads_are_bad_payloads(sample, payload):
    with pytest.raises(ProviderError) as caught:
        normalize_balance(sample("openrouter-key.json"), payload, NOW)
    assert caught.value.code == "bad_upstream_payload"
