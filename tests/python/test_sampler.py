"""The background sampler: schedule, cache reuse, thinning, clean stop."""

import logging
import threading

from conftest import OPENROUTER, SECRETS

from backend import sampler as sampler_module
from backend.app import DashboardState, install_log_filter
from backend.config import load_settings
from backend.errors import ProviderError
from backend.registry import by_id
from backend.sampler import Sampler


def upstream_calls(upstream):
    return sum(1 for call in upstream.calls if "/key" in call.request.url or "usage" in call.request.url)


def make_state(env, tmp_path, **overrides):
    return DashboardState(load_settings({**env, "DASHBOARD_DB": str(tmp_path / "h.sqlite3")}, **overrides))


def test_one_round_reads_and_records_every_configured_provider(env, tmp_path, mock_all, upstream):
    mock_all()
    state = make_state(env, tmp_path)
    assert Sampler(state, 300, 35).run_once() == ["openrouter/default", "github_copilot/default", "openai_codex/default"]
    for provider in ("openrouter", "github_copilot", "openai_codex"):
        assert len(state.history.points(provider, 0, 10**10)) == 1


def test_unconfigured_providers_are_skipped(env, tmp_path, upstream, sample):
    env.pop("GITHUB_PAT")
    env.pop("CHATGPT_ACCESS_TOKEN")
    upstream.get(f"{OPENROUTER}/key", json=sample("openrouter-key.json"))
    upstream.get(f"{OPENROUTER}/credits", json=sample("openrouter-credits.json"))
    assert Sampler(make_state(env, tmp_path), 300, 35).run_once() == ["openrouter/default"]


def test_sampler_reuses_the_cache_instead_of_calling_upstream_again(env, tmp_path, mock_all, upstream):
    mock_all()
    state = make_state(env, tmp_path)
    sampler = Sampler(state, 300, 35)
    sampler.run_once()
    calls = len(upstream.calls)
    sampler.run_once()  # within the cache TTL: no new upstream call, no duplicate snapshot
    assert len(upstream.calls) == calls
    assert len(state.history.points("openai_codex", 0, 10**10)) == 1


def test_thinning_runs_hourly_on_the_controllable_clock(env, tmp_path, mock_all, monkeypatch):
    mock_all()
    clock = {"now": 1_000_000.0}
    state = make_state(env, tmp_path)
    thinned = []
    monkeypatch.setattr(state.history, "thin", lambda older_than: thinned.append(older_than) or 0)
    sampler = Sampler(state, 300, 35, clock=lambda: clock["now"])
    sampler.run_once()
    clock["now"] += 1800
    sampler.run_once()
    clock["now"] += 1800
    sampler.run_once()
    assert thinned == [1_000_000.0 - 35 * 86400, 1_003_600.0 - 35 * 86400]


def test_runs_on_schedule_and_stops_cleanly(env, tmp_path, monkeypatch):
    rounds, waits, three = [], [], threading.Event()

    def once(self):
        rounds.append(1)
        if len(rounds) == 3:
            three.set()

    monkeypatch.setattr(Sampler, "run_once", once)
    sampler = Sampler(make_state(env, tmp_path), interval=0.05, full_days=35)
    wait = sampler._stop.wait
    sampler._stop.wait = lambda timeout: waits.append(timeout) or wait(timeout)  # what each pause asks for, not its length
    sampler.start()
    try:
        reached = three.wait(10)
    finally:
        sampler.stop()
    assert reached and not sampler._thread.is_alive()
    assert waits == [0.05] * len(rounds)  # after each round, one pause of `interval`, ended early by stop()


def test_a_failing_round_does_not_stop_the_schedule(env, tmp_path, monkeypatch):
    rounds, three = [], threading.Event()

    def flaky(self):
        rounds.append(1)
        if len(rounds) == 3:
            three.set()
        raise RuntimeError("boom")

    monkeypatch.setattr(Sampler, "run_once", flaky)
    sampler = Sampler(make_state(env, tmp_path), interval=0.02, full_days=35).start()
    reached = three.wait(10)  # every round raised, and the next one came all the same
    sampler.stop()
    assert reached


def test_history_trouble_does_not_stop_sampling(env, tmp_path, mock_all, upstream):
    mock_all()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    state = DashboardState(load_settings({**env, "DASHBOARD_DB": str(blocker / "h.sqlite3")}))
    assert Sampler(state, 300, 35).run_once() == ["openrouter/default", "github_copilot/default", "openai_codex/default"]


def test_the_log_says_why_a_read_fails_once_then_only_that_it_still_does(env, tmp_path, monkeypatch, caplog):
    token = SECRETS["OPENROUTER_API_KEY"]
    refused = f"Could not connect to OpenRouter at `http://127.0.0.1:9` (key {token})."
    answers = iter([ProviderError("upstream_error", refused),
                    ProviderError("upstream_error", f"{refused} It keeps failing, so the dashboard asks again less often."),
                    ProviderError("upstream_error", refused),
                    ProviderError("upstream_error", "OpenRouter answered HTTP 404."),
                    ProviderError("upstream_auth", "OpenRouter refused the key: check OPENROUTER_API_KEY."), None])
    monkeypatch.setattr(sampler_module.providers, "configured_accounts", lambda state: [(by_id("openrouter"), "default", None)])
    monkeypatch.setattr(sampler_module.providers, "read", lambda state, provider, account, loader: (None, next(answers)))
    state = make_state(env, tmp_path)
    install_log_filter(state.settings)  # as create_app does
    sampler = Sampler(state, 300, 35)
    with caplog.at_level(logging.INFO, logger="usage_dashboard"):
        for _ in range(6):
            sampler.run_once()
    said = [(r.levelname, r.getMessage()) for r in caplog.records if r.getMessage().startswith("sampler")]
    assert said == [
        ("WARNING", "sampler: openrouter/default: Could not connect to OpenRouter at `http://127.0.0.1:9` (key [redacted])."
                    " (upstream_error)"),
        ("INFO", "sampler: openrouter/default: still upstream_error"),  # the pause's extra words are not news
        ("INFO", "sampler: openrouter/default: still upstream_error"),  # nor their end
        ("WARNING", "sampler: openrouter/default: OpenRouter answered HTTP 404. (upstream_error)"),  # another cause
        ("WARNING", "sampler: openrouter/default: OpenRouter refused the key: check OPENROUTER_API_KEY. (upstream_auth)"),
        ("INFO", "sampler: openrouter/default reads again"),
    ]
