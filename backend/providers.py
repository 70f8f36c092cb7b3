"""Reading a provider: pick its loader (live or demo), go through the cache, record history, forecast."""

import contextlib
import logging
from datetime import timedelta
from functools import partial

from . import demo
from .forecast import forecast, snapshot_figures
from .helpers import codex_helper, copilot_helper, openrouter_helper
from .helpers.common import ProviderError, utc_now
from .history_store import HistoryUnavailable

log = logging.getLogger("usage_dashboard")
PROVIDERS = ("openrouter", "github_copilot", "openai_codex")
FORECAST_LOOKBACK = timedelta(days=32)  # a whole month for Copilot, a week for the rest, with room


def loader_for(provider, state):
    """A no-argument function that reads the provider; raises not_configured when it cannot."""
    settings = state.settings
    if settings.demo:
        return {
            "openrouter": demo.openrouter_balance,
            "github_copilot": partial(demo.copilot_premium_usage, settings.copilot_limit or 300),
            "openai_codex": demo.codex_limits,
        }[provider]
    session = state.session(provider)
    if provider == "openrouter":
        key = settings.require_openrouter()
        return partial(openrouter_helper.fetch_balance, settings.openrouter_base, key, settings.timeout, session)
    if provider == "github_copilot":
        token, username, limit = settings.require_copilot()
        return partial(copilot_helper.fetch_premium_usage, settings.github_base, token, username, limit,
                       settings.timeout, session)
    token, account_id = settings.require_codex()
    return partial(codex_helper.fetch_limits, settings.chatgpt_base, token, account_id, settings.timeout, session)


def read(provider, state, loader, refresh=False):
    """(value, error) from the cache, loading through `loader` when it must."""
    return state.cache.get(provider, partial(_load, provider, loader, state), refresh=refresh)


def _load(provider, loader, state):
    value = loader()
    value["source"] = "demo" if state.settings.demo else "live"
    value["stale"] = False
    now = utc_now()
    points = []
    try:
        points = state.history.points(provider, (now - FORECAST_LOOKBACK).timestamp(), now.timestamp())
        state.history.record(provider, now.timestamp(), snapshot_figures(provider, value))
    except HistoryUnavailable as exc:
        log.warning("history: %s", exc)
    value["forecast"] = forecast(provider, points, value, now)
    with contextlib.suppress(HistoryUnavailable):  # already logged above, or will be on the next read
        state.history.save_last_good(provider, value)
    return value


def last_good(state, provider):
    """The answer saved by an earlier run, for when the provider fails before any success in this one."""
    try:
        return state.history.last_good(provider)
    except HistoryUnavailable:
        return None


def prefetch(state):
    """Start reading every configured provider now, without waiting: the page will ask in a moment."""
    for provider in PROVIDERS:
        try:
            loader = loader_for(provider, state)
        except ProviderError:
            continue
        state.cache.start(provider, partial(_load, provider, loader, state))
