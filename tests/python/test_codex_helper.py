"""Codex: auth.json and /wham/usage to the limits contract, on real bodies (tests/fixtures/README.md)."""

import base64
import json
import os
from datetime import UTC, datetime

import pytest
from conftest import real, real_names

from backend.config import load_settings
from backend.errors import ProviderError
from backend.helpers.codex_helper import fetch_limits, normalize_limits, read_codex_auth, window_label
from backend.helpers.common import new_session
from backend.providers import credentials_for
from backend.registry import by_id

BASE = "http://chatgpt.test/backend-api"
NOW = datetime.fromtimestamp(1795993260 - 7260, UTC)
WHAM = [n for n in real_names("codex") if not n.startswith(("auth-", "error-", "codexbar-additional"))]


def ids(body):
    return [w["id"] for w in body["windows"]]


@pytest.mark.parametrize("name", WHAM)
def test_every_real_body_gives_unique_ids_and_one_quota_per_window(name):
    body = normalize_limits(real("codex", name), NOW)
    assert len(set(ids(body))) == len(ids(body))
    window_quotas = [q for q in body["quotas"] if q["id"] != "spend-limit"]
    assert [q["id"] for q in window_quotas] == ids(body)
    for window in body["windows"]:
        if window["window_seconds"] == 18000:
            assert window["id"].endswith("primary") and window["label"].endswith("5-hour")
        if window["window_seconds"] == 604800:
            assert window["id"].endswith("secondary") and window["label"].endswith("Weekly")


def test_sample_gives_the_contract(sample):
    body = normalize_limits(sample("codex-wham-usage.json"), NOW)
    assert (body["provider"], body["plan_type"], body["limit_reached"]) == ("openai_codex", "plus", False)
    assert body["windows"] == [
        {"id": "primary", "label": "5-hour", "used_percent": 37, "window_seconds": 18000,
         "resets_at": "2026-11-29T23:01:00Z", "resets_in_seconds": 7260},
        {"id": "secondary", "label": "Weekly", "used_percent": 58, "window_seconds": 604800,
         "resets_at": "2026-12-02T21:00:00Z", "resets_in_seconds": 259200},
    ]
    assert body["credits"] == {"has_credits": False, "unlimited": False, "balance": 0}
    assert (body["partial"], body["notes"], body["blocked_reason"], body["spend_limit"]) == (False, [], None, None)


@pytest.mark.parametrize("name", ["codexbar-free-weekly-only-in-primary.json", "codexbar-team-weekly-only-pat.json",
                                  "live-pro-weekly-only-primary-full-keys-redacted.json"])
def test_a_weekly_only_plan_shows_one_weekly_window_with_id_secondary(name):
    body = normalize_limits(real("codex", name), NOW)
    main = [w for w in body["windows"] if ":" not in w["id"]]
    assert [(w["id"], w["label"]) for w in main] == [("secondary", "Weekly")]


@pytest.mark.parametrize("name", ["live-go-30day-limit-reached-rate-limit-reached-type.json",
                                  "fixture-free-30day-limit-reached.json", "live-go-30day-primary-only-spend-control-null.json"])
def test_a_30_day_window_gets_its_own_id_and_label(name):
    body = normalize_limits(real("codex", name), NOW)
    assert [(w["id"], w["label"], w["window_seconds"]) for w in body["windows"]] == [("30-day", "30-day", 2592000)]


def test_swapped_windows_are_named_by_length_not_slot():
    body = normalize_limits(real("codex", "codexbar-swapped-weekly-primary-9h-secondary.json"), NOW)
    assert [(w["id"], w["label"]) for w in body["windows"]] == [("secondary", "Weekly"), ("9-hour", "9-hour")]


def test_code_review_is_its_own_window():
    body = normalize_limits(real("codex", "live-team-5h-weekly-code-review-rate-limit.json"), NOW)
    assert ids(body) == ["primary", "secondary", "code-review:secondary"]
    assert body["windows"][2]["label"] == "Code review · Weekly"


def test_additional_limits_of_one_feature_never_collide():
    extras = real("codex", "codexbar-additional-rate-limits-array-same-metered-feature.json")
    body = normalize_limits({"rate_limit": None, "additional_rate_limits": extras}, NOW)
    assert len(ids(body)) == len(set(ids(body))) >= 3
    assert all(i.startswith("gpt-5-3-codex-spark:") for i in ids(body))


def test_the_blocked_reason_is_shown_in_words():
    body = normalize_limits(real("codex", "openai-codex-pro-credits-9.99-spend-control-member-credits-depleted.json"), NOW)
    assert body["blocked_reason"]["type"] == "workspace_member_credits_depleted"
    assert "credits" in body["blocked_reason"]["message"] and "admin" in body["blocked_reason"]["message"]
    assert body["credits"]["balance"] == 9.99
    body = normalize_limits(real("codex", "openai-codex-pro-rate-limit-reached-type-member-usage-limit.json"), NOW)
    assert "usage limit your workspace set" in body["blocked_reason"]["message"]


@pytest.mark.parametrize("name, used, resets", [
    ("live-business-enterprise-spend-control-individual-limit.json", 30, True),
    ("codexbar-enterprise-rate-limit-individual-limit-resets-at.json", 7.76, True),
    ("codexbar-team-root-individual-limit-plus-spend-control.json", None, True),
])
def test_a_workspace_credit_cap_is_read_in_any_spelling(name, used, resets):
    body = normalize_limits(real("codex", name), NOW)
    cap = body["spend_limit"]
    assert cap is not None and cap["limit"] is not None
    if used is not None:
        assert cap["used_percent"] == pytest.approx(used, abs=0.01)
    assert (cap["resets_at"] is not None) == resets
    assert "spend-limit" in [q["id"] for q in body["quotas"]]


def test_a_reached_spend_control_without_a_limit_blocks_with_no_made_up_figures():
    body = normalize_limits(real("codex", "openai-codex-enterprise-cbp-spend-control-reached-no-individual-limit.json"), NOW)
    assert body["spend_limit"] is None and body["windows"] == []


@pytest.mark.parametrize("name, balance", [
    ("openai-codex-pro-credits-9.99-spend-control-member-credits-depleted.json", 9.99),
    ("codexbar-pro-credits-balance-string-zero.json", 0),
    ("codexbar-prolite-balance-0E-10-from-cli-decode-error.json", 0),
    ("codexbar-docs-pro-credits-balance-number.json", 150),
    ("codexbar-credits-only-null-windows-balance-14.5.json", 14.5),
    ("live-team-5h-weekly-code-review-rate-limit.json", None),
])
def test_credit_balances_as_strings_or_numbers(name, balance):
    assert normalize_limits(real("codex", name), NOW)["credits"]["balance"] == balance


def test_a_window_without_a_length_is_not_named_by_its_slot():
    body = normalize_limits(real("codex", "doc-pro-spark-windows-only-used-percent-reset-after.json"), NOW)
    main = [w for w in body["windows"] if ":" not in w["id"]]
    assert [(w["id"], w["label"], w["window_seconds"]) for w in main] == [
        ("primary", "Primary window", None), ("secondary", "Secondary window", None)]


# Constructed (no public body has these): a full window without used_percent, and malformed fields.
def test_a_reached_limit_whose_window_lacks_used_percent_is_full_not_empty():
    payload = {"rate_limit": {"allowed": False, "limit_reached": True,
                              "primary_window": {"limit_window_seconds": 18000, "reset_after_seconds": 60}}}
    assert normalize_limits(payload, NOW)["windows"][0]["used_percent"] == 100


def test_one_malformed_field_costs_that_field_not_the_card(sample):
    payload = sample("codex-wham-usage.json")
    payload["rate_limit"]["primary_window"]["used_percent"] = "bad"
    payload["credits"]["balance"] = []
    body = normalize_limits(payload, NOW)
    assert ids(body) == ["secondary"]
    assert body["partial"] is True and body["credits"]["balance"] is None
    assert any("primary_window.used_percent" in n for n in body["notes"])
    assert any("credits.balance" in n for n in body["notes"])


@pytest.mark.parametrize("payload", [{"rate_limit": []}, {"rate_limit": {"primary_window": "x"}}])
def test_malformed_sections_are_noted(payload):
    body = normalize_limits(payload, NOW)
    assert body["windows"] == [] and body["partial"] is True


def test_a_body_that_is_not_an_object_is_a_bad_payload():
    with pytest.raises(ProviderError) as caught:
        normalize_limits([], NOW)
    assert caught.value.code == "bad_upstream_payload"


@pytest.mark.parametrize("seconds, label", [(18000, "5-hour"), (604800, "Weekly"), (86400, "Daily"), (3600, "1-hour"),
                                            (2592000, "30-day"), (172800, "2-day"), (900, "15-minute"),
                                            (None, "fallback"), (0, "fallback")])
def test_window_labels(seconds, label):
    assert window_label(seconds, "fallback") == label


def test_request_carries_token_and_account(upstream, sample):
    upstream.get(f"{BASE}/wham/usage", json=sample("codex-wham-usage.json"))
    fetch_limits(BASE, "access-SECRET", "acct-1", (1, 2), new_session())
    headers = upstream.calls[0].request.headers
    assert headers["Authorization"] == "Bearer access-SECRET" and headers["ChatGPT-Account-Id"] == "acct-1"


def test_a_refused_login_says_run_codex_login(upstream):
    upstream.get(f"{BASE}/wham/usage", status=401, json=real("codex", "error-401-unauthorized-unknown.json"))
    with pytest.raises(ProviderError) as caught:
        fetch_limits(BASE, "access-SECRET", None, (1, 2), new_session())
    assert caught.value.code == "unauthorized" and "codex login" in caught.value.message
    assert "access-SECRET" not in caught.value.message


# ---- auth.json ---------------------------------------------------------------------------------

def jwt(claims):
    def part(value):
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()
    return f"{part({'alg': 'none'})}.{part(claims)}.sig"


def codex_creds(tmp_path, document=None, **env):
    home = tmp_path / "codex"
    home.mkdir(exist_ok=True)
    if document is not None:
        (home / "auth.json").write_text(document if isinstance(document, str) else json.dumps(document))
    (tmp_path / "none.properties").write_text("")
    settings = load_settings({"HOME": str(tmp_path), "CODEX_HOME": str(home),
                              "DASHBOARD_CONFIG": str(tmp_path / "none.properties"), **env})
    return credentials_for(settings, by_id("openai_codex"), "default")


@pytest.mark.parametrize("name", ["auth-codexbar-oauth-snake-case.json", "auth-codexbar-legacy-camel-case.json",
                                  "auth-codexbar-api-key-plus-tokens-no-id-token.json"])
def test_real_auth_files_give_a_token(tmp_path, name):
    found = codex_creds(tmp_path, real("codex", name))
    assert found["token"]


def test_auth_json_is_read_and_never_written(tmp_path, sample):
    path = tmp_path / "auth.json"
    path.write_text(json.dumps(sample("codex-auth.json")))
    before = (path.read_bytes(), os.stat(path).st_mtime_ns)
    assert read_codex_auth(path)[:2] == ("eyJhbGciOiJSUzI1NiJ9.fake-access-token.sig", "a1b2c3d4-0000-4000-8000-000000000000")
    assert (path.read_bytes(), os.stat(path).st_mtime_ns) == before


def test_the_plan_and_account_come_from_the_jwt_claims(tmp_path):
    document = real("codex", "auth-codex-fork-id-token-with-plan-claim.json")
    found = codex_creds(tmp_path, document)
    assert (found["plan_hint"], found["account_id"]) == ("plus", "account-123")
    access = jwt({"exp": 4102000000, "https://api.openai.com/auth": {"chatgpt_account_id": "acct-from-jwt"}})
    found = codex_creds(tmp_path, {"tokens": {"access_token": access}})
    assert found["account_id"] == "acct-from-jwt"


def test_an_expired_login_is_refused_without_calling_upstream(env, make_client, upstream, tmp_path):
    env.pop("CHATGPT_ACCESS_TOKEN")
    (tmp_path / "codex").mkdir()
    (tmp_path / "codex" / "auth.json").write_text(json.dumps({"tokens": {"access_token": jwt({"exp": 1767225600})}}))
    response = make_client(env).get("/api/openai/codex/limits")
    error = response.get_json()["error"]
    assert (response.status_code, error["code"], error["transient"]) == (502, "unauthorized", False)
    assert error["message"] == "Codex login expired on 2026-01-01 00:00 UTC: run `codex` or `codex login`."
    assert len(upstream.calls) == 0


@pytest.mark.parametrize("content, phrase", [
    (None, "does not exist"),
    ("{not json", "not valid JSON"),
    (real("codex", "auth-codexbar-api-key-only.json"), "no ChatGPT login"),
    (real("codex", "auth-id-token-only-no-access-token-no-account-id.json"), "no ChatGPT login"),
    ('{"tokens": {"access_token": ""}}', "no ChatGPT login"),
    ('{"tokens": {"access_token": {"nested": "object"}}}', "no ChatGPT login"),
    ("[1, 2]", "no ChatGPT login"),
    ("[" * 100_000 + "]" * 100_000, "too deeply nested"),
])
def test_unusable_auth_json_is_not_configured_with_the_fix(tmp_path, content, phrase):
    with pytest.raises(ProviderError) as caught:
        codex_creds(tmp_path, content)
    assert caught.value.code == "not_configured"
    assert phrase in caught.value.message
    assert "codex login" in caught.value.message and "CHATGPT_ACCESS_TOKEN" in caught.value.message


@pytest.mark.parametrize("kind", ["folder", "fifo", "dev-zero", "dev-urandom", "huge"])
def test_auth_json_that_is_not_a_regular_small_file_is_refused_at_once(tmp_path, kind):
    path = tmp_path / "codex" / "auth.json"
    path.parent.mkdir()
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "huge":
        with open(path, "wb") as handle:
            handle.truncate(50 * 1024 * 1024)
    else:
        path.symlink_to("/dev/zero" if kind == "dev-zero" else "/dev/urandom")
    with pytest.raises(ProviderError) as caught:
        codex_creds(tmp_path)
    assert caught.value.code == "not_configured" and "cannot be read" in caught.value.message


@pytest.mark.parametrize("token", ["abc\ndef", "tok\u200bEN", "tøken", "two words"])
def test_a_token_that_is_not_a_header_value_names_the_fix(tmp_path, token):
    with pytest.raises(ProviderError) as caught:
        codex_creds(tmp_path, {"tokens": {"access_token": token}})
    assert caught.value.code == "config_invalid" and "codex login" in caught.value.message
    assert token not in caught.value.message
    with pytest.raises(ProviderError) as caught:
        codex_creds(tmp_path, CHATGPT_ACCESS_TOKEN=token)
    assert "CHATGPT_ACCESS_TOKEN" in caught.value.message


def test_an_expired_login_still_serves_the_last_good_answer_marked_stale(env, make_client, upstream, sample, tmp_path):
    from conftest import codex_now

    env.pop("CHATGPT_ACCESS_TOKEN")
    auth = tmp_path / "codex" / "auth.json"
    auth.parent.mkdir()
    auth.write_text(json.dumps({"tokens": {"access_token": jwt({"exp": 4102000000})}}))
    upstream.get(f"{BASE}/wham/usage", json=codex_now(sample("codex-wham-usage.json")))
    client = make_client({**env, "CHATGPT_API_BASE": BASE})
    assert client.get("/api/openai/codex/limits").get_json()["stale"] is False
    auth.write_text(json.dumps({"tokens": {"access_token": jwt({"exp": 1767225600})}}))  # the login expires
    body = client.get("/api/openai/codex/limits?refresh=1", headers={"X-Dashboard-Refresh": "1"}).get_json()
    assert body["stale"] is True and body["error"]["code"] == "unauthorized" and "expired" in body["error"]["message"]
    assert "credentials_failed" in [a["event"] for a in client.get("/api/alerts").get_json()["alerts"]]


def test_a_token_read_from_auth_json_is_scrubbed_like_a_setting(env, make_client, upstream, tmp_path, monkeypatch, caplog):
    # The token is no setting, so only reading the login tells the API to keep it out of answers and logs.
    import logging

    from backend.helpers import codex_helper

    token = "codex-login-secret-token-0123456789"
    env.pop("CHATGPT_ACCESS_TOKEN")
    (tmp_path / "codex").mkdir()
    (tmp_path / "codex" / "auth.json").write_text(json.dumps({"tokens": {"access_token": token, "account_id": "acct-1"}}))

    def failing(base_url, access_token, *args, **kwargs):
        logging.getLogger("usage_dashboard").warning("sent %s", access_token)
        raise ProviderError("upstream_error", f"The upstream said no to {access_token}.")

    monkeypatch.setattr(codex_helper, "fetch_limits", failing)
    with caplog.at_level(logging.WARNING, logger="usage_dashboard"):
        response = make_client(env).get("/api/openai/codex/limits")
    assert response.get_json()["error"]["message"] == "The upstream said no to [redacted]."
    assert "sent [redacted]" in caplog.text and token not in caplog.text + response.get_data(as_text=True)
