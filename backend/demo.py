"""Demo mode: canned upstream payloads fed through the real normalizers, and a plausible past for history."""

import copy
import json
import random
from functools import cache
from pathlib import Path

from .helpers.common import utc_now
from .quotas import history_figures

DATA = Path(__file__).resolve().parent / "demo_data"


@cache
def _load(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def payload(name):
    """A fresh copy of one demo upstream body."""
    return copy.deepcopy(_load(name))


def seed_history(store, providers, now=None, days=30, step_seconds=3600):
    """Fill a throwaway store with a past that ends at each demo account's figures today.

    Each quota fills steadily from the start of its window and empties at each reset; a balance
    is spent a little each hour (more on some days than others).
    """
    now = now or utc_now()
    end = int(now.timestamp())
    rows = []
    for provider in providers:
        for account in provider.demo_accounts:
            body = provider.demo(account, now)
            # A random sequence per quota, seeded by its figures: two keys on one OpenRouter account share their
            # balance's past (and so its daily rate), as they would for real.
            rngs = {q["id"]: random.Random(f"{provider.id}|{q['id']}|{q['used']}|{q['limit']}") for q in body["quotas"]}
            for t in range(end - days * 86400, end, step_seconds):
                figures = {"quotas": {}}
                for q in body["quotas"]:
                    past = _past(q, t, end, rngs[q["id"]])
                    if past is not None:
                        figures["quotas"][q["id"]] = past
                rows.append((provider.id, t, figures, account))
            rows.append((provider.id, end, history_figures(body), account))
    store.record_many(rows)


def _past(q, t, end, rng):
    """[used, limit, reset] of one quota at time t, on the way to today's reading."""
    used, limit = q["used"], q["limit"]
    if used is None:
        return None
    if q["kind"] == "balance" or not q["resets_at"] or not q["window_seconds"]:
        spent = (end - t) / 86400 * (0.6 + 0.5 * rng.random()) * max(used, 1) / 60
        return [round(max(used - spent, 0), 4), limit, None]
    length = q["window_seconds"]
    reset = int(end + (q["resets_in_seconds"] or 0))
    while reset - length > t:
        reset -= length
    elapsed_now = max(end - (int(end + (q["resets_in_seconds"] or 0)) - length), 1)
    rate = used / elapsed_now
    return [round(min(rate * (t - (reset - length)), limit or float("inf")), 2), limit, reset]
