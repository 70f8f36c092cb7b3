"""Demo mode: canned upstream payloads fed through the real normalizers, with times moved to now."""

import copy
import json
import random
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from .helpers import codex_helper, copilot_helper, openrouter_helper
from .helpers.common import parse_iso, utc_now

DATA = Path(__file__).resolve().parent / "demo_data"


@cache
def _payload(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def openrouter_balance():
    return openrouter_helper.normalize_balance(
        _payload("openrouter-key.json"), _payload("openrouter-credits.json"), fetched_at=utc_now()
    )


def copilot_premium_usage(monthly_limit=300):
    now = utc_now()
    payload = copy.deepcopy(_payload("copilot-premium-usage.json"))
    payload["timePeriod"] = {"year": now.year, "month": now.month}
    return copilot_helper.normalize_premium_usage(payload, payload["user"], monthly_limit, now)


def codex_limits():
    now = utc_now()
    payload = copy.deepcopy(_payload("codex-wham-usage.json"))
    # Resets are kept relative to now, so the demo never shows a reset in the past.
    windows = [payload["rate_limit"]]
    windows += [extra["rate_limit"] for extra in payload.get("additional_rate_limits", [])]
    for rate_limit in windows:
        for window in rate_limit.values():
            if isinstance(window, dict) and "reset_after_seconds" in window:
                window["reset_at"] = int(now.timestamp()) + window["reset_after_seconds"]
    return codex_helper.normalize_limits(payload, now)


def seed_history(store, now=None, days=30, step_seconds=3600):
    """Fill a throwaway store with a plausible past ending at today's demo figures."""
    from .forecast import copilot_period, snapshot_figures

    now = now or utc_now()
    rng = random.Random(7)
    end = int(now.timestamp())
    router = openrouter_balance()
    copilot = copilot_premium_usage()
    codex = codex_limits()
    credits = router["account"]["total_credits_usd"]
    month_start = datetime(now.year, now.month, 1, tzinfo=UTC).timestamp()
    previous_month_total = 287
    rows = []
    for t in range(end - days * 86400, end, step_seconds):
        age_days = (end - t) / 86400
        # Spend a little each day, more on weekdays, ending at today's total.
        usage = router["usage_usd"] - age_days * (0.62 + 0.25 * rng.random())
        rows.append(("openrouter", t, {"usage_usd": round(usage, 4), "balance_usd": round(credits - usage, 4)}))
        if t >= month_start:
            used = round(copilot["used"] * (t - month_start) / (end - month_start))
            period = copilot_period(now.year, now.month)
        else:
            used = round(previous_month_total * (1 - age_days / days))
            moment = datetime.fromtimestamp(t, UTC)
            period = copilot_period(moment.year, moment.month)
        rows.append(("github_copilot", t, {"used": used, "monthly_limit": copilot["monthly_limit"], "period": period}))
        rows.append(("openai_codex", t, _codex_past(codex, t, end)))
    for provider, value in (("openrouter", router), ("github_copilot", copilot), ("openai_codex", codex)):
        rows.append((provider, end, snapshot_figures(provider, value)))
    store.record_many(rows)


def _codex_past(codex, t, end):
    """Each window fills up steadily from its start and empties at each reset."""
    windows, resets = {}, {}
    for window in codex["windows"]:
        length = window["window_seconds"]
        next_reset = int(parse_iso(window["resets_at"]).timestamp())
        reset = next_reset
        while reset - length > t:
            reset -= length
        started = reset - length
        elapsed_now = end - (next_reset - length)
        rate = window["used_percent"] / max(elapsed_now, 1)
        windows[window["id"]] = round(min(rate * (t - started), 100.0), 1)
        resets[window["id"]] = reset
    return {"windows": windows, "resets": resets}
