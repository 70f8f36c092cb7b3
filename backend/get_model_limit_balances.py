"""The /api routes: each validates its provider's settings, then delegates to a helper."""

from datetime import UTC, datetime, timedelta

from flask import Blueprint, current_app, jsonify, request

from . import providers
from .helpers.common import ProviderError, from_unix, iso, parse_iso, utc_now
from .history_store import HistoryUnavailable
from .openapi import build_spec
from .providers import PROVIDERS

bp = Blueprint("api", __name__, url_prefix="/api")
DEFAULT_RANGE = timedelta(days=7)
EARLIEST = datetime.min.replace(tzinfo=UTC)


def _state():
    return current_app.extensions["usage_dashboard"]


@bp.get("/openrouter/balance")
def openrouter_balance():
    return _serve("openrouter")


@bp.get("/github/copilot/premium-usage")
def copilot_premium_usage():
    return _serve("github_copilot")


@bp.get("/openai/codex/limits")
def codex_limits():
    return _serve("openai_codex")


@bp.get("/history/<provider>")
def history(provider):
    if provider not in PROVIDERS:
        raise ProviderError("not_found", f"There is no history for {provider[:40]!r}; use one of {', '.join(PROVIDERS)}.")
    now = utc_now()
    until = _time_arg("until", now)
    since = _time_arg("since", until - DEFAULT_RANGE if until - EARLIEST > DEFAULT_RANGE else until)
    try:
        # since after until is an empty range: no points, not an error.
        points = _state().history.points(provider, since.timestamp(), until.timestamp()) if since <= until else []
    except HistoryUnavailable as exc:
        raise ProviderError("history_unavailable", str(exc), provider) from None
    return jsonify(
        provider=provider,
        since=iso(since),
        until=iso(until),
        points=[{"t": iso(from_unix(t)), **figures} for t, figures in points],
    )


@bp.get("/health")
def health():
    settings = _state().settings
    problems = {} if settings.demo else settings.provider_problems()
    return jsonify(
        status="ok",
        demo=settings.demo,
        providers={name: {"configured": problems.get(name) is None, "problem": problems.get(name)} for name in PROVIDERS},
        config_problems=list(settings.problems),
    )


@bp.get("/openapi.json")
def openapi():
    return jsonify(build_spec())


def _refresh_requested():
    raw = request.args.get("refresh")
    if raw is None:
        return False
    value = raw.strip().lower()
    if value in ("1", "true"):
        return True
    if value in ("0", "false"):
        return False
    raise ProviderError("bad_request", "The query parameter refresh must be 1 or 0 (or true / false).")


def _time_arg(name, default):
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        moment = parse_iso(raw.strip())
    except ValueError:
        raise ProviderError(
            "bad_request", f"{name} must be an ISO-8601 time such as 2026-11-01T00:00:00Z, not {raw[:40]!r}."
        ) from None
    try:
        return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00:00+05:00 lies before the first UTC time there is
        raise ProviderError("bad_request", f"{name} is out of range.") from None


def _serve(provider):
    """Validate the provider's settings and the query, then answer from the cache.

    A failed refresh falls back to the last good result, marked stale, with the reason.
    """
    state = _state()
    loader = providers.loader_for(provider, state)
    value, error = providers.read(provider, state, loader, refresh=_refresh_requested())
    if value is None:
        error.provider = provider
        raise error
    if error is not None:
        value = {**value, "error": {**error.to_dict(), "provider": provider}}
    return jsonify(value)
