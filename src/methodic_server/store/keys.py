"""API keys (user and run-scoped worker keys, optionally expiring) and persisted server settings.

Keys are stored as their SHA-256 (hex), never in clear: the server only has to recognise a presented
key, so a copied database file gives away no key. Keys are long random strings, so an unsalted hash
is enough. Rows of a data dir from before this (clear keys) are hashed when the store opens.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from typing import Any

from methodic_server.errors import ApiError
from methodic_server.store.documents import Documents


def key_hash(key: str) -> str:
    """What the ``keys`` table stores of a key."""
    return hashlib.sha256(key.encode()).hexdigest()


class Keys:
    """The ``keys`` and ``meta`` tables."""

    def __init__(self, docs: Documents) -> None:
        self.docs = docs
        with self.docs.transaction():
            clear = self.docs.db.execute("SELECT key FROM keys WHERE key LIKE 'sk!_%' ESCAPE '!'").fetchall()
            for (key,) in clear:
                self.docs.db.execute("UPDATE OR REPLACE keys SET key = ? WHERE key = ?", (key_hash(key), key))

    def add(
        self, key: str, kind: str = "user", scope: dict[str, Any] | None = None, expires_at: float | None = None
    ) -> None:
        """Accept ``key`` (a worker key is limited to ``scope``: one run; a key may expire)."""
        with self.docs.transaction():
            self.docs.db.execute(
                "INSERT OR REPLACE INTO keys VALUES (?, ?, ?, ?)",
                (key_hash(key), kind, json.dumps(scope) if scope else None, expires_at),
            )

    def authenticate(self, header: str | None) -> tuple[str, dict[str, Any] | None]:
        """(kind, scope) of an ``Authorization: Bearer`` header's key; 401 without one, unknown or expired."""
        scheme, _, token = (header or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(401, "unauthorized", "missing bearer token: send Authorization: Bearer <api key>")
        info = self.info(token.strip())
        if info is None:
            raise ApiError(401, "unauthorized", "unknown or revoked API key")
        kind, scope, expires_at = info
        if expires_at is not None and expires_at <= time.time():
            raise ApiError(401, "key_expired", "the API key has expired; create a new one")
        return kind, scope

    def info(self, key: str) -> tuple[str, dict[str, Any] | None, float | None] | None:
        """(kind, scope, expires_at) of a key, or None when unknown."""
        with self.docs.lock:
            row = self.docs.db.execute(
                "SELECT kind, scope, expires_at FROM keys WHERE key = ?", (key_hash(key),)
            ).fetchone()
        if row is None:
            return None
        return row[0], (json.loads(row[1]) if row[1] else None), row[2]

    def pop_meta(self, key: str) -> str | None:
        """Remove a persisted setting and return its value (None when absent)."""
        with self.docs.transaction():
            row = self.docs.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            self.docs.db.execute("DELETE FROM meta WHERE key = ?", (key,))
        return None if row is None else str(row[0])

    def meta(self, key: str, default: Callable[[], str]) -> str:
        """A persisted server setting, created with ``default()`` the first time."""
        with self.docs.transaction():
            row = self.docs.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            if row is not None:
                return str(row[0])
            value = default()
            self.docs.db.execute("INSERT INTO meta VALUES (?, ?)", (key, value))
            return value
