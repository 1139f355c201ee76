"""``UploadTracker``: a crash-safe local record of uploads, so a restarted process can finish them.

SQLite in WAL mode, one connection per thread, ``BEGIN IMMEDIATE`` for every write and a generous
busy timeout, so threads and processes can share one file. ``synchronous=FULL``: a state change that
returned is on disk even if the machine loses power, which is what a crash-recovery record is for
(the cost is a few milliseconds per commit, small next to uploading a component).

States of a component: ``registered`` → ``uploading`` → ``completed`` (or ``failed``, retried by
:meth:`methodic.Chronicle.resume_uploads`). An asset is done once it is marked finalized.
Presigned URLs are stored (they are short-lived secrets) but never shown in reprs or errors.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from methodic._files import ComponentSpec
from methodic.errors import ChronicleError

SCHEMA_VERSION = 1
_MARKER = "methodic-upload-tracker"
_BUSY_TIMEOUT_MS = 30_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS assets (
    asset_id TEXT PRIMARY KEY,
    asset_type TEXT NOT NULL,
    experiment_id TEXT,
    variation INTEGER,
    run INTEGER,
    registered_at REAL NOT NULL,
    finalized_at REAL
);
CREATE TABLE IF NOT EXISTS components (
    asset_id TEXT NOT NULL REFERENCES assets(asset_id),
    name TEXT NOT NULL,
    local_path TEXT NOT NULL,
    size INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    state TEXT NOT NULL,
    sha256 TEXT,
    upload_url TEXT,
    url_expires_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    updated_at REAL NOT NULL,
    PRIMARY KEY (asset_id, name)
);
"""


class TrackerError(ChronicleError):
    """The tracker database is unusable (corrupt, foreign, locked too long) or was used wrongly."""


@dataclass(frozen=True)
class TrackedComponent:
    """One component as the tracker last recorded it."""

    name: str
    local_path: str
    size: int
    content_type: str
    state: str
    sha256: str | None
    upload_url: str | None = field(repr=False)
    url_expires_at: str | None
    attempts: int
    last_error: str | None


@dataclass(frozen=True)
class PendingUpload:
    """An asset that was registered but not finalized, with all of its components."""

    asset_id: str
    asset_type: str
    experiment_id: str | None
    variation: int | None
    run: int | None
    components: tuple[TrackedComponent, ...]

    @property
    def incomplete(self) -> tuple[TrackedComponent, ...]:
        """Components still to upload (a killed process may have left some ``uploading``)."""
        return tuple(c for c in self.components if c.state != "completed")


def _spec(component: ComponentSpec | Mapping[str, Any]) -> ComponentSpec:
    if isinstance(component, ComponentSpec):
        return component
    return ComponentSpec(
        name=str(component["name"]),
        local_path=str(component["local_path"]),
        size=int(component["size"]),
        content_type=str(component.get("content_type") or "application/octet-stream"),
    )


class UploadTracker:
    """Records which components of which assets are uploaded; thread- and process-safe."""

    def __init__(self, db_path: str | os.PathLike[str] = "upload_state.db") -> None:
        self.db_path = Path(db_path)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._create_private_file()
        self._initialise()

    def __repr__(self) -> str:
        return f"UploadTracker(db_path={str(self.db_path)!r})"

    # -- connection handling --------------------------------------------------------------------------
    def _create_private_file(self) -> None:
        """Create the database file with mode 0600 before SQLite touches it (URLs in it are secrets)."""
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.db_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            return
        os.close(fd)

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            old_umask = os.umask(0o077)  # the -wal and -shm files too
            try:
                conn = sqlite3.connect(
                    self.db_path, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
                )
                conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
            except sqlite3.DatabaseError as exc:
                raise TrackerError(f"{self.db_path} is not an upload tracker database: {exc}") from exc
            finally:
                os.umask(old_umask)
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        conn = self._connection()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise TrackerError(f"{self.db_path} is locked by another process: {exc}") from exc
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _initialise(self) -> None:
        try:
            conn = self._connection()
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if tables and "meta" not in tables:
                raise TrackerError(f"{self.db_path} is an SQLite database of something else (tables: {sorted(tables)})")
            with self._write() as w:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        w.execute(statement)
                marker = w.execute("SELECT value FROM meta WHERE key = 'marker'").fetchone()
                if marker is None:
                    if tables - {"meta", "assets", "components"}:
                        raise TrackerError(f"{self.db_path} belongs to another program")
                    w.execute("INSERT INTO meta VALUES ('marker', ?), ('schema_version', ?)", (_MARKER, SCHEMA_VERSION))
                elif marker[0] != _MARKER:
                    raise TrackerError(f"{self.db_path} belongs to another program (marker {marker[0]!r})")
        except sqlite3.DatabaseError as exc:
            raise TrackerError(f"{self.db_path} is not a usable upload tracker database: {exc}") from exc

    # -- writes ----------------------------------------------------------------------------------------
    def register_components(
        self,
        asset_id: str,
        components: Sequence[ComponentSpec | Mapping[str, Any]],
        *,
        asset_type: str,
        experiment_id: str | None = None,
        variation: int | None = None,
        run: int | None = None,
        upload_urls: Mapping[str, str] | None = None,
        urls_expire_at: str | None = None,
    ) -> None:
        """Record an asset and all its components in one transaction: every row lands, or none does.

        Register every component of an asset in this one call: a later call for the same asset with a
        different component set raises, because the completion check could otherwise finalize early.
        """
        specs = [_spec(c) for c in components]
        if not specs:
            raise TrackerError("an asset needs at least one component")
        names = [s.name for s in specs]
        if len(set(names)) != len(names):
            raise TrackerError(f"duplicate component names for asset {asset_id}")
        urls = dict(upload_urls or {})
        now = time.time()
        with self._write() as conn:
            existing = {row[0] for row in conn.execute("SELECT name FROM components WHERE asset_id = ?", (asset_id,))}
            if existing:
                if existing == set(names):
                    return  # the same registration again: idempotent
                raise TrackerError(
                    f"asset {asset_id} is already registered with other components; register all of an asset's"
                    " components in one call"
                )
            conn.execute(
                "INSERT INTO assets (asset_id, asset_type, experiment_id, variation, run, registered_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (asset_id, asset_type, experiment_id, variation, run, now),
            )
            conn.executemany(
                "INSERT INTO components (asset_id, name, local_path, size, content_type, state, upload_url,"
                " url_expires_at, updated_at) VALUES (?, ?, ?, ?, ?, 'registered', ?, ?, ?)",
                [
                    (asset_id, s.name, s.local_path, s.size, s.content_type, urls.get(s.name), urls_expire_at, now)
                    for s in specs
                ],
            )

    def _set(self, asset_id: str, name: str, sql: str, params: tuple[Any, ...]) -> None:
        with self._write() as conn:
            cursor = conn.execute(
                f"UPDATE components SET {sql}, updated_at = ? WHERE asset_id = ? AND name = ?",  # noqa: S608
                (*params, time.time(), asset_id, name),
            )
            if cursor.rowcount != 1:
                raise TrackerError(f"component {name!r} of asset {asset_id} is not registered")

    def mark_uploading(self, asset_id: str, name: str) -> None:
        """An upload attempt of the component starts."""
        self._set(asset_id, name, "state = 'uploading', attempts = attempts + 1", ())

    def mark_completed(self, asset_id: str, name: str, *, sha256: str, size: int) -> None:
        """The component is in storage, with this checksum and size."""
        self._set(asset_id, name, "state = 'completed', sha256 = ?, size = ?, last_error = NULL", (sha256, size))

    def mark_failed(self, asset_id: str, name: str, error: str) -> None:
        """The component's upload failed; ``resume_uploads`` will try it again."""
        self._set(asset_id, name, "state = 'failed', last_error = ?", (error[:1000],))

    def update_upload_urls(self, asset_id: str, urls: Mapping[str, str], expires_at: str | None) -> None:
        """Store fresh presigned URLs (the old ones expired)."""
        with self._write() as conn:
            conn.executemany(
                "UPDATE components SET upload_url = ?, url_expires_at = ?, updated_at = ?"
                " WHERE asset_id = ? AND name = ?",
                [(url, expires_at, time.time(), asset_id, name) for name, url in urls.items()],
            )

    def mark_finalized(self, asset_id: str) -> None:
        """The asset is ready on the server; nothing is left to do for it."""
        with self._write() as conn:
            conn.execute(
                "UPDATE assets SET finalized_at = COALESCE(finalized_at, ?) WHERE asset_id = ?", (time.time(), asset_id)
            )

    # -- reads -----------------------------------------------------------------------------------------
    def all_components_completed(self, asset_id: str) -> bool:
        """True when the asset is registered and every one of its components is completed."""
        row = (
            self._connection()
            .execute("SELECT COUNT(*), SUM(state = 'completed') FROM components WHERE asset_id = ?", (asset_id,))
            .fetchone()
        )
        return bool(row[0]) and row[0] == row[1]

    def _components(self, asset_id: str) -> tuple[TrackedComponent, ...]:
        rows = self._connection().execute(
            "SELECT name, local_path, size, content_type, state, sha256, upload_url, url_expires_at, attempts,"
            " last_error FROM components WHERE asset_id = ? ORDER BY name",
            (asset_id,),
        )
        return tuple(TrackedComponent(**dict(row)) for row in rows)

    def _pending(self, row: sqlite3.Row) -> PendingUpload:
        return PendingUpload(
            asset_id=row["asset_id"],
            asset_type=row["asset_type"],
            experiment_id=row["experiment_id"],
            variation=row["variation"],
            run=row["run"],
            components=self._components(row["asset_id"]),
        )

    def get_pending_uploads(self) -> list[PendingUpload]:
        """Every registered asset that is not finalized yet, oldest first: what a restarted process must finish."""
        try:
            rows = (
                self._connection()
                .execute("SELECT * FROM assets WHERE finalized_at IS NULL ORDER BY registered_at, asset_id")
                .fetchall()
            )
        except sqlite3.DatabaseError as exc:
            raise TrackerError(f"cannot read {self.db_path}: {exc}") from exc
        return [self._pending(row) for row in rows]

    def get_asset(self, asset_id: str) -> PendingUpload | None:
        """The recorded state of one asset (finalized or not), or None."""
        row = self._connection().execute("SELECT * FROM assets WHERE asset_id = ?", (asset_id,)).fetchone()
        return None if row is None else self._pending(row)

    def is_finalized(self, asset_id: str) -> bool:
        """Whether the asset was marked finalized."""
        row = self._connection().execute("SELECT finalized_at FROM assets WHERE asset_id = ?", (asset_id,)).fetchone()
        return row is not None and row[0] is not None

    def has_registered_assets(self) -> bool:
        """True if anything was ever registered here (a restart, not a first start)."""
        return self._connection().execute("SELECT 1 FROM assets LIMIT 1").fetchone() is not None

    def summary(self) -> dict[str, int]:
        """Component counts by state, plus ``finalized_assets`` and ``pending_assets``."""
        conn = self._connection()
        counts = {row[0]: row[1] for row in conn.execute("SELECT state, COUNT(*) FROM components GROUP BY state")}
        counts["finalized_assets"] = conn.execute(
            "SELECT COUNT(*) FROM assets WHERE finalized_at IS NOT NULL"
        ).fetchone()[0]
        counts["pending_assets"] = conn.execute("SELECT COUNT(*) FROM assets WHERE finalized_at IS NULL").fetchone()[0]
        return counts

    # -- lifetime --------------------------------------------------------------------------------------
    def close(self) -> None:
        """Close every connection this tracker opened (in any thread)."""
        with self._lock:
            connections, self._connections = self._connections, []
        for conn in connections:
            conn.close()
        self._local = threading.local()

    def __enter__(self) -> UploadTracker:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
