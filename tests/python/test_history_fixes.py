"""History store corner cases: a rolled-back write, reads beside a moving upgrade, rows reused by another process,
vacuum of an older file, checkpoints that must not wait, close during maintenance."""

import sqlite3

import pytest

from backend.history_store import HistoryStore, HistoryUnavailable


@pytest.fixture
def store(tmp_path):
    store = HistoryStore(tmp_path / "h.sqlite3")
    yield store
    store.close()


def test_a_rolled_back_write_leaves_no_remembered_series_id(store):
    store.record("p", 1, {"quotas": {"a": [1, 100, None]}})
    db = sqlite3.connect(store.path)
    # Any error later in the transaction: the new series row of "b" rolls back with it.
    db.execute("CREATE TRIGGER fail BEFORE INSERT ON readings WHEN NEW.used = 666 BEGIN SELECT RAISE(ABORT, 'no'); END")
    db.commit()
    with pytest.raises(HistoryUnavailable):
        store.record("p", 2, {"quotas": {"b": [666, 100, None]}})
    db.execute("DROP TRIGGER fail")
    db.commit()
    store.record("p", 3, {"quotas": {"b": [3, 100, None]}})
    store.record("q", 4, {"quotas": {"c": [4, 100, None]}})
    assert db.execute("SELECT COUNT(*) FROM readings WHERE series NOT IN (SELECT id FROM series)").fetchone()[0] == 0
    assert store.points("p", 0, 10) == [(1, {"quotas": {"a": [1, 100, None]}}), (3, {"quotas": {"b": [3, 100, None]}})]
    assert store.points("q", 0, 10) == [(4, {"quotas": {"c": [4, 100, None]}})]
