"""Pace in words for the terminal, by the same rules as the page (tests/fixtures/pace-words.json holds both)."""

import math
from datetime import datetime


def parse_iso(text):
    """An aware datetime from ISO-8601 (a trailing Z means UTC); kept here so the CLI imports nothing heavy."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def duration(seconds):
    """"2 h 10 min", "1 d 16 h", "39 days": coarser as it grows, as a person would say it."""
    seconds = max(0, round(seconds))
    if seconds >= 3 * 86400:
        return f"{round(seconds / 86400)} days"
    days, hours, minutes = seconds // 86400, seconds % 86400 // 3600, seconds % 3600 // 60
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours >= 10:
        return f"{hours} h"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes >= 10:
        return f"{minutes} min"
    if minutes:
        return f"{minutes} min {seconds % 60} s" if seconds % 60 else f"{minutes} min"
    return f"{seconds} s"


def percent(value):
    if value is None:
        return "—"
    digits = 1 if abs(value) < 10 and not float(value).is_integer() else 0
    scale = 10**digits
    rounded = math.floor(value * scale + 0.5) / scale  # half up, as the page's toFixed does
    return f"{rounded:.{digits}f} %"


UNIT_WORDS = {"ai_credits": "credits", "premium_requests": "requests"}


def amount(value, unit):
    """"$31.27", "37 %", "231 credits"."""
    if value is None:
        return "—"
    if unit == "usd":
        return f"-${-value:,.2f}" if value < 0 else f"${value:,.2f}"
    if unit == "percent":
        return percent(value)
    shown = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return f"{shown} {UNIT_WORDS.get(unit, unit)}"


def pace_text(quota, now):
    """The pace sentence for a quota at `now` (Unix s), or None when the server has no pace for it."""
    pace = quota.get("pace")
    if quota.get("remaining") is not None and quota["remaining"] <= 0:
        return "Used up" if quota.get("kind") == "balance" else "Limit reached"
    if not pace:
        return None
    eta = parse_iso(pace["runs_out_at"]).timestamp() - now if pace.get("runs_out_at") else None
    unit = quota.get("unit")
    if quota.get("kind") == "balance":
        if eta is None:
            return f"About {amount(pace['rate_per_day'], unit)} a day" if pace.get("rate_per_day", 0) > 0 else "No spending lately"
        return f"Lasts ~{duration(eta)} at {amount(pace['rate_per_day'], unit)} a day"
    to_reset = parse_iso(quota["resets_at"]).timestamp() - now if quota.get("resets_at") else None
    if pace.get("lasts_to_reset") is False and eta is not None and to_reset is not None:
        return f"Runs out in ~{duration(eta)}, {duration(to_reset - eta)} before the reset"
    ahead = f"{percent(pace['delta_percent'])} ahead of pace · " if pace.get("ahead_of_pace") else ""
    projected = pace.get("projected_used_percent")
    projected = f" (on pace for {percent(projected)})" if projected is not None else ""
    return f"{ahead}Lasts until the reset{projected}"


STATUS_WORDS = {"ok": "On track", "warning": "Watch it", "critical": "At risk", "unknown": "Unknown"}


def status_label(quota):
    if quota.get("status") == "critical" and quota.get("remaining") is not None and quota["remaining"] <= 0:
        return "Used up" if quota.get("kind") == "balance" else "Limit reached"
    return STATUS_WORDS.get(quota.get("status"), "Unknown")
