"""ChatGPT Codex: the 5-hour, weekly and model-specific usage windows from /wham/usage."""

import json
import re

from .common import (
    ProviderError,
    as_dict,
    as_number,
    as_text,
    from_unix,
    get_json,
    iso,
    utc_now,
)

PROVIDER = "openai_codex"
LABEL = "ChatGPT"
AUTH_HINT = (
    "your Codex login: run `codex login` to refresh ~/.codex/auth.json, "
    "or update CHATGPT_ACCESS_TOKEN and CHATGPT_ACCOUNT_ID"
)
DEFAULT_LABELS = {"primary": "5-hour", "secondary": "Weekly"}
SANE_TIMES = (946684800, 4102444800)  # 2000-01-01 .. 2100-01-01, Unix seconds


def read_codex_auth(auth_path):
    """(access_token, account_id) from the Codex CLI's auth.json, which is only ever read."""
    fix = "Run `codex login`, or set CHATGPT_ACCESS_TOKEN and CHATGPT_ACCOUNT_ID."
    try:
        with open(auth_path, encoding="utf-8") as handle:
            document = json.load(handle)
    except FileNotFoundError:
        raise _not_configured(f"No Codex login found: {auth_path} does not exist. {fix}") from None
    except PermissionError:
        raise _not_configured(f"{auth_path} cannot be read (permission denied). {fix}") from None
    except (ValueError, UnicodeDecodeError):
        raise _not_configured(f"{auth_path} is not valid JSON. {fix}") from None
    except OSError as exc:
        raise _not_configured(f"{auth_path} cannot be read ({exc.strerror}). {fix}") from None
    tokens = document.get("tokens") if isinstance(document, dict) else None
    token = as_text(tokens.get("access_token"), limit=100_000) if isinstance(tokens, dict) else None
    if not token:
        raise _not_configured(
            f"{auth_path} has no ChatGPT login (tokens.access_token). An API-key login has no "
            f"plan limits to show. {fix}"
        )
    return token, as_text(tokens.get("account_id"))


def _not_configured(message):
    return ProviderError("not_configured", message, PROVIDER)


def fetch_limits(base_url, access_token, account_id, timeout, session):
    """Read /wham/usage and return the normalized windows."""
    headers = {"Authorization": f"Bearer {access_token}", "Accept": "application/json"}
    if account_id:
        headers["ChatGPT-Account-Id"] = account_id
    payload = get_json(
        session, f"{base_url.rstrip('/')}/wham/usage", headers=headers, timeout=timeout,
        provider=PROVIDER, label=LABEL, auth_hint=AUTH_HINT,
    )
    return normalize_limits(payload, utc_now())


def normalize_limits(payload, now):
    """Map /wham/usage to the public contract; absent or null windows are skipped."""
    payload = as_dict(payload, PROVIDER, LABEL, "the usage answer")
    rate_limit = _optional_dict(payload.get("rate_limit"), "rate_limit")
    windows = _windows(rate_limit, now, prefix="", name=None)
    extras = payload.get("additional_rate_limits")
    if isinstance(extras, list):
        for index, extra in enumerate(extras):
            if not isinstance(extra, dict):
                continue
            name = as_text(extra.get("limit_name")) or as_text(extra.get("metered_feature"))
            slug = _slug(as_text(extra.get("metered_feature")) or name or str(index + 1))
            inner = _optional_dict(extra.get("rate_limit"), f"additional_rate_limits[{index}].rate_limit")
            windows += _windows(inner, now, prefix=f"{slug}:", name=name or f"Limit {index + 1}")
    limit_reached = (
        rate_limit.get("limit_reached") is True
        or rate_limit.get("allowed") is False
        or any(w["used_percent"] >= 100 for w in windows)
    )
    return {
        "provider": PROVIDER,
        "plan_type": as_text(payload.get("plan_type")),
        "limit_reached": limit_reached,
        "windows": windows,
        "credits": _credits(payload.get("credits")),
        "fetched_at": iso(now),
    }


def _optional_dict(value, where):
    if value is None:
        return {}
    return as_dict(value, PROVIDER, LABEL, where)


def _windows(rate_limit, now, prefix, name):
    windows = []
    for key, kind in (("primary_window", "primary"), ("secondary_window", "secondary")):
        raw = rate_limit.get(key)
        if raw is None:
            continue
        window = _window(as_dict(raw, PROVIDER, LABEL, key), now, f"{prefix}{kind}", kind)
        if name:
            window["label"] = f"{name} · {window['label']}"
        windows.append(window)
    return windows


def _window(raw, now, window_id, kind):
    def num(field):
        return as_number(raw.get(field), PROVIDER, LABEL, f"{window_id}.{field}", optional=True)

    used = num("used_percent")
    if used is None:
        used = 0.0
    seconds = num("limit_window_seconds")
    reset_at = num("reset_at")
    reset_after = num("reset_after_seconds")
    if reset_at is None and reset_after is not None:
        reset_at = now.timestamp() + reset_after
    # A reset before 2000 or after 2100 is not a time we can show: treat it as unknown.
    resets = from_unix(reset_at) if reset_at is not None and SANE_TIMES[0] < reset_at < SANE_TIMES[1] else None
    return {
        "id": window_id,
        "label": window_label(seconds, DEFAULT_LABELS[kind]),
        "used_percent": round(min(max(used, 0.0), 1000.0), 2),
        "window_seconds": int(seconds) if seconds is not None else None,
        "resets_at": iso(resets) if resets else None,
        "resets_in_seconds": max(int(round((resets - now).total_seconds())), 0) if resets else None,
    }


def window_label(seconds, default):
    """A person's name for a window length: 18000 -> "5-hour", 604800 -> "Weekly"."""
    if not seconds or seconds <= 0:
        return default
    hours = seconds / 3600
    days = hours / 24
    if days == 7:
        return "Weekly"
    if days == 1:
        return "Daily"
    if 28 <= days <= 31:
        return "Monthly"
    if days >= 2 and days.is_integer():
        return f"{int(days)}-day"
    if hours >= 1 and hours.is_integer():
        return f"{int(hours)}-hour"
    return f"{max(int(seconds // 60), 1)}-minute"


def _credits(raw):
    if not isinstance(raw, dict):
        return None
    return {
        "has_credits": raw.get("has_credits") is True,
        "unlimited": raw.get("unlimited") is True,
        "balance": as_number(raw.get("balance"), PROVIDER, LABEL, "credits.balance", optional=True),
    }


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "limit"
