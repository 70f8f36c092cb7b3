"""Picking an account's loader, pacing and recording its readings, and starting reads ahead of the page."""

import time

import pytest

from backend import providers
from backend.app import DashboardState
from backend.config import load_settings
from backend.errors import ProviderError
from backend.registry import by_id


def state_for(environ, tmp_path):
    return DashboardState(load_settings({"DASHBOARD_DB": str(tmp_path / "h.sqlite3"), **environ}))


def test_demo_mode_reads_every_demo_account_through_the_real_normalizers(tmp_path):
    state = state_for({"HOME": str(tmp_path), "DASHBOARD_DEMO": "1"}, tmp_path)
    for provider in state.settings.providers:
        for account in provider.demo_accounts:
            body = providers.loader_for(state, provider, account)()
            assert body["provider"] == provider.id and body["quotas"], provider.id


@pytest.mark.parametrize("provider, phrase", [
    ("openrouter", "OPENROUTER_API_KEY"), ("github_copilot", "GITHUB_PAT"), ("openai_codex", "codex login"),
])
def test_an_unconfigured_provider_has_no_loader(tmp_path, provider, phrase):
    with pytest.raises(ProviderError) as caught:
        providers.loader_for(state_for({"HOME": str(tmp_path)}, tmp_path), by_id(provider), "default")
    assert caught.value.code == "not_configured" and phrase in caught.value.message
    assert (caught.value.provider, caught.value.account) == (provider, "default")


def test_a_read_records_history_paces_and_keeps_the_forecast(env, tmp_path, mock_all):
    mock_all()
    state = state_for(env, tmp_path)
    copilot = by_id("github_copilot")
    value, error = providers.read(state, copilot, "default", providers.loader_for(state, copilot, "default"))
    assert error is None and value["source"] == "live" and value["account_name"] == "default"
    assert value["forecast"]["basis"]["method"] == "month_to_date"
    quota = value["quotas"][0]
    assert quota["pace"]["basis"]["method"] == "window_average" and quota["status"] in ("ok", "warning", "critical")
    assert len(state.history.points("github_copilot", 0, 10**10)) == 1
    assert state.history.last_good("github_copilot")["used"] == 149


def test_unknown_accounts_are_404s_naming_the_configured_ones(env, tmp_path):
    state = state_for({**env, "OPENROUTER_API_KEY__WORK": "sk-or-work-0123456789"}, tmp_path)
    with pytest.raises(ProviderError) as caught:
        providers.resolve(state, "openrouter", "play")
    assert caught.value.code == "not_found" and "default, work" in caught.value.message
    assert providers.resolve(state, "openrouter", "WORK")[1] == "work"


def test_prefetch_starts_only_configured_accounts(env, tmp_path, mock_all, upstream):
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
    assert not any("billing" in url for url in urls)


@pytest.mark.parametrize("provider, setting", [
    ("openrouter", "OPENROUTER_API_BASE"), ("github_copilot", "GITHUB_API_BASE"), ("openai_codex", "CHATGPT_API_BASE"),
])
def test_a_connection_failure_to_a_base_url_the_user_set_names_that_setting(env, tmp_path, upstream, monkeypatch,
                                                                             provider, setting):
    import re

    import requests

    from backend.helpers import common

    monkeypatch.setattr(common.time, "sleep", lambda seconds: None)
    upstream.get(re.compile(r".*"), body=requests.ConnectionError("refused"))
    descriptor = by_id(provider)
    for base, named in ((env[setting], True), (None, False)):
        environ = {**env, setting: base} if base else {k: v for k, v in env.items() if k != setting}
        state = state_for(environ, tmp_path)
        with pytest.raises(ProviderError) as caught:
            providers.loader_for(state, descriptor, "default")()
        message = caught.value.message
        assert caught.value.code == "upstream_error" and message.startswith("Could not connect to ")
        # The address it tried (host and port only), and the setting that gave it when the user set one.
        assert (f"`{setting}`" in message) is named and (f"without it: `{descriptor.default_base}`" in message) is named
        host = (env[setting] if named else descriptor.default_base).split("/")[2]
        assert f"at `{'http' if named else 'https'}://{host}`" in message
