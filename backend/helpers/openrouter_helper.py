"""OpenRouter: key limits from /key and the account balance from /credits."""

from concurrent.futures import ThreadPoolExecutor

from .common import ProviderError, as_dict, as_number, as_text, get_json, iso, money, utc_now

PROVIDER = "openrouter"
LABEL = "OpenRouter"
AUTH_HINT = "OPENROUTER_API_KEY (or ANTHROPIC_AUTH_TOKEN) in your environment or .env"

# /key and /credits are independent, so they are fetched side by side.
_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="openrouter")


def fetch_balance(base_url, api_key, timeout, session):
    """Read /key and /credits and return the normalized balance."""
    headers = {"Authorization": f"Bearer {api_key}", "Accept": "application/json"}

    def get(path):
        return get_json(
            session, f"{base_url.rstrip('/')}/{path}", headers=headers, timeout=timeout,
            provider=PROVIDER, label=LABEL, auth_hint=AUTH_HINT,
        )

    credits_future = _pool.submit(get, "credits")
    key_payload = get("key")
    try:
        credits_payload = credits_future.result()
    except ProviderError as exc:
        # Some keys may not read the account's credits: the key's own figures still stand.
        if exc.upstream_status not in (401, 403, 404):
            raise
        credits_payload = None
    return normalize_balance(key_payload, credits_payload, fetched_at=utc_now())


def normalize_balance(key_payload, credits_payload, fetched_at):
    """Map OpenRouter's /key (and optional /credits) payloads to the public contract."""
    data = as_dict(as_dict(key_payload, PROVIDER, LABEL, "the /key answer").get("data"),
                   PROVIDER, LABEL, "/key data")

    def num(name, optional=True):
        value = as_number(data.get(name), PROVIDER, LABEL, f"data.{name}", optional=optional)
        return money(value)

    limit = num("limit")
    usage = num("usage") or 0.0
    remaining = num("limit_remaining")
    if limit is not None and remaining is None:
        remaining = money(max(limit - usage, 0.0))
    if limit is None:
        remaining = None
    return {
        "provider": PROVIDER,
        "key_label": as_text(data.get("label")),
        "limit_usd": limit,
        "limit_reset": as_text(data.get("limit_reset")),
        "usage_usd": usage,
        "remaining_usd": remaining,
        "usage_daily_usd": num("usage_daily"),
        "usage_weekly_usd": num("usage_weekly"),
        "usage_monthly_usd": num("usage_monthly"),
        "is_free_tier": data.get("is_free_tier") is True,
        "account": _normalize_account(credits_payload),
        "fetched_at": iso(fetched_at),
    }


def _normalize_account(credits_payload):
    if credits_payload is None:
        return None
    data = as_dict(as_dict(credits_payload, PROVIDER, LABEL, "the /credits answer").get("data"),
                   PROVIDER, LABEL, "/credits data")
    total = as_number(data.get("total_credits"), PROVIDER, LABEL, "data.total_credits")
    used = as_number(data.get("total_usage"), PROVIDER, LABEL, "data.total_usage")
    return {
        "total_credits_usd": money(total),
        "total_usage_usd": money(used),
        "balance_usd": money(total - used),
    }
