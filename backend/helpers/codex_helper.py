"""ChatGPT Codex: every usage window (5-hour, weekly, 30-day, code review, per model) from /wham/usage."""

import base64
import binascii
import json
import os
import re
from datetime import datetime

from ..files import FileProblem, read_regular_file, too_deep
from ..openapi import NULL_NUM, NULL_TIME
from ..quotas import quota
from .common import (
    Notes,
    ProviderError,
    as_dict,
    as_text,
    from_unix,
    get_json,
    iso,
    money,
    utc_now,
)
from .descriptor import Provider, Setting

PROVIDER = "openai_codex"
LABEL = "ChatGPT"
SANE_TIMES = (946684800, 4102444800)  # 2000-01-01 .. 2100-01-01, Unix seconds
MAX_AUTH_BYTES = 1024 * 1024
MAX_AUTH_DEPTH = 32
# Ids the first release promised: the 5-hour window is `primary`, the weekly one `secondary`, whatever slot they come in.
IDS_BY_LENGTH = {18000: "primary", 604800: "secondary"}
AUTH_CLAIMS = "https://api.openai.com/auth"
TOKEN_CHARS = re.compile(r"^[\x21-\x7e]+$")  # a header value: visible ASCII, no spaces or line breaks


def credentials(config):
    """(token, account id) from CHATGPT_ACCESS_TOKEN, else the Codex CLI's auth.json (read, never written)."""
    token_key = config.key("CHATGPT_ACCESS_TOKEN")
    token = config.get("CHATGPT_ACCESS_TOKEN")
    account_id = config.get("CHATGPT_ACCOUNT_ID")
    fix = f"Run `codex login`, or set {token_key} and {config.key('CHATGPT_ACCOUNT_ID')}."
    claims_source = token
    id_claims = {}
    auth_path = None
    if not token:
        auth_path = login_file(config)
        if auth_path is None:
            raise config.missing(f"Set {config.key('CODEX_HOME')} to the folder of this account's auth.json, or {token_key}.")
        token, file_account, id_token = read_codex_auth(auth_path, fix)
        account_id = account_id or file_account
        claims_source = token
        id_claims = jwt_claims(id_token)
    if not TOKEN_CHARS.match(token):
        raise config.invalid(
            f"The ChatGPT access token {'in ' + auth_path if auth_path else 'in ' + token_key} contains spaces, line "
            f"breaks or other characters a token cannot have. {fix}")
    if account_id is not None and not TOKEN_CHARS.match(account_id):
        raise config.invalid(f"The ChatGPT account id contains characters an id cannot have. {fix}")
    claims = jwt_claims(claims_source)
    expires = claims.get("exp")
    if isinstance(expires, (int, float)) and SANE_TIMES[0] < expires < SANE_TIMES[1] and expires <= utc_now().timestamp():
        when = from_unix(expires).strftime("%Y-%m-%d %H:%M UTC")
        raise ProviderError("unauthorized", f"Codex login expired on {when}: run `codex` or `codex login`.",
                            PROVIDER, account=config.account)
    auth = claims.get(AUTH_CLAIMS) if isinstance(claims.get(AUTH_CLAIMS), dict) else {}
    account_id = account_id or as_text(auth.get("chatgpt_account_id")) or as_text(claims.get("chatgpt_account_id"))
    id_auth = id_claims.get(AUTH_CLAIMS) if isinstance(id_claims.get(AUTH_CLAIMS), dict) else {}
    plan = as_text(id_auth.get("chatgpt_plan_type")) or as_text(auth.get("chatgpt_plan_type"))
    return {"token": token, "account_id": account_id, "plan_hint": plan,
            "auth_hint": f"your Codex login: run `codex login` to refresh auth.json, or update {token_key}"}


def login_file(config):
    """The Codex CLI's auth.json this account reads, or None: a token set in the environment reads no file, and an
    account other than the default one has no auth.json without its own CODEX_HOME."""
    if config.get("CHATGPT_ACCESS_TOKEN"):
        return None
    home = config.get("CODEX_HOME")
    if home is None and config.account != "default":
        return None
    default_home = os.path.join(config.global_values.get("HOME") or os.path.expanduser("~"), ".codex")
    return os.path.join(os.path.expanduser(home) if home else default_home, "auth.json")


def read_codex_auth(auth_path, fix="Run `codex login`."):
    """(access token, account id, id token) from auth.json: a regular file, at most 1 MB, bounded nesting."""
    def fail(reason):
        return ProviderError("not_configured", f"{reason} {fix}", PROVIDER)

    try:
        raw = read_regular_file(auth_path, MAX_AUTH_BYTES)
    except FileNotFoundError:
        raise fail(f"No Codex login found: {auth_path} does not exist.") from None
    except FileProblem as exc:
        raise fail(f"{auth_path} cannot be read ({exc}).") from None
    if too_deep(raw, MAX_AUTH_DEPTH):
        raise fail(f"{auth_path} is not a Codex login (too deeply nested).")
    try:
        document = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise fail(f"{auth_path} is not valid JSON.") from None
    tokens = document.get("tokens") if isinstance(document, dict) else None
    tokens = tokens if isinstance(tokens, dict) else {}
    # Older Codex builds wrote camelCase keys; both spellings are the same login.
    token = tokens.get("access_token", tokens.get("accessToken"))
    if not isinstance(token, str) or not token.strip():
        raise fail(f"{auth_path} has no ChatGPT login (tokens.access_token). An API-key login has no plan limits to show.")
    account = tokens.get("account_id", tokens.get("accountId"))
    id_token = tokens.get("id_token", tokens.get("idToken"))
    return (token.strip(), account.strip() if isinstance(account, str) and account.strip() else None,
            id_token if isinstance(id_token, str) else None)


def jwt_claims(token):
    """The claims of a JWT, unverified (we only read our own login's expiry and ids), or {}."""
    if not isinstance(token, str) or token.count(".") != 2 or len(token) > 100_000:
        return {}
    part = token.split(".")[1]
    try:
        decoded = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        claims = json.loads(decoded)
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
        return {}
    return claims if isinstance(claims, dict) else {}


def fetch_limits(base_url, access_token, account_id, timeout, session, auth_hint=None, now=None):
    """Read /wham/usage and return the normalized windows."""
    headers = {"Authorization": f"Bearer {access_token}", "Accept": "application/json"}
    if account_id:
        headers["ChatGPT-Account-Id"] = account_id
    payload = get_json(
        session, f"{base_url.rstrip('/')}/wham/usage", headers=headers, timeout=timeout,
        provider=PROVIDER, label=LABEL,
        auth_hint=auth_hint or "your Codex login: run `codex login` to refresh ~/.codex/auth.json",
    )
    return normalize_limits(payload, now or utc_now())


def normalize_limits(payload, now):
    """Map /wham/usage to the public contract: windows named by their length, one bad field costs one field."""
    payload = as_dict(payload, PROVIDER, LABEL, "the usage answer")
    notes = Notes(PROVIDER, LABEL)
    rate_limit = _section(payload.get("rate_limit"), "rate_limit", notes)
    windows, taken = [], set()
    groups = [(rate_limit, "", None)]
    review = _section(payload.get("code_review_rate_limit"), "code_review_rate_limit", notes)
    if review:
        groups.append((review, "code-review:", "Code review"))
    extras = payload.get("additional_rate_limits")
    if isinstance(extras, list):
        for index, extra in enumerate(extras):
            if not isinstance(extra, dict):
                continue
            name = as_text(extra.get("limit_name")) or as_text(extra.get("metered_feature")) or f"Limit {index + 1}"
            slug = _slug(as_text(extra.get("metered_feature")) or name)
            inner = _section(extra.get("rate_limit"), f"additional_rate_limits[{index}].rate_limit", notes)
            groups.append((inner, f"{slug}:", name))
    for group, prefix, name in groups:
        windows += _windows(group, now, prefix, name, taken, notes)
    limit_reached = (
        rate_limit.get("limit_reached") is True
        or rate_limit.get("allowed") is False
        or any(w["used_percent"] >= 100 for w in windows)
    )
    body = {
        "provider": PROVIDER,
        "plan_type": as_text(payload.get("plan_type")),
        "limit_reached": limit_reached,
        "windows": windows,
        "credits": _credits(payload.get("credits"), notes),
        "blocked_reason": _blocked_reason(payload.get("rate_limit_reached_type")),
        "spend_limit": _spend_limit(payload, now, notes),
        "fetched_at": iso(now),
    }
    body["quotas"] = [
        quota(w["id"], w["label"], "percent", used=w["used_percent"], limit=100, now=now,
              window_seconds=w["window_seconds"], resets_at=_parse_iso(w["resets_at"]))
        for w in windows
    ]
    cap = body["spend_limit"]
    if cap and (cap["used_percent"] is not None or cap["reached"]):
        # Workspace credits are their own currency: the cap is shown as a share, never mixed with dollars.
        used = 100.0 if cap["reached"] and cap["used_percent"] is None else cap["used_percent"]
        body["quotas"].append(quota("spend-limit", "Credit cap", "percent", used=used, limit=100, now=now,
                                    resets_at=_parse_iso(cap["resets_at"]),
                                    kind="window" if cap["resets_at"] else "balance"))
    return notes.apply(body)


def _parse_iso(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def _section(value, where, notes):
    if value is None:
        return {}
    if not isinstance(value, dict):
        notes.add(f"{where} was not an object, so its windows are left out.")
        return {}
    return value


def _windows(rate_limit, now, prefix, name, taken, notes):
    windows = []
    blocked = rate_limit.get("limit_reached") is True or rate_limit.get("allowed") is False
    for slot, fallback_id in (("primary_window", "primary"), ("secondary_window", "secondary")):
        raw = rate_limit.get(slot)
        if raw is None:
            continue
        if not isinstance(raw, dict):
            notes.add(f"{prefix}{slot} was not an object, so it is left out.")
            continue
        window = _window(raw, now, f"{prefix}{slot}", blocked, notes, f"{fallback_id.title()} window")
        if window is None:
            continue
        base = IDS_BY_LENGTH.get(window["window_seconds"]) if window["window_seconds"] else fallback_id
        if base is None:
            base = _slug(window["label"])
        window_id = f"{prefix}{base}"
        suffix = 2
        while window_id in taken:  # two limits of one feature must not collide
            window_id, suffix = f"{prefix}{base}-{suffix}", suffix + 1
        taken.add(window_id)
        if name:
            window["label"] = f"{name} · {window['label']}"
        windows.append({"id": window_id, **window})
    return windows


def _window(raw, now, where, blocked, notes, unnamed):
    used = notes.number(raw.get("used_percent"), f"{where}.used_percent")
    if used is None:
        if "used_percent" in raw and raw["used_percent"] is not None:
            return None  # a malformed figure: drop this window (noted), never guess
        if not blocked:
            notes.add(f"{where} has no used_percent, so it is left out.")
            return None
        used = 100.0  # the limit is reached and the window does not say how far: it is full
    seconds = notes.number(raw.get("limit_window_seconds"), f"{where}.limit_window_seconds")
    seconds = int(seconds) if seconds and seconds > 0 else None
    reset_at = notes.number(raw.get("reset_at"), f"{where}.reset_at")
    reset_after = notes.number(raw.get("reset_after_seconds"), f"{where}.reset_after_seconds")
    if reset_at is None and reset_after is not None:
        reset_at = now.timestamp() + reset_after
    # A reset before 2000 or after 2100 is not a time we can show: treat it as unknown.
    resets = from_unix(reset_at) if reset_at is not None and SANE_TIMES[0] < reset_at < SANE_TIMES[1] else None
    return {
        "label": window_label(seconds, unnamed),  # a length not given is not guessed from the slot
        "used_percent": round(min(max(used, 0.0), 1000.0), 2),
        "window_seconds": seconds,
        "resets_at": iso(resets) if resets else None,
        "resets_in_seconds": max(int(round((resets - now).total_seconds())), 0) if resets else None,
    }


def window_label(seconds, default):
    """A person's name for a window length: 18000 -> "5-hour", 604800 -> "Weekly", 2592000 -> "30-day"."""
    if not seconds or seconds <= 0:
        return default
    hours = seconds / 3600
    days = hours / 24
    if days == 7:
        return "Weekly"
    if days == 1:
        return "Daily"
    if days >= 2 and days.is_integer():
        return f"{int(days)}-day"
    if hours >= 1 and hours.is_integer():
        return f"{int(hours)}-hour"
    return f"{max(int(seconds // 60), 1)}-minute"


def _credits(raw, notes):
    if not isinstance(raw, dict):
        return None
    return {
        "has_credits": raw.get("has_credits") is True,
        "unlimited": raw.get("unlimited") is True,
        "balance": notes.number(raw.get("balance"), "credits.balance"),
    }


BLOCKED_WORDS = {
    "rate_limit_reached": "A usage limit is reached.",
    "workspace_member_credits_depleted": "Your workspace's credits for members are used up: ask a workspace admin.",
    "workspace_owner_credits_depleted": "Your workspace's credits are used up: an owner can buy more.",
    "workspace_member_usage_limit_reached": "You reached the usage limit your workspace set for you.",
}


def _blocked_reason(raw):
    """Why ChatGPT blocks the account (e.g. workspace credits depleted), in words, or None."""
    kind = as_text(raw.get("type")) if isinstance(raw, dict) else as_text(raw)
    if not kind:
        return None
    words = kind.replace("_", " ").replace("-", " ").strip().lower()
    return {"type": kind[:80], "message": BLOCKED_WORDS.get(kind, f"Blocked: {words[:80]}.")}


def _spend_limit(payload, now, notes):
    """A team or enterprise credit cap (spend_control / individual_limit), wherever and however it is spelled."""
    control = payload.get("spend_control") if isinstance(payload.get("spend_control"), dict) else {}
    rate_limit = payload.get("rate_limit") if isinstance(payload.get("rate_limit"), dict) else {}
    raw = next((c for c in (control.get("individual_limit"), payload.get("individual_limit"),
                            rate_limit.get("individual_limit")) if isinstance(c, dict)), None)
    if raw is None:
        return None
    limit = notes.number(raw.get("limit"), "individual_limit.limit")
    used = notes.number(raw.get("used"), "individual_limit.used")
    percent = notes.number(raw.get("used_percent"), "individual_limit.used_percent")
    if percent is None and limit and used is not None:
        percent = used / limit * 100
    elif percent is None and raw.get("remaining_percent") is not None:
        left = notes.number(raw.get("remaining_percent"), "individual_limit.remaining_percent")
        percent = 100 - left if left is not None else None
    reset = notes.number(_first(raw, "reset_at", "resets_at"), "individual_limit.reset_at")
    after = notes.number(raw.get("reset_after_seconds"), "individual_limit.reset_after_seconds")
    if reset is None and after is not None:
        reset = now.timestamp() + after
    resets = from_unix(reset) if reset is not None and SANE_TIMES[0] < reset < SANE_TIMES[1] else None
    reached = control.get("reached") is True or raw.get("reached") is True
    return {"limit": money(limit), "used": money(used),
            "used_percent": round(min(max(percent, 0.0), 1000.0), 2) if percent is not None else None,
            "reached": reached, "resets_at": iso(resets) if resets else None}


def _first(raw, *names):
    for name in names:
        if raw.get(name) is not None:
            return raw[name]
    return None


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "limit"


def legacy_forecast(body, paces, now):
    """The `forecast` object of the first release: each window's use at its reset, and when it fills up."""
    windows = []
    for window in body["windows"]:
        found = paces.get(window["id"])
        if not found:
            continue
        hits = None
        if window["used_percent"] >= 100:
            hits = iso(now)
        elif found["lasts_to_reset"] is False:
            hits = found["runs_out_at"]
        windows.append({"id": window["id"], "projected_used_percent": max(found["projected_used_percent"] or 0, 0),
                        "hits_limit_at": hits, "basis": found["basis"]})
    return {"windows": windows} if windows else None


def upgrade_history(figures):
    """A reading saved by the first release ({windows: {id: %}, resets: {id: s}}) in today's quota shape."""
    windows = figures.get("windows") if isinstance(figures.get("windows"), dict) else {}
    resets = figures.get("resets") if isinstance(figures.get("resets"), dict) else {}
    return {"quotas": {window_id: [used, 100, resets.get(window_id)] for window_id, used in windows.items()
                       if isinstance(used, (int, float))}}


def demo(account, now):
    from ..demo import payload

    body = payload("codex-wham-usage.json")
    # Resets are kept relative to now, so the demo never shows a reset in the past.
    sections = [body["rate_limit"], body.get("code_review_rate_limit") or {}]
    sections += [extra["rate_limit"] for extra in body.get("additional_rate_limits", [])]
    for section in sections:
        for window in section.values():
            if isinstance(window, dict) and "reset_after_seconds" in window:
                window["reset_at"] = int(now.timestamp()) + window["reset_after_seconds"]
    return normalize_limits(body, now)


def fetch(creds, ctx):
    try:
        return fetch_limits(ctx.base_url, creds["token"], creds["account_id"], ctx.timeout, ctx.session,
                            auth_hint=creds["auth_hint"], now=ctx.now)
    except ProviderError as exc:
        if creds.get("plan_hint") and exc.code != "rate_limited":
            exc.message = f"{exc.message} (Your login says: ChatGPT {creds['plan_hint'].title()} plan.)"
        raise


DESCRIPTOR = Provider(
    id=PROVIDER,
    title="ChatGPT Codex",
    short="CX",
    subtitle="Usage limits",
    route="/openai/codex/limits",
    settings=(
        Setting("CODEX_HOME", help="the Codex CLI's folder (auth.json is read from it)"),
        Setting("CHATGPT_ACCESS_TOKEN", secret=True, help="overrides auth.json"),
        Setting("CHATGPT_ACCOUNT_ID", secret=True, help="goes with CHATGPT_ACCESS_TOKEN"),
    ),
    base_setting="CHATGPT_API_BASE",
    default_base="https://chatgpt.com/backend-api",
    credentials=credentials,
    login_file=login_file,
    file_secrets=("token",),
    fetch=fetch,
    demo=demo,
    schema_name="CodexLimits",
    schema={
        "plan_type": {"type": ["string", "null"]},
        "limit_reached": {"type": "boolean"},
        "windows": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["id", "label", "used_percent", "window_seconds", "resets_at", "resets_in_seconds"],
            "properties": {
                "id": {"type": "string", "description": "primary (5-hour), secondary (weekly), another length's "
                                                        "own id, each maybe prefixed <limit>:"},
                "label": {"type": "string"},
                "used_percent": {"type": "number", "minimum": 0},
                "window_seconds": {"type": ["integer", "null"]},
                "resets_at": NULL_TIME,
                "resets_in_seconds": {"type": ["integer", "null"], "minimum": 0},
            }}},
        "credits": {"oneOf": [{"type": "null"}, {
            "type": "object", "additionalProperties": False, "required": ["has_credits", "unlimited", "balance"],
            "properties": {"has_credits": {"type": "boolean"}, "unlimited": {"type": "boolean"}, "balance": NULL_NUM}}]},
        "blocked_reason": {"oneOf": [{"type": "null"}, {
            "type": "object", "additionalProperties": False, "required": ["type", "message"],
            "properties": {"type": {"type": "string"}, "message": {"type": "string"}}}]},
        "spend_limit": {"oneOf": [{"type": "null"}, {
            "type": "object", "additionalProperties": False,
            "required": ["limit", "used", "used_percent", "reached", "resets_at"],
            "properties": {"limit": NULL_NUM, "used": NULL_NUM, "used_percent": NULL_NUM, "reached": {"type": "boolean"},
                           "resets_at": NULL_TIME}}]},
    },
    upgrade_history=upgrade_history,
    legacy_forecast=legacy_forecast,
    legacy_forecast_schema={
        "type": "object", "additionalProperties": False, "required": ["windows"],
        "properties": {"windows": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["id", "projected_used_percent", "hits_limit_at", "basis"],
            "properties": {
                "id": {"type": "string"},
                "projected_used_percent": {"type": "number", "minimum": 0},
                "hits_limit_at": NULL_TIME,
                "basis": {"$ref": "#/components/schemas/Basis"},
            }}}},
    },
)
