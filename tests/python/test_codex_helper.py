"""Codex: auth.json and /wham/usage to the limits contract."""

import builtins
import json
from datetime import UTC, datetime

import pytest

from backend.helpers.codex_helper import fetch_limits, normalize_limits, read_codex_auth, window_label
from backend.helpers.common import ProviderError, new_session

BASE = "http://chatgpt.test/backend-api"
NOW = datetime.fromtimestamp(1795993260 - 7260, UTC)


def test_sample_gives_the_contract(sample):
    body = normalize_limits(sample("codex-wham-usage.json"), NOW)
    assert body["provider"] == "openai_codex"
    assert body["plan_type"] == "plus"
    assert body["limit_reached"] is False
    assert body["windows"] == [
        {"id": "primary", "label": "5-hour", "used_percent": 37, "window_seconds": 18000,
         "resets_at": "2026-11-29T23:01:00Z", "resets_in_seconds": 7260},
        {"id": "secondary", "label": "Weekly", "used_percent": 58, "window_seconds": 604800,
         "resets_at": "2026-12-02T21:00:00Z", "resets_in_seconds": 259200},
    ]
    assert body["credits"] == {"has_credits": False, "unlimited": False, "balance": 0}


def test_request_carries_token_and_account(upstream, sample):
    upstream.get(f"{BASE}/wham/usage", json=sample("codex-wham-usage.json"))
    fetch_limits(BASE, "access-SECRET", "acct-1", (1, 2), new_session())
    headers = upstream.calls[0].request.headers
    assert headers["Authorization"] == "Bearer access-SECRET"
    assert headers["ChatGPT-Account-Id"] == "acct-1"


def test_expired_login_says_run_codex_login(upstream):
    upstream.get(f"{BASE}/wham/usage", status=401, json={"detail": "token expired"})
    with pytest.raises(ProviderError) as caught:
        fetch_limits(BASE, "access-SECRET", None, (1, 2), new_session())
    assert caught.value.code == "unauthorized"
    assert "codex login" in caught.value.message
    assert "access-SECRET" not in caught.value.message


@pytest.mark.parametrize("secondary", [None, "absent"])
def test_missing_secondary_window_is_skipped(sample, secondary):
    payload = sample("codex-wham-usage.json")
    if secondary == "absent":
        del payload["rate_limit"]["secondary_window"]
    else:
        payload["rate_limit"]["secondary_window"] = None
    assert [w["id"] for w in normalize_limits(payload, NOW)["windows"]] == ["primary"]


@pytest.mark.parametrize("payload", [{}, {"rate_limit": None}, {"rate_limit": {}, "credits": None}])
def test_no_windows_at_all(payload):
    body = normalize_limits(payload, NOW)
    assert (body["windows"], body["credits"], body["plan_type"], body["limit_reached"]) == ([], None, None, False)


def test_additional_limits_become_named_windows(sample):
    payload = sample("codex-wham-usage.json")
    payload["additional_rate_limits"] = [
        {"limit_name": "GPT-5.1-Codex-Max", "metered_feature": "codex_max", "rate_limit": {
            "primary_window": {"used_percent": 100, "limit_window_seconds": 18000, "reset_at": 1795993260},
            "secondary_window": {"used_percent": 20, "limit_window_seconds": 604800, "reset_at": 1796245200}}},
        {"limit_name": "Spark", "rate_limit": None},
        "garbage",
    ]
    body = normalize_limits(payload, NOW)
    extra = [(w["id"], w["label"]) for w in body["windows"][2:]]
    assert extra == [("codex-max:primary", "GPT-5.1-Codex-Max · 5-hour"),
                     ("codex-max:secondary", "GPT-5.1-Codex-Max · Weekly")]
    assert body["limit_reached"] is True


def test_reset_after_seconds_is_used_when_reset_at_is_missing():
    payload = {"rate_limit": {"primary_window": {"used_percent": 5, "reset_after_seconds": 600}}}
    window = normalize_limits(payload, NOW)["windows"][0]
    assert window["resets_in_seconds"] == 600
    assert window["label"] == "5-hour" and window["window_seconds"] is None


def test_reset_in_the_past_counts_down_to_zero():
    payload = {"rate_limit": {"primary_window": {"used_percent": 5, "reset_at": NOW.timestamp() - 30}}}
    assert normalize_limits(payload, NOW)["windows"][0]["resets_in_seconds"] == 0


@pytest.mark.parametrize("window", [{"used_percent": 5, "reset_at": 10**14}, {"used_percent": 5, "reset_after_seconds": -10**11}])
def test_absurd_reset_times_are_unknown(window):
    assert normalize_limits({"rate_limit": {"primary_window": window}}, NOW)["windows"][0]["resets_at"] is None


def test_limit_reached_flag_from_upstream(sample):
    payload = sample("codex-wham-usage.json")
    payload["rate_limit"]["limit_reached"] = True
    assert normalize_limits(payload, NOW)["limit_reached"] is True


@pytest.mark.parametrize("seconds, label", [(18000, "5-hour"), (604800, "Weekly"), (86400, "Daily"), (3600, "1-hour"),
                                            (2592000, "Monthly"), (172800, "2-day"), (900, "15-minute"),
                                            (None, "fallback"), (0, "fallback")])
def test_window_labels(seconds, label):
    assert window_label(seconds, "fallback") == label


@pytest.mark.parametrize("payload", [[], {"rate_limit": []}, {"rate_limit": {"primary_window": "x"}},
                                     {"rate_limit": {"primary_window": {"used_percent": "most"}}}])
def test_malformed_payloads_are_bad_payloads(payload):
    with pytest.raises(ProviderError) as caught:
        normalize_limits(payload, NOW)
    assert caught.value.code == "bad_upstream_payload"


def test_auth_json_gives_token_and_account(tmp_path, sample):
    path = tmp_path / "auth.json"
    path.write_text(json.dumps(sample("codex-auth.json")))
    before = path.read_bytes()
    assert read_codex_auth(path) == ("eyJhbGciOiJSUzI1NiJ9.fake-access-token.sig", "a1b2c3d4-0000-4000-8000-000000000000")
    assert path.read_bytes() == before


@pytest.mark.parametrize("content, phrase", [
    (None, "does not exist"),
    ("{not json", "not valid JSON"),
    ('{"OPENAI_API_KEY": "sk-x", "tokens": null}', "no ChatGPT login"),
    ('{"tokens": {"access_token": ""}}', "no ChatGPT login"),
    ("[1, 2]", "no ChatGPT login"),
])
def test_unusable_auth_json_is_not_configured(tmp_path, content, phrase):
    path = tmp_path / "auth.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(ProviderError) as caught:
        read_codex_auth(path)
    assert caught.value.code == "not_configured"
    assert phrase in caught.value.message
    assert "codex login" in caught.value.message and "CHATGPT_ACCESS_TOKEN" in caught.value.message


def test_unreadable_auth_json_is_not_configured(tmp_path, monkeypatch):
    path = tmp_path / "auth.json"
    path.write_text("{}")
    real_open = builtins.open

    def refuse(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refuse)
    with pytest.raises(ProviderError) as caught:
        read_codex_auth(path)
    assert "permission denied" in caught.value.message


def test_auth_json_that_is_a_folder_is_not_configured(tmp_path):
    (tmp_path / "auth.json").mkdir()
    with pytest.raises(ProviderError) as caught:
        read_codex_auth(tmp_path / "auth.json")
    assert caught.value.code == "not_configured"
