"""The /api routes: one per provider from the registry, plus accounts, history, health and OpenAPI."""

import json
from datetime import UTC, datetime, timedelta
from functools import partial

from flask import Blueprint, current_app, jsonify, request
from flask.json.provider import DefaultJSONProvider

from . import providers
from .errors import ProviderError
from .guards import refresh_from_dashboard
from .helpers.common import iso, parse_iso, utc_now
from .history_json import points_text
from .history_store import MAX_POINTS, HistoryUnavailable
from .openapi import build_spec
from .quotas import quota_points
from .scrub import scrub

DEFAULT_RANGE = timedelta(days=7)
REFRESH_EVERY = 10.0  # seconds: forced refreshes of one account closer than this get the cached answer
EARLIEST = datetime.min.replace(tzinfo=UTC)


def _state():
    return current_app.extensions["usage_dashboard"]


def create_blueprint(registered):
    """The API blueprint, with one stable route per registered provider."""
    bp = Blueprint("api", __name__, url_prefix="/api")
    for provider in registered:
        bp.add_url_rule(provider.route, endpoint=provider.id, view_func=partial(serve, provider.id))
    bp.add_url_rule("/accounts", view_func=accounts)
    bp.add_url_rule("/history/<provider>", view_func=history)
    bp.add_url_rule("/alerts", view_func=alerts)
    bp.add_url_rule("/health", view_func=health)
    bp.add_url_rule("/openapi.json", view_func=openapi)
    return bp


def serve(provider_id):
    """Validate the account's settings and the query, then answer from the cache.

    A failed refresh falls back to the last good result, marked stale, with the reason.
    """
    state = _state()
    args = request.args if request.query_string else None  # the page's usual request has no query to parse
    provider, account = providers.resolve(state, provider_id, args.get("account") if args else None)
    providers.check_configured(state, provider, account)
    loader = providers.deferred_loader(state, provider, account)
    refresh, note = _refresh_requested(args), None
    if refresh:
        refresh, note = refresh_from_dashboard()
        if refresh and not state.refresh_allowed(providers.cache_key(provider, account), REFRESH_EVERY):
            refresh, note = False, f"refreshed less than {REFRESH_EVERY:g} s ago; this is the cached answer"
    value, error = providers.read(state, provider, account, loader, refresh=refresh)
    if value is None:
        error.provider, error.account = provider.id, account
        raise error
    if error is None and not note:
        # The cached answer itself: encoded once when first served, the same bytes until it is replaced.
        body = state.cache.encoded(providers.cache_key(provider, account), value, _encode)
        return current_app.response_class(body, mimetype=current_app.json.mimetype)
    if error is not None:
        # The answer was scrubbed when it was read; the reason it is stale is scrubbed here, as an error answer is.
        value = {**value, "error": providers.failure_body(error, provider, account, state.settings)}
    if note:
        value = {**value, "refresh_note": note}
    return jsonify(value)


def _encode(value):
    """The bytes jsonify(value) answers with."""
    return current_app.json.response(value).get_data()


def accounts():
    state = _state()
    # The page asks for every account next: start reading them now.
    providers.prefetch(state)
    return jsonify(accounts_body(state))


def accounts_body(state):
    """Every account of every provider, configured or not: what /api/accounts answers."""
    listed, secrets = [], state.settings.secrets()
    for provider in state.settings.providers:
        for account in state.settings.accounts(provider):
            found = providers.problem(state, provider, account)
            listed.append({
                "provider": provider.id,
                "account": account,
                "title": provider.title,
                "short": provider.short,
                "subtitle": provider.subtitle,
                "route": f"/api{provider.route}",
                "configured": found is None,
                "problem": scrub(found.to_dict(), secrets) if found else None,  # as every error answer is
            })
    return {"accounts": listed, "demo": state.settings.demo}


def history(provider):
    state = _state()
    provider, account = providers.resolve(state, provider, request.args.get("account"))
    now = utc_now()
    until = _time_arg("until", now)
    since = _time_arg("since", until - DEFAULT_RANGE if until - EARLIEST > DEFAULT_RANGE else until)
    most = _count_arg("points", MAX_POINTS)
    quota_id = request.args.get("quota")
    try:
        # since after until is an empty range: no points, not an error. With a quota, only its readings are read.
        found = state.history.history_report(provider.id, account, since.timestamp(), until.timestamp(), most,
                                             quota=quota_id) if since <= until else {"points": [], "unreadable": 0,
                                                                                     "quotas": []}
    except HistoryUnavailable as exc:
        raise ProviderError("history_unavailable", str(exc), provider.id) from None
    points = providers.upgraded(provider, found["points"])
    body = {"provider": provider.id, "account": account, "since": iso(since), "until": iso(until),
            "series": _series(state, provider, account, found["quotas"], points), "unreadable": found["unreadable"]}
    if quota_id is not None:
        # One quota, as compact rows [Unix s, used, reset Unix s or null]: what a chart draws, and no more.
        body["quota"] = quota_id
        body["rows"] = [[t, used, reset] for t, used, reset in quota_points(points, quota_id)]
    else:
        text = points_text(points)
        json_out = current_app.json
        if not _compact_json(json_out):
            body["points"] = json.loads(text)  # the same values, for the app's own formatting
        else:
            # Thousands of points: their text is made in one pass and set in place of what jsonify would write.
            head = json_out.dumps(body, separators=(",", ":"))
            return _conditional(current_app.response_class(f'{head[:-1]},"points":{text}}}\n',
                                                           mimetype=json_out.mimetype))
    return _conditional(jsonify(body))


def _compact_json(json_out):
    """Whether the app writes JSON as points_text does: compact, ASCII, keys in the order given."""
    return (type(json_out) is DefaultJSONProvider and json_out.ensure_ascii and not json_out.sort_keys
            and json_out.compact is not False and not (json_out.compact is None and current_app.debug))


def _conditional(response):
    """An ETag on a history answer, and 304 when the page already has it."""
    response.add_etag()
    response.headers["Cache-Control"] = "private, no-cache"  # kept, but asked again each time (304 when unchanged)
    return response.make_conditional(request)


def _count_arg(name, most):
    raw = request.args.get(name)
    if raw is None:
        return most
    if not raw.strip().isdigit() or not 2 <= int(raw) <= most:
        raise ProviderError("bad_request", f"{name} must be a whole number from 2 to {most}.")
    return int(raw)


def _series(state, provider, account, ids, points):
    """[{id, label, unit}] of every quota read in the range (ids, then any more in JSON points), labelled as the
    latest answer labels them."""
    latest = {}
    try:
        saved = state.history.last_good(provider.id, account=account) or {}
        latest = {q["id"]: q for q in saved.get("quotas", []) if isinstance(q, dict) and "id" in q}
    except HistoryUnavailable:
        pass
    ids = list(ids)
    for _, figures in points:
        ids += [i for i in (figures.get("quotas") or {}) if i not in ids]
    return [{"id": i, "label": latest.get(i, {}).get("label", i), "unit": latest.get(i, {}).get("unit")} for i in ids]


def alerts():
    """Recent alert events, newest first: ?since=ISO (default 30 days back) &limit=N (1..500, default 50)."""
    state = _state()
    since = _time_arg("since", utc_now() - timedelta(days=30))
    raw = request.args.get("limit", "50").strip()
    if not raw.isdigit() or not 1 <= int(raw) <= 500:
        raise ProviderError("bad_request", "limit must be a whole number from 1 to 500.")
    try:
        events = state.history.alerts(max(since.timestamp(), 0), int(raw))
    except HistoryUnavailable as exc:
        raise ProviderError("history_unavailable", str(exc)) from None
    return jsonify(alerts=events, channels=state.dispatcher.status(), demo=state.settings.demo)


def health():
    state = _state()
    listed, secrets = {}, state.settings.secrets()
    working = 0
    for provider in state.settings.providers:
        for account in state.settings.accounts(provider):
            found = providers.problem(state, provider, account)
            key = provider.id if account == "default" else f"{provider.id}/{account}"
            listed[key] = {"configured": found is None, "problem": scrub(found.message, secrets) if found else None}
            working += found is None
    channels = state.dispatcher.status()
    failing = any(c["last_error"] for c in channels)
    return jsonify(
        status="ok" if working == len(listed) and not failing else "degraded",
        demo=state.settings.demo,
        providers=listed,
        alert_channels=channels,
        config_problems=scrub(list(state.settings.problems), secrets),
        page_render=state.page_renderer.status(),
    )


def openapi():
    return jsonify(build_spec(_state().settings.providers))


def _refresh_requested(args):
    raw = args.get("refresh") if args else None
    if raw is None:
        return False
    value = raw.strip()
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
