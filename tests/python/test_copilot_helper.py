"""Copilot: billing usage items to the premium-request contract."""

from datetime import UTC, datetime

import pytest

from backend.helpers.common import ProviderError, new_session
from backend.helpers.copilot_helper import fetch_premium_usage, first_of_next_month, normalize_premium_usage

BASE = "http://github.test"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
URL = f"{BASE}/users/octocat/settings/billing/premium_request/usage"


def item(model, gross, net=0.0, product="Copilot", sku="Copilot Premium Request"):
    return {"product": product, "sku": sku, "model": model, "grossQuantity": gross, "netAmount": net}


def test_sample_gives_the_contract_and_the_request_is_right(upstream, sample):
    upstream.get(URL, json=sample("copilot-premium-usage.json"))
    body = fetch_premium_usage(BASE, "pat-SECRET", "octocat", 300, (1, 2), new_session(), now=NOW)
    assert body == {
        "provider": "github_copilot", "username": "octocat", "year": 2026, "month": 11,
        "monthly_limit": 300, "used": 149, "remaining": 151, "percent_used": 49.67, "overage": 0,
        "billed_usd": 0, "resets_at": "2026-12-01T00:00:00Z",
        "models": [
            {"model": "Claude Sonnet 4.5", "requests": 96, "billed_usd": 0},
            {"model": "GPT-5", "requests": 41, "billed_usd": 0},
            {"model": "Gemini 2.5 Pro", "requests": 12, "billed_usd": 0},
        ],
        "fetched_at": "2026-11-25T12:00:00Z",
    }
    request = upstream.calls[0].request
    assert "year=2026" in request.url and "month=11" in request.url
    assert request.headers["Authorization"] == "Bearer pat-SECRET"
    assert request.headers["Accept"] == "application/vnd.github+json"
    assert request.headers["X-GitHub-Api-Version"] == "2022-11-28"


def test_over_the_allowance_reports_overage_and_billing():
    payload = {"usageItems": [item("GPT-5", 80, 0.8), item("GPT-5", 40, 1.2), item("o3", 10, 0.4)]}
    body = normalize_premium_usage(payload, "octocat", 100, NOW)
    assert (body["used"], body["remaining"], body["overage"], body["percent_used"]) == (130, 0, 30, 130.0)
    assert body["billed_usd"] == 2.4
    assert body["models"] == [{"model": "GPT-5", "requests": 120, "billed_usd": 2.0},
                              {"model": "o3", "requests": 10, "billed_usd": 0.4}]


def test_only_copilot_premium_items_count():
    payload = {"usageItems": [item("GPT-5", 5), item(None, 100, product="Actions", sku="Actions Linux"),
                              item("GPT-5", 7, sku="Copilot Business seat")]}
    body = normalize_premium_usage(payload, "octocat", 300, NOW)
    assert body["used"] == 5


@pytest.mark.parametrize("payload", [{"usageItems": []}, {}, {"usageItems": None}])
def test_no_usage_is_zero(payload):
    body = normalize_premium_usage(payload, "octocat", 300, NOW)
    assert (body["used"], body["remaining"], body["percent_used"], body["models"]) == (0, 300, 0, [])
    assert body["username"] == "octocat"


def test_item_without_model_is_grouped_as_other():
    body = normalize_premium_usage({"usageItems": [{"product": "Copilot", "grossQuantity": 3}]}, "u", 300, NOW)
    assert body["models"] == [{"model": "Other", "requests": 3, "billed_usd": 0}]


@pytest.mark.parametrize("year, month, expected", [(2026, 11, "2026-12-01"), (2026, 12, "2027-01-01"), (2028, 2, "2028-03-01")])
def test_reset_is_the_first_of_next_month(year, month, expected):
    assert first_of_next_month(year, month).date().isoformat() == expected


def test_december_resets_on_new_year():
    body = normalize_premium_usage({"timePeriod": {"year": 2026, "month": 12}}, "u", 300,
                                   datetime(2026, 12, 31, 23, 59, tzinfo=UTC))
    assert body["resets_at"] == "2027-01-01T00:00:00Z"


@pytest.mark.parametrize("payload", [[], {"usageItems": {"a": 1}}, {"usageItems": ["x"]},
                                     {"usageItems": [item("GPT-5", "many")]}])
def test_malformed_payloads_are_bad_payloads(payload):
    with pytest.raises(ProviderError) as caught:
        normalize_premium_usage(payload, "u", 300, NOW)
    assert caught.value.code == "bad_upstream_payload"


def test_unknown_user_says_to_check_the_username(upstream):
    upstream.get(URL, status=404, json={"message": "Not Found"})
    with pytest.raises(ProviderError) as caught:
        fetch_premium_usage(BASE, "pat", "octocat", 300, (1, 2), new_session(), now=NOW)
    assert caught.value.code == "upstream_error"
    assert "GITHUB_USERNAME" in caught.value.message


def test_missing_permission_names_the_token_permission(upstream):
    upstream.get(URL, status=403, json={"message": "Resource not accessible by personal access token"})
    with pytest.raises(ProviderError) as caught:
        fetch_premium_usage(BASE, "pat", "octocat", 300, (1, 2), new_session(), now=NOW)
    assert caught.value.code == "unauthorized"
    assert "GITHUB_PAT" in caught.value.message and "Plan" in caught.value.message
