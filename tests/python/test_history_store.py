"""The SQLite history: schema, concurrent writers, downsampling, thinning, damaged files."""

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from backend.history_store import SCHEMA_VERSION, HistoryStore, HistoryUnavailable

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(tmp_path):
    store = HistoryStore(tmp_path / "sub" / "folder" / "history.sqlite3")
    yield store
    store.close()


def test_first_use_creates_folder_schema_and_wal(store):
    store.record("openrouter", 100, {"usage_usd": 1.5})
    assert store.path.exists()
    db = sqlite3.connect(store.path)
    assert db.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_points_are_per_provider_in_time_order_within_range(store):
    store.record("openrouter", 300, {"v": 3})
    store.record("openrouter", 100, {"v": 1})
    store.record("github_copilot", 200, {"v": 9})
    store.record("openrouter", 200, {"v": 2})
    assert store.points("openrouter", 0, 1000) == [(100, {"v": 1}), (200, {"v": 2}), (300, {"v": 3})]
    assert store.points("openrouter", 150, 250) == [(200, {"v": 2})]


def test_reopening_keeps_data_and_does_not_migrate_twice(tmp_path):
    path = tmp_path / "h.sqlite3"
    first = HistoryStore(path)
    first.record("openrouter", 1, {"v": 1})
    first.close()
    second = HistoryStore(path)
    assert second.points("openrouter", 0, 10) == [(1, {"v": 1})]
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == SCHEMA_VERSION


def test_concurrent_writers_lose_nothing(store):
    def write(offset):
        for i in range(200):
            store.record("openrouter", offset * 1000 + i, {"i": i})

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store.points("openrouter", 0, 10**6, max_points=10**6)) == 1600


def test_a_second_process_can_write_at_the_same_time(store):
    store.record("openrouter", 1, {"v": 0})
    code = (
        "import sys; sys.path.insert(0, '.');"
        "from backend.history_store import HistoryStore;"
        f"s = HistoryStore({str(store.path)!r});"
        "[s.record('openrouter', 10 + i, {'p': 2}) for i in range(100)]"
    )
    other = subprocess.Popen([sys.executable, "-c", code])
    for i in range(100):
        store.record("openrouter", 1000 + i, {"p": 1})
    assert other.wait(timeout=30) == 0
    assert len(store.points("openrouter", 0, 10**6, max_points=10**6)) == 201


def test_long_ranges_are_downsampled(store):
    for t in range(0, 10000):
        store.record("openrouter", t, {"t": t})
    points = store.points("openrouter", 0, 9999, max_points=100)
    assert 50 <= len(points) <= 100
    assert points[-1] == (9999, {"t": 9999})
    assert [t for t, _ in points] == sorted(t for t, _ in points)


def test_thinning_keeps_one_per_hour_before_the_cutoff(store):
    for t in range(0, 4 * 3600, 300):  # four hours of 5-minute samples
        store.record("openrouter", t, {"t": t})
        store.record("openai_codex", t, {"t": t})
    removed = store.thin(older_than=2 * 3600)
    old = [t for t, _ in store.points("openrouter", 0, 2 * 3600 - 1)]
    recent = [t for t, _ in store.points("openrouter", 2 * 3600, 4 * 3600)]
    assert old == [3300, 6900]
    assert len(recent) == 24
    assert removed == 2 * 22
    assert store.thin(older_than=2 * 3600) == 0


def test_a_file_that_is_not_a_database_is_reported(tmp_path):
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    store = HistoryStore(path)
    with pytest.raises(HistoryUnavailable) as caught:
        store.record("openrouter", 1, {})
    assert str(path) in str(caught.value) and "DASHBOARD_DB" in str(caught.value)
    with pytest.raises(HistoryUnavailable):
        store.points("openrouter", 0, 1)


def test_a_folder_that_cannot_be_created_is_reported(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(HistoryUnavailable) as caught:
        HistoryStore(blocker / "history.sqlite3").points("openrouter", 0, 1)
    assert "cannot be used" in str(caught.value)


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "h.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    db.execute("INSERT INTO schema_version VALUES (99)")
    db.commit()
    with pytest.raises(HistoryUnavailable) as caught:
        HistoryStore(path).points("openrouter", 0, 1)
    assert "newer version" in str(caught.value)


def test_a_crash_mid_write_leaves_a_usable_database(tmp_path):
    path = tmp_path / "h.sqlite3"
    HistoryStore(path).record("openrouter", 1, {"v": 1})
    code = (
        "import os, sqlite3;"
        f"db = sqlite3.connect({str(path)!r}, isolation_level=None);"
        "db.execute('BEGIN IMMEDIATE');"
        "sql = 'INSERT INTO snapshots (provider, t, figures) VALUES (?,?,?)';"
        "[db.execute(sql, ('openrouter', 100 + i, '{}')) for i in range(500)];"
        "os._exit(9)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 9
    store = HistoryStore(path)
    assert store.points("openrouter", 0, 10**6) == [(1, {"v": 1})]
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_last_good_answer_is_kept_per_provider(store):
    assert store.last_good("openrouter") is None
    store.save_last_good("openrouter", {"v": 1})
    store.save_last_good("openrouter", {"v": 2})
    store.save_last_good("openai_codex", {"v": 9})
    assert store.last_good("openrouter") == {"v": 2}
    assert store.last_good("openai_codex") == {"v": 9}


def test_a_version_1_database_is_migrated(tmp_path):
    path = tmp_path / "v1.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    db.execute("INSERT INTO schema_version VALUES (1)")
    db.execute("CREATE TABLE snapshots (provider TEXT NOT NULL, t INTEGER NOT NULL, figures TEXT NOT NULL)")
    db.execute("INSERT INTO snapshots VALUES ('openrouter', 5, '{\"v\": 1}')")
    db.commit()
    db.close()
    store = HistoryStore(path)
    assert store.points("openrouter", 0, 10) == [(5, {"v": 1})]
    store.save_last_good("openrouter", {"ok": True})
    assert store.last_good("openrouter") == {"ok": True}


def test_many_processes_creating_a_fresh_database_at_once_all_succeed(tmp_path):
    path = tmp_path / "fresh.sqlite3"
    start = time.time() + 1.5
    code = (
        "import sys, time; sys.path.insert(0, '.');"
        "from backend.history_store import HistoryStore;"
        f"time.sleep(max({start} - time.time(), 0));"
        f"store = HistoryStore({str(path)!r}); store.record('openrouter', 1, {{'v': 1}});"
        "print(len(store.points('openrouter', 0, 10)))"
    )
    processes = [subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(24)]
    results = [(p.wait(60), p.stdout.read(), p.stderr.read()) for p in processes]
    assert [code for code, _, _ in results] == [0] * 24, [err for _, _, err in results if err][:1]
    assert HistoryStore(path).points("openrouter", 0, 10) and len(HistoryStore(path).points("openrouter", 0, 10)) == 24


def test_damaged_rows_are_skipped_and_counted_and_a_damaged_last_good_is_ignored(store):
    store.record("openrouter", 1, {"quotas": {}})
    db = sqlite3.connect(store.path)
    db.execute("INSERT INTO snapshots (provider, account, t, figures) VALUES ('openrouter', 'default', 2, 'not json')")
    db.execute("INSERT INTO snapshots (provider, account, t, figures) VALUES ('openrouter', 'default', 3, '[1, 2]')")
    db.execute("INSERT OR REPLACE INTO last_good (provider, value) VALUES ('openrouter/default', '{broken')")
    db.commit()
    found = store.history_report("openrouter", "default", 0, 10)
    points, skipped = found["points"], found["unreadable"]
    assert points == [(1, {"quotas": {}})] and skipped == 2
    assert store.last_good("openrouter") is None


def test_a_damaged_history_never_fails_the_live_cards_and_the_history_route_says_so(env, make_client, mock_all, tmp_path):
    mock_all()
    client = make_client(env)
    assert client.get("/api/openrouter/balance").status_code == 200
    db = sqlite3.connect(tmp_path / "history.sqlite3")
    db.execute("INSERT INTO snapshots (provider, account, t, figures) VALUES ('openrouter', 'default', ?, 'garbage')",
               (int(time.time()),))
    db.execute("UPDATE last_good SET value = 'garbage'")
    db.commit()
    assert client.get("/api/openrouter/balance?refresh=1", headers={"X-Dashboard-Refresh": "1"}).status_code == 200
    history = client.get("/api/history/openrouter")
    assert history.status_code == 200 and history.get_json()["unreadable"] == 1


def test_readings_saved_by_the_first_release_are_shown_in_the_quota_shape(env, make_client, mock_all, tmp_path):
    mock_all()
    now = int(time.time())
    store = HistoryStore(tmp_path / "history.sqlite3")
    month = time.strftime("%Y-%m", time.gmtime(now))
    store.record("github_copilot", now - 7200, {"used": 120, "monthly_limit": 300, "period": month})
    store.record("openai_codex", now - 600, {"windows": {"primary": 30}, "resets": {"primary": now + 3600}})
    client = make_client(env)
    copilot = client.get("/api/history/github_copilot").get_json()["points"][0]["quotas"]["monthly"]
    assert copilot["used"] == 120 and copilot["limit"] == 300 and copilot["resets_at"].endswith("T00:00:00Z")
    codex = client.get("/api/history/openai_codex").get_json()["points"][0]["quotas"]["primary"]
    assert (codex["used"], codex["limit"]) == (30, 100)
