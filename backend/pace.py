"""Pure pace math: will a quota last until its reset? Every answer names its basis, or is None."""

from datetime import timedelta

from .helpers.common import from_unix, iso

DAY = 86400
HIDE_FRACTION = 0.03  # the first 3 % of a window says nothing about its pace
MIN_HISTORY_SPAN = 10 * 60  # readings closer together than this give a noisy rate
MIN_BALANCE_SPAN = 6 * 3600  # a balance has no window: its rate needs hours of readings
BALANCE_LOOKBACK = 7 * DAY  # a balance's "recent" spend rate
RESET_TOLERANCE = 120  # providers report the same reset with a little jitter
MAX_ETA = 3650 * DAY  # past ten years "runs out" means nothing


def window_start(quota):
    """Unix seconds when the quota's current window began, or None for a balance."""
    if quota.get("reset_ts") is None or not quota.get("window_seconds"):
        return None
    return quota["reset_ts"] - quota["window_seconds"]


def same_window(points, quota, now_ts):
    """[(t, used)] of readings from the quota's current window (a reset in between starts it again)."""
    start = window_start(quota)
    reset = quota.get("reset_ts")
    kept = []
    for t, used, reset_ts in points:
        if t >= now_ts or used is None:
            continue
        if reset is None:
            if t < now_ts - BALANCE_LOOKBACK:
                continue
        elif reset_ts is None or abs(reset_ts - reset) > RESET_TOLERANCE or (start is not None and t < start):
            continue
        kept.append((t, used))
    return kept


def window_range(quota, now_ts, since):
    """(from t, before t, lowest reset, highest reset) of the readings same_window keeps, for an indexed query."""
    reset = quota.get("reset_ts")
    if reset is None:
        return max(since, now_ts - BALANCE_LOOKBACK), now_ts, None, None
    start = window_start(quota)
    return since if start is None else max(since, start), now_ts, reset - RESET_TOLERANCE, reset + RESET_TOLERANCE


def window_summary(points, quota, now_ts):
    """(the first reading (t, used) of this window or None, how many) from [(t, used, reset_ts)]: all pace needs."""
    kept = same_window(points, quota, now_ts)
    return (kept[0] if kept else None, len(kept))


def history_rate(summary, quota, now_ts):
    """(used per second, basis) from the window's first reading and the live one, or None when too few or too close."""
    first, count = summary
    span = now_ts - first[0] if first else 0
    least = MIN_BALANCE_SPAN if quota.get("reset_ts") is None else MIN_HISTORY_SPAN
    if first is None or span < least:
        return None
    rate = max(quota["used"] - first[1], 0.0) / span
    return rate, {"method": "history", "points": count + 1, "period_days": round(span / DAY, 3)}


def pace(quota, points, now_ts, fallback=None, summary=None):
    """The pace of one quota.

    quota: {used, limit, used_percent, window_seconds, reset_ts}; points: [(t, used, reset_ts)] from history,
    or summary: their window_summary, read straight from the store; fallback: (rate per second, basis) for a
    balance whose history is too short. Returns None when the data cannot support an answer (no limit, the
    first 3 % of a window, no rate at all).
    """
    used, limit = quota.get("used"), quota.get("limit")
    if used is None or not limit or limit <= 0:
        return None
    reset, length = quota.get("reset_ts"), quota.get("window_seconds")
    expected = delta = None
    elapsed = None
    if reset is not None and length:
        elapsed = min(max(now_ts - (reset - length), 0.0), float(length))
        if elapsed < HIDE_FRACTION * length:
            return None
        expected = elapsed / length * 100
        delta = (quota["used_percent"] or 0.0) - expected
    found = history_rate(summary if summary is not None else window_summary(points, quota, now_ts), quota, now_ts)
    if found is None and elapsed:
        found = used / elapsed, {"method": "window_average", "points": 1, "period_days": round(elapsed / DAY, 3)}
    if found is None:
        found = fallback
    if found is None:
        return None
    rate, basis = max(found[0], 0.0), found[1]
    left = limit - used
    if left <= 0:
        eta = 0.0
    elif rate > 0 and left / rate <= MAX_ETA:
        eta = left / rate
    else:
        eta = None
    now = from_unix(now_ts)
    result = {
        "expected_used_percent": _round(expected),
        "delta_percent": _round(delta),
        "eta_seconds": int(round(eta)) if eta is not None else None,
        "runs_out_at": iso(now + timedelta(seconds=eta)) if eta is not None else None,
        "lasts_to_reset": None,
        "projected_used_percent": None,
        "rate_per_day": round(rate * DAY, 4),
        "basis": basis,
    }
    if reset is not None:
        to_reset = max(reset - now_ts, 0.0)
        result["lasts_to_reset"] = eta is None or eta >= to_reset
        result["projected_used_percent"] = _round(min((used + rate * to_reset) / limit * 100, 9999.0))
    return result


def _round(value):
    return round(value, 1) if value is not None else None
