"""GitHub Copilot: AI credits or premium requests to the usage contract, on real bodies (tests/fixtures/README.md)."""

from datetime import UTC, datetime

import pytest
from conftest import real

from backend.helpers import common
from backend.helpers.common import ProviderError, new_session
from backend.helpers.copilot_helper import allowance_for, fetch_usage, normalize_usage

BASE = "http://github.test"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
CREDITS_URL = f"{BASE}/users/octocat/settings/billing/ai_credit/usage"
REQUESTS_URL = f"{BASE}/users/octocat/settings/billing/premium_request/usage"
EMPTY = {"timePeriod": {"year": 2026, "month": 11}, "user": "octocat", "usageItems": []}


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch):
    monkeypatch.setattr(common.time, "sleep", lambda seconds: None)


def creds(mode="auto", plan=None, **allowance):
    return {"token": "github_pat_SECRET", "username": "octocat", "mode": mode, "plan": plan,
            "allowance": {k: (v, "premium_requests" if k == "COPILOT_PRO_MONTHLY_LIMIT" else None)
                          for k, v in allowance.items()},
            "auth_hint": "GITHUB_PAT", "pat_key": "GITHUB_PAT"}


def fetch(c=None):
    return fetch_usage(BASE, c or creds(), (1, 2), new_session(), now=NOW)


def normalize(name, unit, c=None):
    return normalize_usage(real("copilot", name), c or creds(), 2026, 11, NOW, unit=unit)


# ---- which unit, and what counts ---------------------------------------------------------------

@pytest.mark.parametrize("name, used", [
    ("docs-user-ai-credit-usage.json", None),  # product "Copilot AI Credits", sku "AI Credit", unitType "ai-credits"
    ("docs-org-ai-credit-usage.json", None),  # product "Copilot", sku "Copilot AI Credits", unitType "credits"
    ("docs-enterprise-ai-credit-usage.json", None),
    ("gogithub-user-ai-credit-2025-06-15-fractional.json", 1500.5),
    ("devlake-enterprise-ai-credit-2026-06-08-multi-model.json", None),
    ("live-issue839-org-usage-summary-2026-07-ai-units.json", 298.7),  # sku copilot_ai_unit, unitType ai-units
    ("dae51d-user-usage-summary-2026-07-credits-shape.json", None),  # sku copilot_premium_request billed in credits
])
def test_every_spelling_of_ai_credits_is_counted(name, used):
    body = normalize(name, "ai_credits")
    assert body["used"] > 0 and body["unit"] == "ai_credits"
    if used is not None:
        assert body["used"] == used
    assert normalize(name, "premium_requests")["used"] == 0  # never mixed with requests


@pytest.mark.parametrize("name", [
    "docs-user-premium-request-usage.json", "docs-org-premium-request-usage.json",
    "docs-enterprise-premium-request-usage.json", "live-dae51d-user-premium-request-usage-2026-04.json",
    "gogithub-org-premium-request-2026-02-float.json", "gogithub-org-premium-request-2025-10-filtered.json",
])
def test_premium_requests_are_counted_and_never_as_credits(name):
    assert normalize(name, "premium_requests")["used"] > 0
    assert normalize(name, "ai_credits")["used"] == 0


def test_a_real_fractional_month_keeps_its_fractions_and_per_model_totals():
    body = normalize("live-dae51d-user-premium-request-usage-2026-04.json", "premium_requests")
    assert body["used"] == 51.5
    assert [(m["model"], m["quantity"], m["requests"]) for m in body["models"]] == [
        ("Auto: Claude Sonnet 4.6", 40.5, 40.5), ("Claude Sonnet 4.6", 11, 11)]
    assert body["billed_usd"] > 0


def test_other_products_never_count():
    body = normalize("openusage-mock-org-usage-summary-mixed-actions-copilot-seat.json", "ai_credits")
    assert body["used"] == 0 and body["products"] == []
    body = normalize("docs-user-usage-summary.json", "premium_requests")
    assert body["used"] == 0


@pytest.mark.parametrize("name", ["devlake-enterprise-ai-credit-empty-day.json", "copilotburn-user-usage-empty-day.json"])
def test_an_empty_month_is_zero_used_of_the_allowance(name):
    body = normalize(name, "ai_credits", creds(plan="pro"))
    assert (body["used"], body["monthly_limit"], body["remaining"]) == (0, 1500, 1500)


def test_products_are_totalled_and_credits_have_a_dollar_value():
    body = normalize("devlake-enterprise-ai-credit-2026-06-08-multi-model.json", "ai_credits")
    assert body["products"] and sum(p["quantity"] for p in body["products"]) == pytest.approx(body["used"], abs=0.02)
    assert body["used_usd"] == pytest.approx(body["used"] * 0.01, abs=0.01)


# ---- the period asked for ----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["docs-user-ai-credit-usage.json", "gogithub-user-premium-request-year-day-no-month.json"])
def test_the_period_is_the_one_asked_for_never_half_an_echo(name):
    body = normalize(name, "ai_credits")
    assert (body["year"], body["month"], body["resets_at"]) == (2026, 11, "2026-12-01T00:00:00Z")


# ---- allowance ---------------------------------------------------------------------------------

@pytest.mark.parametrize("plan, unit, expected", [
    ("pro", "ai_credits", 1500), ("pro_plus", "ai_credits", 7000), ("max", "ai_credits", 20000),
    ("business", "ai_credits", 1900), ("enterprise", "ai_credits", 3900),
    ("pro", "premium_requests", 300), ("pro_plus", "premium_requests", 1500), ("free", "ai_credits", None),
])
def test_plan_allowances(plan, unit, expected):
    assert allowance_for(creds(plan=plan), unit)[0] == expected


def test_an_override_wins_and_the_first_releases_setting_means_requests():
    found = allowance_for(creds(plan="pro", COPILOT_MONTHLY_ALLOWANCE=2500), "ai_credits")
    assert found[:2] == (2500, "COPILOT_MONTHLY_ALLOWANCE")
    assert allowance_for(creds(COPILOT_PRO_MONTHLY_LIMIT=1500), "premium_requests")[:2] == (1500, "COPILOT_PRO_MONTHLY_LIMIT")
    value, source, problem = allowance_for(creds(COPILOT_PRO_MONTHLY_LIMIT=300), "ai_credits")
    assert (value, source) == (1500, "default: Copilot Pro (set COPILOT_PLAN)")
    assert "premium requests" in problem and "COPILOT_PLAN" in problem


def test_an_allowance_in_the_wrong_unit_is_reported_on_the_card_never_mixed():
    body = normalize("docs-user-ai-credit-usage.json", "ai_credits", creds(COPILOT_PRO_MONTHLY_LIMIT=300))
    assert body["monthly_limit"] == 1500 and body["partial"] is True
    assert any("COPILOT_PRO_MONTHLY_LIMIT" in note for note in body["notes"])


def test_a_free_plan_without_a_stated_allowance_is_unknown_not_zero():
    body = normalize("docs-user-ai-credit-usage.json", "ai_credits", creds(plan="free"))
    assert (body["monthly_limit"], body["remaining"], body["percent_used"]) == (None, None, None)
    assert body["quotas"][0]["used_percent"] is None and body["quotas"][0]["limit"] is None


# ---- auto: AI credits first, premium requests for the annual plans -------------------------------------

def test_auto_reads_ai_credits(upstream):
    upstream.get(CREDITS_URL, json=real("copilot", "docs-user-ai-credit-usage.json"))
    body = fetch(creds(plan="pro"))
    assert (body["unit"], body["monthly_limit"]) == ("ai_credits", 1500)
    assert upstream.calls[0].request.url.endswith("ai_credit/usage?year=2026&month=11")
    assert len(upstream.calls) == 1


def test_auto_falls_back_to_premium_requests_when_there_are_no_credits(upstream):
    upstream.get(CREDITS_URL, json=EMPTY)
    upstream.get(REQUESTS_URL, json=real("copilot", "live-dae51d-user-premium-request-usage-2026-04.json"))
    body = fetch(creds(plan="pro"))
    assert (body["unit"], body["monthly_limit"], body["used"]) == ("premium_requests", 300, 51.5)


def test_auto_with_no_use_at_all_is_ai_credits(upstream):
    upstream.get(CREDITS_URL, json=EMPTY)
    upstream.get(REQUESTS_URL, json=EMPTY)
    assert fetch()["unit"] == "ai_credits"


def test_a_pinned_mode_reads_only_its_endpoint(upstream):
    upstream.get(REQUESTS_URL, json=real("copilot", "docs-user-premium-request-usage.json"))
    body = fetch(creds(mode="premium_requests"))
    assert body["unit"] == "premium_requests" and len(upstream.calls) == 1


# ---- errors ------------------------------------------------------------------------------------

@pytest.mark.parametrize("status, name", [(404, "error-404-user-ai-credit-not-found.json"),
                                          (400, "error-400-unable-to-get-billing-usage-data.json")])
def test_no_personal_plan_or_no_permission_says_both(upstream, status, name):
    upstream.get(CREDITS_URL, status=status, json=real("copilot", name))
    upstream.get(REQUESTS_URL, status=status, json=real("copilot", name))
    with pytest.raises(ProviderError) as caught:
        fetch()
    message = caught.value.message
    assert caught.value.code == "no_access"
    assert "organization or enterprise seat" in message and "Plan: read" in message


@pytest.mark.parametrize("name, headers", [
    ("error-403-rate-limit-exceeded-user-id.json", {}),
    ("error-403-rate-limit-pygithub-2013.json", "error-403-rate-limit-pygithub-2013.headers.json"),
])
def test_a_403_that_is_a_rate_limit_is_rate_limited_not_unauthorized(upstream, name, headers):
    extra = real("copilot", headers) if headers else {}
    extra = {k: v for k, v in extra.items() if k.lower().startswith("x-ratelimit")}
    extra["x-ratelimit-reset"] = str(int(datetime.now(UTC).timestamp()) + 120)
    upstream.get(CREDITS_URL, status=403, json=real("copilot", name), headers=extra)
    with pytest.raises(ProviderError) as caught:
        fetch()
    assert caught.value.code == "rate_limited" and 100 <= caught.value.retry_after_seconds <= 121


def test_bad_credentials_are_unauthorized_and_never_zero(upstream):
    upstream.get(CREDITS_URL, status=401, json=real("copilot", "error-401-bad-credentials-pygithub-2012.json"))
    with pytest.raises(ProviderError) as caught:
        fetch()
    assert caught.value.code == "unauthorized" and "GITHUB_PAT" in caught.value.message
    assert "github_pat_SECRET" not in caught.value.message


def test_the_request_carries_the_token_and_the_month(upstream):
    upstream.get(CREDITS_URL, json=real("copilot", "docs-user-ai-credit-usage.json"))
    fetch()
    request = upstream.calls[0].request
    assert request.headers["Authorization"] == "Bearer github_pat_SECRET"
    assert request.headers["X-GitHub-Api-Version"] == "2022-11-28"


@pytest.mark.parametrize("payload", [[], "text", {"usageItems": "nope"}])
def test_malformed_reports_are_bad_payloads(payload):
    with pytest.raises(ProviderError) as caught:
        normalize_usage(payload, creds(), 2026, 11, NOW, unit="ai_credits")
    assert caught.value.code == "bad_upstream_payload"


def test_a_malformed_item_costs_that_item_not_the_card():
    payload = real("copilot", "devlake-enterprise-ai-credit-2026-06-08-multi-model.json")
    payload["usageItems"][0]["grossQuantity"] = "lots"
    body = normalize_usage(payload, creds(), 2026, 11, NOW, unit="ai_credits")
    assert body["partial"] is True and body["used"] >= 0


def test_the_last_month_there_is_resets_at_the_end_of_time_not_an_error():
    body = normalize_usage(real("copilot", "docs-user-ai-credit-usage.json"), creds(), 9999, 12, NOW, unit="ai_credits")
    assert body["resets_at"].startswith("9999-12-31T23:59:59")
