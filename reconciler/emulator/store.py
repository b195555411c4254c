"""SQLite storage of one emulated MTurk account (standard library only).

One file per account (WAL, `synchronous=NORMAL`), or `:memory:` for tests. One connection is
shared by every thread behind a lock; each API call is one `BEGIN IMMEDIATE … COMMIT`
transaction, so calls are serialised and other processes on the same file wait their turn.
Times are stored as REAL epoch seconds, money as INTEGER cents. Every listable table has an
INTEGER `seq` that only grows, which is what pagination tokens remember.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STARTING_BALANCE_CENTS = 1_000_000  # $10,000.00, the sandbox's fake balance
SCHEMA_VERSION = "1"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS hit_types (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    group_id TEXT NOT NULL,
    canon TEXT,
    title TEXT NOT NULL, description TEXT NOT NULL,
    reward_cents INTEGER NOT NULL,
    assignment_duration INTEGER NOT NULL, auto_approval_delay INTEGER NOT NULL,
    keywords TEXT NOT NULL, requirements TEXT NOT NULL, masters INTEGER NOT NULL,
    created REAL NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX IF NOT EXISTS hit_types_canon ON hit_types(canon) WHERE deleted = 0;
CREATE TABLE IF NOT EXISTS hit_type_quals (
    hit_type_id TEXT NOT NULL, qual_type_id TEXT NOT NULL,
    PRIMARY KEY (qual_type_id, hit_type_id));
CREATE TABLE IF NOT EXISTS hits (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    hit_type_id TEXT NOT NULL,
    layout_id TEXT, layout_params TEXT, question TEXT, annotation TEXT,
    max_assignments INTEGER NOT NULL,
    created REAL NOT NULL, expiration REAL NOT NULL,
    n_pending INTEGER NOT NULL DEFAULT 0,
    n_submitted INTEGER NOT NULL DEFAULT 0,
    n_completed INTEGER NOT NULL DEFAULT 0,
    reviewing INTEGER NOT NULL DEFAULT 0,
    assignment_policy TEXT, hit_policy TEXT,
    disposed REAL);
CREATE INDEX IF NOT EXISTS hits_type ON hits(hit_type_id, seq);
CREATE INDEX IF NOT EXISTS hits_expiration ON hits(expiration) WHERE disposed IS NULL;
CREATE TABLE IF NOT EXISTS assignments (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    hit_id TEXT NOT NULL, worker_id TEXT NOT NULL,
    status TEXT NOT NULL,
    reward_cents INTEGER NOT NULL,
    accept_time REAL NOT NULL, deadline REAL NOT NULL,
    submit_time REAL, auto_approval_time REAL, approval_time REAL, rejection_time REAL,
    answer TEXT, feedback TEXT);
CREATE INDEX IF NOT EXISTS assignments_hit ON assignments(hit_id, seq);
CREATE INDEX IF NOT EXISTS assignments_due ON assignments(status, auto_approval_time);
CREATE INDEX IF NOT EXISTS assignments_deadline ON assignments(status, deadline);
CREATE TABLE IF NOT EXISTS tokens (
    scope TEXT NOT NULL, token TEXT NOT NULL, entity TEXT NOT NULL, created REAL NOT NULL,
    PRIMARY KEY (scope, token));
CREATE TABLE IF NOT EXISTS qual_types (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    realm TEXT NOT NULL,  -- 'own', or a system type: 'system', 'sandbox', 'production'
    name TEXT NOT NULL, description TEXT NOT NULL, keywords TEXT,
    status TEXT NOT NULL, retry_delay INTEGER,
    test TEXT, answer_key TEXT, test_duration INTEGER,
    auto_granted INTEGER NOT NULL DEFAULT 0, auto_granted_value INTEGER,
    created REAL NOT NULL, deleted REAL);
CREATE INDEX IF NOT EXISTS qual_types_name ON qual_types(name);
CREATE TABLE IF NOT EXISTS qualifications (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    type_id TEXT NOT NULL, worker_id TEXT NOT NULL,
    integer_value INTEGER, locale TEXT,
    grant_time REAL NOT NULL, status TEXT NOT NULL,
    UNIQUE (type_id, worker_id));
CREATE TABLE IF NOT EXISTS qual_requests (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    type_id TEXT NOT NULL, worker_id TEXT NOT NULL,
    test TEXT, answer TEXT, submit_time REAL NOT NULL,
    status TEXT NOT NULL, reason TEXT);
CREATE INDEX IF NOT EXISTS qual_requests_type ON qual_requests(type_id, seq);
CREATE TABLE IF NOT EXISTS worker_blocks (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    worker_id TEXT NOT NULL UNIQUE, reason TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS notification_settings (
    hit_type_id TEXT PRIMARY KEY, spec TEXT NOT NULL, active INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS bonuses (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    worker_id TEXT NOT NULL, assignment_id TEXT NOT NULL, hit_id TEXT NOT NULL,
    amount_cents INTEGER NOT NULL, fee_cents INTEGER NOT NULL,
    reason TEXT NOT NULL, grant_time REAL NOT NULL);
CREATE INDEX IF NOT EXISTS bonuses_hit ON bonuses(hit_id, seq);
CREATE INDEX IF NOT EXISTS bonuses_assignment ON bonuses(assignment_id, seq);
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL, destination TEXT NOT NULL, payload TEXT NOT NULL, sent REAL NOT NULL);
CREATE TABLE IF NOT EXISTS ledger (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    what TEXT NOT NULL, ref TEXT NOT NULL, amount_cents INTEGER NOT NULL,
    fee_cents INTEGER NOT NULL, time REAL NOT NULL);
"""

TABLES = (
    "hit_types", "hit_type_quals", "hits", "assignments", "tokens", "qual_types",
    "qualifications", "qual_requests", "worker_blocks", "notification_settings", "bonuses",
    "outbox", "ledger", "meta",
)


class Store:
    """The SQLite database of one account; `transaction()` is the only way in."""

    def __init__(self, path: str | Path = ":memory:"):
        self.path = str(path)
        self._lock = threading.RLock()
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(
            self.path, check_same_thread=False, isolation_level=None, timeout=30.0
        )
        self._conn.row_factory = sqlite3.Row
        if self.path != ":memory:":
            self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA busy_timeout=30000")
        self._initialise()

    def _initialise(self) -> None:
        with self._lock:
            self._conn.executescript(SCHEMA)
            with self.transaction() as conn:
                conn.execute(
                    "INSERT OR IGNORE INTO meta VALUES ('schema', ?), ('balance_cents', ?),"
                    " ('clock_offset', '0')",
                    (SCHEMA_VERSION, str(STARTING_BALANCE_CENTS)),
                )

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One serialised write transaction: committed on success, rolled back on any error."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def reset(self) -> None:
        """Forget everything: a fresh account with the starting balance and an unshifted clock."""
        with self._lock:
            with self.transaction() as conn:
                for table in TABLES:
                    conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
            self._initialise()

    def close(self) -> None:
        """Close the connection (the file stays)."""
        with self._lock:
            self._conn.close()


def get_meta(conn: sqlite3.Connection, key: str, default: str | None = None) -> str | None:
    """A value of the `meta` table."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    """Set a value of the `meta` table."""
    conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
