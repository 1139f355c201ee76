"""The SQLite file behind the store: schema, JSON documents keyed the way the API addresses them, one lock.

Requests from Starlette's thread pool are serialised by :attr:`Documents.lock`, so state can neither
tear nor deadlock; :meth:`Documents.transaction` makes a unit of work atomic as well.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any

from methodic_server.errors import bad_request

_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (kind TEXT NOT NULL, key TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL,
                                 PRIMARY KEY (kind, key));
CREATE INDEX IF NOT EXISTS docs_seq ON docs (kind, seq);
CREATE TABLE IF NOT EXISTS links (kind TEXT NOT NULL, experiment_id TEXT NOT NULL, variation INTEGER NOT NULL,
                                  asset_id TEXT NOT NULL, PRIMARY KEY (kind, experiment_id, variation, asset_id));
CREATE TABLE IF NOT EXISTS keys (key TEXT PRIMARY KEY, kind TEXT NOT NULL, scope TEXT, expires_at REAL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_FTS = """
CREATE VIRTUAL TABLE IF NOT EXISTS search_docs USING fts5(
    document_id UNINDEXED, document_type UNINDEXED, asset_type UNINDEXED, experiment_id UNINDEXED,
    tags UNINDEXED, title, body, tokenize = 'porter unicode61'
);
"""


def now_iso(at: float | None = None) -> str:
    """RFC 3339 UTC timestamp with microseconds, so ordering by string is ordering by time."""
    moment = datetime.fromtimestamp(time.time() if at is None else at, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(value: str) -> float:
    """Seconds since the epoch of an RFC 3339 timestamp."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


#: The most digits of a number the server reads from a path, a query, a header or a cursor: below 2**63,
#: and far below Python's 4,300-digit limit on ``int()`` of a string (past it, ``int()`` raises: a 500).
MAX_INT_DIGITS = 18


def is_ascii_digits(value: str) -> bool:
    """Whether ``value`` is a non-negative decimal integer in ASCII digits, at most :data:`MAX_INT_DIGITS` long.

    ``str.isdigit`` alone accepts ``²`` and other Unicode digits that ``int()`` then refuses (a 500).
    """
    return len(value) <= MAX_INT_DIGITS and value.isascii() and value.isdigit()


def page_offset(cursor: str | None) -> int:
    """The list offset a page cursor stands for (400 when it is not one)."""
    if cursor is None:
        return 0
    if not is_ascii_digits(cursor):
        raise bad_request("invalid cursor")
    return int(cursor)


class Documents:
    """One SQLite file (WAL): JSON documents by (kind, key) in insertion order, plus the raw connection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.RLock()
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.executescript(_SCHEMA + _FTS)
        key_columns = {row[1] for row in self.db.execute("PRAGMA table_info(keys)")}
        if "expires_at" not in key_columns:  # a data dir from before keys could expire
            self.db.execute("ALTER TABLE keys ADD COLUMN expires_at REAL")
        self._seq = int(self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM docs").fetchone()[0])
        #: Counts this object's writes (see :meth:`version`).
        self.generation = 0

    def close(self) -> None:
        """Close the database."""
        with self.lock:
            self.db.close()

    def transaction(self) -> Transaction:
        """Serialise a unit of work and make it atomic."""
        return Transaction(self)

    def version(self) -> tuple[int, int]:
        """Changes whenever any document changes: by this object (``generation``) or another connection's commit.

        For caches of parsed documents (a 10,000-component asset is a megabyte of JSON): equal versions mean
        no document changed in between.
        """
        return self.generation, int(self.db.execute("PRAGMA data_version").fetchone()[0])

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        """One document, or None."""
        row = self.db.execute("SELECT data FROM docs WHERE kind = ? AND key = ?", (kind, key)).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def put(self, kind: str, key: str, data: dict[str, Any]) -> dict[str, Any]:
        """Insert or replace a document; a replaced document keeps its place in the order."""
        existing = self.db.execute("SELECT seq FROM docs WHERE kind = ? AND key = ?", (kind, key)).fetchone()
        if existing is None:
            self._seq += 1
            seq = self._seq
        else:
            seq = existing[0]
        self.db.execute(
            "INSERT OR REPLACE INTO docs (kind, key, seq, data) VALUES (?, ?, ?, ?)", (kind, key, seq, json.dumps(data))
        )
        self.generation += 1
        return data

    def all(self, kind: str, prefix: str = "", newest_first: bool = False) -> list[dict[str, Any]]:
        """Every document of ``kind`` whose key starts with ``prefix``, in insertion order."""
        order = "DESC" if newest_first else "ASC"
        rows = self.db.execute(
            f"SELECT data FROM docs WHERE kind = ? AND key LIKE ? ORDER BY seq {order}",  # noqa: S608
            (kind, prefix + "%"),
        )
        return [dict(json.loads(r[0])) for r in rows]

    def delete(self, kind: str, key: str) -> None:
        """Remove a document."""
        self.db.execute("DELETE FROM docs WHERE kind = ? AND key = ?", (kind, key))
        self.generation += 1


class Transaction:
    """``BEGIN IMMEDIATE`` under the lock; commit on success, roll back on an exception."""

    def __init__(self, documents: Documents) -> None:
        self.documents = documents

    def __enter__(self) -> None:
        self.documents.lock.acquire()
        self.documents.db.execute("BEGIN IMMEDIATE")

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            self.documents.db.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            self.documents.lock.release()
