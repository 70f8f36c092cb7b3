"""Usage history: one SQLite file of snapshots (provider, time, figures), safe for concurrent use."""

import contextlib
import json
import logging
import sqlite3
import threading
import time
from pathlib import Path

SCHEMA_VERSION = 5
MAX_POINTS = 2000
MIGRATIONS = {
    1: [
        "CREATE TABLE snapshots (provider TEXT NOT NULL, t INTEGER NOT NULL, figures TEXT NOT NULL)",
        "CREATE INDEX snapshots_provider_t ON snapshots (provider, t)",
    ],
    # The last good answer of each provider, so a restart with a failing upstream still has figures.
    2: ["CREATE TABLE last_good (provider TEXT PRIMARY KEY, value TEXT NOT NULL)"],
    # Several accounts per provider: readings and last-good answers are kept per account.
    3: [
        "ALTER TABLE snapshots ADD COLUMN account TEXT NOT NULL DEFAULT 'default'",
        "CREATE INDEX snapshots_provider_account_t ON snapshots (provider, account, t)",
        "DROP INDEX IF EXISTS snapshots_provider_t",
        "UPDATE last_good SET provider = provider || '/default' WHERE provider NOT LIKE '%/%'",
    ],
    # Alerts: what fired in each episode (so a restart never repeats one), and the events themselves.
    4: [
        "CREATE TABLE alert_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE alert_events (id INTEGER PRIMARY KEY AUTOINCREMENT, t INTEGER NOT NULL, body TEXT NOT NULL)",
        "CREATE INDEX alert_events_t ON alert_events (t)",
    ],
    # Where thinning got to, so each run starts there instead of scanning years of history again.
    5: ["CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"],
}
log = logging.getLogger("usage_dashboard")
OPEN_ATTEMPTS = 20
MAX_READERS = 4


class HistoryUnavailable(Exception):
    """The database cannot be used; the message says why and what to do."""


class HistoryStore:
    """Snapshots in SQLite (WAL mode). One connection, one writer at a time, opened on first use."""

    def __init__(self, path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._db = None
        self._failure = None
        self._readers = []

    def _connect(self):
        if self._db is not None:
            return self._db
        if self._failure:
            raise HistoryUnavailable(self._failure)
        for attempt in range(OPEN_ATTEMPTS):
            try:
                self._db = self._open()
                return self._db
            except sqlite3.OperationalError as exc:
                # Another process creating or migrating the same file: wait for it and look again.
                if "locked" not in str(exc) and "busy" not in str(exc) or attempt == OPEN_ATTEMPTS - 1:
                    return self._fail(exc, sticky=False)
                time.sleep(0.05 * (attempt + 1))
            except (OSError, sqlite3.Error) as exc:
                return self._fail(exc, sticky=True)
        return self._fail(sqlite3.OperationalError("database is locked"), sticky=False)

    def _open(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=10, check_same_thread=False, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout=10000")
            # A new file returns freed pages on request (incremental vacuum); it must be set before any table.
            db.execute("PRAGMA auto_vacuum=INCREMENTAL")
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            # Bounded memory and disk: a small page cache, and a WAL that is cut back after checkpoints.
            db.execute("PRAGMA cache_size=-2048")
            db.execute("PRAGMA journal_size_limit=4194304")
            self._migrate(db)
        except BaseException:
            db.close()
            raise
        return db

    def _fail(self, exc, sticky):
        """Raise HistoryUnavailable; only a lasting cause (permissions, damage) is remembered."""
        message = (
            f"Usage history is unavailable: {self.path} cannot be used ({_reason(exc)}). "
            "Fix its permissions, move it aside if it is damaged, or set DASHBOARD_DB to another file; "
            "the live figures keep working."
        )
        if sticky:
            self._failure = message
        raise HistoryUnavailable(message) from None

    @staticmethod
    def _migrate(db):
        """Bring the schema up to date; safe when several processes open a fresh file at the same moment."""
        db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        found = db.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0
        if found > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(f"it was written by a newer version (schema {found})")
        if found == SCHEMA_VERSION:
            return
        with db:
            db.execute("BEGIN IMMEDIATE")  # one migrator at a time; the others wait, then find nothing to do
            current = db.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0
            if current > SCHEMA_VERSION:
                raise sqlite3.DatabaseError(f"it was written by a newer version (schema {current})")
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[version]:
                    db.execute(statement)
                db.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))

    def _failed(self, exc):
        return HistoryUnavailable(
            f"Usage history could not be read or written ({_reason(exc)}). "
            f"If {self.path} is damaged, move it aside; the live figures keep working."
        )

    def record(self, provider, t, figures, account="default"):
        """Store one snapshot; t is Unix seconds."""
        self.record_many([(provider, t, figures, account)])

    def record_many(self, snapshots):
        """Store (provider, t, figures[, account]) snapshots in one transaction."""
        rows = [(s[0], s[3] if len(s) > 3 else "default", int(s[1]), json.dumps(s[2], separators=(",", ":")))
                for s in snapshots]
        try:
            with self._lock:
                db = self._connect()
                with db:
                    db.execute("BEGIN IMMEDIATE")
                    db.executemany("INSERT INTO snapshots (provider, account, t, figures) VALUES (?, ?, ?, ?)", rows)
        except sqlite3.Error as exc:
            raise self._failed(exc) from None

    def points(self, provider, since, until, max_points=MAX_POINTS, account="default"):
        """[(t, figures)] oldest first; long ranges keep the last snapshot of each time bucket.

        Rows that are not a JSON object are skipped and logged: a damaged row never fails a reading.
        """
        return self.points_report(provider, since, until, max_points, account)[0]

    def points_report(self, provider, since, until, max_points=MAX_POINTS, account="default"):
        """(points, how many stored rows were unreadable and skipped)."""
        try:
            return self._points(provider, account, since, until, max_points)
        except sqlite3.Error as exc:
            raise self._failed(exc) from None

    @contextlib.contextmanager
    def _reader(self):
        """A read-only connection of its own (WAL lets readers run beside the writer and each other)."""
        with self._lock:
            self._connect()  # the file exists and is migrated
            db = self._readers.pop() if self._readers else None
        if db is None:
            db = sqlite3.connect(self.path, timeout=10, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA query_only=ON")
            db.execute("PRAGMA cache_size=-1024")
        try:
            yield db
        finally:
            with self._lock:
                if len(self._readers) < MAX_READERS and self._db is not None:
                    self._readers.append(db)
                    db = None
            if db is not None:
                db.close()

    def _points(self, provider, account, since, until, max_points):
        where = (provider, account, int(since), int(until))
        with self._reader() as db:
            count = db.execute(
                "SELECT COUNT(*) FROM snapshots WHERE provider = ? AND account = ? AND t BETWEEN ? AND ?", where,
            ).fetchone()[0]
            if count <= max_points:
                rows = db.execute(
                    "SELECT t, figures FROM snapshots WHERE provider = ? AND account = ? AND t BETWEEN ? AND ?"
                    " ORDER BY t, rowid", where,
                ).fetchall()
            else:
                bucket = max(int((until - since) / max_points) + 1, 1)
                rows = db.execute(
                    "SELECT t, figures FROM snapshots WHERE rowid IN ("
                    " SELECT MAX(rowid) FROM snapshots WHERE provider = ? AND account = ? AND t BETWEEN ? AND ?"
                    " GROUP BY (t - ?) / ?) ORDER BY t",
                    (*where, int(since), bucket),
                ).fetchall()
        points, skipped = [], 0
        for t, figures in rows:
            value = _decode(figures)
            if value is None:
                skipped += 1
                continue
            points.append((t, value))
        if skipped:
            log.warning("history: skipped %d unreadable %s/%s readings", skipped, provider, account)
        return points, skipped

    def thin(self, older_than, batch_seconds=6 * 3600, vacuum_pages=2000):
        """Keep one snapshot per account and hour for everything before `older_than` (Unix s).

        Works through the old range a few hours at a time, each batch by the (provider, account, t)
        index and under the lock only briefly; remembers how far it got, so a later run starts there;
        then gives freed pages back to the file system (incremental vacuum).
        """
        try:
            with self._lock:
                db = self._connect()
                done = db.execute("SELECT value FROM meta WHERE key = 'thinned_until'").fetchone()
                accounts = db.execute("SELECT DISTINCT provider, account FROM snapshots").fetchall()
                oldest = db.execute("SELECT MIN(t) FROM snapshots").fetchone()[0]
            start = int(done[0]) if done else (oldest if oldest is not None else older_than)
            removed = 0
            for batch_start in range(int(start) // 3600 * 3600, int(older_than) // 3600 * 3600, batch_seconds):
                batch_end = min(batch_start + batch_seconds, int(older_than) // 3600 * 3600)
                with self._lock:
                    db = self._connect()
                    with db:
                        db.execute("BEGIN IMMEDIATE")
                        for provider, account in accounts:
                            removed += db.execute(
                                "DELETE FROM snapshots WHERE provider = ? AND account = ? AND t >= ? AND t < ?"
                                " AND rowid NOT IN (SELECT MAX(rowid) FROM snapshots WHERE provider = ? AND account = ?"
                                " AND t >= ? AND t < ? GROUP BY t / 3600)",
                                (provider, account, batch_start, batch_end, provider, account, batch_start, batch_end),
                            ).rowcount
                        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('thinned_until', ?)", (str(batch_end),))
            with self._lock:
                self._connect().execute(f"PRAGMA incremental_vacuum({int(vacuum_pages)})")
            return removed
        except sqlite3.Error as exc:
            raise self._failed(exc) from None

    def save_last_good(self, provider, value, account="default"):
        """Keep the account's latest normalized answer (replacing the previous one)."""
        try:
            with self._lock:
                self._connect().execute(
                    "INSERT OR REPLACE INTO last_good (provider, value) VALUES (?, ?)",
                    (f"{provider}/{account}", json.dumps(value)),
                )
        except sqlite3.Error as exc:
            raise self._failed(exc) from None

    def last_good(self, provider, account="default"):
        """The account's latest saved answer, or None (also when the saved row is damaged)."""
        try:
            with self._lock:
                row = self._connect().execute(
                    "SELECT value FROM last_good WHERE provider = ?", (f"{provider}/{account}",)).fetchone()
        except sqlite3.Error as exc:
            raise self._failed(exc) from None
        value = _decode(row[0]) if row else None
        if row and value is None:
            log.warning("history: the saved last good %s/%s answer is unreadable; ignored", provider, account)
        return value

    def alert_state(self):
        """{key: state} of the alert engine; unreadable rows are skipped."""
        try:
            with self._lock:
                rows = self._connect().execute("SELECT key, value FROM alert_state").fetchall()
        except sqlite3.Error as exc:
            raise self._failed(exc) from None
        return {key: value for key, value in ((k, _decode(v)) for k, v in rows) if value is not None}

    def save_alert_state(self, key, value):
        """Keep one key's alert state (None removes it)."""
        try:
            with self._lock:
                db = self._connect()
                if value is None:
                    db.execute("DELETE FROM alert_state WHERE key = ?", (key,))
                else:
                    db.execute("INSERT OR REPLACE INTO alert_state (key, value) VALUES (?, ?)", (key, json.dumps(value)))
        except sqlite3.Error as exc:
            raise self._failed(exc) from None

    def record_alert(self, event):
        """Store an alert event; returns its id."""
        try:
            with self._lock:
                cursor = self._connect().execute(
                    "INSERT INTO alert_events (t, body) VALUES (?, ?)", (int(time.time()), json.dumps(event)))
                return cursor.lastrowid
        except sqlite3.Error as exc:
            raise self._failed(exc) from None

    def alerts(self, since, limit):
        """Events recorded at or after `since` (Unix s), newest first, at most `limit`."""
        try:
            with self._lock:
                rows = self._connect().execute(
                    "SELECT id, body FROM alert_events WHERE t >= ? ORDER BY id DESC LIMIT ?", (int(since), int(limit))
                ).fetchall()
        except sqlite3.Error as exc:
            raise self._failed(exc) from None
        events = []
        for row_id, body in rows:
            event = _decode(body)
            if event is not None:
                events.append({**event, "id": row_id})
        return events

    def close(self):
        with self._lock:
            for reader in self._readers:
                reader.close()
            self._readers = []
            if self._db is not None:
                self._db.close()
                self._db = None


def _decode(text):
    """A stored JSON object, or None for anything else (damaged rows are skipped, not fatal)."""
    try:
        value = json.loads(text)
    except (TypeError, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _reason(exc):
    text = str(exc) or type(exc).__name__
    return text[:120]
