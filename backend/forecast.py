"""Pure forecast math: "at this pace, when do I run out?" Each forecast names its basis or is None."""

from datetime import UTC, datetime, timedelta

from .helpers.common import iso, parse_iso
from .helpers.copilot_helper import first_of_next_month

DAY = 86400
MIN_HISTORY_SPAN = 6 * 3600  # OpenRouter: below this, history says little about a daily rate
MIN_MONTH_ELAPSED = 6 * 3600  # Copilot: the first hours of a month give no pace yet
MIN_WINDOW_SPAN = 10 * 60  # Codex: at least ten minutes of a window
RESET_TOLERANCE = 120  # Codex reports reset_at with a little jitter between reads
MAX_RUN_OUT_DAYS = 3650  # past ten years "runs out" means nothing: say it does not


def _ts(moment):
    return moment.timestamp()


def _parse(text):
    return parse_iso(text) if text else None


def copilot_period(year, month):
    """"2026-11": the month a Copilot reading belongs to."""
    return f"{year:04d}-{month:02d}"


def balance_usd(value):
    """The money left that a forecast runs down: the account balance, else the key's remaining limit."""
    if value.get("account"):
        return value["account"]["balance_usd"]
    return value.get("remaining_usd")


def snapshot_figures(provider, value):
    """The figures of a normalized response worth keeping in history."""
    if provider == "openrouter":
        return {"usage_usd": value["usage_usd"], "balance_usd": balance_usd(value)}
    if provider == "github_copilot":
        return {"used": value["used"], "monthly_limit": value["monthly_limit"],
                "period": copilot_period(value["year"], value["month"])}
    windows = {w["id"]: w["used_percent"] for w in value["windows"]}
    resets = {w["id"]: int(_ts(_parse(w["resets_at"]))) for w in value["windows"] if w["resets_at"]}
    return {"windows": windows, "resets": resets}


def openrouter_forecast(points, value, now):
    """Spend rate over the last 7 days of history (else this UTC week's usage) and when the money runs out."""
    now_ts = _ts(now)
    recent = [(t, f["usage_usd"]) for t, f in points if t >= now_ts - 7 * DAY and f.get("usage_usd") is not None]
    recent.append((now_ts, value["usage_usd"]))
    span = recent[-1][0] - recent[0][0]
    if len(recent) >= 2 and span >= MIN_HISTORY_SPAN:
        rate = max(recent[-1][1] - recent[0][1], 0.0) / (span / DAY)
        basis = {"method": "history", "points": len(recent), "period_days": round(span / DAY, 2)}
    elif value.get("usage_weekly_usd") is not None:
        # usage_weekly_usd covers this UTC week (from Monday 00:00); at least one day, so Monday is not wild.
        week_start = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
        days = max((now - week_start).total_seconds() / DAY, 1.0)
        rate = value["usage_weekly_usd"] / days
        basis = {"method": "usage_weekly", "points": 1, "period_days": round(days, 2)}
    else:
        return None
    balance = balance_usd(value)
    runs_out_at = None
    days_left = max(balance, 0.0) / rate if balance is not None and rate > 0 else None
    if days_left is not None and days_left <= MAX_RUN_OUT_DAYS:
        runs_out_at = iso(now + timedelta(days=days_left))
    return {
        "spend_rate_usd_per_day": round(rate, 4),
        "balance_usd": balance,
        "runs_out_at": runs_out_at,
        "basis": basis,
    }


def copilot_forecast(points, value, now):
    """Requests at month end at this month's pace, and the day the allowance runs out."""
    month_start = datetime(value["year"], value["month"], 1, tzinfo=UTC)
    month_end = first_of_next_month(value["year"], value["month"])
    elapsed = (now - month_start).total_seconds()
    if elapsed < MIN_MONTH_ELAPSED or now >= month_end:
        return None
    rate = value["used"] / elapsed
    projected = value["used"] + rate * (month_end - now).total_seconds()
    limit = value["monthly_limit"]
    exceeds_on = None
    if rate > 0 and projected > limit:
        exceeds_on = (month_start + timedelta(seconds=limit / rate)).date().isoformat()
    period = copilot_period(value["year"], value["month"])
    in_month = sum(1 for _, f in points if f.get("period") == period)
    return {
        "requests_per_day": round(rate * DAY, 2),
        "projected_month_end": round(projected),
        "projected_overage": max(round(projected) - limit, 0),
        "exceeds_limit_on": exceeds_on,
        "basis": {"method": "month_to_date", "points": in_month + 1, "period_days": round(elapsed / DAY, 2)},
    }


def _codex_window(points, window, now):
    reset = _parse(window["resets_at"])
    if reset is None:
        return None
    now_ts, reset_ts, used = _ts(now), _ts(reset), window["used_percent"]
    # Only readings from this same window: a reset in between starts the count again.
    same = [
        (t, f["windows"][window["id"]]) for t, f in points
        if window["id"] in f.get("windows", {}) and abs(f.get("resets", {}).get(window["id"], 0) - reset_ts) <= RESET_TOLERANCE
        and t < now_ts
    ]
    same.append((now_ts, used))
    span = same[-1][0] - same[0][0]
    if len(same) >= 2 and span >= MIN_WINDOW_SPAN:
        rate = max(used - same[0][1], 0.0) / span
        basis = {"method": "history", "points": len(same), "period_days": round(span / DAY, 3)}
    elif window.get("window_seconds"):
        elapsed = window["window_seconds"] - max(reset_ts - now_ts, 0)
        if elapsed < MIN_WINDOW_SPAN:
            return None
        rate = used / elapsed
        basis = {"method": "window_average", "points": 1, "period_days": round(elapsed / DAY, 3)}
    else:
        return None
    left = max(reset_ts - now_ts, 0)
    hits_at = None
    if used >= 100:
        hits_at = iso(now)
    elif rate > 0 and (100 - used) / rate < left:
        hits_at = iso(now + timedelta(seconds=(100 - used) / rate))
    return {
        "id": window["id"],
        "projected_used_percent": round(min(used + rate * left, 999.0), 1),
        "hits_limit_at": hits_at,
        "basis": basis,
    }


def codex_forecast(points, value, now):
    """Per window: used_percent at its reset at this pace, and when 100 % is hit if that comes first."""
    windows = [w for w in (_codex_window(points, window, now) for window in value["windows"]) if w]
    return {"windows": windows} if windows else None


FORECASTS = {
    "openrouter": openrouter_forecast,
    "github_copilot": copilot_forecast,
    "openai_codex": codex_forecast,
}


def forecast(provider, points, value, now):
    return FORECASTS[provider](points, value, now)
