"""The points of a history answer written straight to JSON text: the same text json.dumps writes, made in one pass."""

import json

from .helpers.common import from_unix, iso

DAY = 86400
SCALARS = (int, float, type(None))
TWO_DIGITS = tuple(f"{i:02d}" for i in range(60))  # hours, minutes, seconds: looked up, not formatted each time


def points_text(points):
    """The JSON text (compact, ASCII, keys in order) of [{t, quotas}] for history points [(t, figures)]:
    exactly json.dumps([{"t": iso, "quotas": point_quotas(figures)}, ...], separators=(",", ":"))."""
    stamps, keys, tails, parts = {}, {}, {}, []
    for t, figures in points:
        quotas = []
        for quota_id, entry in (figures.get("quotas") or {}).items():
            if isinstance(entry, list) and len(entry) == 3:
                used, limit, reset = entry
                key = keys.get(quota_id) or keys.setdefault(quota_id, _dumps(quota_id))
                # Limit and reset repeat for hours: their text is made once per pair (of plain numbers; not a float
                # zero limit, as -0.0 equals 0.0 as a key but is written "-0.0").
                if type(limit) is int and type(reset) is int:
                    pair = (limit, reset)  # the usual pair, checked first
                elif type(limit) in SCALARS and type(reset) in SCALARS and not (limit == 0 and type(limit) is float):
                    pair = (limit, reset, type(limit), type(reset))
                else:
                    pair = None
                tail = tails.get(pair)
                if tail is None:
                    resets_at = f'"{stamps.get(reset) or stamp(reset, stamps)}"' if reset else "null"
                    tail = f'"limit":{_value(limit)},"resets_at":{resets_at}}}'
                    if pair is not None:
                        tails[pair] = tail
                used = repr(used) if (type(used) is float or type(used) is int) and used - used == 0 else _value(used)
                quotas.append(f'{key}:{{"used":{used},{tail}')
        # Points seldom share a time (only readings within one second do): its text is made, not remembered.
        parts.append(f'{{"t":"{stamp(t, stamps, keep=False)}","quotas":{{{",".join(quotas)}}}}}')
    return f"[{','.join(parts)}]"


def stamp(seconds, stamps, keep=True):
    """iso(from_unix(seconds)), remembered in `stamps` unless keep is false; whole seconds reuse their day's date."""
    found = stamps.get(seconds)
    if found is None:
        if type(seconds) is int:
            day, rest = divmod(seconds, DAY)
            date = stamps.get(("day", day))
            if date is None:
                date = stamps[("day", day)] = iso(from_unix(day * DAY))[:-9]  # "YYYY-MM-DDT"
            hour, rest = divmod(rest, 3600)
            found = f"{date}{TWO_DIGITS[hour]}:{TWO_DIGITS[rest // 60]}:{TWO_DIGITS[rest % 60]}Z"
        else:
            found = iso(from_unix(seconds))
        if keep:
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
