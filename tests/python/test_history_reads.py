"""History reads by every strategy equal a plain reading of every row; points' JSON text equals json.dumps; the
upgrade in short holds and in the background; the vacuum in steps sized by time."""

import json
import math
import random
import sqlite3

import backend.history_store as history_store
from backend.helpers.common import from_unix, iso
from backend.history_json import points_text


def expected_points(snapshots, since, until, max_points, quota=None):
    """The documented answer from the snapshots as recorded ([(provider, t, figures)] in recording order): each
    snapshot in the range (with `quota`, those that hold it) one point, in time order, the same second in
    recording order; past max_points, per bucket the snapshots at its last time made one point (a later one's
    quota replacing an earlier one's). Quotas in the order they were first recorded (their series' order)."""
    order = {}
    for _, _, figures in snapshots:
        for name in figures["quotas"]:
            order.setdefault(name, len(order))
    taken = []
    for i, (_, t, figures) in enumerate(snapshots):
        found = {q: entry for q, entry in figures["quotas"].items() if quota is None or q == quota}
        if since <= t <= until and found:
            taken.append((t, i, found))
    taken.sort(key=lambda point: point[:2])
    if len(taken) > max_points:
        bucket = int((until - since) / max_points) + 1
        ends = {(t - since) // bucket: t for t, _, _ in taken}  # in time order: the last stays
        merged = {}
        for t, _, found in taken:
            if ends[(t - since) // bucket] == t:
                merged.setdefault(t, {}).update(found)
        taken = [(t, 0, found) for t, found in sorted(merged.items())]
    return [(t, {"quotas": dict(sorted(found.items(), key=lambda item: order[item[0]]))}) for t, _, found in taken]


def test_every_read_strategy_gives_the_plain_answer(store, monkeypatch):
    rng = random.Random(3)
    used = {"read through": 0, "probed": 0}
    read_through, probe = history_store._read_through, history_store._probe

    def counting(name, function):
        def run(*args):
            used[name] += 1
            return function(*args)
        return run

    monkeypatch.setattr(history_store, "_read_through", counting("read through", read_through))
    monkeypatch.setattr(history_store, "_probe", counting("probed", probe))
    snapshots = []
    for _ in range(400):
        t = rng.randint(0, 20000)
        names = rng.sample(["b", "a", "c"], rng.randint(1, 3))  # series ids by first recording, not by time
        snapshots.append(("p", t, {"quotas": {q: [rng.choice([rng.randint(0, 99), rng.random()]), 100, t + 60]
                                              for q in names}}))
    store.record_many(snapshots)
    # Same seconds: one quota again, then other quotas (a second snapshot of the same second is a point of its own)
    snapshots += [("p", t, {"quotas": {"a": [1.5, 100, None]}}) for _, t, _ in snapshots[:30]]
    store.record_many(snapshots[-30:])
    for _, t, _ in snapshots[30:60]:
        snapshots.append(("p", t, {"quotas": {q: [2.5, None, t] for q in rng.sample(["b", "a", "c"], rng.randint(1, 3))}}))
        store.record(*snapshots[-1])
    for _ in range(150):
        since = rng.randint(-50, 20000)
        until = rng.randint(since, 20050)
        max_points, quota = rng.choice([2, 5, 40, 150, 2000]), rng.choice([None, None, "a", "c"])
        found = store.history_report("p", "default", since, until, max_points, quota=quota)["points"]
        want = expected_points(snapshots, since, until, max_points, quota)
        assert found == want
        assert [list(f["quotas"]) for _, f in found] == [list(f["quotas"]) for _, f in want]  # quota order too
    assert used["read through"] and used["probed"]


def reference_text(points):
    """What the history route wrote before points_text: dicts through json.dumps."""
    def quotas(figures):
        found = {}
        for quota_id, entry in (figures.get("quotas") or {}).items():
            if isinstance(entry, list) and len(entry) == 3:
                used, limit, reset = entry
                found[quota_id] = {"used": used, "limit": limit, "resets_at": iso(from_unix(reset)) if reset else None}
        return found
    return json.dumps([{"t": iso(from_unix(t)), "quotas": quotas(f)} for t, f in points], separators=(",", ":"))


def test_points_text_is_what_json_dumps_writes():
    points = [
        (1_700_000_000, {"quotas": {"primary": [57.81, 100, 1_700_003_600], "secondary": [3, None, None]}}),
        (1_700_000_001, {"quotas": {"primary": [0.1 + 0.2, 100.0, 1_700_003_600], "weekly": [1e16, 1e-7, 0]}}),
        (1_700_086_399, {"quotas": {"caf\u00e9 \"q\"": [-0.0, 2**70, 1_700_090_000.0]}}),
        (1_700_086_400.5, {"quotas": {"x": [math.nan, math.inf, None], "y": [-math.inf, True, None]}}),
        (86_399, {"quotas": {"odd": ["12", [1, 2], None], "short": [1, 2], "not a list": {"used": 1}}}),
        (-3600, {"quotas": {}}),
        (5, {"usage_usd": 1.5}),
        (7, {"quotas": None}),
        (1_700_000_002, {"quotas": {"primary": [57.81, [100], 1_700_003_600], "secondary": [1, [100], 1_700_003_600]}}),
    ]
    assert points_text(points) == reference_text(points)
    assert points_text([]) == "[]"


def test_the_route_answers_the_same_in_debug_mode(env, make_client, tmp_path):
    client = make_client(env)
    store = client.application.extensions["usage_dashboard"].history
    store.record_many([("openai_codex", 1_700_000_000 + 300 * i, {"quotas": {"primary": [i / 3, 100, 1_700_010_000]}})
                       for i in range(50)])
    url = "/api/history/openai_codex?since=2023-11-14T00:00:00Z&until=2023-11-16T00:00:00Z&points=20"
    compact = client.get(url)
    client.application.debug = True
    pretty = client.get(url)
    assert compact.status_code == pretty.status_code == 200
    assert b"\n  " in pretty.data and b"\n  " not in compact.data
    assert compact.get_json() == pretty.get_json() and 1 < len(compact.get_json()["points"]) <= 20


def old_form(store, count):
    """`count` JSON snapshots waiting for the upgrade, as an older version left them."""
    store.last_good("none")  # creates the file
    db = sqlite3.connect(store.path)
    db.executemany("INSERT INTO snapshots (provider, account, t, figures) VALUES (?, ?, ?, ?)",
                   [("p", "default", 1000 + i, json.dumps({"quotas": {"a": [i, 100, None]}})) for i in range(count)]
                   + [("p", "default", 5000, json.dumps({"usage_usd": 1.5}))])  # stays JSON
    db.execute("INSERT OR REPLACE INTO meta (key, value) SELECT 'upgrade_below', MAX(rowid) + 1 FROM snapshots")
    db.commit()
    db.close()
    return store.points("p", 0, 10**6, max_points=10**6)


def test_the_upgrade_in_holds_of_one_snapshot_moves_everything_once(store):
    chart = old_form(store, 40)
    assert store.upgrade(batch=7, budget=0) == 40
    db = sqlite3.connect(store.path)
    assert db.execute("SELECT COUNT(*) FROM snapshots").fetchone()[0] == 1
    assert db.execute("SELECT COUNT(*) FROM readings").fetchone()[0] == 40
    assert db.execute("SELECT COUNT(*) FROM meta WHERE key = 'upgrade_below'").fetchone()[0] == 0
    assert store.points("p", 0, 10**6, max_points=10**6) == chart
    assert store.upgrade() == 0


def test_a_snapshot_moved_by_another_process_meanwhile_is_not_moved_twice(store, monkeypatch):
    old_form(store, 10)
    decode = history_store._decode

    def decode_then_lose_a_row(text):
        # Another process moves the newest snapshot between this one's read and its write.
        other = sqlite3.connect(store.path)
        other.execute("DELETE FROM snapshots WHERE rowid = (SELECT MAX(rowid) - 1 FROM snapshots)")
        other.commit()
        other.close()
        monkeypatch.setattr(history_store, "_decode", decode)
        return decode(text)

    monkeypatch.setattr(history_store, "_decode", decode_then_lose_a_row)
    assert store.upgrade() == 9
    assert sqlite3.connect(store.path).execute("SELECT COUNT(*) FROM readings").fetchone()[0] == 9


def test_the_background_upgrade_finishes_and_close_waits_for_it(store):
    chart = old_form(store, 300)
    thread = store.start_upgrade()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert sqlite3.connect(store.path).execute("SELECT COUNT(*) FROM snapshots").fetchone()[0] == 1
    assert store.points("p", 0, 10**6, max_points=10**6) == chart


def test_close_stops_the_background_upgrade_and_a_later_one_resumes(store):
    chart = old_form(store, 3000)
    thread = store.start_upgrade()
    store.close()
    assert not thread.is_alive()
    store.upgrade()
    db = sqlite3.connect(store.path)
    assert db.execute("SELECT COUNT(*) FROM snapshots").fetchone()[0] == 1
    assert db.execute("SELECT COUNT(*) FROM readings").fetchone()[0] == 3000
    assert store.points("p", 0, 10**6, max_points=10**6) == chart


def test_the_vacuum_in_steps_sized_by_time_frees_every_page(store):
    store.record_many([("p", t, {"quotas": {"a": [t, 100, None], "b": [t / 7, None, None]}}) for t in range(40000)])
    db = sqlite3.connect(store.path)
    db.execute("DELETE FROM readings")
    db.commit()
    assert db.execute("PRAGMA freelist_count").fetchone()[0] > 100
    store.vacuum(step=8, budget=0.0001)
    assert db.execute("PRAGMA freelist_count").fetchone()[0] == 0


def test_points_text_writes_a_negative_zero_limit_as_json_dumps_does():
    points = [(1, {"quotas": {"a": [1, 0.0, None], "b": [1, -0.0, 5]}}), (2, {"quotas": {"a": [1, -0.0, None]}}),
              (3, {"quotas": {"a": [1, 0.0, None]}})]
    assert points_text(points) == reference_text(points)
