"""``UploadTracker``: a crash-safe local record of uploads, so a restarted process can finish them.

SQLite in WAL mode, one connection per thread, ``BEGIN IMMEDIATE`` for every write and a generous
busy timeout, so threads and processes can share one file. ``synchronous=FULL``: a state change that
returned is on disk even if the machine loses power, which is what a crash-recovery record is for
(the cost is a few milliseconds per commit, small next to uploading a component).

States of a component: ``registered`` → ``uploading`` → ``completed`` (or ``failed``, retried by
:meth:`methodic.Chronicle.resume_uploads`). A component a killed process left ``uploading`` is
simply incomplete. An asset is ``pending`` until it is marked ``finalized``, or found dead:
``abandoned`` (the server gave up on it: its run failed first) or ``unrecoverable`` (a registered
file changed or vanished). Resumes skip dead assets; :meth:`UploadTracker.prune` drops them.
Each component records the file's staged path, its source, and the size, mtime and inode it had
when it was registered (see :mod:`methodic.transfer.staging`). A component sent in parts records its
multipart ``upload_id`` and ``part_size``, and each part that landed (number, size, ETag, sha256) in
the ``parts`` table, one commit per part, so a resume sends only the parts that are missing.
A *shared* asset (one of a distributed upload: other ranks or nodes upload the rest) also records, in
``asset_files``, every file of the whole asset with the size and sha256 its uploader hashed at
registration: what finalize sends as ``files``, so whichever node finishes last can finalize.
Presigned URLs are stored (they are short-lived secrets) but never shown in reprs or errors, and
the database file is created readable by its owner only (0600; SQLite gives its ``-wal`` and
``-shm`` files the same mode).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import threading
import time
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from methodic.errors import TrackerError
from methodic.transfer import staging
from methodic.transfer.files import ComponentSpec, encoding_problem, shown_path
from methodic.types import ComponentDigest

__all__ = [
    "DEAD_ASSET_STATES",
    "SCHEMA_VERSION",
    "ComponentSpec",
    "PartRecord",
    "PendingUpload",
    "TrackedComponent",
    "TrackerError",
    "UploadTracker",
    "check_recordable",
]

SCHEMA_VERSION = 7
_MARKER = "methodic-upload-tracker"
_BUSY_TIMEOUT_MS = 30_000
COMPONENT_STATES = ("registered", "uploading", "completed", "failed")
#: Asset states in which nothing more can be done (a resume skips them, prune drops them).
DEAD_ASSET_STATES = ("abandoned", "unrecoverable")
_UNLESS_COMPLETED = "CASE WHEN state = 'completed' THEN 'completed' ELSE '{}' END"
#: The first 16 bytes of every SQLite 3 database file.
_SQLITE_HEADER = b"SQLite format 3\x00"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS assets (
    asset_id TEXT PRIMARY KEY,
    asset_type TEXT NOT NULL,
    experiment_id TEXT,
    variation INTEGER,
    run INTEGER,
    registered_at REAL NOT NULL,
    finalized_at REAL,
    local_dir TEXT,
    state TEXT NOT NULL DEFAULT 'pending',
    staging_dir TEXT,
    failure TEXT,
    shared INTEGER NOT NULL DEFAULT 0,
    route TEXT,
    max_part_bytes INTEGER
);
CREATE TABLE IF NOT EXISTS components (
    asset_id TEXT NOT NULL REFERENCES assets(asset_id),
    name TEXT NOT NULL,
    local_path TEXT NOT NULL,
    size INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('registered', 'uploading', 'completed', 'failed')),
    sha256 TEXT,
    upload_url TEXT,
    url_expires_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    updated_at REAL NOT NULL,
    source_path TEXT,
    mtime_ns INTEGER,
    inode INTEGER,
    upload_id TEXT,
    part_size INTEGER,
    PRIMARY KEY (asset_id, name)
);
CREATE TABLE IF NOT EXISTS parts (
    asset_id TEXT NOT NULL,
    name TEXT NOT NULL,
    upload_id TEXT NOT NULL,
    part_number INTEGER NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (asset_id, name, upload_id, part_number)
);
CREATE TABLE IF NOT EXISTS asset_files (
    asset_id TEXT NOT NULL,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (asset_id, path)
);
"""

# Each older file version is brought up one step at a time, in one transaction.
_MIGRATIONS: dict[int, tuple[str, ...]] = {
    # Version 1 (earlier development builds) lacks the asset's local_dir and state.
    1: (
        "ALTER TABLE assets ADD COLUMN local_dir TEXT",
        "ALTER TABLE assets ADD COLUMN state TEXT NOT NULL DEFAULT 'pending'",
        "UPDATE assets SET state = 'finalized' WHERE finalized_at IS NOT NULL",
    ),
    # Version 2 lacks staging and the registered identity of each file (its rows are checked by size only).
    2: (
        "ALTER TABLE assets ADD COLUMN staging_dir TEXT",
        "ALTER TABLE assets ADD COLUMN failure TEXT",
        "ALTER TABLE components ADD COLUMN source_path TEXT",
        "ALTER TABLE components ADD COLUMN mtime_ns INTEGER",
        "ALTER TABLE components ADD COLUMN inode INTEGER",
    ),
    # Version 3 sends every component in one PUT: no multipart upload, no parts (the table comes with _SCHEMA).
    3: (
        "ALTER TABLE components ADD COLUMN upload_id TEXT",
        "ALTER TABLE components ADD COLUMN part_size INTEGER",
    ),
    # Version 4 knows only assets whose every component is registered here (no distributed uploads).
    4: ("ALTER TABLE assets ADD COLUMN shared INTEGER NOT NULL DEFAULT 0",),
    # Version 5 sends everything through presigned URLs: no record of the route the server chose (gcs).
    5: (
        "ALTER TABLE assets ADD COLUMN route TEXT",
        "ALTER TABLE assets ADD COLUMN max_part_bytes INTEGER",
    ),
    # Version 6 holds only this process's digests of a shared asset (each node vouched for its own through a
    # route the hosted server lacks); asset_files comes with _SCHEMA.
    6: (),
}


@dataclass(frozen=True)
class PartRecord:
    """One part of a multipart upload that storage acknowledged: its number, size, ETag and sha256."""

    part_number: int
    size: int
    etag: str
    sha256: str


@dataclass(frozen=True)
class TrackedComponent:
    """One component as the tracker last recorded it (``upload_url`` is kept out of the repr)."""

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
    source_path: str | None = None
    mtime_ns: int | None = None
    inode: int | None = None
    upload_id: str | None = None
    part_size: int | None = None

    def spec(self) -> ComponentSpec:
        """The component as it was registered (for checking that its file is unchanged)."""
        return ComponentSpec(
            name=self.name,
            local_path=self.local_path,
            size=self.size,
            content_type=self.content_type,
            source_path=self.source_path,
            mtime_ns=self.mtime_ns,
            inode=self.inode,
        )


@dataclass(frozen=True)
class PendingUpload:
    """An asset that was registered (and, from :meth:`UploadTracker.get_asset`, maybe finalized)."""

    asset_id: str
    asset_type: str
    experiment_id: str | None
    variation: int | None
    run: int | None
    components: tuple[TrackedComponent, ...]
    local_dir: str | None = None
    state: str = "pending"
    staging_dir: str | None = None
    failure: str | None = None
    #: Other components of the asset are uploaded elsewhere (a distributed upload); this holds its local part.
    shared: bool = False
    #: The upload route the server chose at create: ``"gcs"`` (presigned PUTs; also None, from older trackers) or
    #: ``"r2"`` (the storage gateway's URLs, which take the API key and multipart on the URL itself).
    route: str | None = None
    #: The gateway's largest part (and largest single PUT) on the ``r2`` route.
    max_part_bytes: int | None = None

    @property
    def incomplete(self) -> tuple[TrackedComponent, ...]:
        """Components still to upload (a killed process may have left some ``uploading``)."""
        return tuple(c for c in self.components if c.state != "completed")


def _spec(component: ComponentSpec | Mapping[str, Any] | tuple[str, str, int]) -> ComponentSpec:
    if isinstance(component, ComponentSpec):
        return component
    if isinstance(component, tuple):  # the hosted SDK's (name, local path, size)
        try:
            name, local_path, size = component
            return ComponentSpec(name=str(name), local_path=str(local_path), size=int(size))
        except (TypeError, ValueError) as exc:
            raise TrackerError(f"a component tuple is (name, local_path, size); got {component!r}") from exc
    try:
        return ComponentSpec(
            name=str(component["name"]),
            local_path=str(component["local_path"]),
            size=int(component["size"]),
            content_type=str(component.get("content_type") or "application/octet-stream"),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise TrackerError(f"a component needs name, local_path and size; got keys {sorted(component)}") from exc


def check_recordable(paths: Sequence[str]) -> None:
    """Refuse, naming it, a path SQLite cannot store as text (lone surrogates under an ASCII file-system encoding)."""
    for path in paths:
        problem = encoding_problem(path)
        if problem is not None:
            raise TrackerError(f"{shown_path(path)} cannot be recorded in the upload tracker: {problem}")


def _switch_to_wal(conn: sqlite3.Connection) -> None:
    """Enter WAL mode; on a brand-new file another process may hold the lock for a moment, so try a few times."""
    for attempt in range(50):
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == 49:
                raise
            time.sleep(0.05)


class UploadTracker:
    """Records which components of which assets are uploaded; thread- and process-safe.

    Open it once per process and share it between threads (each thread gets its own SQLite
    connection). Several processes may open the same file at once. Use it as a context manager or
    call :meth:`close`.
    """

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
            self._open_read_only()
        else:
            self._create_private_file()
            self._initialise()

    def __repr__(self) -> str:
        return f"UploadTracker(db_path={str(self.db_path)!r})"

    # -- connection handling --------------------------------------------------------------------------
    def _check_existing(self) -> bool:
        """True if ``db_path`` exists and may be a tracker; raise if it is anything but an SQLite (or empty) file.

        Looked at with ``lstat`` and a read of the first 16 bytes only: nothing about the path changes.
        """
        try:
            info = self.db_path.lstat()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise TrackerError(f"cannot look at the upload tracker path {self.db_path}: {exc.strerror}") from exc
        if stat.S_ISLNK(info.st_mode):
            try:
                info = self.db_path.stat()
            except OSError as exc:
                raise TrackerError(f"{self.db_path} is a dangling symbolic link, not an upload tracker") from exc
        if stat.S_ISDIR(info.st_mode):
            raise TrackerError(f"{self.db_path} is a folder, not an upload tracker database; pass a file path")
        if not stat.S_ISREG(info.st_mode):
            raise TrackerError(f"{self.db_path} is not a regular file, so not an upload tracker database")
        if info.st_size == 0:
            return True  # a new database (SQLite writes its header at the first commit)
        try:
            with open(self.db_path, "rb") as f:
                header = f.read(len(_SQLITE_HEADER))
        except OSError as exc:
            raise TrackerError(f"cannot read the upload tracker database {self.db_path}: {exc.strerror}") from exc
        if header != _SQLITE_HEADER:
            raise TrackerError(
                f"{self.db_path} is not an upload tracker database (not an SQLite file); it was left as it is"
            )
        return True

    def _create_private_file(self) -> None:
        """Create the database file with mode 0600 before SQLite touches it (URLs in it are secrets)."""
        if self._check_existing():
            self._make_private()
            return
        try:
            self.db_path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.db_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:  # another process created it a moment ago
            if self._check_existing():
                self._make_private()
            return
        except OSError as exc:
            raise TrackerError(f"cannot create the upload tracker database {self.db_path}: {exc.strerror}") from exc
        os.close(fd)

    def _make_private(self) -> None:
        # A tracker made by something else (or an older SDK) may be readable by others; it holds live URLs.
        # Only ever called on a regular SQLite (or empty) file: see _check_existing.
        with contextlib.suppress(OSError):
            if self.db_path.stat().st_mode & 0o077:
                self.db_path.chmod(0o600)

    def _open_read_only(self) -> None:
        """Open an existing tracker for reading only (see ``read_only`` in :meth:`__init__`)."""
        if not self._check_existing():
            raise TrackerError(f"no upload tracker at {self.db_path}")
        uri = "file:" + urllib.parse.quote(str(self.db_path.resolve())) + "?mode=ro"
        try:
            conn = sqlite3.connect(uri, uri=True, timeout=_BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall()) if "meta" in tables else {}
        except sqlite3.Error as exc:
            raise TrackerError(f"{self.db_path} is not a readable upload tracker database: {exc}") from exc
        if meta.get("marker") != _MARKER:
            conn.close()
            raise TrackerError(f"{self.db_path} is not a methodic upload tracker (no tracker marker)")
        version = int(meta.get("schema_version", "1"))
        if version > SCHEMA_VERSION:
            conn.close()
            raise TrackerError(
                f"{self.db_path} was written by a newer methodic (tracker schema {version}, this one understands"
                f" {SCHEMA_VERSION}); upgrade methodic"
            )
        if version < SCHEMA_VERSION:  # upgrade a copy in memory: the file itself stays as it is
            copy = sqlite3.connect(":memory:", check_same_thread=False)
            try:
                conn.backup(copy)
                for step in range(version, SCHEMA_VERSION):
                    for statement in _MIGRATIONS[step]:
                        copy.execute(statement)
                copy.executescript(_SCHEMA)
                copy.commit()
            except sqlite3.Error as exc:
                copy.close()
                raise TrackerError(f"cannot read the older upload tracker {self.db_path}: {exc}") from exc
            finally:
                conn.close()
            conn = copy
        conn.row_factory = sqlite3.Row
        self._shared = conn
        self._connections.append(conn)

    def _private_sidecars(self) -> None:
        # SQLite creates -wal/-shm with the database file's mode; make sure, without touching the
        # process-wide umask (another thread could be creating user files at that moment).
        for suffix in ("-wal", "-shm"):
            sidecar = self.db_path.with_name(self.db_path.name + suffix)
            with contextlib.suppress(OSError):
                if sidecar.stat().st_mode & 0o077:
                    sidecar.chmod(0o600)

    def _connection(self) -> sqlite3.Connection:
        if self._closed:
            raise TrackerError(f"the upload tracker {self.db_path} is closed")
        if self._shared is not None:
            return self._shared
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(
                    self.db_path, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
                )
            except sqlite3.Error as exc:
                raise TrackerError(f"cannot open the upload tracker database {self.db_path}: {exc}") from exc
            try:
                conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
                _switch_to_wal(conn)
                conn.execute("PRAGMA synchronous = FULL")
            except sqlite3.OperationalError as exc:
                conn.close()
                raise TrackerError(f"{self.db_path} stayed locked by another process: {exc}") from exc
            except sqlite3.DatabaseError as exc:
                conn.close()
                raise TrackerError(f"{self.db_path} is not an upload tracker database: {exc}") from exc
            self._private_sidecars()
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
            # Looked at inside the write lock: processes opening one new file at once must not all create it.
            with self._write() as w:
                tables = {row[0] for row in w.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                if tables and "meta" not in tables:
                    raise TrackerError(
                        f"{self.db_path} is an SQLite database of some other program (tables: {sorted(tables)}),"
                        " not a methodic upload tracker; pass a different db_path"
                    )
                marker = None
                if "meta" in tables:
                    rows = dict(w.execute("SELECT key, value FROM meta").fetchall())
                    marker = rows.get("marker")
                    if marker != _MARKER:
                        raise TrackerError(
                            f"{self.db_path} belongs to another program (no methodic tracker marker);"
                            " pass a different db_path"
                        )
                    version = int(rows.get("schema_version", "1"))  # version 1 files had no such row
                    if version > SCHEMA_VERSION:
                        raise TrackerError(
                            f"{self.db_path} was written by a newer methodic (tracker schema {version}, this one"
                            f" understands {SCHEMA_VERSION}); upgrade methodic"
                        )
                    if version < SCHEMA_VERSION:
                        for step in range(version, SCHEMA_VERSION):
                            for statement in _MIGRATIONS[step]:
                                w.execute(statement)
                        w.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        w.execute(statement)
                if marker is None:
                    w.execute(
                        "INSERT INTO meta VALUES ('marker', ?), ('schema_version', ?)", (_MARKER, str(SCHEMA_VERSION))
                    )
        except TrackerError:
            self.close()
            raise
        except sqlite3.DatabaseError as exc:
            self.close()
            raise TrackerError(f"{self.db_path} is not a usable upload tracker database: {exc}") from exc

    # -- writes ----------------------------------------------------------------------------------------
    def register_components(
        self,
        asset_id: str,
        asset_type: str,
        components: Sequence[ComponentSpec | Mapping[str, Any] | tuple[str, str, int]],
        *,
        experiment_id: str | None = None,
        variation: int | None = None,
        run: int | None = None,
        upload_urls: Mapping[str, str] | None = None,
        urls_expire_at: str | None = None,
        local_dir: str | os.PathLike[str] | None = None,
        staging_dir: str | os.PathLike[str] | None = None,
        shared: bool = False,
        route: str | None = None,
        max_part_bytes: int | None = None,
        files: Mapping[str, ComponentDigest] | None = None,
    ) -> None:
        """Record an asset and all its components in one transaction: every row lands, or none does.

        ``shared=True`` marks an asset whose other components are uploaded elsewhere (other ranks or
        nodes of a distributed run): this tracker holds only this process's part of it. ``route`` and
        ``max_part_bytes`` are the upload route the server chose (see :class:`PendingUpload`). ``files`` is
        every file of a shared asset with the size and sha256 it must have (see :meth:`asset_files`),
        recorded in the same transaction, so a crash never leaves a shared asset nobody here can finalize.

        Register every component of an asset in this one call. Registering the same asset again with
        exactly the same components (names, paths, sizes, content types) does nothing; any other
        second registration raises :class:`TrackerError`, because :meth:`all_components_completed`
        could otherwise let the asset be finalized before the late components exist.
        """
        specs = [_spec(c) for c in components]
        if not specs:
            raise TrackerError(f"asset {asset_id} needs at least one component")
        check_recordable(
            [p for s in specs for p in (s.local_path, s.source_path) if p is not None]
            + [os.fspath(p) for p in (local_dir, staging_dir) if p is not None]
        )
        urls = dict(upload_urls or {})
        now = time.time()
        wanted = {(s.name, s.local_path, s.size, s.content_type) for s in specs}
        try:
            with self._write() as conn:
                existing = {
                    tuple(row)
                    for row in conn.execute(
                        "SELECT name, local_path, size, content_type FROM components WHERE asset_id = ?", (asset_id,)
                    )
                }
                if existing:
                    if existing == wanted and len(wanted) == len(specs):
                        return  # the same registration again: idempotent
                    raise TrackerError(
                        f"asset {asset_id} is already registered with other components; register all of an asset's"
                        " components in one call"
                    )
                conn.execute(
                    "INSERT INTO assets (asset_id, asset_type, experiment_id, variation, run, registered_at,"
                    " local_dir, state, staging_dir, shared, route, max_part_bytes)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)",
                    (
                        asset_id,
                        asset_type,
                        experiment_id,
                        variation,
                        run,
                        now,
                        None if local_dir is None else os.fspath(local_dir),
                        None if staging_dir is None else os.fspath(staging_dir),
                        int(shared),
                        route,
                        max_part_bytes,
                    ),
                )
                # A duplicate name fails here, after the asset row: the rollback takes that row too.
                conn.executemany(
                    "INSERT INTO components (asset_id, name, local_path, size, content_type, state, upload_url,"
                    " url_expires_at, updated_at, source_path, mtime_ns, inode)"
                    " VALUES (?, ?, ?, ?, ?, 'registered', ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            asset_id,
                            s.name,
                            s.local_path,
                            s.size,
                            s.content_type,
                            urls.get(s.name),
                            urls_expire_at,
                            now,
                            s.source_path,
                            s.mtime_ns,
                            s.inode,
                        )
                        for s in specs
                    ],
                )
                conn.executemany(
                    "INSERT INTO asset_files (asset_id, path, size, sha256) VALUES (?, ?, ?, ?)",
                    [(asset_id, path, d.size, d.sha256) for path, d in sorted((files or {}).items())],
                )
        except TrackerError as exc:
            if isinstance(exc.__cause__, sqlite3.IntegrityError):
                names = [s.name for s in specs]
                duplicates = sorted({n for n in names if names.count(n) > 1})
                if duplicates:
                    raise TrackerError(
                        f"duplicate component names for asset {asset_id}: {duplicates}; nothing was registered"
                    ) from exc
            raise

    def mark_pending(
        self,
        asset_id: str,
        component: str,
        local_path: str | os.PathLike[str],
        size: int | None = None,
        asset_type: str = "unknown",
        *,
        content_type: str = "application/octet-stream",
    ) -> None:
        """Record one component to upload, the hosted SDK's per-component form of :meth:`register_components`.

        ``size`` defaults to the file's size now. Marking the same component again with the same
        path and size does nothing. Mark every component of an asset before any of them completes:
        once one has, a new component is refused (TrackerError), because
        :meth:`all_components_completed` would otherwise have called a partial asset complete.
        Components added this way are not staged: the file must stay in place until it is uploaded.
        """
        path = os.fspath(local_path)
        if size is None:
            try:
                size = os.stat(path).st_size
            except OSError as exc:
                raise TrackerError(f"cannot mark {path!r} pending: {exc.strerror or exc}") from exc
        now = time.time()
        with self._write() as conn:
            existing = conn.execute(
                "SELECT local_path, size FROM components WHERE asset_id = ? AND name = ?", (asset_id, component)
            ).fetchone()
            if existing is not None:
                if (existing[0], existing[1]) == (path, size):
                    return
                raise TrackerError(f"component {component!r} of asset {asset_id} is already marked with another file")
            done = conn.execute(
                "SELECT COUNT(*) FROM components WHERE asset_id = ? AND state = 'completed'", (asset_id,)
            ).fetchone()[0]
            if done:
                raise TrackerError(
                    f"asset {asset_id} already has completed components; mark every component before uploading any"
                )
            conn.execute(
                "INSERT OR IGNORE INTO assets (asset_id, asset_type, registered_at, state) VALUES (?, ?, ?, 'pending')",
                (asset_id, asset_type, now),
            )
            conn.execute(
                "INSERT INTO components (asset_id, name, local_path, size, content_type, state, updated_at,"
                " source_path) VALUES (?, ?, ?, ?, ?, 'registered', ?, ?)",
                (asset_id, component, path, size, content_type, now, path),
            )

    def _set(self, asset_id: str, name: str, sql: str, params: tuple[Any, ...], *, durable: bool = True) -> None:
        with self._write(durable=durable) as conn:
            cursor = conn.execute(
                f"UPDATE components SET {sql}, updated_at = ? WHERE asset_id = ? AND name = ?",  # noqa: S608
                (*params, time.time(), asset_id, name),
            )
            if cursor.rowcount != 1:
                raise TrackerError(f"component {name!r} of asset {asset_id} is not registered")

    def mark_uploading(self, asset_id: str, component: str) -> None:
        """An upload attempt of the component starts (counts one more attempt).

        A completed component stays completed: its bytes are in storage (a PUT replaces an object
        whole or not at all), and a second process resuming the same tracker must not make the first
        one believe the asset is incomplete. Not synced to disk by itself (see ``durable`` in ``_write``):
        the next durable commit (the component's completion) carries it.
        """
        self._set(
            asset_id,
            component,
            f"state = {_UNLESS_COMPLETED.format('uploading')}, attempts = attempts + 1",
            (),
            durable=False,  # a power cut losing it loses nothing: "uploading" is as incomplete as "registered"
        )

    def mark_completed(
        self, asset_id: str, component: str, sha256: str | None = None, *, size: int | None = None
    ) -> None:
        """The component is in storage, with this checksum (and size; the registered one when not given)."""
        self._set(
            asset_id,
            component,
            "state = 'completed', sha256 = ?, size = COALESCE(?, size), last_error = NULL",
            (sha256, size),
        )

    def asset_file(self, asset_id: str, path: str) -> ComponentDigest | None:
        """One file of a shared asset with the size and sha256 hashed at registration (None if not recorded)."""
        rows = self._read("SELECT size, sha256 FROM asset_files WHERE asset_id = ? AND path = ?", (asset_id, path))
        return ComponentDigest(size=rows[0]["size"], sha256=rows[0]["sha256"]) if rows else None

    def asset_files(self, asset_id: str) -> dict[str, ComponentDigest]:
        """Every file of a shared asset (all ranks'), with the size and sha256 hashed at registration; else {}.

        Finalize sends them as ``files`` (each process overrides its own files' with what it uploaded).
        """
        rows = self._read("SELECT path, size, sha256 FROM asset_files WHERE asset_id = ?", (asset_id,))
        return {row["path"]: ComponentDigest(size=row["size"], sha256=row["sha256"]) for row in rows}

    def completed_sha256s(self, asset_id: str) -> dict[str, str]:
        """Component → sha256 of the asset's completed components: what finalize checks against storage."""
        return {c.name: c.sha256 for c in self._components(asset_id) if c.state == "completed" and c.sha256}

    def mark_failed(self, asset_id: str, name: str, error: str) -> None:
        """The component's upload failed; ``resume_uploads`` will try it again. ``error`` is kept (truncated)."""
        self._set(
            asset_id,
            name,
            f"state = {_UNLESS_COMPLETED.format('failed')},"
            " last_error = CASE WHEN state = 'completed' THEN NULL ELSE ? END",
            (error[:1000],),
        )

    def mark_failed_many(self, asset_id: str, names: Sequence[str], error: str) -> None:
        """Several components failed with the same error, in one transaction (a cancel of 10,000 is one commit)."""
        if not names:
            return
        now = time.time()
        with self._write() as conn:
            conn.executemany(
                f"UPDATE components SET state = {_UNLESS_COMPLETED.format('failed')},"  # noqa: S608
                " last_error = CASE WHEN state = 'completed' THEN NULL ELSE ? END, updated_at = ?"
                " WHERE asset_id = ? AND name = ?",
                [(error[:1000], now, asset_id, name) for name in names],
            )

    def start_multipart(self, asset_id: str, name: str, upload_id: str, part_size: int) -> None:
        """The component goes up in parts under ``upload_id`` (any parts of an earlier upload are dropped)."""
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE components SET upload_id = ?, part_size = ?, updated_at = ? WHERE asset_id = ? AND name = ?",
                (upload_id, part_size, time.time(), asset_id, name),
            )
            if cursor.rowcount != 1:
                raise TrackerError(f"component {name!r} of asset {asset_id} is not registered")
            conn.execute(
                "DELETE FROM parts WHERE asset_id = ? AND name = ? AND upload_id != ?", (asset_id, name, upload_id)
            )

    def set_route(self, asset_id: str, route: str, max_part_bytes: int | None) -> None:
        """The upload route the server named later (an asset marked pending without one, as the hosted SDK does)."""
        with self._write() as conn:
            conn.execute(
                "UPDATE assets SET route = ?, max_part_bytes = ? WHERE asset_id = ?", (route, max_part_bytes, asset_id)
            )

    def mark_part_completed(self, asset_id: str, name: str, upload_id: str, part: PartRecord) -> None:
        """Storage acknowledged a part (committed at once: a resume will not send it again)."""
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO parts (asset_id, name, upload_id, part_number, size, etag, sha256)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (asset_id, name, upload_id, part.part_number, part.size, part.etag, part.sha256),
            )

    def forget_parts(self, asset_id: str, name: str, upload_id: str, part_numbers: Sequence[int]) -> None:
        """Storage does not hold these parts after all: they must be sent again."""
        with self._write() as conn:
            conn.executemany(
                "DELETE FROM parts WHERE asset_id = ? AND name = ? AND upload_id = ? AND part_number = ?",
                [(asset_id, name, upload_id, n) for n in part_numbers],
            )

    def get_parts(self, asset_id: str, name: str, upload_id: str) -> dict[int, PartRecord]:
        """The parts of an upload recorded as acknowledged, by part number."""
        rows = self._read(
            "SELECT part_number, size, etag, sha256 FROM parts WHERE asset_id = ? AND name = ? AND upload_id = ?",
            (asset_id, name, upload_id),
        )
        return {row["part_number"]: PartRecord(**dict(row)) for row in rows}

    def update_upload_urls(self, asset_id: str, urls: Mapping[str, str], expires_at: str | None) -> None:
        """Store fresh presigned URLs (the old ones expired); unknown component names raise."""
        with self._write() as conn:
            now = time.time()
            for name, url in urls.items():
                cursor = conn.execute(
                    "UPDATE components SET upload_url = ?, url_expires_at = ?, updated_at = ?"
                    " WHERE asset_id = ? AND name = ?",
                    (url, expires_at, now, asset_id, name),
                )
                if cursor.rowcount != 1:
                    raise TrackerError(f"component {name!r} of asset {asset_id} is not registered")

    def mark_finalized(self, asset_id: str) -> None:
        """The asset is ready on the server; nothing is left to do for it (idempotent)."""
        with self._write() as conn:
            conn.execute(
                "UPDATE assets SET finalized_at = COALESCE(finalized_at, ?), state = 'finalized' WHERE asset_id = ?",
                (time.time(), asset_id),
            )

    def mark_dead(self, asset_id: str, state: str, reason: str) -> None:
        """Nothing more can be done for the asset: ``abandoned`` on the server, or ``unrecoverable`` locally."""
        if state not in DEAD_ASSET_STATES:
            raise TrackerError(f"{state!r} is not one of {DEAD_ASSET_STATES}")
        with self._write() as conn:
            conn.execute(
                "UPDATE assets SET state = ?, failure = ? WHERE asset_id = ? AND state = 'pending'",
                (state, reason[:1000], asset_id),
            )

    def forget(self, asset_id: str) -> PendingUpload | None:
        """Drop every row of one asset, and its staged files; returns what was recorded (None if nothing was)."""
        recorded = self.get_asset(asset_id)
        if recorded is not None:
            with self._write() as conn:
                conn.execute("DELETE FROM parts WHERE asset_id = ?", (asset_id,))
                conn.execute("DELETE FROM asset_files WHERE asset_id = ?", (asset_id,))
                conn.execute("DELETE FROM components WHERE asset_id = ?", (asset_id,))
                conn.execute("DELETE FROM assets WHERE asset_id = ?", (asset_id,))
            staging.remove(recorded.staging_dir)
        return recorded

    def prune(self) -> list[PendingUpload]:
        """Drop finalized and dead assets (what no resume will touch again); returns what was dropped.

        Also removes the staging folders of registrations that died before this tracker recorded them
        (see :meth:`sweep_staging`).
        """
        states = ("finalized", *DEAD_ASSET_STATES)
        dropped = [a for a in self.get_assets() if a.state in states]
        for asset in dropped:
            self.forget(asset.asset_id)
        self.sweep_staging()
        return dropped

    def sweep_staging(self) -> list[Path]:
        """Remove staging folders meant for this tracker whose process died before recording them; returns them.

        A process killed between staging a checkpoint and recording it here (the server's create call lies
        between) leaves hard links no row names. Its claim file says which tracker it was for, and its lock
        died with it (see :mod:`methodic.transfer.staging`). Looked for in the default staging roots and
        beside every staging folder and checkpoint folder recorded here; a registration still under way,
        in this process or another, holds its lock and is left alone.
        """
        rows = self._read("SELECT staging_dir, local_dir FROM assets")
        registered = {row["staging_dir"] for row in rows if row["staging_dir"]}
        roots = staging.default_roots() + [Path(d).parent for d in registered]
        for local_dir in {row["local_dir"] for row in rows if row["local_dir"]}:
            with contextlib.suppress(OSError):
                roots += staging.staging_roots(local_dir)
        return staging.sweep_claims(roots, self.db_path, registered)

    # -- reads -----------------------------------------------------------------------------------------
    def all_components_completed(self, asset_id: str) -> bool:
        """True when the asset is registered and every one of its components is completed (False if unknown)."""
        row = self._read("SELECT COUNT(*), SUM(state = 'completed') FROM components WHERE asset_id = ?", (asset_id,))[0]
        return bool(row[0]) and row[0] == row[1]

    _COMPONENT_COLUMNS = (
        "name, local_path, size, content_type, state, sha256, upload_url, url_expires_at, attempts,"
        " last_error, source_path, mtime_ns, inode, upload_id, part_size"
    )

    def _components(self, asset_id: str) -> tuple[TrackedComponent, ...]:
        rows = self._read(
            f"SELECT {self._COMPONENT_COLUMNS} FROM components WHERE asset_id = ? ORDER BY name",  # noqa: S608
            (asset_id,),
        )
        return tuple(TrackedComponent(**dict(row)) for row in rows)

    def get_component(self, asset_id: str, name: str) -> TrackedComponent | None:
        """One component as last recorded, or None: one indexed read, whatever the asset's size.

        The upload of each component asks only this (and :meth:`get_asset` with ``components=False``), so
        an asset of 10,000 files costs one pass over its rows, at dispatch, not one per file.
        """
        rows = self._read(
            f"SELECT {self._COMPONENT_COLUMNS} FROM components WHERE asset_id = ? AND name = ?",  # noqa: S608
            (asset_id, name),
        )
        return TrackedComponent(**dict(rows[0])) if rows else None

    def _pending(self, row: sqlite3.Row, *, components: bool = True) -> PendingUpload:
        return PendingUpload(
            asset_id=row["asset_id"],
            asset_type=row["asset_type"],
            experiment_id=row["experiment_id"],
            variation=row["variation"],
            run=row["run"],
            components=self._components(row["asset_id"]) if components else (),
            local_dir=row["local_dir"],
            state=row["state"],
            staging_dir=row["staging_dir"],
            failure=row["failure"],
            shared=bool(row["shared"]),
            route=row["route"],
            max_part_bytes=row["max_part_bytes"],
        )

    def get_pending_uploads(self) -> list[PendingUpload]:
        """Every asset still to finish (not finalized, not dead), oldest first: what a restarted process must do."""
        rows = self._read("SELECT * FROM assets WHERE state = 'pending' ORDER BY registered_at, asset_id")
        return [self._pending(row) for row in rows]

    def get_incomplete(self) -> list[PendingUpload]:
        """The hosted SDK's name for :meth:`get_pending_uploads`: every asset still to finish, oldest first."""
        return self.get_pending_uploads()

    def get_latest_checkpoint_path(self) -> str | None:
        """Where the newest checkpoint registered here lives on disk, for resuming in the same container.

        The newest ``checkpoint`` asset that is not dead and whose folder (or single file) still
        exists: its ``local_dir``, or the file of a one-component asset. None when there is none.
        A finalized one counts too: its files are what the trainer saved.
        """
        rows = self._read(
            "SELECT * FROM assets WHERE asset_type = 'checkpoint' AND state IN ('pending', 'finalized')"
            " ORDER BY registered_at DESC, rowid DESC"
        )
        for row in rows:
            candidates = [row["local_dir"]] if row["local_dir"] else []
            components = self._components(row["asset_id"])
            if not candidates and len(components) == 1:
                candidates.append(components[0].source_path or components[0].local_path)
            for path in candidates:
                if path and os.path.exists(path):
                    return str(path)
        return None

    def get_assets(self) -> list[PendingUpload]:
        """Every recorded asset in any state (pending, finalized, abandoned, unrecoverable), oldest first."""
        rows = self._read("SELECT * FROM assets ORDER BY registered_at, asset_id")
        return [self._pending(row) for row in rows]

    def get_asset(self, asset_id: str, *, components: bool = True) -> PendingUpload | None:
        """The recorded state of one asset (finalized or not), or None if it was never registered.

        ``components=False`` leaves its components out (an empty tuple): the asset's state and route in one
        indexed read, for what is asked once per component.
        """
        rows = self._read("SELECT * FROM assets WHERE asset_id = ?", (asset_id,))
        return self._pending(rows[0], components=components) if rows else None

    def has_registered_assets(self) -> bool:
        """True if anything was ever registered here (a restart, not a first start)."""
        return bool(self._read("SELECT 1 FROM assets LIMIT 1"))

    def summary(self) -> dict[str, int]:
        """Component counts by state (every state, zeros included) plus ``finalized_assets`` and ``pending_assets``."""
        counts = dict.fromkeys(COMPONENT_STATES, 0)
        counts.update({row[0]: row[1] for row in self._read("SELECT state, COUNT(*) FROM components GROUP BY state")})
        assets = dict.fromkeys(("pending", "finalized", *DEAD_ASSET_STATES), 0)
        assets.update({row[0]: row[1] for row in self._read("SELECT state, COUNT(*) FROM assets GROUP BY state")})
        counts.update({f"{state}_assets": count for state, count in assets.items()})
        return counts

    # -- lifetime --------------------------------------------------------------------------------------
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

    def __enter__(self) -> UploadTracker:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
