"""Reading one provider account: pick its loader (live or demo), go through the cache, pace it, record history."""

import contextlib
import logging
from functools import partial

from . import logins
from .errors import ProviderError
from .helpers.common import Unreachable, utc_now
from .helpers.descriptor import DEFAULT_ACCOUNT, FetchContext
from .history_store import HistoryUnavailable
from .pace import BALANCE_LOOKBACK, window_range, window_summary
from .quotas import finish, history_figures, quota_points, reset_ts
from .scrub import scrub

log = logging.getLogger("usage_dashboard")


def cache_key(provider, account):
    return f"{provider.id}/{account}"


def resolve(state, provider_id, account):
    """(descriptor, account name); not_found names the configured accounts."""
    provider = state.settings.provider(provider_id)
    if provider is None:
        known = ", ".join(p.id for p in state.settings.providers)
        raise ProviderError("not_found", f"There is no provider {provider_id[:40]!r}; use one of {known}.")
    account = (account or DEFAULT_ACCOUNT).strip().lower()
    accounts = state.account_names.get(provider.id)
    if accounts is None:  # the settings are fixed for the app's life: list each provider's accounts once
        accounts = state.account_names[provider.id] = state.settings.accounts(provider)
    if account not in accounts:
        raise ProviderError(
            "not_found",
            f"{provider.title} has no account {account[:40]!r}; configured: {', '.join(accounts)}. "
            f"An account NAME comes from settings with the suffix __NAME, such as {provider.settings[0].name}__NAME.",
            provider.id,
        )
    return provider, account


def problem(state, provider, account):
    """None when the account can be read, else the ProviderError saying what to fix."""
    try:
        check_configured(state, provider, account)  # the cached check: no login read, no session made
    except ProviderError as exc:
        return exc
    return None


def check_configured(state, provider, account):
    """Raise at once what loader_for would (not_configured, config_invalid). A success is remembered only while
    nothing it read can have changed: the settings are fixed for the app's life, a declared login file is
    watched by its stat; an account whose descriptor declares no login_file is checked every time."""
    if state.settings.demo:
        return
    key = cache_key(provider, account)
    config = _account_config(state, provider, account)
    watched = logins.declared_login(provider, config)
    stamp = logins.stamp(watched[0]) if watched is not None else None
    if stamp is not None and state.configured.get(key) == stamp:
        return
    try:
        credentials_for(state.settings, provider, account, config)
    except ProviderError as exc:
        if exc.code != "unauthorized":  # an expired login is a failed read (see loader_for), not a setting to fix
            raise
    if stamp is not None:
        state.configured[key] = stamp


def _account_config(state, provider, account):
    """The account's settings, looked up once: the settings are fixed for the app's life."""
    key = cache_key(provider, account)
    config = state.account_configs.get(key)
    if config is None:
        config = state.account_configs[key] = state.settings.account_config(provider, account)
    return config


def deferred_loader(state, provider, account):
    """A loader that reads the account's credentials when it runs (on a cache miss): a cache hit reads no login."""
    return lambda: loader_for(state, provider, account)()


def failure_body(error, provider, account, settings):
    """A failed read as an answer carries it: its provider and account named, scrubbed of every secret."""
    return scrub({**error.to_dict(), "provider": provider.id, "account": account}, settings.secrets())


def credentials_for(settings, provider, account, config=None):
    """The account's fetch arguments; raises not_configured, config_invalid or (expired login) unauthorized."""
    try:
        creds = provider.credentials(config or settings.account_config(provider, account))
        settings.read_secrets.update(creds[key] for key in provider.file_secrets if isinstance(creds.get(key), str))
        return creds
    except ProviderError as exc:
        exc.provider, exc.account = provider.id, account
        if exc.code == "not_configured" and settings.properties_problem:
            # The missing value may sit in the broken file: say what is wrong with it.
            raise ProviderError("config_invalid", settings.properties_problem, provider.id, account=account) from None
        raise


def loader_for(state, provider, account):
    """A no-argument function that reads the account; raises not_configured or config_invalid when it cannot."""
    settings = state.settings
    if settings.demo:
        return lambda: provider.demo(account, utc_now())
    try:
        creds = credentials_for(settings, provider, account, _account_config(state, provider, account))
    except ProviderError as exc:
        if exc.code != "unauthorized":
            raise
        # A login that has expired is a failed read, not a missing setting: it goes through the cache, so
        # the last good answer is served stale, alerts see it, and /metrics reports the account down.
        return partial(_refuse, exc)
    session = state.session(cache_key(provider, account))
    base = settings.bases[provider.id]
    return partial(_fetch, provider, creds, base, settings.timeout, session)


def _fetch(provider, creds, base, timeout, session):
    """One read of the account; a connection failure to an address the user set names the setting to check."""
    try:
        return provider.fetch(creds, FetchContext(base, timeout, session, utc_now()))
    except Unreachable as exc:
        if base.rstrip("/") == provider.default_base.rstrip("/"):
            raise
        raise ProviderError(
            "upstream_error",
            f"Could not connect to {exc.label} at `{exc.where}`, the address `{provider.base_setting}` sets. Check that "
            f"setting (without it: `{provider.default_base}`) and your connection.",
            provider.id,
        ) from None


def _refuse(error):
    raise error


def read(state, provider, account, loader, refresh=False):
    """(value, error) from the cache, loading through `loader` when it must; alerts look at every answer."""
    value, error = state.cache.get(cache_key(provider, account), partial(_load, state, provider, account, loader),
                                   refresh=refresh)
    if state.alerts is not None:
        try:
            state.alerts.observe(provider, account, value, error)
        except Exception:  # an alert bug must never cost a reading
            log.exception("alerts: evaluating %s/%s failed", provider.id, account)
    return value, error


def pace_history(history, provider, account, body, now_ts):
    """{quota id: (first reading of its window, how many)}: what pace needs, a few indexed reads per quota
    whatever the history's length (readings still in JSON, from before the compact rows, are read as before)."""
    since = int(now_ts - _lookback(body))
    shapes = {q["id"]: {**q, "reset_ts": reset_ts(q)} for q in body.get("quotas", [])}
    asks = {quota_id: window_range(shape, now_ts, since) for quota_id, shape in shapes.items()}
    found, loose = history.window_summaries(provider.id, account, asks, since, now_ts)
    if not loose:
        return found
    loose = upgraded(provider, loose)
    for quota_id, shape in shapes.items():
        first, count = window_summary(quota_points(loose, quota_id), shape, now_ts)
        compact_first, compact_count = found[quota_id]
        if compact_first is not None and (first is None or compact_first[0] < first[0]):
            first = compact_first
        found[quota_id] = (first, count + compact_count)
    return found


def _lookback(body):
    """How far back pace needs readings: the longest window among the quotas, or a week for a balance."""
    windows = [q["window_seconds"] or 0 for q in body.get("quotas", [])]
    return max([BALANCE_LOOKBACK, *windows]) + 3600


def upgraded(provider, points):
    """History points in today's quota shape, converting readings an older version saved where it can."""
    if not provider.upgrade_history:
        return points
    return [(t, f if "quotas" in f else provider.upgrade_history(f)) for t, f in points]


def complete(provider, value, points, now, settings, summaries=None):
    """Pace and status on every quota, then the provider's `forecast`: the same steps live, in demo and in fixtures.

    points: history [(t, figures)]; or summaries: pace_history's answer, in their place.
    """
    points = upgraded(provider, points)
    value.setdefault("partial", False)
    value.setdefault("notes", [])
    paces = finish(value, points, now, settings, provider.fallback_rate, summaries)
    value["forecast"] = provider.legacy_forecast(value, paces, now)
    return value


def _load(state, provider, account, loader):
    value = loader()
    value.update(account_name=account, title=provider.title,
                 source="demo" if state.settings.demo else "live", stale=False)
    now = utc_now()
    summaries = None
    try:
        summaries = pace_history(state.history, provider, account, value, now.timestamp())
    except HistoryUnavailable as exc:
        log.warning("history: %s", exc)
    value = scrub(complete(provider, value, [], now, state.settings, summaries), state.settings.secrets())
    try:
        state.history.record(provider.id, now.timestamp(), history_figures(value), account=account)
    except HistoryUnavailable as exc:
        log.warning("history: %s", exc)
    with contextlib.suppress(HistoryUnavailable):  # already logged above, or will be on the next read
        state.history.save_last_good(provider.id, value, account=account)
    return value


def last_good(state, key):
    """The answer saved by an earlier run, for when the provider fails before any success in this one."""
    provider_id, _, account = key.partition("/")
    try:
        return state.history.last_good(provider_id, account=account or DEFAULT_ACCOUNT)
    except HistoryUnavailable:
        return None


def any_configured(settings):
    """True when at least one account of any provider can be read."""
    for provider in settings.providers:
        for account in settings.accounts(provider):
            with contextlib.suppress(ProviderError):
                credentials_for(settings, provider, account)
                return True
    return False


def configured_accounts(state):
    """[(descriptor, account, loader)] of every account that can be read now (each login read once)."""
    found = []
    for provider in state.settings.providers:
        for account in state.settings.accounts(provider):
            with contextlib.suppress(ProviderError):
                found.append((provider, account, loader_for(state, provider, account)))
    return found


def page_route(provider, account):
    """The path the page asks an account's answer from (and its key among the answers put into the page)."""
    return f"/api{provider.route}" + ("" if account == DEFAULT_ACCOUNT else f"?account={account}")


def ready_answers(state, wait_seconds, configured):
    """{route with ?account=: answer} of the accounts whose fresh answer is at hand within wait_seconds."""
    keys = {cache_key(p, a): page_route(p, a) for p, a, _ in configured}
    found = state.cache.fresh(list(keys), wait_seconds)
    return {keys[key]: value for key, value in found.items()}


def sample_answers(state):
    """{route: answer} for every listed account, made from the demo data (no upstream, no history): the figures a
    page shows, to warm up the page's server rendering before anyone asks for the page."""
    now = utc_now()
    answers = {}
    for provider in state.settings.providers:
        for account in state.settings.accounts(provider):
            value = provider.demo(account, now)
            value.update(account_name=account, title=provider.title, source="demo", stale=False)
            answers[page_route(provider, account)] = complete(provider, value, [], now, state.settings)
    return answers


def prefetch(state, configured=None):
    """Start reading every configured account now, without waiting: the page will ask in a moment."""
    for provider, account, loader in configured if configured is not None else configured_accounts(state):
        state.cache.start(cache_key(provider, account), partial(_load, state, provider, account, loader))
