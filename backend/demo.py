"""Demo mode: canned upstream payloads fed through the real normalizers, with times moved to now."""

import copy
import json
from functools import cache
from pathlib import Path

from .helpers import codex_helper, copilot_helper, openrouter_helper
from .helpers.common import utc_now

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
