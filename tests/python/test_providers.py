"""Picking a provider's loader, and starting reads ahead of the page."""

import time

import pytest

from backend import demo, providers
from backend.app import DashboardState
from backend.config import load_settings
from backend.helpers.common import ProviderError


def state_for(environ, tmp_path):
    return DashboardState(load_settings({"DASHBOARD_DB": str(tmp_path / "h.sqlite3"), **environ}))


def test_demo_mode_uses_the_demo_loaders(tmp_path):
    state = state_for({"HOME": str(tmp_path), "DASHBOARD_DEMO": "1"}, tmp_path)
    assert providers.loader_for("openrouter", state) is demo.openrouter_balance
    assert providers.loader_for("openai_codex", state)()["provider"] == "openai_codex"


@pytest.mark.parametrize("provider, phrase", [
    ("openrouter", "OPENROUTER_API_KEY"), ("github_copilot", "GITHUB_PAT"), ("openai_codex", "codex login"),
])
def test_an_unconfigured_provider_has_no_loader(tmp_path, provider, phrase):
    with pytest.raises(ProviderError) as caught:
        providers.loader_for(provider, state_for({"HOME": str(tmp_path)}, tmp_path))
    assert caught.value.code == "not_configured" and phrase in caught.value.message


def test_a_read_records_history_and_adds_a_forecast(env, tmp_path, mock_all):
    mock_all()
    state = state_for(env, tmp_path)
    value, error = providers.read("github_copilot", state, providers.loader_for("github_copilot", state))
    assert error is None and value["source"] == "live" and value["forecast"]["basis"]["method"] == "month_to_date"
    assert len(state.history.points("github_copilot", 0, 10**10)) == 1
    assert state.history.last_good("github_copilot")["used"] == 149


def test_prefetch_starts_only_configured_providers(env, tmp_path, mock_all, upstream):
    mock_all()
    env.pop("GITHUB_PAT")
    state = state_for(env, tmp_path)
    providers.prefetch(state)
    deadline = time.monotonic() + 5
    while len(upstream.calls) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.05)
    urls = [call.request.url for call in upstream.calls]
    assert len(urls) == 3  # OpenRouter /key and /credits, Codex; not Copilot
    assert not any("premium_request" in url for url in urls)
