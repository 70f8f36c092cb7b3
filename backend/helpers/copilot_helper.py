"""GitHub Copilot: this month's AI credits (since June 2026) or premium requests, from the billing usage API."""

from calendar import monthrange
from datetime import UTC, datetime

from ..openapi import COUNT, NULL_COUNT, NUM
from ..quotas import quota
from .common import (
    BadPayload,
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

PROVIDER = "github_copilot"
LABEL = "GitHub"
CREDIT_USD = 0.01  # GitHub: one AI credit is worth one cent
UNITS = ("ai_credits", "premium_requests")
UNIT_WORDS = {"ai_credits": "AI credits", "premium_requests": "premium requests"}
# Monthly allowance per plan and unit (github/docs, June 2026); None: GitHub states none.
ALLOWANCES = {
    "free": {"ai_credits": None, "premium_requests": 50},
    "pro": {"ai_credits": 1500, "premium_requests": 300},
    "pro_plus": {"ai_credits": 7000, "premium_requests": 1500},
    "max": {"ai_credits": 20000, "premium_requests": None},
    "business": {"ai_credits": 1900, "premium_requests": 300},
    "enterprise": {"ai_credits": 3900, "premium_requests": 1000},
}
BILLING_MODES = ("auto", "ai_credits", "premium_requests")
PATHS = {"ai_credits": "ai_credit/usage", "premium_requests": "premium_request/usage"}
NO_PLAN = (
    "GitHub has no Copilot billing usage for {user}: the plan is not billed to this user personally (an "
    "organization or enterprise seat), or {pat} lacks the account permission \"Plan: read\" (classic tokens: "
    "the `user` scope). Check both at https://github.com/settings/copilot and https://github.com/settings/tokens."
)


def credentials(config):
    """Token, username, billing mode and allowance settings of one GitHub account."""
    pat_key, user_key = config.key("GITHUB_PAT"), config.key("GITHUB_USERNAME")
    token = config.token("GITHUB_PAT", "Copy the token again from https://github.com/settings/tokens into .env and restart.")
    if not token:
        raise config.missing(
            f"GitHub Copilot is not configured: set {pat_key} in your environment or .env (a fine-grained token "
            "with the account permission \"Plan: read\", or a classic token with the `user` scope).")
    username = config.get("GITHUB_USERNAME")
    if not username:
        raise config.missing(
            f"GitHub Copilot needs your username: set {user_key} in .env (or config/dashboard.properties).")
    mode = (config.get("COPILOT_BILLING") or "auto").strip().lower()
    if mode not in BILLING_MODES:
        raise config.invalid(f"{config.key('COPILOT_BILLING')} must be auto, ai_credits or premium_requests, but "
                             f"{config.where('COPILOT_BILLING')} sets it to {mode[:40]!r}. Fix it and restart.")
    plan = (config.get("COPILOT_PLAN") or "").strip().lower().replace("+", "_plus").replace("-", "_") or None
    if plan is not None and plan not in ALLOWANCES:
        raise config.invalid(f"{config.key('COPILOT_PLAN')} must be one of {', '.join(ALLOWANCES)}, but "
                             f"{config.where('COPILOT_PLAN')} sets it to {plan[:40]!r}. Fix it and restart.")
    allowance = {}
    for name, unit in (("COPILOT_MONTHLY_ALLOWANCE", None), ("COPILOT_PRO_MONTHLY_LIMIT", "premium_requests")):
        raw = config.get(name)
        if raw is None:
            continue
        value = _positive_number(raw)
        if value is None:
            raise config.invalid(
                f"{config.key(name)} must be a number above zero, but {config.where(name)} sets it to {str(raw)[:40]!r}. "
                "Fix it and restart.")
        allowance[name] = (value, unit)
    return {"token": token, "username": username, "mode": mode, "plan": plan, "allowance": allowance,
            "auth_hint": f"{pat_key} (a fine-grained token needs the account permission \"Plan: read\") and {user_key}",
            "pat_key": pat_key}


def _positive_number(raw):
    try:
        value = float(str(raw).strip())
    except ValueError:
        return None
    return (int(value) if value.is_integer() else value) if value > 0 and value < 1e9 else None


def fetch_usage(base_url, creds, timeout, session, now=None):
    """Read this UTC month's usage in the unit the account is billed in, and normalize it."""
    now = now or utc_now()
    year, month = now.year, now.month

    def get(unit):
        return get_json(
            session,
            f"{base_url.rstrip('/')}/users/{creds['username']}/settings/billing/{PATHS[unit]}",
            headers={
                "Authorization": f"Bearer {creds['token']}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
            },
            params={"year": year, "month": month},
            timeout=timeout, provider=PROVIDER, label=LABEL, auth_hint=creds["auth_hint"],
            refusals={status: NO_PLAN.format(user=creds["username"], pat=creds["pat_key"]) for status in (400, 404)},
        )

    if creds["mode"] != "auto":
        return normalize_usage(get(creds["mode"]), creds, year, month, now, unit=creds["mode"])
    credits_payload, credits_error = None, None
    try:
        credits_payload = get("ai_credits")
    except ProviderError as exc:
        if exc.code != "no_access":
            raise
        credits_error = exc
    if credits_payload is not None and (_has_items(credits_payload) or not _is_report(credits_payload)):
        # Credits used this month, or an answer we cannot read: either way it is the one to report.
        return normalize_usage(credits_payload, creds, year, month, now, unit="ai_credits")
    # No AI credits this month: an annual plan bought before June 2026 still counts premium requests.
    try:
        requests_payload = get("premium_requests")
    except ProviderError as exc:
        if credits_payload is None:
            raise credits_error or exc from None
        if exc.code != "no_access":
            raise
        requests_payload = None
    if requests_payload is not None and (_has_items(requests_payload) or credits_payload is None):
        return normalize_usage(requests_payload, creds, year, month, now, unit="premium_requests")
    return normalize_usage(credits_payload, creds, year, month, now, unit="ai_credits")


def _is_report(payload):
    return isinstance(payload, dict) and isinstance(payload.get("usageItems", []), list)


def _has_items(payload):
    items = payload.get("usageItems") if isinstance(payload, dict) else None
    return isinstance(items, list) and any(isinstance(item, dict) and _unit_of(item) for item in items)


def _unit_of(item):
    """The unit an item is billed in, by its unitType first, then its sku; None for other products' items.

    GitHub spells AI credits several ways: unitType ai-credits, credits or ai-units; sku "AI Credit",
    "Copilot AI Credits" or copilot_ai_unit. After June 2026 even a "Copilot Premium Request" sku is
    billed in credits, which its unitType says.
    """
    sku = " ".join((as_text(item.get("sku"), default="") or "").casefold().replace("_", " ").replace("-", " ").split())
    unit_type = "".join(ch for ch in (as_text(item.get("unitType"), default="") or "").casefold() if ch.isalnum())
    if "credit" in unit_type or unit_type in ("aiunit", "aiunits") or "ai credit" in sku or "ai unit" in sku:
        return "ai_credits"
    if "premium request" in sku or "premiumrequest" in unit_type:
        return "premium_requests"
    product = (as_text(item.get("product"), default="") or "").casefold()
    if product == "copilot" and unit_type == "requests" and not sku:
        return "premium_requests"
    return None


def allowance_for(creds, unit):
    """(monthly allowance or None, where it came from, problem or None) in the unit in use."""
    configured = creds["allowance"]
    if "COPILOT_MONTHLY_ALLOWANCE" in configured:
        return configured["COPILOT_MONTHLY_ALLOWANCE"][0], "COPILOT_MONTHLY_ALLOWANCE", None
    problem = None
    if "COPILOT_PRO_MONTHLY_LIMIT" in configured:
        value = configured["COPILOT_PRO_MONTHLY_LIMIT"][0]
        if unit == "premium_requests":
            return value, "COPILOT_PRO_MONTHLY_LIMIT", None
        problem = (f"COPILOT_PRO_MONTHLY_LIMIT ({value}) counts premium requests, but this account is billed in AI "
                   "credits this month, so it is not used. Set COPILOT_PLAN (or COPILOT_MONTHLY_ALLOWANCE in credits).")
    plan = creds["plan"]
    if plan:
        value = ALLOWANCES[plan][unit]
        if value is None:
            return None, f"COPILOT_PLAN={plan}", problem or (
                f"GitHub states no monthly {UNIT_WORDS[unit]} allowance for the {plan} plan: set COPILOT_MONTHLY_ALLOWANCE.")
        return value, f"COPILOT_PLAN={plan}", problem
    return ALLOWANCES["pro"][unit], "default: Copilot Pro (set COPILOT_PLAN)", problem


def normalize_usage(payload, creds, year, month, now, unit):
    """Sum this month's items billed in `unit`, per model and per product, and compare them with the allowance."""
    payload = as_dict(payload, PROVIDER, LABEL, "the usage answer")
    notes = Notes(PROVIDER, LABEL)
    items = payload.get("usageItems")
    if items is None:
        items = []
    if not isinstance(items, list):
        raise BadPayload(PROVIDER, LABEL, "usageItems is not a list")
    per_model, per_product = {}, {}
    used = billed = gross_usd = 0.0
    for index, item in enumerate(items):
        if not isinstance(item, dict) or _unit_of(item) != unit:
            continue
        quantity = notes.number(item.get("grossQuantity"), f"usageItems[{index}].grossQuantity")
        if quantity is None or quantity < 0:
            notes.add(f"usageItems[{index}] has no usable grossQuantity, so it is not counted.")
            continue
        net = notes.number(item.get("netAmount"), f"usageItems[{index}].netAmount") or 0.0
        gross = notes.number(item.get("grossAmount"), f"usageItems[{index}].grossAmount")
        price = notes.number(item.get("pricePerUnit"), f"usageItems[{index}].pricePerUnit")
        gross = gross if gross is not None else quantity * (price if price is not None else _unit_price(unit))
        used, billed, gross_usd = used + quantity, billed + net, gross_usd + gross
        model = as_text(item.get("model"), default="Other")
        entry = per_model.setdefault(model, {"model": model, "requests": 0.0, "quantity": 0.0, "billed_usd": 0.0})
        entry["quantity"] += quantity
        entry["billed_usd"] += net
        product = as_text(item.get("sku"), default=None) or as_text(item.get("product"), default="Copilot")
        totals = per_product.setdefault(product, {"product": product, "quantity": 0.0, "billed_usd": 0.0})
        totals["quantity"] += quantity
        totals["billed_usd"] += net
    models = sorted(per_model.values(), key=lambda m: (-m["quantity"], m["model"]))
    for entry in models:
        entry["quantity"] = entry["requests"] = _whole(entry["quantity"])
        entry["billed_usd"] = money(entry["billed_usd"])
    products = sorted(per_product.values(), key=lambda p: (-p["quantity"], p["product"]))
    for entry in products:
        entry["quantity"], entry["billed_usd"] = _whole(entry["quantity"]), money(entry["billed_usd"])
    limit, source, problem = allowance_for(creds, unit)
    if problem:
        notes.add(problem)
    used = _whole(used)
    resets = first_of_next_month(year, month)
    body = {
        "provider": PROVIDER,
        "username": creds["username"],
        "year": year,
        "month": month,
        "unit": unit,
        "allowance_source": source,
        "monthly_limit": limit,
        "used": used,
        "remaining": _whole(max(limit - used, 0)) if limit is not None else None,
        "percent_used": round(used / limit * 100, 2) if limit else None,
        "overage": _whole(max(used - limit, 0)) if limit is not None else None,
        "billed_usd": money(billed),
        "used_usd": money(gross_usd),
        "resets_at": iso(resets),
        "models": models,
        "products": products,
        "fetched_at": iso(now),
    }
    label = "AI credits this month" if unit == "ai_credits" else "Premium requests this month"
    body["quotas"] = [quota("monthly", label, unit, used=used, limit=limit, now=now, resets_at=resets,
                            window_seconds=monthrange(year, month)[1] * 86400)]
    return notes.apply(body)


def _unit_price(unit):
    return CREDIT_USD if unit == "ai_credits" else 0.04


def _whole(value):
    """Counts show as 96, not 96.0, but keep real fractions (credits are fractional)."""
    return int(value) if float(value).is_integer() else round(value, 2)


def legacy_forecast(body, paces, now):
    """The `forecast` object of the first release: month-end projection and the day the allowance runs out."""
    found = paces.get("monthly")
    limit = body["monthly_limit"]
    if not found or limit is None:
        return None
    month_start = datetime(body["year"], body["month"], 1, tzinfo=UTC)
    projected = round(found["projected_used_percent"] / 100 * limit)
    runs_out = found["runs_out_at"]
    exceeds_on = runs_out[:10] if runs_out and found["lasts_to_reset"] is False else None
    basis = dict(found["basis"])
    if basis["method"] == "window_average":
        basis["method"] = "month_to_date"
    return {
        "requests_per_day": round(found["rate_per_day"], 2),
        "projected_month_end": projected,
        "projected_overage": max(projected - limit, 0),
        "exceeds_limit_on": exceeds_on if exceeds_on and exceeds_on >= month_start.date().isoformat() else None,
        "basis": basis,
    }


def upgrade_history(figures):
    """A reading saved by the first release ({used, monthly_limit, period}) in today's quota shape."""
    try:
        year, month = (int(part) for part in str(figures["period"]).split("-"))
        reset = int(first_of_next_month(year, month).timestamp())
        return {"quotas": {"monthly": [float(figures["used"]), figures.get("monthly_limit"), reset]}}
    except (KeyError, TypeError, ValueError):
        return {"quotas": {}}


def demo(account, now):
    from ..demo import payload

    body = payload("copilot-ai-credit-usage.json")
    # Scaled to how much of this month is gone, at a pace that ends it at about 86 % of the allowance (the canned
    # figures, 902 credits, as if 70 % of the month had gone): the demo is on track on any day.
    days = monthrange(now.year, now.month)[1]
    share = (now.day - 1 + (now.hour * 3600 + now.minute * 60 + now.second) / 86400) / days
    for item in body["usageItems"]:
        for field in ("grossQuantity", "grossAmount", "discountQuantity", "discountAmount", "netQuantity", "netAmount"):
            item[field] = round(item[field] * max(share, 0.01) / 0.7, 2)
    creds = {"username": body["user"], "plan": "pro", "allowance": {}}
    return normalize_usage(body, creds, now.year, now.month, now, unit="ai_credits")


def fetch(creds, ctx):
    return fetch_usage(ctx.base_url, creds, ctx.timeout, ctx.session, now=ctx.now)


DESCRIPTOR = Provider(
    id=PROVIDER,
    title="GitHub Copilot",
    short="CP",
    subtitle="Monthly allowance",
    route="/github/copilot/premium-usage",
    settings=(
        Setting("GITHUB_PAT", secret=True, help="a fine-grained token with the account permission Plan: read"),
        Setting("GITHUB_USERNAME", help="your GitHub login"),
        Setting("COPILOT_PLAN", help="free, pro, pro_plus, max, business or enterprise"),
        Setting("COPILOT_BILLING", help="auto, ai_credits or premium_requests"),
        Setting("COPILOT_MONTHLY_ALLOWANCE", help="overrides the plan's allowance, in the unit in use"),
        Setting("COPILOT_PRO_MONTHLY_LIMIT", help="the first release's setting: premium requests per month"),
    ),
    base_setting="GITHUB_API_BASE",
    default_base="https://api.github.com",
    credentials=credentials,
    login_file=reads_no_file,  # tokens and names come from settings only
    fetch=fetch,
    demo=demo,
    schema_name="CopilotPremiumUsage",
    schema={
        "username": {"type": "string"},
        "year": {"type": "integer"},
        "month": {"type": "integer", "minimum": 1, "maximum": 12},
        "unit": {"type": "string", "enum": list(UNITS)},
        "allowance_source": {"type": "string", "description": "the setting or plan the allowance came from"},
        "monthly_limit": {**NULL_COUNT, "description": "in `unit`; null when the plan states none"},
        "used": COUNT,
        "remaining": NULL_COUNT,
        "percent_used": {"type": ["number", "null"], "minimum": 0, "description": "may pass 100"},
        "overage": NULL_COUNT,
        "billed_usd": NUM,
        "used_usd": {**NUM, "description": "the list price of what was used (1 AI credit = $0.01)"},
        "resets_at": {"type": "string", "format": "date-time"},
        "models": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["model", "requests", "quantity", "billed_usd"],
            "properties": {"model": {"type": "string"}, "requests": COUNT, "quantity": COUNT, "billed_usd": NUM}}},
        "products": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["product", "quantity", "billed_usd"],
            "properties": {"product": {"type": "string"}, "quantity": COUNT, "billed_usd": NUM}}},
    },
    upgrade_history=upgrade_history,
    legacy_forecast=legacy_forecast,
    legacy_forecast_schema={
        "type": "object", "additionalProperties": False,
        "required": ["requests_per_day", "projected_month_end", "projected_overage", "exceeds_limit_on", "basis"],
        "properties": {
            "requests_per_day": NUM,
            "projected_month_end": COUNT,
            "projected_overage": COUNT,
            "exceeds_limit_on": {"type": ["string", "null"], "format": "date"},
            "basis": {"$ref": "#/components/schemas/Basis"},
        },
    },
)
