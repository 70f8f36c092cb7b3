"""The three provider routes end to end through Flask, with upstreams mocked."""

import json
import logging
from datetime import datetime

import pytest
import requests
import responses
from conftest import CHATGPT, GITHUB, OPENROUTER, SECRETS
from jsonschema import Draft202012Validator

from backend.helpers import common
from backend.openapi import build_spec

ROUTES = {
    "/api/openrouter/balance": "OpenRouterBalance",
    "/api/github/copilot/premium-usage": "CopilotPremiumUsage",
    "/api/openai/codex/limits": "CodexLimits",
}
COPILOT_URL = f"{GITHUB}/users/octocat/settings/billing/premium_request/usage"
CREDITS_URL = f"{GITHUB}/users/octocat/settings/billing/ai_credit/usage"
NO_CREDITS = {"timePeriod": {"year": 2026, "month": 11}, "user": "octocat", "usageItems": []}
UPSTREAM_URL = {
    "/api/openrouter/balance": f"{OPENROUTER}/key",
    "/api/github/copilot/premium-usage": CREDITS_URL,  # read first: Copilot bills AI credits since June 2026
    "/api/openai/codex/limits": f"{CHATGPT}/wham/usage",
}


REFRESH = {"X-Dashboard-Refresh": "1"}  # what the dashboard sends with ?refresh=1


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch):
    monkeypatch.setattr(common.time, "sleep", lambda seconds: None)


def schema_errors(body, name):
    spec = build_spec()
    validator = Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": spec["components"]})
    return [e.message for e in validator.iter_errors(body)]


@pytest.fixture
def client(env, make_client, mock_all):
    mock_all()
    return make_client(env)


@pytest.mark.parametrize("route, schema", ROUTES.items())
def test_live_routes_match_the_openapi_contract(client, route, schema):
    response = client.get(route)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert schema_errors(body, schema) == []
    assert body["source"] == "live" and body["stale"] is False
    datetime.fromisoformat(body["fetched_at"].replace("Z", "+00:00"))
    assert response.headers["Cache-Control"] == "no-store"


def test_figures_come_through(client):
    assert client.get("/api/openrouter/balance").get_json()["account"]["balance_usd"] == 31.2745
    copilot = client.get("/api/github/copilot/premium-usage").get_json()
    assert (copilot["used"], copilot["monthly_limit"], copilot["username"]) == (149, 300, "octocat")
    codex = client.get("/api/openai/codex/limits").get_json()
    assert [w["used_percent"] for w in codex["windows"]] == [37, 58]


def test_codex_auth_json_is_used_when_no_env_token(env, make_client, upstream, sample, tmp_path):
    env.pop("CHATGPT_ACCESS_TOKEN")
    env.pop("CHATGPT_ACCOUNT_ID")
    (tmp_path / "codex").mkdir()
    (tmp_path / "codex" / "auth.json").write_text(json.dumps(sample("codex-auth.json")))
    upstream.get(f"{CHATGPT}/wham/usage", json=sample("codex-wham-usage.json"))
    assert make_client(env).get("/api/openai/codex/limits").status_code == 200
    headers = upstream.calls[0].request.headers
    assert headers["Authorization"] == "Bearer eyJhbGciOiJSUzI1NiJ9.fake-access-token.sig"
    assert headers["ChatGPT-Account-Id"] == "a1b2c3d4-0000-4000-8000-000000000000"


@pytest.mark.parametrize("route, variable", [
    ("/api/openrouter/balance", "OPENROUTER_API_KEY"),
    ("/api/github/copilot/premium-usage", "GITHUB_PAT"),
    ("/api/openai/codex/limits", "codex login"),
])
def test_unconfigured_provider_says_what_to_set_and_others_still_work(make_client, mock_all, env, route, variable):
    mock_all()
    env.pop("OPENROUTER_API_KEY")
    env.pop("GITHUB_PAT")
    env.pop("CHATGPT_ACCESS_TOKEN")
    client = make_client(env)
    response = client.get(route)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "not_configured" and variable in error["message"]
    assert schema_errors(response.get_json(), "Error") == []


def test_one_broken_provider_leaves_the_others_alone(env, make_client, upstream, sample):
    upstream.get(f"{OPENROUTER}/key", status=500)
    upstream.get(f"{OPENROUTER}/credits", status=500)
    upstream.get(CREDITS_URL, json=NO_CREDITS)
    upstream.get(COPILOT_URL, json=sample("copilot-premium-usage.json"))
    upstream.get(f"{CHATGPT}/wham/usage", json=sample("codex-wham-usage.json"))
    client = make_client(env)
    assert client.get("/api/openrouter/balance").status_code == 502
    assert client.get("/api/github/copilot/premium-usage").status_code == 200
    assert client.get("/api/openai/codex/limits").status_code == 200


FAULTS = [
    ({"status": 401, "json": {"message": "bad"}}, 502, "unauthorized"),
    ({"status": 429, "headers": {"Retry-After": "42"}}, 429, "rate_limited"),
    ({"body": requests.ReadTimeout()}, 504, "upstream_timeout"),
    ({"status": 503}, 502, "upstream_error"),
    ({"body": "<html>oops</html>"}, 502, "bad_upstream_payload"),
    ({"json": {"data": "nope", "usageItems": "nope", "rate_limit": "nope"}}, 502, "bad_upstream_payload"),
]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("fault, status, code", FAULTS)
def test_every_error_code_is_json_with_its_status(env, make_client, upstream, route, fault, status, code):
    if "codex" in route and fault.get("json"):
        pytest.skip("a malformed Codex section costs that section, not the card (see test_codex_helper)")
    upstream.get(UPSTREAM_URL[route], **fault)
    if "openrouter" in route:
        upstream.get(f"{OPENROUTER}/credits", json={"data": {"total_credits": 1, "total_usage": 0}})
    response = make_client(env).get(route)
    assert response.status_code == status
    assert response.is_json
    error = response.get_json()["error"]
    assert error["code"] == code
    assert error["provider"] in ("openrouter", "github_copilot", "openai_codex")
    assert schema_errors(response.get_json(), "Error") == []
    if code == "rate_limited":
        assert error["retry_after_seconds"] == 42 and response.headers["Retry-After"] == "42"


def test_tokens_never_appear_in_responses_or_logs(env, make_client, upstream, caplog):
    echo = " ".join(SECRETS.values())
    for url in (f"{OPENROUTER}/key", f"{OPENROUTER}/credits", COPILOT_URL, f"{CHATGPT}/wham/usage"):
        upstream.get(url, status=401, json={"message": f"bad credentials: {echo}"})
    caplog.set_level(logging.DEBUG)
    client = make_client(env)
    seen = [client.get(route).get_data(as_text=True) for route in ROUTES]
    seen += [client.get("/api/health").get_data(as_text=True), client.get("/api/openapi.json").get_data(as_text=True)]
    seen.append(caplog.text)
    for secret in SECRETS.values():
        for text in seen:
            assert secret not in text


def test_cache_serves_repeat_requests_and_refresh_bypasses_it(client, upstream):
    for _ in range(3):
        assert client.get("/api/openai/codex/limits").status_code == 200
    codex_calls = lambda: sum(1 for c in upstream.calls if c.request.url.endswith("/wham/usage"))  # noqa: E731
    assert codex_calls() == 1
    assert client.get("/api/openai/codex/limits?refresh=1", headers=REFRESH).status_code == 200
    assert codex_calls() == 2


@pytest.mark.parametrize("value", ["yes please", "2", "-1", ""])
def test_bad_refresh_value_is_a_clear_400(client, value):
    response = client.get(f"/api/openrouter/balance?refresh={value}")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"
    assert "refresh" in response.get_json()["error"]["message"]


def test_failed_refresh_serves_last_good_with_the_reason(env, make_client, upstream, sample):
    upstream.get(f"{CHATGPT}/wham/usage", json=sample("codex-wham-usage.json"))
    upstream.get(f"{CHATGPT}/wham/usage", status=503)
    client = make_client(env)
    first = client.get("/api/openai/codex/limits").get_json()
    response = client.get("/api/openai/codex/limits?refresh=1", headers=REFRESH)
    assert response.status_code == 200
    body = response.get_json()
    assert body["stale"] is True and body["fetched_at"] == first["fetched_at"]
    assert body["error"]["code"] == "upstream_error" and body["error"]["provider"] == "openai_codex"
    assert schema_errors(body, "CodexLimits") == []


def test_demo_mode_needs_no_credentials_and_resets_are_in_the_future(make_client, tmp_path):
    client = make_client({"HOME": str(tmp_path), "DASHBOARD_DEMO": "1"})
    for route, schema in ROUTES.items():
        body = client.get(route).get_json()
        assert body["source"] == "demo"
        assert schema_errors(body, schema) == []
    codex = client.get("/api/openai/codex/limits").get_json()
    assert all(w["resets_in_seconds"] > 0 for w in codex["windows"])
    assert client.get("/api/health").get_json()["demo"] is True


def test_health_reports_configuration(env, make_client, tmp_path):
    env.pop("GITHUB_PAT")
    body = make_client(env).get("/api/health").get_json()
    assert schema_errors(body, "Health") == []
    assert body["providers"]["openrouter"] == {"configured": True, "problem": None}
    assert body["providers"]["github_copilot"]["configured"] is False
    assert "GITHUB_PAT" in body["providers"]["github_copilot"]["problem"]


# ---- history and forecasts -------------------------------------------------------------------

def test_each_live_read_is_recorded_and_served_as_history(client):
    client.get("/api/openai/codex/limits")
    client.get("/api/openai/codex/limits?refresh=1", headers=REFRESH)
    client.get("/api/openai/codex/limits")  # cached: not a new reading
    body = client.get("/api/history/openai_codex").get_json()
    assert schema_errors(body, "History") == []
    assert body["provider"] == "openai_codex"
    assert len(body["points"]) == 2
    first = body["points"][0]["quotas"]
    assert (first["primary"]["used"], first["secondary"]["used"]) == (37, 58)
    assert {s["id"]: s["label"] for s in body["series"]} == {"primary": "5-hour", "secondary": "Weekly"}


def test_history_range_defaults_to_seven_days(client):
    body = client.get("/api/history/openrouter?until=2026-11-25T12:00:00Z").get_json()
    assert (body["since"], body["until"]) == ("2026-11-18T12:00:00Z", "2026-11-25T12:00:00Z")


@pytest.mark.parametrize("query, phrase", [
    ("since=yesterday", "since must be an ISO-8601 time"),
    ("until=2026-13-01", "until must be an ISO-8601 time"),
    ("until=", "until must be an ISO-8601 time"),
])
def test_bad_history_dates_are_clear_400s(client, query, phrase):
    response = client.get(f"/api/history/openrouter?{query}")
    assert response.status_code == 400
    assert phrase in response.get_json()["error"]["message"]


def test_since_after_until_is_an_empty_range(client):
    client.get("/api/openrouter/balance")
    body = client.get("/api/history/openrouter?since=2099-01-01T00:00:00Z&until=2026-01-01T00:00:00Z").get_json()
    assert body["points"] == []


def test_unknown_history_provider_is_404(client):
    response = client.get("/api/history/anthropic")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_unusable_history_keeps_live_cards_working(env, make_client, mock_all, tmp_path):
    mock_all()
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"garbage" * 1000)
    client = make_client({**env, "DASHBOARD_DB": str(damaged)})
    live = client.get("/api/github/copilot/premium-usage")
    assert live.status_code == 200 and live.get_json()["used"] == 149
    history = client.get("/api/history/github_copilot")
    assert history.status_code == 503
    assert history.get_json()["error"]["code"] == "history_unavailable"
    assert "DASHBOARD_DB" in history.get_json()["error"]["message"]


@pytest.mark.parametrize("route", ROUTES)
def test_every_route_carries_a_forecast_with_its_basis(client, route):
    body = client.get(route).get_json()
    assert body["forecast"] is not None
    basis = body["forecast"].get("basis") or body["forecast"]["windows"][0]["basis"]
    assert basis["points"] >= 1 and basis["method"]


def test_demo_mode_writes_to_a_throwaway_database(make_client, tmp_path):
    user_db = tmp_path / "user-history.sqlite3"
    client = make_client({"HOME": str(tmp_path), "DASHBOARD_DEMO": "1", "DASHBOARD_DB": str(user_db)})
    client.get("/api/openrouter/balance")
    seeded = client.get("/api/history/openrouter?since=2026-01-01T00:00:00Z").get_json()["points"]
    assert len(seeded) > 24 * 7
    assert not user_db.exists()
    forecast = client.get("/api/github/copilot/premium-usage").get_json()["forecast"]
    assert forecast["projected_month_end"] > 231


def test_after_a_restart_a_failing_provider_serves_the_saved_answer(env, make_client, upstream, sample):
    from conftest import codex_now

    upstream.get(f"{CHATGPT}/wham/usage", json=codex_now(sample("codex-wham-usage.json")))
    first = make_client(env).get("/api/openai/codex/limits").get_json()
    upstream.replace(responses.GET, f"{CHATGPT}/wham/usage", status=503)
    restarted = make_client(env)  # a new app: empty memory, same history file
    response = restarted.get("/api/openai/codex/limits")
    assert response.status_code == 200
    body = response.get_json()
    assert body["stale"] is True and body["fetched_at"] == first["fetched_at"]
    assert body["error"]["code"] == "upstream_error"


@pytest.mark.parametrize("query", ["until=0001-01-03T00:00:00Z", "since=0001-01-01T00:00:00%2B05:00"])
def test_extreme_history_times_answer_cleanly(client, query):
    response = client.get(f"/api/history/openrouter?{query}")
    assert response.status_code in (200, 400)
    assert response.is_json and "error" in response.get_json() or "points" in response.get_json()


# ---- accounts --------------------------------------------------------------------------------------

def test_a_second_openrouter_key_is_an_account_with_its_own_route_history_and_stale_fallback(env, make_client, upstream, sample):
    key = sample("openrouter-key.json")
    work_key = sample("openrouter-key.json")
    work_key["data"].update(label="sk-or-v1-work", limit=5, limit_reset="daily", limit_remaining=1.5)

    def by_key(request):
        body = work_key if request.headers["Authorization"] == "Bearer sk-or-v1-WORK-0123456789" else key
        return 200, {}, json.dumps(body)

    upstream.add_callback(responses.GET, f"{OPENROUTER}/key", callback=by_key)
    upstream.get(f"{OPENROUTER}/credits", json=sample("openrouter-credits.json"))
    client = make_client({**env, "OPENROUTER_API_KEY__WORK": "sk-or-v1-WORK-0123456789"})
    listed = [(a["provider"], a["account"]) for a in client.get("/api/accounts").get_json()["accounts"]]
    assert listed[:2] == [("openrouter", "default"), ("openrouter", "work")]
    default = client.get("/api/openrouter/balance").get_json()
    work = client.get("/api/openrouter/balance?account=work").get_json()
    assert (default["key_label"], default["account_name"]) == ("sk-or-v1-3f2...9ab", "default")
    assert (work["key_label"], work["account_name"], work["remaining_usd"]) == ("sk-or-v1-work", "work", 1.5)
    assert schema_errors(work, "OpenRouterBalance") == []
    history = client.get("/api/history/openrouter?account=work").get_json()
    assert {p["quotas"]["key_limit"]["limit"] for p in history["points"]} == {5}
    assert {p["quotas"]["key_limit"]["limit"] for p in client.get("/api/history/openrouter").get_json()["points"]} == {50}
    # The work key fails now: its last good answer is served stale; the default account is untouched.
    upstream.replace(responses.GET, f"{OPENROUTER}/key", status=500)
    stale = client.get("/api/openrouter/balance?account=work&refresh=1", headers=REFRESH).get_json()
    assert stale["stale"] is True and stale["key_label"] == "sk-or-v1-work" and stale["error"]["account"] == "work"
    assert client.get("/api/openrouter/balance").get_json()["stale"] is False


def test_an_unknown_account_is_a_404_naming_the_configured_ones(client):
    response = client.get("/api/openrouter/balance?account=play")
    assert response.status_code == 404
    assert "default" in response.get_json()["error"]["message"]
    assert client.get("/api/history/openrouter?account=play").status_code == 404


# ---- forced refreshes come from the dashboard, at most once per 10 s per account ----------------------------

def test_a_refresh_without_the_dashboards_header_is_the_cached_answer(client, upstream):
    client.get("/api/openai/codex/limits")
    calls = len(upstream.calls)
    for _ in range(30):  # what 30 cross-site <img src=...?refresh=1> would send
        body = client.get("/api/openai/codex/limits?refresh=1").get_json()
    assert len(upstream.calls) == calls
    assert "X-Dashboard-Refresh" in body["refresh_note"]
    cross = client.get("/api/openai/codex/limits?refresh=1", headers={**REFRESH, "Sec-Fetch-Site": "cross-site"})
    assert "another site" in cross.get_json()["refresh_note"] and len(upstream.calls) == calls


def test_forced_refreshes_of_one_account_are_at_most_one_per_10_seconds(client, upstream):
    client.get("/api/openai/codex/limits")
    calls = len(upstream.calls)
    first = client.get("/api/openai/codex/limits?refresh=1", headers=REFRESH).get_json()
    assert "refresh_note" not in first and len(upstream.calls) == calls + 1
    second = client.get("/api/openai/codex/limits?refresh=1", headers=REFRESH).get_json()
    assert "less than 10 s ago" in second["refresh_note"] and len(upstream.calls) == calls + 1
    assert schema_errors(second, "CodexLimits") == []


def test_history_of_one_quota_is_compact_rows_with_an_etag(client):
    client.get("/api/openai/codex/limits")
    client.get("/api/openai/codex/limits?refresh=1", headers=REFRESH)
    response = client.get("/api/history/openai_codex?quota=primary&points=300")
    body = response.get_json()
    assert body["quota"] == "primary" and "points" not in body
    assert [row[1] for row in body["rows"]] == [37, 37] and all(isinstance(row[0], int) for row in body["rows"])
    assert schema_errors(body, "History") == []
    again = client.get("/api/history/openai_codex?quota=primary&points=300", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert client.get("/api/history/openai_codex?points=1").status_code == 400


def test_a_token_echoed_by_an_upstream_in_any_field_is_never_shown(env, make_client, upstream, sample):
    key = sample("openrouter-key.json")
    key["data"]["label"] = SECRETS["OPENROUTER_API_KEY"]  # an upstream that puts the key itself in a field we show
    upstream.get(f"{OPENROUTER}/key", json=key)
    upstream.get(f"{OPENROUTER}/credits", json=sample("openrouter-credits.json"))
    response = make_client(env).get("/api/openrouter/balance")
    assert response.status_code == 200 and response.get_json()["key_label"] == "[redacted]"
    assert SECRETS["OPENROUTER_API_KEY"] not in response.get_data(as_text=True)


def test_the_reason_a_stale_answer_is_served_is_scrubbed_too(env, make_client, upstream, sample, monkeypatch):
    from backend.errors import ProviderError
    from backend.helpers import codex_helper

    upstream.get(f"{CHATGPT}/wham/usage", json=sample("codex-wham-usage.json"))
    client = make_client(env)
    assert client.get("/api/openai/codex/limits").get_json()["stale"] is False
    token = SECRETS["CHATGPT_ACCESS_TOKEN"]

    def failing(*args, **kwargs):
        raise ProviderError("upstream_error", f"The upstream said no to {token}.")

    monkeypatch.setattr(codex_helper, "fetch_limits", failing)
    response = client.get("/api/openai/codex/limits?refresh=1", headers=REFRESH)
    body = response.get_json()
    assert body["stale"] is True and body["error"]["message"] == "The upstream said no to [redacted]."
    assert token not in response.get_data(as_text=True)


def test_a_setup_problem_is_scrubbed_in_the_account_list_and_health(env, make_client, monkeypatch):
    from backend import providers
    from backend.errors import ProviderError

    token = SECRETS["GITHUB_PAT"]
    monkeypatch.setattr(providers, "problem", lambda state, provider, account: ProviderError(
        "config_invalid", f"The value {token} is not a token.", provider.id) if provider.id == "github_copilot" else None)
    client = make_client(env)
    listed = client.get("/api/accounts")
    health = client.get("/api/health")
    problem = next(a["problem"] for a in listed.get_json()["accounts"] if a["provider"] == "github_copilot")
    assert problem["message"] == "The value [redacted] is not a token."
    assert health.get_json()["providers"]["github_copilot"]["problem"] == "The value [redacted] is not a token."
    assert token not in listed.get_data(as_text=True) + health.get_data(as_text=True)


def test_a_config_problem_in_health_is_scrubbed(env, tmp_path):
    import dataclasses

    from backend.app import create_app
    from backend.config import load_settings

    token = SECRETS["OPENROUTER_API_KEY"]
    settings = load_settings({**env, "DASHBOARD_DB": str(tmp_path / "h.sqlite3")})
    settings = dataclasses.replace(settings, problems=(f"ALERT_URLS: {token} is not a URL apprise knows.",))
    health = create_app({"SETTINGS": settings}).test_client().get("/api/health", base_url="http://localhost:4000")
    assert health.get_json()["config_problems"] == ["ALERT_URLS: [redacted] is not a URL apprise knows."]
