"""GitHub Copilot: premium requests used this month, from the billing usage API."""

from datetime import UTC, datetime

from .common import BadPayload, as_dict, as_number, as_text, get_json, iso, money, utc_now

PROVIDER = "github_copilot"
LABEL = "GitHub"
AUTH_HINT = (
    "GITHUB_PAT (a fine-grained token needs the account permission \"Plan: read\") "
    "and GITHUB_USERNAME in config/dashboard.properties"
)


def fetch_premium_usage(base_url, token, username, monthly_limit, timeout, session, now=None):
    """Read this UTC month's premium request usage and return the normalized figures."""
    now = now or utc_now()
    payload = get_json(
        session,
        f"{base_url.rstrip('/')}/users/{username}/settings/billing/premium_request/usage",
        headers={
            "Authorization": f"Bearer {token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
        },
        params={"year": now.year, "month": now.month},
        timeout=timeout, provider=PROVIDER, label=LABEL, auth_hint=AUTH_HINT,
    )
    return normalize_premium_usage(payload, username, monthly_limit, now)


def normalize_premium_usage(payload, username, monthly_limit, now):
    """Sum Copilot premium requests per model and compare them with the allowance."""
    payload = as_dict(payload, PROVIDER, LABEL, "the usage answer")
    items = payload.get("usageItems")
    if items is None:
        items = []
    if not isinstance(items, list):
        raise BadPayload(PROVIDER, LABEL, "usageItems is not a list")
    per_model = {}
    for index, item in enumerate(items):
        item = as_dict(item, PROVIDER, LABEL, f"usageItems[{index}]")
        if not _is_premium_request(item):
            continue
        model = as_text(item.get("model"), default="Other")
        requests = as_number(item.get("grossQuantity"), PROVIDER, LABEL,
                             f"usageItems[{index}].grossQuantity", optional=True) or 0.0
        if requests < 0:
            raise BadPayload(PROVIDER, LABEL, f"usageItems[{index}].grossQuantity is negative")
        billed = as_number(item.get("netAmount"), PROVIDER, LABEL,
                           f"usageItems[{index}].netAmount", optional=True) or 0.0
        entry = per_model.setdefault(model, {"model": model, "requests": 0.0, "billed_usd": 0.0})
        entry["requests"] += requests
        entry["billed_usd"] += billed
    models = sorted(per_model.values(), key=lambda m: (-m["requests"], m["model"]))
    for entry in models:
        entry["requests"] = _whole(entry["requests"])
        entry["billed_usd"] = money(entry["billed_usd"])
    used = _whole(sum(m["requests"] for m in models))
    period = payload.get("timePeriod") if isinstance(payload.get("timePeriod"), dict) else {}
    year = _int_in(period.get("year"), 2000, 9999, now.year)
    month = _int_in(period.get("month"), 1, 12, now.month)
    return {
        "provider": PROVIDER,
        "username": as_text(payload.get("user"), default=username),
        "year": year,
        "month": month,
        "monthly_limit": monthly_limit,
        "used": used,
        "remaining": _whole(max(monthly_limit - used, 0)),
        "percent_used": round(used / monthly_limit * 100, 2),
        "overage": _whole(max(used - monthly_limit, 0)),
        "billed_usd": money(sum(m["billed_usd"] for m in models)),
        "resets_at": iso(first_of_next_month(year, month)),
        "models": models,
        "fetched_at": iso(now),
    }


def first_of_next_month(year, month):
    if month == 12:
        return datetime(year + 1, 1, 1, tzinfo=UTC)
    return datetime(year, month + 1, 1, tzinfo=UTC)


def _is_premium_request(item):
    product = as_text(item.get("product"), default="")
    sku = as_text(item.get("sku"), default="")
    return product.casefold() == "copilot" and (not sku or "premium" in sku.casefold())


def _int_in(value, low, high, default):
    ok = isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
    return value if ok else default


def _whole(value):
    """Requests are counts: show 96, not 96.0, but keep real fractions."""
    return int(value) if float(value).is_integer() else round(value, 2)

