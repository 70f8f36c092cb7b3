"""OpenRouter: /key, /credits and /activity to the balance contract, on real bodies (tests/fixtures/README.md)."""

from datetime import UTC, datetime

import pytest
import requests
from conftest import real

from backend.helpers import common
from backend.helpers.common import ProviderError, new_session
from backend.helpers.openrouter_helper import fetch_balance, next_reset, normalize_balance

BASE = "http://openrouter.test/api/v1"
KEY = "sk-or-v1-SECRET"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # a Wednesday


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch):
    monkeypatch.setattr(common.time, "sleep", lambda seconds: None)


def fetch(**kwargs):
    return fetch_balance(BASE, KEY, (1, 2), new_session(), **kwargs)


def wrapped(name):
    """Some sources quote only the inner `data` object: put it back in its envelope."""
    body = real("openrouter", name)
    return body if "data" in body else {"data": body}


def quotas(body):
    return {q["id"]: q for q in body["quotas"]}


def test_sample_payloads_give_the_contract(upstream, sample):
    upstream.get(f"{BASE}/key", json=sample("openrouter-key.json"))
    upstream.get(f"{BASE}/credits", json=sample("openrouter-credits.json"))
    body = fetch(now=NOW)
    assert (body["provider"], body["key_label"], body["limit_usd"], body["limit_reset"]) == (
        "openrouter", "sk-or-v1-3f2...9ab", 50, "monthly")
    assert (body["usage_usd"], body["remaining_usd"], body["limit_resets_at"]) == (118.7255, 31.2745, "2026-12-01T00:00:00Z")
    assert body["account"] == {"total_credits_usd": 150, "total_usage_usd": 118.7255, "balance_usd": 31.2745}
    assert body["balance_usd"] == 31.2745 and body["models"] is None
    assert set(quotas(body)) == {"balance", "key_limit"}
    for call in upstream.calls:
        assert call.request.headers["Authorization"] == f"Bearer {KEY}"


def test_a_real_monthly_limit_counts_this_months_spend_not_all_time():
    # Real: limit 500, usage_monthly 45.457405021, all-time usage 433; OpenRouter's limit_remaining agrees.
    body = normalize_balance(wrapped("key-monthly-limit-redacted-subset.json"), None, NOW)
    assert body["remaining_usd"] == pytest.approx(454.5426, abs=1e-4)
    without = wrapped("key-monthly-limit-redacted-subset.json")
    del without["data"]["limit_remaining"]
    assert normalize_balance(without, None, NOW)["remaining_usd"] == pytest.approx(454.5426, abs=1e-4)
    key_limit = quotas(body)["key_limit"]
    assert (key_limit["unit"], key_limit["resets_at"], key_limit["window_seconds"]) == ("usd", "2026-12-01T00:00:00Z", 30 * 86400)


def test_the_spec_key_with_a_monthly_limit():
    body = normalize_balance(real("openrouter", "key-spec-monthly-limit.json"), real("openrouter", "credits-spec.json"), NOW)
    assert (body["limit_usd"], body["remaining_usd"]) == (100, 74.5)
    assert body["account"]["balance_usd"] == 74.75


def test_a_daily_limit_resets_at_the_next_utc_midnight():
    body = normalize_balance(real("openrouter", "keys-patch-daily-reset-spec.json"), None, NOW)
    assert body["limit_resets_at"] == "2026-11-26T00:00:00Z"
    assert quotas(body)["key_limit"]["window_seconds"] == 86400


@pytest.mark.parametrize("kind, now, expected", [
    ("daily", datetime(2026, 11, 25, 23, 59, tzinfo=UTC), "2026-11-26T00:00:00Z"),
    ("weekly", datetime(2026, 11, 25, 12, tzinfo=UTC), "2026-11-30T00:00:00Z"),
    ("weekly", datetime(2026, 11, 30, 0, 0, 1, tzinfo=UTC), "2026-12-07T00:00:00Z"),
    ("monthly", datetime(2026, 12, 31, 23, tzinfo=UTC), "2027-01-01T00:00:00Z"),
    ("monthly", datetime(2028, 2, 29, 12, tzinfo=UTC), "2028-03-01T00:00:00Z"),
    (None, NOW, None),
])
def test_next_reset_of_each_period(kind, now, expected):
    found = next_reset(kind, now)
    assert (found.strftime("%Y-%m-%dT%H:%M:%SZ") if found else None) == expected


@pytest.mark.parametrize("name", ["auth-key-legacy-limit-null-data-only.json", "auth-key-legacy-limit-null-rate-150.json",
                                  "auth-key-free-tier-no-limit.json"])
def test_unlimited_keys_have_no_remaining_and_no_key_quota(name):
    body = normalize_balance(wrapped(name), None, NOW)
    assert (body["limit_usd"], body["remaining_usd"], body["limit_resets_at"]) == (None, None, None)
    assert "key_limit" not in quotas(body)


def test_a_legacy_key_with_a_limit_and_no_reset_is_a_balance():
    body = normalize_balance(wrapped("auth-key-legacy-limit-5.json"), None, NOW)
    key_limit = quotas(body)["key_limit"]
    assert (key_limit["kind"], key_limit["limit"], key_limit["resets_at"]) == ("balance", 5, None)
    assert body["remaining_usd"] == pytest.approx(4.8984, abs=1e-4)


def test_free_tier_is_flagged():
    assert normalize_balance(wrapped("auth-key-free-tier-no-limit.json"), None, NOW)["is_free_tier"] is True


# Constructed: no public body has a negative or missing limit_remaining.
@pytest.mark.parametrize("data, remaining", [
    ({"limit": 5, "limit_remaining": -5, "usage": 10}, 0),
    ({"limit": 5, "limit_remaining": 9, "usage": 1}, 5),
    ({"limit": 10, "usage": 2}, 8),
    ({"limit": 10, "limit_reset": "weekly", "usage": 50, "usage_weekly": 3}, 7),
])
def test_remaining_is_clamped_between_zero_and_the_limit(data, remaining):
    assert normalize_balance({"data": data}, None, NOW)["remaining_usd"] == remaining


def test_credits_of_zero_while_the_key_has_spent_mean_unknown_not_zero():
    body = normalize_balance(real("openrouter", "key-spec-monthly-limit.json"),
                             {"data": real("openrouter", "credits-zeros-inference-key.json")}, NOW)
    assert body["account"] is None and "OPENROUTER_MANAGEMENT_KEY" in body["account_problem"]
    assert "balance" not in quotas(body)


def test_a_negative_real_balance_shows_zero_left():
    key, credits = real("openrouter", "key-spec-monthly-limit.json"), real("openrouter", "credits-negative-balance.json")
    body = normalize_balance(key, credits, NOW)
    assert body["account"]["balance_usd"] == pytest.approx(-0.0761, abs=1e-4)
    assert quotas(body)["balance"]["remaining"] == 0 and quotas(body)["balance"]["used_percent"] > 100


def test_the_management_key_reads_credits_and_activity(upstream, sample):
    upstream.get(f"{BASE}/key", json=real("openrouter", "key-spec-monthly-limit.json"))
    upstream.get(f"{BASE}/credits", json=real("openrouter", "credits-spec.json"))
    upstream.get(f"{BASE}/activity", json=real("openrouter", "activity-spec.json"))
    body = fetch(management_key="sk-or-v1-MANAGEMENT", now=NOW)
    assert body["models"] == [{"model": "openai/gpt-4.1", "usage_usd": 0.015, "requests": 5}]
    auth = {call.request.url.rsplit("/", 1)[1]: call.request.headers["Authorization"] for call in upstream.calls}
    assert auth == {"key": f"Bearer {KEY}", "credits": "Bearer sk-or-v1-MANAGEMENT", "activity": "Bearer sk-or-v1-MANAGEMENT"}


@pytest.mark.parametrize("status, name", [(401, "error-401-missing-auth-header-spec.json"),
                                          (403, "error-403-management-key-required-spec.json"), (404, None)])
def test_refused_credits_leave_account_null_with_the_fix(upstream, sample, status, name):
    upstream.get(f"{BASE}/key", json=sample("openrouter-key.json"))
    upstream.get(f"{BASE}/credits", status=status, json=real("openrouter", name) if name else None)
    body = fetch()
    assert body["account"] is None and body["remaining_usd"] == 31.2745
    assert "OPENROUTER_MANAGEMENT_KEY" in body["account_problem"]


def test_failing_credits_fail_the_read(upstream, sample):
    upstream.get(f"{BASE}/key", json=sample("openrouter-key.json"))
    upstream.get(f"{BASE}/credits", body=requests.ReadTimeout())
    with pytest.raises(ProviderError) as caught:
        fetch()
    assert caught.value.code == "upstream_timeout"


@pytest.mark.parametrize("name", ["error-401-no-auth-credentials.json", "error-401-user-not-found.json"])
def test_refused_key_names_the_variables(upstream, name):
    upstream.get(f"{BASE}/key", status=401, json=real("openrouter", name))
    upstream.get(f"{BASE}/credits", status=401)
    with pytest.raises(ProviderError) as caught:
        fetch()
    assert caught.value.code == "unauthorized"
    assert "OPENROUTER_API_KEY" in caught.value.message and KEY not in caught.value.message


@pytest.mark.parametrize("name", ["error-429-rate-limit-spec.json", "error-429-free-models-per-min.json"])
def test_rate_limits_are_rate_limited(upstream, name):
    upstream.get(f"{BASE}/key", status=429, json=real("openrouter", name), headers={"Retry-After": "7"})
    upstream.get(f"{BASE}/credits", status=429)
    with pytest.raises(ProviderError) as caught:
        fetch()
    assert (caught.value.code, caught.value.retry_after_seconds) == ("rate_limited", 7)


@pytest.mark.parametrize("payload", [{}, {"data": None}, {"data": []}, [], "text"])
def test_a_key_answer_that_is_not_an_object_is_a_bad_payload(payload):
    with pytest.raises(ProviderError) as caught:
        normalize_balance(payload, None, NOW)
    assert caught.value.code == "bad_upstream_payload"


def test_one_malformed_field_costs_that_field_not_the_card(sample):
    payload = sample("openrouter-key.json")
    payload["data"]["usage_daily"] = "lots"
    payload["data"]["limit_remaining"] = [1]
    body = normalize_balance(payload, {"data": {"total_credits": 150, "total_usage": "x"}}, NOW)
    assert body["partial"] is True and body["usage_daily_usd"] is None
    assert body["remaining_usd"] == 50 - 18.7255  # from this month's spend instead
    assert body["account"] is None and "unknown" in body["account_problem"]
    assert any("data.usage_daily" in n for n in body["notes"])
