"""The /api routes: each validates its provider's settings, then delegates to a helper."""

from functools import partial

from flask import Blueprint, current_app, jsonify, request

from . import demo
from .helpers import codex_helper, copilot_helper, openrouter_helper
from .helpers.common import ProviderError
from .openapi import build_spec

bp = Blueprint("api", __name__, url_prefix="/api")


def _state():
    return current_app.extensions["usage_dashboard"]


@bp.get("/openrouter/balance")
def openrouter_balance():
    state = _state()
    settings = state.settings
    if settings.demo:
        return _serve("openrouter", demo.openrouter_balance)
    key = settings.require_openrouter()
    return _serve("openrouter", partial(
        openrouter_helper.fetch_balance, settings.openrouter_base, key, settings.timeout,
        state.session("openrouter"),
    ))


@bp.get("/github/copilot/premium-usage")
def copilot_premium_usage():
    state = _state()
    settings = state.settings
    if settings.demo:
        return _serve("github_copilot", partial(demo.copilot_premium_usage, settings.copilot_limit or 300))
    token, username, limit = settings.require_copilot()
    return _serve("github_copilot", partial(
        copilot_helper.fetch_premium_usage, settings.github_base, token, username, limit,
        settings.timeout, state.session("github_copilot"),
    ))


@bp.get("/openai/codex/limits")
def codex_limits():
    state = _state()
    settings = state.settings
    if settings.demo:
        return _serve("openai_codex", demo.codex_limits)
    token, account_id = settings.require_codex()
    return _serve("openai_codex", partial(
        codex_helper.fetch_limits, settings.chatgpt_base, token, account_id, settings.timeout,
        state.session("openai_codex"),
    ))


@bp.get("/health")
def health():
    settings = _state().settings
    problems = {} if settings.demo else settings.provider_problems()
    providers = {
        name: {"configured": problems.get(name) is None, "problem": problems.get(name)}
        for name in ("openrouter", "github_copilot", "openai_codex")
    }
    return jsonify(
        status="ok",
        demo=settings.demo,
        providers=providers,
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
    if value in ("1", "true", "yes"):
        return True
    if value in ("0", "false", "no", ""):
        return False
    raise ProviderError("bad_request", "The query parameter refresh must be 1 or 0.")


def _serve(provider, loader):
    """Answer from the cache; a failed refresh falls back to the last good result, marked stale."""
    refresh = _refresh_requested()
    state = _state()
    source = "demo" if state.settings.demo else "live"
    value, error = state.cache.get(provider, partial(_tagged, loader, source), refresh=refresh)
    if value is None:
        error.provider = provider
        raise error
    if error is not None:
        value = {**value, "error": {**error.to_dict(), "provider": provider}}
    return jsonify(value)


def _tagged(loader, source):
    return {**loader(), "source": source, "stale": False}
