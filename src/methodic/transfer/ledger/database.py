"""The SQLite upload tracker's connections and transactions: how threads and processes share one file safely.

Its job is the concurrency and durability of :class:`~methodic.UploadTracker`, apart from what it
records: WAL mode, one connection per thread, ``BEGIN IMMEDIATE`` for every write and a generous busy
timeout, so threads and processes can share one file; ``synchronous=FULL``, so a state change that
returned is on disk even if the machine loses power, which is what a crash-recovery record is for. The
trade-off is up to a millisecond or more per commit (the fsync, and the write lock held meanwhile); a
write that a power cut may lose harmlessly opts out (``durable=False``): a component marked uploading or
completed is at worst sent again. A read-only tracker shares one connection between its threads and
refuses every write.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from methodic.errors import TrackerError
from methodic.transfer.ledger import schema

__all__ = ["TrackerDatabase"]

_Self = TypeVar("_Self", bound="TrackerDatabase")


class TrackerDatabase:
    """One tracker file opened for this process: per-thread connections, transactions, reads and closing."""

    def __init__(self, db_path: str | os.PathLike[str] = "upload_state.db", *, read_only: bool = False) -> None:
        """Open (or create) the tracker at ``db_path``.

        Only a path that does not exist yet, or a regular file that is an SQLite database (or empty), is
        ever opened; anything else (a folder, a text file, a device) raises :class:`TrackerError` before
        its mode or content is touched. ``read_only=True`` is for looking only (``methodic uploads status``):
        nothing is created, migrated, written or chmod-ed; an older tracker is read through an upgraded copy
        in memory, and any write raises :class:`TrackerError`.
        """
        self.db_path = Path(db_path)
        self.read_only = read_only
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._closed = False
        self._shared: sqlite3.Connection | None = None  # read-only: one connection for every thread
        if read_only:
            self._shared = schema.open_read_only(self.db_path)
            self._connections.append(self._shared)
        else:
            schema.create_private_file(self.db_path)
            self._initialise()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(db_path={str(self.db_path)!r})"

    def _connection(self) -> sqlite3.Connection:
        if self._closed:
            raise TrackerError(f"the upload tracker {self.db_path} is closed")
        if self._shared is not None:
            return self._shared
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(
                    self.db_path, timeout=schema.BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
                )
            except sqlite3.Error as exc:
                raise TrackerError(f"cannot open the upload tracker database {self.db_path}: {exc}") from exc
            try:
                conn.execute(f"PRAGMA busy_timeout = {schema.BUSY_TIMEOUT_MS}")
                schema.switch_to_wal(conn)
                conn.execute("PRAGMA synchronous = FULL")
            except sqlite3.OperationalError as exc:
                conn.close()
                raise TrackerError(f"{self.db_path} stayed locked by another process: {exc}") from exc
            except sqlite3.DatabaseError as exc:
                conn.close()
                raise TrackerError(f"{self.db_path} is not an upload tracker database: {exc}") from exc
            schema.private_sidecars(self.db_path)
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def _write(self, *, durable: bool = True) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` transaction: committed if the block returns, rolled back otherwise.

        ``durable=False`` commits without waiting for the disk (``synchronous=NORMAL`` in WAL mode: the commit
        survives a crash of the process, not of the machine, until the next durable commit syncs it too). For
        what a power cut may lose harmlessly: a component marked ``uploading`` is as incomplete as one
        ``registered``. Halves the fsyncs of an upload of many small files.
        """
        if self.read_only:
            raise TrackerError(f"the upload tracker {self.db_path} was opened read-only")
        conn = self._connection()
        if not durable:
            conn.execute("PRAGMA synchronous = NORMAL")
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise TrackerError(f"{self.db_path} stayed locked by another writer: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            raise TrackerError(f"{self.db_path} is not a usable upload tracker database: {exc}") from exc
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise TrackerError(f"writing to {self.db_path} failed (nothing was changed): {exc}") from exc
            raise
        finally:
            if not durable:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("PRAGMA synchronous = FULL")

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        try:
            return self._connection().execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise TrackerError(f"cannot read {self.db_path}: {exc}") from exc

    def _initialise(self) -> None:
        try:
            with self._write() as w:
                schema.initialise(w, self.db_path)
        except TrackerError:
            self.close()
            raise
        except sqlite3.DatabaseError as exc:
            self.close()
            raise TrackerError(f"{self.db_path} is not a usable upload tracker database: {exc}") from exc

    def close(self) -> None:
        """Close every connection this tracker opened (in any thread); later calls raise TrackerError."""
        with self._lock:
            connections, self._connections = self._connections, []
            self._closed = True
            self._shared = None
        for conn in connections:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
        self._local = threading.local()

    def __enter__(self: _Self) -> _Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
