"""The intake database: one SQLite file (WAL), schema migrations by ``PRAGMA user_version``.

A submission row is committed (``synchronous=FULL``) before the service answers 202,
so an accepted submission survives a crash. The worker moves each row through a
state machine, claiming it with a lease so that a restarted or second worker picks
up what a dead one left::

    received ──push branch──▶ pushed ──open PR (forge)──▶ proposed ──▶ published | returned

Personal data (the request payload with contact details, the submitter's message,
the client address hash) is deleted from the row when it reaches ``published`` or
``returned``; what remains is the receipt, the record id and title, the dates, the
branch, the pull request and the editor's message.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

FINAL = ("published", "returned")
OPEN = ("received", "pushed", "proposed")

MIGRATIONS = (
    """
    CREATE TABLE submissions (
        receipt TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        record_id TEXT NOT NULL,
        title TEXT,
        received_at TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        files TEXT,            -- JSON {path: file text}; personal data (contact) until final
        payload TEXT,          -- JSON of the request; personal data until final
        message TEXT,          -- the submitter's message to the editors; personal until final
        client_hash TEXT,      -- salted hash of the client address; personal until final
        state TEXT NOT NULL DEFAULT 'received',
        branch TEXT,
        commit_sha TEXT,
        pull_request TEXT,
        pr_number INTEGER,
        editor_message TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt REAL NOT NULL DEFAULT 0,
        lease_until REAL NOT NULL DEFAULT 0,
        last_error TEXT,
        updated_at REAL NOT NULL
    );
    CREATE INDEX submissions_due ON submissions (state, next_attempt);
    CREATE INDEX submissions_hash ON submissions (content_hash);
    -- New files claimed by open submissions: two submissions cannot add the same file.
    CREATE TABLE claims (
        path TEXT PRIMARY KEY,
        receipt TEXT NOT NULL REFERENCES submissions(receipt)
    );
    """,
)


class Conflict(Exception):
    """A new file that an open submission already adds (``path``), or the same document again (``receipt``)."""

    def __init__(self, path: str = "", receipt: str = ""):
        super().__init__(path or receipt)
        self.path, self.receipt = path, receipt


class Store:
    """Thread-safe access to the intake database (one connection per thread)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self.migrate()

    def connect(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")  # committed means on disk before we answer 202
            conn.execute("PRAGMA foreign_keys=ON")
            self._local.conn = conn
        return conn

    def migrate(self) -> None:
        """Apply the migrations this file has not seen yet, each in its own transaction."""
        conn = self.connect()
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            conn.executescript(f"BEGIN IMMEDIATE; {script}; PRAGMA user_version = {number}; COMMIT;")

    def insert(self, row: dict, claims: list[str]) -> None:
        """Store a new submission and claim its new files, atomically; :class:`Conflict` if taken."""
        conn = self.connect()
        conn.execute("BEGIN IMMEDIATE")
        try:
            same = conn.execute("SELECT receipt FROM submissions WHERE content_hash = ? AND state IN (?, ?, ?)",
                                (row["content_hash"], *OPEN)).fetchone()
            if same:
                raise Conflict(receipt=same["receipt"])
            for path in claims:
                if conn.execute("SELECT 1 FROM claims WHERE path = ?", (path,)).fetchone():
                    raise Conflict(path=path)
            row = {**row, "updated_at": time.time()}
            columns = ", ".join(row)
            conn.execute(f"INSERT INTO submissions ({columns}) VALUES ({', '.join('?' * len(row))})",
                         tuple(row.values()))
            conn.executemany("INSERT INTO claims (path, receipt) VALUES (?, ?)",
                             [(path, row["receipt"]) for path in claims])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def get(self, receipt: str) -> sqlite3.Row | None:
        return self.connect().execute("SELECT * FROM submissions WHERE receipt = ?", (receipt,)).fetchone()

    def claim_due(self, states: tuple[str, ...], lease_seconds: float, now: float | None = None,
                  limit: int = 1) -> list[sqlite3.Row]:
        """Lease the oldest ``limit`` submissions in ``states`` whose retry time has come and lease has expired."""
        now = time.time() if now is None else now
        marks = ", ".join("?" * len(states))
        return self.connect().execute(
            f"""UPDATE submissions SET lease_until = ?, updated_at = ?
                WHERE receipt IN (SELECT receipt FROM submissions
                                  WHERE state IN ({marks}) AND next_attempt <= ? AND lease_until <= ?
                                  ORDER BY received_at, receipt LIMIT ?)
                RETURNING *""", (now + lease_seconds, now, *states, now, now, limit)).fetchall()

    def advance(self, receipt: str, state: str, **values) -> None:
        """Move to ``state`` (clearing lease and retry counters), setting ``values``."""
        values.update(state=state, attempts=0, next_attempt=0, lease_until=0, last_error=None, updated_at=time.time())
        if state in FINAL:
            values.update(files=None, payload=None, message=None, client_hash=None)
        assignments = ", ".join(f"{key} = ?" for key in values)
        conn = self.connect()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(f"UPDATE submissions SET {assignments} WHERE receipt = ?", (*values.values(), receipt))
        if state in FINAL:
            conn.execute("DELETE FROM claims WHERE receipt = ?", (receipt,))
        conn.execute("COMMIT")

    def retry_later(self, receipt: str, error: str, delay: float) -> None:
        """Record a failed attempt; the row becomes due again after ``delay`` seconds."""
        now = time.time()
        self.connect().execute(
            "UPDATE submissions SET attempts = attempts + 1, next_attempt = ?, lease_until = 0, last_error = ?, "
            "updated_at = ? WHERE receipt = ?", (now + delay, error[:2000], now, receipt))

    def release(self, receipt: str, **values) -> None:
        """Give the lease back without changing state (nothing to do yet), setting ``values``."""
        values.update(lease_until=0, updated_at=time.time())
        assignments = ", ".join(f"{key} = ?" for key in values)
        self.connect().execute(f"UPDATE submissions SET {assignments} WHERE receipt = ?", (*values.values(), receipt))

    def open_rows(self, states: tuple[str, ...] = ("pushed", "proposed")) -> list[sqlite3.Row]:
        marks = ", ".join("?" * len(states))
        return self.connect().execute(f"SELECT * FROM submissions WHERE state IN ({marks}) ORDER BY received_at",
                                      states).fetchall()

    def counts(self) -> dict[str, int]:
        rows = self.connect().execute("SELECT state, COUNT(*) FROM submissions GROUP BY state").fetchall()
        return {state: count for state, count in rows}


def files_of(row: sqlite3.Row) -> dict[str, str]:
    """The record files a submission adds or changes, ``{path: text}``."""
    return json.loads(row["files"] or "{}")
