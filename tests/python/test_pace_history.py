"""Pace from compact readings (a first reading and a count per quota) equals pace over every reading."""

import copy
import json
import random
import sqlite3
from datetime import UTC, datetime

import pytest

from backend.config import Settings
from backend.providers import _lookback, complete, pace_history
from backend.quotas import history_figures
from backend.registry import by_id

NOW = datetime(2026, 12, 20, 15, 7, 31, tzinfo=UTC)
NOW_TS = NOW.timestamp()
DAY = 86400


def body_for(provider_id):
    return by_id(provider_id).demo("default", NOW)


def reference(store, provider, body):
    """Pace as it was computed before: from every stored reading of the lookback, decoded and upgraded, one per
    second (the later one, as pace_points merged them)."""
    points = dict(store.points(provider.id, NOW_TS - _lookback(body), NOW_TS, max_points=10**9))
    return complete(provider, copy.deepcopy(body), sorted(points.items()), NOW, Settings())


def bounded(store, provider, body):
    summaries = pace_history(store, provider, "default", body, NOW_TS)
    return complete(provider, copy.deepcopy(body), [], NOW, Settings(), summaries)


def assert_same(store, provider_id, body):
    provider = by_id(provider_id)
    old, new = reference(store, provider, body), bounded(store, provider, body)
    assert [q["pace"] for q in new["quotas"]] == [q["pace"] for q in old["quotas"]]
    assert [q["status"] for q in new["quotas"]] == [q["status"] for q in old["quotas"]]
    assert new["forecast"] == old["forecast"] and new["status"] == old["status"]
    return new


def record_history(store, provider_id, body, times, drift=lambda t: 0, jitter=0):
    """Readings at `times` in the body's shape, used growing with time, resets as the body has them (+ drift)."""
    rng = random.Random(7)
    for t in times:
        figures = history_figures(body)
        for entry in figures["quotas"].values():
            entry[0] = round(max(entry[0] - (NOW_TS - t) / DAY * 3.7, 0), 4)
            if entry[2] is not None:
                entry[2] += drift(t) + rng.randint(-jitter, jitter)
        store.record(provider_id, t, figures)


def test_a_month_of_five_minute_readings_with_jittery_resets(store):
    body = body_for("openai_codex")
    record_history(store, "openai_codex", body, range(int(NOW_TS) - 32 * DAY, int(NOW_TS), 300), jitter=90)
    found = assert_same(store, "openai_codex", body)
    assert found["quotas"][0]["pace"]["basis"]["method"] == "history"
    assert found["quotas"][0]["pace"]["basis"]["points"] > 10


def test_a_reset_inside_the_window_and_a_window_that_moved(store):
    body = body_for("openai_codex")
    # Readings of an earlier window (reset 5 hours before), then a window that moved by 150 s (just past the
    # tolerance), then today's.
    record_history(store, "openai_codex", body, range(int(NOW_TS) - 9 * 3600, int(NOW_TS) - 4 * 3600, 300),
                   drift=lambda t: -5 * 3600)
    record_history(store, "openai_codex", body, range(int(NOW_TS) - 4 * 3600, int(NOW_TS) - 2 * 3600, 300),
                   drift=lambda t: 150)
    record_history(store, "openai_codex", body, range(int(NOW_TS) - 2 * 3600, int(NOW_TS) + 600, 300), jitter=120)
    found = assert_same(store, "openai_codex", body)
    assert any(q["pace"] and q["pace"]["basis"]["method"] == "history" for q in found["quotas"])


def test_a_balance_and_a_monthly_key_limit_over_two_months(store):
    body = body_for("openrouter")
    record_history(store, "openrouter", body, range(int(NOW_TS) - 60 * DAY, int(NOW_TS), 1800))
    found = assert_same(store, "openrouter", body)
    balance = found["quotas"][0]["pace"]
    assert balance["basis"]["method"] == "history" and balance["basis"]["period_days"] == pytest.approx(7, abs=0.05)


def test_first_release_rows_damaged_rows_and_the_same_second_twice(store):
    body = body_for("github_copilot")
    month = NOW.strftime("%Y-%m")
    for t in range(int(NOW_TS) - 19 * DAY, int(NOW_TS) - 10 * DAY, 3600):  # saved by the first release
        store.record("github_copilot", t, {"used": 400 + (t % 97), "monthly_limit": 1500, "period": month})
    record_history(store, "github_copilot", body, range(int(NOW_TS) - 10 * DAY, int(NOW_TS), 3600))
    record_history(store, "github_copilot", body, [int(NOW_TS) - 600, int(NOW_TS) - 600])
    db = sqlite3.connect(store.path)
    db.execute("INSERT INTO snapshots (provider, account, t, figures) VALUES ('github_copilot', 'default', ?, 'garbage')",
               (int(NOW_TS) - 3 * DAY,))
    db.commit()
    db.close()
    found = assert_same(store, "github_copilot", body)
    assert found["quotas"][0]["pace"]["basis"]["period_days"] == pytest.approx(19, abs=0.05)


@pytest.mark.parametrize("step", [600, 240])  # 240 s: more JSON snapshots in the lookback than MAX_POINTS
def test_the_upgrade_of_json_snapshots_changes_no_pace_and_no_chart(store, step):
    body = body_for("openai_codex")
    record_history(store, "openai_codex", body, range(int(NOW_TS) - 8 * DAY, int(NOW_TS), step), jitter=60)
    db = sqlite3.connect(store.path)
    # The same readings as schema 5 saved them: JSON snapshots, not yet moved.
    rows = db.execute("SELECT s.provider, s.account, r.t, s.quota, r.used, r.lim, r.reset FROM readings r"
                      " JOIN series s ON s.id = r.series ORDER BY r.t, r.series").fetchall()
    db.execute("DELETE FROM readings")
    snapshots = {}
    for provider, account, t, quota, used, limit, reset in rows:
        snapshots.setdefault((provider, account, t), {})[quota] = [used, limit, reset]
    db.executemany("INSERT INTO snapshots (provider, account, t, figures) VALUES (?, ?, ?, ?)",
                   [(p, a, t, json.dumps({"quotas": q})) for (p, a, t), q in snapshots.items()])
    db.execute("INSERT OR REPLACE INTO meta (key, value) SELECT 'upgrade_below', MAX(rowid) + 1 FROM snapshots")
    db.commit()
    db.close()
    provider = by_id("openai_codex")
    before = bounded(store, provider, body)
    chart = store.points("openai_codex", 0, 10**10, max_points=10**9)
    assert store.upgrade(batch=50) == len(snapshots)
    assert sqlite3.connect(store.path).execute("SELECT COUNT(*) FROM snapshots").fetchone()[0] == 0
    assert bounded(store, provider, body) == before == reference(store, provider, body)
    assert store.points("openai_codex", 0, 10**10, max_points=10**9) == chart
    assert store.upgrade() == 0
