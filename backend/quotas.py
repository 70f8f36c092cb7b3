"""One quota shape for every provider, and the server's decision of each quota's status."""

from .helpers.common import iso, parse_iso
from .pace import pace

UNITS = ("percent", "usd", "ai_credits", "premium_requests")
STATUSES = ("ok", "warning", "critical", "unknown")
SEVERITY = {"critical": 3, "warning": 2, "unknown": 1, "ok": 0}


def quota(id, label, unit, *, used, limit, now, remaining=None, window_seconds=None, resets_at=None, kind="window"):
    """A quota: a thing that can run out. Unknown values stay None, never a made-up 0.

    kind is "window" (resets), or "balance" (money that lasts until spent).
    """
    if remaining is None and used is not None and limit is not None:
        remaining = max(limit - used, 0)
    if remaining is not None and limit is not None:
        remaining = min(max(remaining, 0), limit)
    used_percent = None
    if used is not None and limit:
        used_percent = round(max(used, 0) / limit * 100, 2)
    elif used is not None and limit == 0:
        used_percent = 100.0
    resets_in = max(int(round((resets_at - now).total_seconds())), 0) if resets_at else None
    return {
        "id": id,
        "label": label,
        "unit": unit,
        "kind": kind,
        "used": _tidy(used),
        "limit": _tidy(limit),
        "remaining": _tidy(remaining),
        "used_percent": used_percent,
        "window_seconds": int(window_seconds) if window_seconds else None,
        "resets_at": iso(resets_at) if resets_at else None,
        "resets_in_seconds": resets_in,
        "status": "unknown",
        "pace": None,
    }


def _tidy(value):
    if value is None:
        return None
    value = round(float(value), 4)
    return int(value) if value.is_integer() else value


def reset_ts(q):
    return parse_iso(q["resets_at"]).timestamp() if q.get("resets_at") else None


def history_figures(body):
    """What history keeps of a reading: per quota [used, limit, reset (Unix s or None)]."""
    return {"quotas": {
        q["id"]: [q["used"], q["limit"], int(reset_ts(q)) if q["resets_at"] else None]
        for q in body.get("quotas", []) if q["used"] is not None
    }}


def quota_points(points, quota_id):
    """[(t, used, reset_ts)] of one quota from history points [(t, figures)]."""
    found = []
    for t, figures in points:
        entry = (figures.get("quotas") or {}).get(quota_id)
        if isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], (int, float)):
            found.append((t, float(entry[0]), entry[2]))
    return found


def decide(q, p, settings):
    """ok, warning, critical or unknown: from level and pace together, so words and colours agree."""
    percent = q["used_percent"]
    if percent is None:
        return "unknown"
    if percent >= 100 or (q["remaining"] is not None and q["remaining"] <= 0):
        return "critical"
    if q["kind"] == "balance":
        # Money lasts until spent: only the runway matters, not how much of what was bought is used.
        if p and p["eta_seconds"] is not None:
            days = p["eta_seconds"] / 86400
            if days < 1:
                return "critical"
            if days < settings.runway_warning_days:
                return "warning"
        return "ok"
    if p and p["lasts_to_reset"] is False:
        return "critical"
    if percent >= settings.warning_percent:
        return "warning"
    if p and p["delta_percent"] is not None and p["delta_percent"] > settings.pace_margin_percent:
        return "warning"
    return "ok"


def finish(body, points, now, settings, fallback_rate=None, summaries=None):
    """Add pace and status to every quota of a body, then the body's own status and headline quota.

    summaries: {quota id: window summary} read from the store, in place of points.
    """
    now_ts = now.timestamp()
    paces = {}
    for q in body.get("quotas", []):
        shape = {**q, "reset_ts": reset_ts(q)}
        fallback = fallback_rate(body, q, now) if fallback_rate else None
        if summaries is None:
            q["pace"] = pace(shape, quota_points(points, q["id"]), now_ts, fallback)
        else:
            q["pace"] = pace(shape, [], now_ts, fallback, summary=summaries.get(q["id"], (None, 0)))
        if q["pace"] is not None:
            delta = q["pace"]["delta_percent"]
            q["pace"]["ahead_of_pace"] = delta is not None and delta > settings.pace_margin_percent
        q["status"] = decide(q, q["pace"], settings)
        paces[q["id"]] = q["pace"]
    quotas = body.get("quotas", [])
    worst = max(quotas, key=lambda q: (SEVERITY[q["status"]], q["used_percent"] or 0), default=None)
    body["status"] = worst["status"] if worst else "unknown"
    body["headline_quota"] = worst["id"] if worst else None
    return paces
