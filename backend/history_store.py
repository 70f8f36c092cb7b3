"""Usage history: one SQLite file of snapshots (provider, time, figures), safe for concurrent use."""

import collections
import contextlib
import itertools
import json
import logging
import math
import operator
import sqlite3
import threading
import time
from pathlib import Path

SCHEMA_VERSION = 6
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
    # Compact readings: one row per quota and time, numbers only, clustered by (series, t), so a chart or
    # a pace is an indexed range read with no JSON. Columns without a type keep ints and floats as given.
    # Existing snapshots move over later, a batch at a time (upgrade), newest first: opening stays instant.
    6: [
        "CREATE TABLE series (id INTEGER PRIMARY KEY, provider TEXT NOT NULL, account TEXT NOT NULL,"
        " quota TEXT NOT NULL, UNIQUE (provider, account, quota))",
        # n tells apart readings taken within the same second (0, then 1, ...).
        "CREATE TABLE readings (series INTEGER NOT NULL, t INTEGER NOT NULL, n INTEGER NOT NULL, used NOT NULL, lim,"
        " reset, PRIMARY KEY (series, t, n)) WITHOUT ROWID",
        "INSERT OR REPLACE INTO meta (key, value) SELECT 'upgrade_below', COALESCE(MAX(rowid), 0) + 1 FROM snapshots",
    ],
}
log = logging.getLogger("usage_dashboard")
OPEN_ATTEMPTS = 20
MAX_READERS = 4
# n of a snapshot's readings: one number for all its quotas, after any other snapshot of the account in the same
# second (so readings of one snapshot stay one point, whichever quotas each snapshot holds).
NEXT_N = ("SELECT COALESCE(MAX(n) + 1, 0) FROM readings WHERE series IN (SELECT id FROM series WHERE provider = ?"
          " AND account = ?) AND t = ?")
# The same, numbered before any other: the upgrade moves snapshots newest first.
EARLIER_N = ("SELECT COALESCE(MIN(n) - 1, 0) FROM readings WHERE series IN (SELECT id FROM series WHERE provider = ?"
             " AND account = ?) AND t = ?")
ADD_READING = "INSERT INTO readings (series, t, n, used, lim, reset) VALUES (?, ?, ?, ?, ?, ?)"
# The last reading time of one series in each bucket [lo, lo + bucket) from since to until: one probe each.
BUCKET_ENDS = ("WITH RECURSIVE k(lo) AS (SELECT ? UNION ALL SELECT lo + ? FROM k WHERE lo + ? <= ?)"
               " SELECT (SELECT t FROM readings WHERE series = ? AND t >= lo AND t < lo + ? AND t <= ?"
               " ORDER BY t DESC LIMIT 1) FROM k")
DENSE = 4  # readings a bucket, above which a long range is probed bucket by bucket instead of read through
UPGRADE_BATCH = 256  # JSON snapshots read and decoded (outside the lock) at a time
HOLD_BUDGET = 0.005  # seconds of writing per lock hold in upgrade and vacuum, so others wait little
CHECKPOINT_EVERY = 8  # batches between checkpoints, so no commit under the lock reaches the automatic one
VACUUM_STEP = 64  # pages given back by the first lock hold; later ones size themselves to HOLD_BUDGET
CLOSE_WAIT = 5  # seconds close() waits for the background upgrade to stop (one lock hold, normally)
TRUNCATE_WAIT_MS = 50  # the longest a TRUNCATE checkpoint keeps writers waiting: it gives up, a later run does it
VACUUM_STEPS = 400  # at most this many steps per run: the rest waits for the next run


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
        self._series = {}  # (provider, account, quota) -> series id; ids never change once given
        self._maintenance = threading.RLock()  # one upgrade or thinning at a time (thin runs upgrade first)
        # close() counts up: upgrade, thinning and vacuum stop as soon as it differs from what it was when they
        # began (a later run, after the store opened again, goes on as usual; nothing needs clearing).
        self._closes = 0
        self._upgrading = None

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
        """The HistoryUnavailable for a failed read or write. Remembered series ids are dropped, to be looked up
        again: whatever rolled back, no id of a series row it took away stays (called outside the lock)."""
        with self._lock:
            self._series = {}
        return HistoryUnavailable(
            f"Usage history could not be read or written ({_reason(exc)}). "
            f"If {self.path} is damaged, move it aside; the live figures keep working."
        )

    def record(self, provider, t, figures, account="default"):
        """Store one snapshot; t is Unix seconds."""
        self.record_many([(provider, t, figures, account)])

    def record_many(self, snapshots):
        """Store (provider, t, figures[, account]) snapshots in one transaction.

        Figures in today's quota shape become compact readings; anything else is kept as JSON, as before.
        """
        compact, loose = [], []
        for s in snapshots:
            provider, t, figures, account = s[0], int(s[1]), s[2], s[3] if len(s) > 3 else "default"
            entries = _compact(figures)
            if entries is None:
                loose.append((provider, account, t, json.dumps(figures, separators=(",", ":"))))
            else:
                compact.append((provider, account, t, entries))
        try:
            with self._lock:
                db = self._connect()
                created = {}
                with db:
                    db.execute("BEGIN IMMEDIATE")
                    if loose:
                        db.executemany("INSERT INTO snapshots (provider, account, t, figures) VALUES (?, ?, ?, ?)", loose)
                    for provider, account, t, entries in compact:
                        self._add_snapshot(db, created, NEXT_N, provider, account, t, entries)
                self._series.update(created)  # committed: only now are the ids for good
        except sqlite3.Error as exc:
            raise self._failed(exc) from None

    def _add_snapshot(self, db, created, numbering, provider, account, t, entries):
        """Write one snapshot's readings, all with the n that `numbering` (NEXT_N or EARLIER_N) gives."""
        n = db.execute(numbering, (provider, account, t)).fetchone()[0]
        db.executemany(ADD_READING, [(self._series_id(db, created, provider, account, quota), t, n, used, limit, reset)
                                     for quota, used, limit, reset in entries])

    def _series_id(self, db, created, provider, account, quota):
        """The series id of a quota; one first seen in this transaction goes into `created`, for the caller to
        remember once the transaction has committed (a rollback takes the series row away again)."""
        key = (provider, account, quota)
        found = self._series.get(key) or created.get(key)
        if found is None:
            db.execute("INSERT OR IGNORE INTO series (provider, account, quota) VALUES (?, ?, ?)", key)
            found = db.execute("SELECT id FROM series WHERE provider = ? AND account = ? AND quota = ?", key).fetchone()[0]
            created[key] = found
        return found


    def points(self, provider, since, until, max_points=MAX_POINTS, account="default"):
        """[(t, figures)] oldest first; long ranges keep the last snapshot of each time bucket.

        Rows that are not a JSON object are skipped and logged: a damaged row never fails a reading.
        """
        return self.history_report(provider, account, since, until, max_points)["points"]

    def history_report(self, provider, account, since, until, max_points=MAX_POINTS, quota=None):
        """{points: [(t, figures)] oldest first (only `quota` when given, plus any JSON rows), unreadable: count,
        quotas: [ids with a compact reading in the range, by first reading]}; long ranges keep the last
        reading of each time bucket."""
        try:
            with self._reader() as db:
                return self._history(db, provider, account, int(since), int(until), max_points, quota)
        except sqlite3.Error as exc:
            raise self._failed(exc) from None

    @contextlib.contextmanager
    def _reader(self):
        """A read-only connection of its own (WAL lets readers run beside the writer and each other), in one read
        transaction: every statement of the read sees the same snapshot, whatever commits meanwhile (an upgrade
        hold moving rows from JSON to compact ones between two statements would otherwise hide them from both)."""
        with self._lock:
            self._connect()  # the file exists and is migrated
            db = self._readers.pop() if self._readers else None
        if db is None:
            db = sqlite3.connect(self.path, timeout=10, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA query_only=ON")
            db.execute("PRAGMA cache_size=-1024")
        try:
            db.execute("BEGIN")
            yield db
        finally:
            ended = False
            with contextlib.suppress(sqlite3.Error):
                if db.in_transaction:
                    db.execute("ROLLBACK")  # nothing was written: ending the read is all it does
                ended = True
            with self._lock:
                # A connection still in its read would keep an old snapshot for good: it is closed, not kept.
                if ended and len(self._readers) < MAX_READERS and self._db is not None:
                    self._readers.append(db)
                    db = None
            if db is not None:
                db.close()

    def _history(self, db, provider, account, since, until, max_points, quota, compact=True):
        ids = db.execute("SELECT id, quota FROM series WHERE provider = ? AND account = ? ORDER BY id",
                         (provider, account)).fetchall() if compact else []
        first = []
        for sid, name in ids:
            seen = db.execute("SELECT MIN(t) FROM readings WHERE series = ? AND t BETWEEN ? AND ?",
                              (sid, since, until)).fetchone()[0]
            if seen is not None:
                first.append((seen, sid, name))
        first.sort()
        wanted = [(sid, name) for _, sid, name in first if quota is None or name == quota]
        names = dict(wanted)
        where = (json.dumps(list(names)), since, until)  # series ids go in as one JSON list (json_each)
        loose_where = (provider, account, since, until)
        # Only whether the range holds more than max_points readings matters (and, past that, whether it holds
        # more than DENSE a bucket): both counts stop there, so years of readings are never counted one by one.
        count = db.execute("SELECT COUNT(*) FROM (SELECT 1 FROM snapshots WHERE provider = ? AND account = ?"
                           " AND t BETWEEN ? AND ? LIMIT ?)", (*loose_where, max_points + 1)).fetchone()[0]
        loose_count = count
        times = db.execute("SELECT COUNT(*) FROM (SELECT DISTINCT t, n FROM readings WHERE series IN (SELECT value"
                           " FROM json_each(?)) AND t BETWEEN ? AND ? LIMIT ?)",
                           (*where, DENSE * max_points + 1)).fetchone()[0] if wanted else 0
        count += times
        bucket = max(int((until - since) / max_points) + 1, 1) if count > max_points else None
        if not wanted:
            compact = {}
        elif bucket is None or times <= DENSE * max_points:
            compact = _read_through(db, names, since, until, bucket)
        else:
            compact = _probe(db, names, since, until, bucket)
        loose = []
        if loose_count and bucket is None:
            loose = db.execute("SELECT t, figures FROM snapshots WHERE provider = ? AND account = ? AND t BETWEEN ? AND ?"
                               " ORDER BY t, rowid", loose_where).fetchall()
        elif loose_count:
            loose = db.execute(
                "SELECT t, figures FROM snapshots WHERE rowid IN ("
                " SELECT MAX(rowid) FROM snapshots WHERE provider = ? AND account = ? AND t BETWEEN ? AND ?"
                " GROUP BY (t - ?) / ?) ORDER BY t", (*loose_where, since, bucket)).fetchall()
        points, skipped = [], 0
        for t, figures in loose:
            value = _decode(figures)
            if value is None:
                skipped += 1
                continue
            points.append((t, 0, value))
        points += [(t, 1 + n, {"quotas": found}) for (t, n), found in compact.items()]
        points.sort(key=operator.itemgetter(0, 1))
        if bucket is not None and loose and compact:
            kept = {}
            for point in points:  # the JSON rows and the compact ones were bucketed apart: one point per bucket
                kept[(point[0] - since) // bucket] = point
            points = list(kept.values())
        if skipped:
            log.warning("history: skipped %d unreadable %s/%s readings", skipped, provider, account)
        return {"points": [(t, figures) for t, _, figures in points], "unreadable": skipped,
                "quotas": [name for _, _, name in first]}

    def window_summaries(self, provider, account, asks, since, until):
        """Pace's view of history: ({quota: (first reading (t, used) or None, how many)}, JSON points).

        asks: {quota: (from t, before t, lowest reset or None, highest reset or None)}: each a bounded
        indexed read of compact rows. JSON points: the snapshots between since and until not (yet) in
        compact form, for the caller to read as it always did.
        """
        found = {}
        try:
            with self._reader() as db:
                ids = dict(db.execute("SELECT quota, id FROM series WHERE provider = ? AND account = ?",
                                      (provider, account)).fetchall())
                for quota, (low, high, reset_low, reset_high) in asks.items():
                    if quota not in ids:
                        found[quota] = (None, 0)
                        continue
                    args = (ids[quota], low, high, reset_low, reset_low, reset_high)
                    # Readings of the same second count once, the last of them (as pace has always read them).
                    first = db.execute("SELECT t, used FROM readings WHERE series = ? AND t >= ? AND t < ?"
                                       " AND (? IS NULL OR reset BETWEEN ? AND ?) ORDER BY t, n DESC LIMIT 1", args).fetchone()
                    count = db.execute("SELECT COUNT(DISTINCT t) FROM readings WHERE series = ? AND t >= ? AND t < ?"
                                       " AND (? IS NULL OR reset BETWEEN ? AND ?)", args).fetchone()[0] if first else 0
                    found[quota] = ((first[0], float(first[1])) if first else None, count)
                loose = db.execute("SELECT COUNT(*) FROM snapshots WHERE provider = ? AND account = ? AND t BETWEEN ? AND ?",
                                   (provider, account, int(since), int(until))).fetchone()[0]
                # Only the JSON rows (the compact ones were summed up above), every one of them as pace has always
                # read them: never bucketed, so a count and a first reading do not change as the upgrade goes on.
                points = self._history(db, provider, account, int(since), int(until), loose, None, False)["points"] \
                    if loose else []
        except sqlite3.Error as exc:
            raise self._failed(exc) from None
        return found, points

    def upgrade(self, batch=UPGRADE_BATCH, budget=HOLD_BUDGET):
        """Move snapshots saved as JSON into compact readings, newest first.

        Rows are read and decoded outside the store's lock, `batch` at a time; each lock hold then writes for at
        most `budget` seconds (at least one snapshot). Rows in another shape (first-release readings, damaged
        rows) stay as JSON. Stops early once the store is closed. Returns how many moved.
        """
        return self._upgrade(batch, budget, self._closes)

    def _upgrade(self, batch, budget, closes):
        moved, pending = 0, collections.deque()
        try:
            with self._maintenance:
                for holds in itertools.count(1):
                    if self._closes != closes:
                        return moved
                    if holds % CHECKPOINT_EVERY == 0:
                        self._checkpoint("PASSIVE")
                    if not pending:
                        with self._reader() as db:
                            mark = db.execute("SELECT value FROM meta WHERE key = 'upgrade_below'").fetchone()
                            rows = db.execute("SELECT rowid, provider, account, t, figures FROM snapshots WHERE rowid < ?"
                                              " ORDER BY rowid DESC LIMIT ?", (int(mark[0]), batch)).fetchall() if mark else []
                        if mark is None:
                            return moved
                        if not rows:
                            with self._lock:
                                self._connect().execute("DELETE FROM meta WHERE key = 'upgrade_below'")
                            return moved
                        pending.extend((row, _compact(_decode(row[4]))) for row in rows)
                    with self._lock:
                        if self._closes != closes:
                            return moved
                        db = self._connect()
                        created = {}
                        with db:
                            db.execute("BEGIN IMMEDIATE")
                            started = time.perf_counter()
                            while pending:  # at least one snapshot per hold, then as many as the budget allows
                                row, entries = pending.popleft()
                                rowid, provider, account, t, _ = row
                                # Only a row still there moves (another process may have moved it meanwhile, and
                                # its rowid may since have gone to a new row: rowids are reused, so all must match).
                                if entries is not None and db.execute(
                                        "DELETE FROM snapshots WHERE rowid = ? AND provider = ? AND account = ? AND t = ?"
                                        " AND figures = ?", row).rowcount:
                                    self._add_snapshot(db, created, EARLIER_N, provider, account, t, entries)
                                    moved += 1
                                if time.perf_counter() - started >= budget:
                                    break
                            db.execute("UPDATE meta SET value = ? WHERE key = 'upgrade_below'", (str(rowid),))
                        self._series.update(created)
        except sqlite3.Error as exc:
            raise self._failed(exc) from None

    def start_upgrade(self):
        """Run upgrade() once on a thread of its own (a file saved by an older version is moved over in the
        background, even with the sampler off); close() stops it. Returns the thread."""
        closes = self._closes

        def run():
            try:
                moved = self._upgrade(UPGRADE_BATCH, HOLD_BUDGET, closes)
                if moved:
                    log.info("history: moved %d JSON snapshots to compact readings", moved)
            except HistoryUnavailable as exc:
                log.warning("history: %s", exc)

        thread = threading.Thread(target=run, name="history-upgrade", daemon=True)
        thread.start()
        self._upgrading = thread
        return thread

    def thin(self, older_than, batch_seconds=6 * 3600, vacuum_pages=VACUUM_STEP):
        """Keep one reading per quota (one snapshot per account) and hour for everything before `older_than`.

        First moves JSON snapshots to compact rows (upgrade). Then works through the old range a few hours
        at a time, each batch by the primary key or the (provider, account, t) index and under the lock
        only briefly; remembers how far it got, so a later run starts there; then gives freed pages back
        to the file system a step at a time (incremental vacuum) and truncates the WAL. Returns rows removed.
        """
        closes = self._closes
        with self._maintenance:
            self._upgrade(UPGRADE_BATCH, HOLD_BUDGET, closes)
            return self._thin(older_than, batch_seconds, vacuum_pages, closes)

    def _thin(self, older_than, batch_seconds, vacuum_pages, closes):
        try:
            with self._lock:
                db = self._connect()
                done = db.execute("SELECT value FROM meta WHERE key = 'thinned_until'").fetchone()
                series = [row[0] for row in db.execute("SELECT id FROM series").fetchall()]
                accounts = _accounts(db)
                oldest = [db.execute("SELECT MIN(t) FROM readings WHERE series = ?", (sid,)).fetchone()[0] for sid in series]
                oldest += [db.execute("SELECT MIN(t) FROM snapshots WHERE provider = ? AND account = ?", key).fetchone()[0]
                           for key in accounts]
            oldest = [t for t in oldest if t is not None]
            start = int(done[0]) if done else (min(oldest) if oldest else older_than)
            end = int(older_than) // 3600 * 3600
            removed = 0
            for batches, batch_start in enumerate(range(int(start) // 3600 * 3600, end, batch_seconds), 1):
                batch_end = min(batch_start + batch_seconds, end)
                if batches % CHECKPOINT_EVERY == 0:
                    self._checkpoint("PASSIVE")
                with self._lock:
                    if self._closes != closes:  # closed: a later run goes on from thinned_until
                        return removed
                    db = self._connect()
                    with db:
                        db.execute("BEGIN IMMEDIATE")
                        for sid in series:
                            removed += db.execute(
                                "DELETE FROM readings WHERE series = ? AND t >= ? AND t < ? AND t NOT IN ("
                                " SELECT MAX(t) FROM readings WHERE series = ? AND t >= ? AND t < ? GROUP BY t / 3600)",
                                (sid, batch_start, batch_end, sid, batch_start, batch_end),
                            ).rowcount
                        for provider, account in accounts:
                            removed += db.execute(
                                "DELETE FROM snapshots WHERE provider = ? AND account = ? AND t >= ? AND t < ?"
                                " AND rowid NOT IN (SELECT MAX(rowid) FROM snapshots WHERE provider = ? AND account = ?"
                                " AND t >= ? AND t < ? GROUP BY t / 3600)",
                                (provider, account, batch_start, batch_end, provider, account, batch_start, batch_end),
                            ).rowcount
                        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('thinned_until', ?)", (str(batch_end),))
            self._vacuum(vacuum_pages, HOLD_BUDGET, closes)
            return removed
        except sqlite3.Error as exc:
            raise self._failed(exc) from None

    def vacuum(self, step=VACUUM_STEP, budget=HOLD_BUDGET):
        """Give free pages back to the file system a step per lock hold, then cut the WAL back to nothing.

        The first step frees `step` pages; each later one is sized from the last so that it takes about
        `budget` seconds (between 8 and 1024 pages): a slow disk gets smaller steps. A file made before
        incremental auto-vacuum (auto_vacuum NONE) cannot give pages back this way: only the WAL is cut back;
        and the steps stop as soon as one frees nothing. Stops early once the store is closed."""
        self._vacuum(step, budget, self._closes)

    def _vacuum(self, step, budget, closes):
        try:
            with self._lock:
                incremental = self._connect().execute("PRAGMA auto_vacuum").fetchone()[0] == 2
            free = None
            for steps in range(1, VACUUM_STEPS + 1 if incremental else 1):
                with self._lock:
                    if self._closes != closes:
                        return
                    db = self._connect()
                    before, free = free, db.execute("PRAGMA freelist_count").fetchone()[0]
                    if not free or before is not None and free >= before:
                        break
                    started = time.perf_counter()
                    # Through executescript: one execute() steps the pragma once, which frees a single page.
                    db.executescript(f"PRAGMA incremental_vacuum({int(step)});")
                    took = time.perf_counter() - started
                step = min(max(int(step * budget / max(took, 1e-6)), 8), 1024)
                if steps % CHECKPOINT_EVERY == 0:
                    self._checkpoint("PASSIVE")
            self._checkpoint("TRUNCATE")
        except sqlite3.Error as exc:
            raise self._failed(exc) from None

    def _checkpoint(self, mode):
        """Copy the WAL into the file on a connection of its own, so the store's lock is not held meanwhile.

        PASSIVE never waits. TRUNCATE empties the WAL file once no writer is busy and every reader has moved
        past it; while it waits, no other connection (of any process) can write, so it waits at most
        TRUNCATE_WAIT_MS and otherwise gives up (the WAL stays as it is until a later run truncates it)."""
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            db.execute(f"PRAGMA busy_timeout={TRUNCATE_WAIT_MS if mode == 'TRUNCATE' else 10000}")
            db.execute(f"PRAGMA wal_checkpoint({mode})").fetchall()
        finally:
            db.close()

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
        """Close the connections; the store opens again on its next use. A background upgrade, a thinning or a
        vacuum in progress (on any thread) stops after its current lock hold; the background upgrade is waited
        for, at most CLOSE_WAIT seconds."""
        with self._lock:
            self._closes += 1
        if self._upgrading is not None and self._upgrading is not threading.current_thread():
            self._upgrading.join(CLOSE_WAIT)
        self._upgrading = None
        with self._lock:
            self._series = {}
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


def _compact(figures):
    """[(quota, used, limit, reset)] of figures in today's quota shape, or None when they must stay JSON."""
    if not isinstance(figures, dict) or len(figures) != 1 or not isinstance(figures.get("quotas"), dict):
        return None
    found = []
    for quota, entry in figures["quotas"].items():
        if not isinstance(entry, list) or len(entry) != 3:
            return None
        used, limit, reset = entry
        if not (_number(used) and (limit is None or _number(limit)) and (reset is None or _integer(reset))):
            return None
        found.append((quota, used, limit, reset))
    return found or None


def _number(value):
    return _integer(value) or (type(value) is float and math.isfinite(value))


def _integer(value):
    return type(value) is int and -2**63 <= value < 2**63


def _read_through(db, names, since, until, bucket):
    """{(t, n): {quota: [used, limit, reset]}} of the series `names` ({id: quota}) from since to until, each
    series read in key order; with a bucket (seconds), only the readings at each bucket's last reading time
    (of any series), numbered 0, the last of a second winning. Quotas go in series id order, as ever."""
    read = [(names[sid], db.execute("SELECT t, n, used, lim, reset FROM readings WHERE series = ? AND t BETWEEN ? AND ?"
                                    " ORDER BY t, n", (sid, since, until)).fetchall()) for sid in sorted(names)]
    compact = {}
    if bucket is None:
        for name, rows in read:
            for t, n, used, limit, reset in rows:
                compact.setdefault((t, n), {})[name] = [used, limit, reset]
        return compact
    ends = {}
    for _, rows in read:
        last_key = None
        for row in reversed(rows):  # newest first: the first reading met in a bucket is its last
            t = row[0]
            key = (t - since) // bucket
            if key != last_key:
                last_key = key
                if ends.get(key, t) <= t:
                    ends[key] = t
    keep = {t: (t, 0) for t in ends.values()}
    for name, rows in read:
        for t, _, used, limit, reset in rows:
            point = keep.get(t)
            if point is not None:
                found = compact.get(point)
                if found is None:
                    found = compact[point] = {}
                found[name] = [used, limit, reset]
    return compact


def _probe(db, names, since, until, bucket):
    """What _read_through finds with a bucket, by one index probe per series and bucket: bounded by the number
    of buckets, however many readings the range holds."""
    ends = {}
    for sid in names:
        for (t,) in db.execute(BUCKET_ENDS, (since, bucket, bucket, until, sid, bucket, until)):
            if t is not None:
                key = (t - since) // bucket
                ends[key] = max(ends.get(key, t), t)
    rows = db.execute("SELECT t, series, used, lim, reset FROM readings WHERE series IN (SELECT value FROM"
                      " json_each(?)) AND t IN (SELECT value FROM json_each(?)) ORDER BY series, t, n",
                      (json.dumps(list(names)), json.dumps(sorted(ends.values())))).fetchall()
    compact = {}
    for t, sid, used, limit, reset in rows:
        compact.setdefault((t, 0), {})[names[sid]] = [used, limit, reset]
    return compact


def _accounts(db):
    """(provider, account) pairs with JSON snapshots, found by skipping along the index (no table scan)."""
    found, key = [], ("", "")
    while True:
        row = db.execute("SELECT provider, account FROM snapshots WHERE (provider, account) > (?, ?)"
                         " ORDER BY provider, account LIMIT 1", key).fetchone()
        if row is None:
            return found
        key = tuple(row)
        found.append(key)


def _reason(exc):
    text = str(exc) or type(exc).__name__
    return text[:120]
