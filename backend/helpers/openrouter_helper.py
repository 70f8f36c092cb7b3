"""OpenRouter: the key's limit from /key, the account balance from /credits, spend by model from /activity."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from ..openapi import NULL_NUM, NULL_STR, NULL_TIME, NUM
from ..quotas import quota
from .common import (
    Notes,
    ProviderError,
    as_dict,
    as_text,
    first_of_next_month,
    get_json,
    iso,
    money,
    utc_now,
)
from .descriptor import Provider, Setting, reads_no_file

PROVIDER = "openrouter"
LABEL = "OpenRouter"
DAY = 86400
PERIODS = {"daily": "usage_daily", "weekly": "usage_weekly", "monthly": "usage_monthly"}

# /key, /credits and /activity are independent, so they are fetched side by side.
_pool = ThreadPoolExecutor(max_workers=6, thread_name_prefix="openrouter")


def credentials(config):
    """The API key (and the optional management key) of one account."""
    fix = "Copy the key again from https://openrouter.ai/settings/keys into .env and restart."
    key = config.token("OPENROUTER_API_KEY", fix)
    if not key and config.account == "default":
        key = config.token("ANTHROPIC_AUTH_TOKEN", fix)
    if not key:
        return _raise(config.missing(
            f"OpenRouter is not configured: set {config.key('OPENROUTER_API_KEY')} in your environment or .env. "
            "Create a key at https://openrouter.ai/settings/keys."))
    return {"api_key": key, "management_key": config.token("OPENROUTER_MANAGEMENT_KEY", fix),
            "auth_hint": f"{config.key('OPENROUTER_API_KEY')} in your environment or .env"}


def _raise(error):
    raise error


def fetch_balance(base_url, api_key, timeout, session, management_key=None, auth_hint=None, now=None):
    """Read /key, /credits (and /activity with a management key) and return the normalized balance."""
    now = now or utc_now()
    hint = auth_hint or "OPENROUTER_API_KEY in your environment or .env"

    def get(path, key, params=None):
        return get_json(
            session, f"{base_url.rstrip('/')}/{path}", timeout=timeout, params=params,
            headers={"Authorization": f"Bearer {key}", "Accept": "application/json"},
            provider=PROVIDER, label=LABEL, auth_hint=hint,
        )

    credits_future = _pool.submit(get, "credits", management_key or api_key)
    activity_future = _pool.submit(get, "activity", management_key) if management_key else None
    key_payload = get("key", api_key)
    credits_payload = credits_problem = activity_payload = None
    try:
        credits_payload = credits_future.result()
    except ProviderError as exc:
        # An ordinary key may not read the account's credits: the key's own figures still stand.
        if exc.upstream_status not in (401, 403, 404):
            raise
        credits_problem = ("The account balance needs a management key: set OPENROUTER_MANAGEMENT_KEY "
                           f"(OpenRouter answered HTTP {exc.upstream_status} to /credits).")
    if activity_future is not None:
        try:
            activity_payload = activity_future.result()
        except ProviderError:
            activity_payload = None  # spend by model is a detail: its absence never costs the card
    return normalize_balance(key_payload, credits_payload, fetched_at=now, activity_payload=activity_payload,
                             credits_problem=credits_problem)


def normalize_balance(key_payload, credits_payload, fetched_at, activity_payload=None, credits_problem=None):
    """Map OpenRouter's /key (and optional /credits, /activity) payloads to the public contract."""
    data = as_dict(as_dict(key_payload, PROVIDER, LABEL, "the /key answer").get("data"),
                   PROVIDER, LABEL, "/key data")
    notes = Notes(PROVIDER, LABEL)

    def num(name):
        return money(notes.number(data.get(name), f"data.{name}"))

    limit = num("limit")
    usage = num("usage")
    limit_reset = as_text(data.get("limit_reset"))
    period = PERIODS.get((limit_reset or "").casefold())
    period_usage = num(period) if period else usage
    remaining = num("limit_remaining")
    if limit is None:
        remaining = None
    elif remaining is None and period_usage is not None:
        # A resetting limit counts this period's spend, not the key's all-time usage.
        remaining = limit - period_usage
    if remaining is not None:
        remaining = money(min(max(remaining, 0.0), limit))
    resets_at = next_reset(limit_reset, fetched_at) if limit is not None and period else None
    account, account_problem = _normalize_account(credits_payload, usage, notes)
    body = {
        "provider": PROVIDER,
        "key_label": as_text(data.get("label")),
        "limit_usd": limit,
        "limit_reset": limit_reset,
        "limit_resets_at": iso(resets_at) if resets_at else None,
        "usage_usd": usage if usage is not None else 0.0,
        "remaining_usd": remaining,
        "usage_daily_usd": num("usage_daily"),
        "usage_weekly_usd": num("usage_weekly"),
        "usage_monthly_usd": num("usage_monthly"),
        "is_free_tier": data.get("is_free_tier") is True,
        "account": account,
        "account_problem": account_problem or (credits_problem if account is None else None),
        "models": _models(activity_payload, notes),
        "fetched_at": iso(fetched_at),
    }
    body["balance_usd"] = balance_usd(body)
    body["quotas"] = _quotas(body, resets_at, fetched_at)
    return notes.apply(body)


def next_reset(limit_reset, now):
    """When a daily, weekly or monthly key limit starts again: 00:00 UTC, next Monday, the 1st."""
    kind = (limit_reset or "").casefold()
    midnight = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if kind == "daily":
        return midnight + timedelta(days=1)
    if kind == "weekly":
        return midnight + timedelta(days=7 - midnight.weekday())
    if kind == "monthly":
        return first_of_next_month(midnight.year, midnight.month)
    return None


def _period_seconds(limit_reset, resets_at):
    kind = (limit_reset or "").casefold()
    if kind == "daily":
        return DAY
    if kind == "weekly":
        return 7 * DAY
    last_day = resets_at - timedelta(days=1)  # a monthly window is the calendar month before its reset
    return (resets_at - datetime(last_day.year, last_day.month, 1, tzinfo=UTC)).total_seconds()


def balance_usd(body):
    """The money left: the account balance when known, else what the key may still spend."""
    if body.get("account"):
        return body["account"]["balance_usd"]
    return body.get("remaining_usd")


def _quotas(body, resets_at, now):
    quotas = []
    if body["account"]:
        account = body["account"]
        quotas.append(quota("balance", "Account balance", "usd", used=account["total_usage_usd"],
                            limit=account["total_credits_usd"], remaining=account["balance_usd"], now=now,
                            kind="balance"))
    if body["limit_usd"] is not None:
        limit, remaining = body["limit_usd"], body["remaining_usd"]
        used = money(limit - remaining) if remaining is not None else None
        if resets_at:
            quotas.append(quota("key_limit", f"Key limit ({body['limit_reset'].lower()})", "usd", used=used,
                                limit=limit, remaining=remaining, now=now, resets_at=resets_at,
                                window_seconds=_period_seconds(body["limit_reset"], resets_at)))
        else:
            quotas.append(quota("key_limit", "Key limit", "usd", used=used, limit=limit, remaining=remaining,
                                now=now, kind="balance"))
    return quotas


def _normalize_account(credits_payload, key_usage, notes):
    """(account, problem): the account's credits, or None with the reason they are unknown."""
    if credits_payload is None:
        return None, None
    data = as_dict(as_dict(credits_payload, PROVIDER, LABEL, "the /credits answer").get("data"),
                   PROVIDER, LABEL, "/credits data")
    total = notes.number(data.get("total_credits"), "data.total_credits")
    used = notes.number(data.get("total_usage"), "data.total_usage")
    if total is None or used is None:
        return None, "The account balance is unknown: /credits did not say how much was bought and used."
    if total == 0 and used == 0 and (key_usage or 0) > 0:
        # An ordinary key reads zeros here although it has spent: the balance is unknown, not $0.
        return None, ("The account balance is unknown: /credits answered 0 of 0 while this key has spent money. "
                      "Set OPENROUTER_MANAGEMENT_KEY to read it.")
    return {"total_credits_usd": money(total), "total_usage_usd": money(used), "balance_usd": money(total - used)}, None


def _models(activity_payload, notes):
    """Spend per model over the last 30 UTC days, most first; None when /activity was not read."""
    if activity_payload is None:
        return None
    rows = activity_payload.get("data") if isinstance(activity_payload, dict) else None
    if not isinstance(rows, list):
        notes.add("/activity did not list its rows, so spend by model is left out.")
        return None
    totals = {}
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            continue
        name = as_text(row.get("model"), default="Other")
        entry = totals.setdefault(name, {"model": name, "usage_usd": 0.0, "requests": 0})
        entry["usage_usd"] += notes.number(row.get("usage"), f"activity[{index}].usage") or 0.0
        entry["requests"] += int(notes.number(row.get("requests"), f"activity[{index}].requests") or 0)
    models = sorted(totals.values(), key=lambda m: (-m["usage_usd"], m["model"]))
    for entry in models:
        entry["usage_usd"] = money(entry["usage_usd"])
    return models


def fallback_rate(body, q, now):
    """Spend per second from this UTC week's spend, for a balance whose history is still short."""
    weekly = body.get("usage_weekly_usd")
    if q["kind"] != "balance" or weekly is None or weekly < 0:
        return None
    week_start = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    # At least one day, so a Monday morning's few cents are not read as a wild rate.
    days = max((now - week_start).total_seconds() / DAY, 1.0)
    return weekly / (days * DAY), {"method": "usage_weekly", "points": 1, "period_days": round(days, 2)}


def legacy_forecast(body, paces, now):
    """The `forecast` object of the first release: spend rate and when the money runs out."""
    for quota_id in ("balance", "key_limit"):
        found = paces.get(quota_id)
        if found:
            return {
                "spend_rate_usd_per_day": round(found["rate_per_day"], 4),
                "balance_usd": body["balance_usd"],
                "runs_out_at": found["runs_out_at"],
                "basis": found["basis"],
            }
    return None


def demo(account, now):
    from ..demo import payload

    key = payload("openrouter-key.json")
    credits = payload("openrouter-credits.json")
    data, rate = key["data"], 0.9  # dollars a day
    if account != "default":
        # A second key on the same account: a small daily limit, as for a work project.
        data.update(label="sk-or-v1-7c1...e42", limit=5, limit_reset="daily", usage=21.2)
        rate = 1.6
    # Spend today, this week (from Monday, UTC) and this month at one steady rate, so the figures agree with each
    # other and with the calendar on any day (the canned body said "this week" < "this month" on the 2nd).
    today = max((now - now.replace(hour=0, minute=0, second=0, microsecond=0)).total_seconds() / 86400, 0.05)
    spent = {"daily": rate * today, "weekly": rate * (now.weekday() + today), "monthly": rate * (now.day - 1 + today)}
    data.update({f"usage_{period}": round(value, 4) for period, value in spent.items()})
    data["limit_remaining"] = round(data["limit"] - spent[data["limit_reset"]], 4)
    return normalize_balance(key, credits, fetched_at=now, activity_payload=payload("openrouter-activity.json"))


def fetch(creds, ctx):
    return fetch_balance(ctx.base_url, creds["api_key"], ctx.timeout, ctx.session,
                         management_key=creds["management_key"], auth_hint=creds["auth_hint"], now=ctx.now)


DESCRIPTOR = Provider(
    id=PROVIDER,
    title="OpenRouter",
    short="OR",
    subtitle="Credits and key limit",
    route="/openrouter/balance",
    settings=(
        Setting("OPENROUTER_API_KEY", secret=True, help="an OpenRouter API key"),
        Setting("ANTHROPIC_AUTH_TOKEN", secret=True, help="the key Claude Code uses through OpenRouter", per_account=False),
        Setting("OPENROUTER_MANAGEMENT_KEY", secret=True, help="optional: reads the account balance and spend by model"),
    ),
    base_setting="OPENROUTER_API_BASE",
    default_base="https://openrouter.ai/api/v1",
    credentials=credentials,
    login_file=reads_no_file,  # tokens and names come from settings only
    fetch=fetch,
    demo=demo,
    demo_accounts=("default", "work"),
    schema_name="OpenRouterBalance",
    schema={
        "key_label": NULL_STR,
        "limit_usd": {**NULL_NUM, "description": "null: the key has no spending limit"},
        "limit_reset": NULL_STR,
        "limit_resets_at": {**NULL_TIME, "description": "when a daily, weekly or monthly key limit starts again"},
        "usage_usd": NUM,
        "remaining_usd": {**NULL_NUM, "description": "null when the key is unlimited; between 0 and limit_usd"},
        "usage_daily_usd": NULL_NUM,
        "usage_weekly_usd": NULL_NUM,
        "usage_monthly_usd": NULL_NUM,
        "is_free_tier": {"type": "boolean"},
        "account": {"oneOf": [
            {"type": "null"},
            {"type": "object", "additionalProperties": False,
             "required": ["total_credits_usd", "total_usage_usd", "balance_usd"],
             "properties": {"total_credits_usd": NUM, "total_usage_usd": NUM, "balance_usd": NUM}},
        ]},
        "account_problem": {**NULL_STR, "description": "why the account balance is unknown"},
        "balance_usd": {**NULL_NUM, "description": "the money left: the account balance, else the key's remaining limit"},
        "models": {"oneOf": [{"type": "null"}, {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["model", "usage_usd", "requests"],
            "properties": {"model": {"type": "string"}, "usage_usd": NUM, "requests": {"type": "integer"}}}}]},
    },
    legacy_forecast=legacy_forecast,
    legacy_forecast_schema={
        "type": "object", "additionalProperties": False,
        "required": ["spend_rate_usd_per_day", "balance_usd", "runs_out_at", "basis"],
        "properties": {
            "spend_rate_usd_per_day": NUM,
            "balance_usd": NULL_NUM,
            "runs_out_at": {**NULL_TIME, "description": "when the balance reaches 0 at this rate"},
            "basis": {"$ref": "#/components/schemas/Basis"},
        },
    },
    fallback_rate=fallback_rate,
)
