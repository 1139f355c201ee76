"""The SQLite upload tracker's file: what makes a path a tracker, its schema, and older versions brought up.

Its job is that :class:`~methodic.UploadTracker` only ever opens a file that is (or may become) one of
its own: a path that does not exist yet, or a regular SQLite (or empty) file with the tracker's marker.
Anything else (a folder, a text file, a device, another program's database) is refused with
:class:`TrackerError` before its mode or content is touched. A new file is created readable by its owner
only (0600: it holds presigned URLs, which are secrets). An older schema is migrated one version at a
time inside the opening transaction; a read-only open migrates a copy in memory instead, leaving the
file as it is. The trade-off: every open reads the first 16 bytes and the ``meta`` table, a few
microseconds, so a mistaken path never ends up overwritten or chmod-ed.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import time
import urllib.parse
from pathlib import Path

from methodic.errors import TrackerError

__all__ = [
    "BUSY_TIMEOUT_MS",
    "MIGRATIONS",
    "SCHEMA",
    "SCHEMA_VERSION",
    "check_existing",
    "create_private_file",
    "initialise",
    "migrate_step",
    "open_read_only",
    "private_sidecars",
    "switch_to_wal",
]

SCHEMA_VERSION = 10
MARKER = "methodic-upload-tracker"
#: How long a writer waits for another one (thread or process) before giving up.
BUSY_TIMEOUT_MS = 30_000
#: The first 16 bytes of every SQLite 3 database file.
_SQLITE_HEADER = b"SQLite format 3\x00"

SCHEMA = """
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
    midstate TEXT,
    fast TEXT,
    PRIMARY KEY (asset_id, name, upload_id, part_number)
);
CREATE TABLE IF NOT EXISTS asset_files (
    asset_id TEXT NOT NULL,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (asset_id, path)
);
CREATE TABLE IF NOT EXISTS handovers (
    handover_id TEXT PRIMARY KEY,
    handed_at REAL NOT NULL,
    staging_dir TEXT NOT NULL,
    record TEXT NOT NULL
);
"""

# Each older file version is brought up one step at a time, in one transaction.
MIGRATIONS: dict[int, tuple[str, ...]] = {
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
    # Version 3 sends every component in one PUT: no multipart upload, no parts (the table comes with SCHEMA).
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
    # route the hosted server lacks); asset_files comes with SCHEMA.
    6: (),
    # Version 7 registers every asset before its hand-over returns: no hand-over records (methodic.transfer.handover;
    # the table comes with the schema).
    7: (),
    # Version 8 records no whole-file sha256 state per part: its parts keep the per-part check on a resume.
    # (A file from before version 3 has no parts table yet: it is made in version 8's shape first.)
    8: (
        "CREATE TABLE IF NOT EXISTS parts (asset_id TEXT NOT NULL, name TEXT NOT NULL, upload_id TEXT NOT NULL,"
        " part_number INTEGER NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL, sha256 TEXT NOT NULL,"
        " PRIMARY KEY (asset_id, name, upload_id, part_number))",
        "ALTER TABLE parts ADD COLUMN midstate TEXT",
    ),
    # Version 9 records no fast hash per part: a resume proves its parts by the sha256 pass (or per part).
    9: ("ALTER TABLE parts ADD COLUMN fast TEXT",),
}


def migrate_step(conn: sqlite3.Connection, step: int) -> None:
    """Bring a file of version ``step`` up one version.

    A column the file has already is left as it is (SQLite has no ``ADD COLUMN IF NOT EXISTS``): steps merged
    from parallel branches, or a file whose version row lags its tables, still come up.
    """
    for statement in MIGRATIONS[step]:
        try:
            conn.execute(statement)
        except sqlite3.OperationalError as exc:
            if not (statement.startswith("ALTER TABLE") and "duplicate column name" in str(exc)):
                raise


def check_existing(db_path: Path) -> bool:
    """True if ``db_path`` exists and may be a tracker; raise if it is anything but an SQLite (or empty) file.

    Looked at with ``lstat`` and a read of the first 16 bytes only: nothing about the path changes.
    """
    try:
        info = db_path.lstat()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise TrackerError(f"cannot look at the upload tracker path {db_path}: {exc.strerror}") from exc
    if stat.S_ISLNK(info.st_mode):
        try:
            info = db_path.stat()
        except OSError as exc:
            raise TrackerError(f"{db_path} is a dangling symbolic link, not an upload tracker") from exc
    if stat.S_ISDIR(info.st_mode):
        raise TrackerError(f"{db_path} is a folder, not an upload tracker database; pass a file path")
    if not stat.S_ISREG(info.st_mode):
        raise TrackerError(f"{db_path} is not a regular file, so not an upload tracker database")
    if info.st_size == 0:
        return True  # a new database (SQLite writes its header at the first commit)
    try:
        with open(db_path, "rb") as f:
            header = f.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise TrackerError(f"cannot read the upload tracker database {db_path}: {exc.strerror}") from exc
    if header != _SQLITE_HEADER:
        raise TrackerError(f"{db_path} is not an upload tracker database (not an SQLite file); it was left as it is")
    return True


def create_private_file(db_path: Path) -> None:
    """Create the database file with mode 0600 before SQLite touches it (URLs in it are secrets)."""
    if check_existing(db_path):
        _make_private(db_path)
        return
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(db_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:  # another process created it a moment ago
        if check_existing(db_path):
            _make_private(db_path)
        return
    except OSError as exc:
        raise TrackerError(f"cannot create the upload tracker database {db_path}: {exc.strerror}") from exc
    os.close(fd)


def _make_private(db_path: Path) -> None:
    # A tracker made by something else (or an older SDK) may be readable by others; it holds live URLs.
    # Only ever called on a regular SQLite (or empty) file: see check_existing.
    with contextlib.suppress(OSError):
        if db_path.stat().st_mode & 0o077:
            db_path.chmod(0o600)


def private_sidecars(db_path: Path) -> None:
    """Make the ``-wal`` and ``-shm`` files owner-only too (SQLite gives them the database file's mode; make sure).

    Done without touching the process-wide umask: another thread could be creating user files at that moment.
    """
    for suffix in ("-wal", "-shm"):
        sidecar = db_path.with_name(db_path.name + suffix)
        with contextlib.suppress(OSError):
            if sidecar.stat().st_mode & 0o077:
                sidecar.chmod(0o600)


def switch_to_wal(conn: sqlite3.Connection) -> None:
    """Enter WAL mode; on a brand-new file another process may hold the lock for a moment, so try a few times."""
    for attempt in range(50):
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == 49:
                raise
            time.sleep(0.05)


def _newer(db_path: Path, version: int) -> TrackerError:
    return TrackerError(
        f"{db_path} was written by a newer methodic (tracker schema {version}, this one understands"
        f" {SCHEMA_VERSION}); upgrade methodic"
    )


def open_read_only(db_path: Path) -> sqlite3.Connection:
    """One connection to an existing tracker, for reading only; an older one is upgraded in a copy in memory."""
    if not check_existing(db_path):
        raise TrackerError(f"no upload tracker at {db_path}")
    uri = "file:" + urllib.parse.quote(str(db_path.resolve())) + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall()) if "meta" in tables else {}
    except sqlite3.Error as exc:
        raise TrackerError(f"{db_path} is not a readable upload tracker database: {exc}") from exc
    if meta.get("marker") != MARKER:
        conn.close()
        raise TrackerError(f"{db_path} is not a methodic upload tracker (no tracker marker)")
    version = int(meta.get("schema_version", "1"))
    if version > SCHEMA_VERSION:
        conn.close()
        raise _newer(db_path, version)
    if version < SCHEMA_VERSION:  # upgrade a copy in memory: the file itself stays as it is
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        try:
            conn.backup(copy)
            for step in range(version, SCHEMA_VERSION):
                migrate_step(copy, step)
            copy.executescript(SCHEMA)
            copy.commit()
        except sqlite3.Error as exc:
            copy.close()
            raise TrackerError(f"cannot read the older upload tracker {db_path}: {exc}") from exc
        finally:
            conn.close()
        conn = copy
    conn.row_factory = sqlite3.Row
    return conn


def initialise(w: sqlite3.Connection, db_path: Path) -> None:
    """Check, migrate or create the schema, inside the caller's write transaction ``w``.

    Looked at inside the write lock: processes opening one new file at once must not all create it.
    """
    tables = {row[0] for row in w.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if tables and "meta" not in tables:
        raise TrackerError(
            f"{db_path} is an SQLite database of some other program (tables: {sorted(tables)}),"
            " not a methodic upload tracker; pass a different db_path"
        )
    marker = None
    if "meta" in tables:
        rows = dict(w.execute("SELECT key, value FROM meta").fetchall())
        marker = rows.get("marker")
        if marker != MARKER:
            raise TrackerError(
                f"{db_path} belongs to another program (no methodic tracker marker); pass a different db_path"
            )
        version = int(rows.get("schema_version", "1"))  # version 1 files had no such row
        if version > SCHEMA_VERSION:
            raise _newer(db_path, version)
        if version < SCHEMA_VERSION:
            for step in range(version, SCHEMA_VERSION):
                migrate_step(w, step)
            w.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
    for statement in SCHEMA.split(";"):
        if statement.strip():
            w.execute(statement)
    if marker is None:
        w.execute("INSERT INTO meta VALUES ('marker', ?), ('schema_version', ?)", (MARKER, str(SCHEMA_VERSION)))
