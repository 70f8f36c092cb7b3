"""GET /metrics: parses with the official parser, covers every account and quota, carries no secret or PII."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SECRETS
from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parents[2]


def scrape(client):
    response = client.get("/metrics")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    return text, {family.name: family for family in text_string_to_metric_families(text)}


def samples(families, name):
    return {tuple(sorted(s.labels.items())): s.value for s in families[name].samples}


def test_every_account_and_quota_is_there_and_unknowns_are_omitted(env, make_client, mock_all):
    mock_all()
    client = make_client(env)
    body = {path: client.get(path).get_json() for path in
            ("/api/openrouter/balance", "/api/github/copilot/premium-usage", "/api/openai/codex/limits")}
    text, families = scrape(client)
    ratios = samples(families, "ai_usage_quota_used_ratio")
    for answer in body.values():
        for quota in answer["quotas"]:
            key = (("account", "default"), ("provider", answer["provider"]), ("quota", quota["id"]), ("unit", quota["unit"]))
            assert ratios[key] == pytest.approx(quota["used_percent"] / 100)
    up = samples(families, "ai_usage_provider_up")
    assert set(up.values()) == {1.0} and len(up) == 3
    assert samples(families, "ai_usage_balance_usd")[(("account", "default"), ("provider", "openrouter"))] == 31.2745
    resets = samples(families, "ai_usage_quota_reset_timestamp_seconds")
    assert (("account", "default"), ("provider", "openrouter"), ("quota", "balance")) not in resets  # a balance never resets
    assert families["ai_usage_build_info"].samples[0].value == 1
    for secret in SECRETS.values():
        assert secret not in text
    assert "octocat" not in text  # no usernames of other systems in labels


def test_an_upstream_failure_is_counted_and_the_provider_is_down(env, make_client, mock_all, upstream):
    from conftest import OPENROUTER

    mock_all()
    upstream.replace("GET", f"{OPENROUTER}/key", status=401)
    client = make_client(env)
    client.get("/api/openrouter/balance")
    _, families = scrape(client)
    assert samples(families, "ai_usage_provider_up")[(("account", "default"), ("provider", "openrouter"))] == 0
    errors = samples(families, "ai_usage_upstream_errors")
    assert errors[(("account", "default"), ("code", "unauthorized"), ("provider", "openrouter"))] >= 1


def test_a_scrape_reads_upstream_no_more_often_than_the_cache_allows(env, make_client, mock_all, upstream):
    mock_all()
    client = make_client(env)
    scrape(client)
    calls = len(upstream.calls)
    for _ in range(5):
        scrape(client)
    assert len(upstream.calls) == calls


@pytest.mark.skipif(shutil.which("promtool") is None and not os.environ.get("CI"),
                    reason="promtool (Debian package prometheus) is not installed; .ci/run installs it")
def test_the_shipped_alert_rules_pass_promtool():
    rules = ROOT / "docs" / "prometheus" / "alerts.yml"
    checked = subprocess.run(["promtool", "check", "rules", str(rules)], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    tested = subprocess.run(["promtool", "test", "rules", str(ROOT / "docs" / "prometheus" / "alerts.test.yml")],
                            capture_output=True, text=True, timeout=60, cwd=ROOT / "docs" / "prometheus")
    assert tested.returncode == 0, tested.stdout + tested.stderr
