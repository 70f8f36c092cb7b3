"""The points of a history answer written straight to JSON text: the same text json.dumps writes, made in one pass."""

import json

from .helpers.common import from_unix, iso

DAY = 86400


def points_text(points):
    """The JSON text (compact, ASCII, keys in order) of [{t, quotas}] for history points [(t, figures)]:
    exactly json.dumps([{"t": iso, "quotas": point_quotas(figures)}, ...], separators=(",", ":"))."""
    stamps, keys, parts = {}, {}, []
    for t, figures in points:
        quotas = []
        for quota_id, entry in (figures.get("quotas") or {}).items():
            if isinstance(entry, list) and len(entry) == 3:
                key = keys.get(quota_id)
                if key is None:
                    key = keys[quota_id] = _dumps(quota_id)
                used, limit, reset = entry
                resets_at = f'"{stamp(reset, stamps)}"' if reset else "null"
                quotas.append(f'{key}:{{"used":{_value(used)},"limit":{_value(limit)},"resets_at":{resets_at}}}')
        parts.append(f'{{"t":"{stamp(t, stamps)}","quotas":{{{",".join(quotas)}}}}}')
    return f"[{','.join(parts)}]"


def stamp(seconds, stamps):
    """iso(from_unix(seconds)), remembered in `stamps`; whole seconds reuse their day's date text."""
    found = stamps.get(seconds)
    if found is None:
        if type(seconds) is int:
            day, rest = divmod(seconds, DAY)
            date = stamps.get(("day", day))
            if date is None:
                date = stamps[("day", day)] = iso(from_unix(day * DAY))[:-9]  # "YYYY-MM-DDT"
            found = f"{date}{rest // 3600:02d}:{rest // 60 % 60:02d}:{rest % 60:02d}Z"
        else:
            found = iso(from_unix(seconds))
        stamps[seconds] = found
    return found


def _value(value):
    """A number as json.dumps writes it; anything else (a JSON row may hold anything) through json.dumps."""
    kind = type(value)
    if kind is int:
        return int.__repr__(value)
    if kind is float and value - value == 0:  # finite: json.dumps writes NaN and Infinity its own way
        return float.__repr__(value)
    if value is None:
        return "null"
    return _dumps(value)


def _dumps(value):
    return json.dumps(value, separators=(",", ":"))
