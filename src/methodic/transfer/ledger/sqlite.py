"""``UploadTracker``: the durable ledger, a crash-safe SQLite record so a restarted process can finish uploads.

Its job is the tracker's state changes: what the engine records as it uploads (the
:class:`~methodic.transfer.ledger.interface.Ledger` interface, the same contract as the in-memory
ledger, plus the hosted SDK's forms) and what an operator forgets or prunes. The reads live in
:mod:`~methodic.transfer.ledger.reads`, how threads and processes share the file in
:mod:`~methodic.transfer.ledger.database`, how it is vetted and migrated in
:mod:`~methodic.transfer.ledger.schema`. The trade-off against the memory ledger: a durable commit per
state change (a few milliseconds), in exchange for a resume that reads exactly what a killed process wrote.

States of a component: ``registered`` → ``uploading`` → ``completed`` (or ``failed``, retried by
:meth:`methodic.Chronicle.resume_uploads`). A component a killed process left ``uploading`` is
simply incomplete. An asset is ``pending`` until it is marked ``finalized``, or found dead:
``abandoned`` (the server gave up on it: its run failed first) or ``unrecoverable`` (a registered
file changed or vanished). Resumes skip dead assets; :meth:`UploadTracker.prune` drops them.
Each component records the file's staged path, its source, and the size, mtime and inode it had
when it was registered (see :mod:`methodic.transfer.staging` and :mod:`methodic.transfer.mtimes`).
A component sent in parts records its multipart ``upload_id`` and ``part_size``, and each part that
landed (number, size, ETag, sha256) in the ``parts`` table, one commit per part, so a resume sends
only the parts that are missing.
A *shared* asset (one of a distributed upload: other ranks or nodes upload the rest) also records, in
``asset_files``, every file of the whole asset with the size and sha256 its uploader hashed at
registration: what finalize sends as ``files``, so whichever node finishes last can finalize.
Presigned URLs are stored (they are short-lived secrets) but never shown in reprs or errors, and
the database file is created readable by its owner only (0600).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from methodic.errors import TrackerError
from methodic.transfer import staging
from methodic.transfer.claims import sweep_claims
from methodic.transfer.files import ComponentSpec, encoding_problem, shown_path
from methodic.transfer.ledger.reads import TrackerReads
from methodic.transfer.ledger.records import (
    DEAD_ASSET_STATES,
    PartRecord,
    PendingUpload,
)
from methodic.transfer.staging_roots import default_roots, staging_roots
from methodic.types import ComponentDigest

__all__ = ["UploadTracker", "check_recordable"]

_UNLESS_COMPLETED = "CASE WHEN state = 'completed' THEN 'completed' ELSE '{}' END"


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


class UploadTracker(TrackerReads):
    """Records which components of which assets are uploaded; thread- and process-safe.

    Open it once per process and share it between threads (each thread gets its own SQLite
    connection). Several processes may open the same file at once. Use it as a context manager or
    call :meth:`close`.
    """

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
        """The component is in storage, with this checksum (and size; the registered one when not given).

        Not synced to disk by itself either: it survives a kill of the process at once (the commit is in
        the WAL), and what a power cut may take back is only the record, not the bytes in storage; the
        component is then sent again on resume (a PUT replaces the object whole). The asset's finalization,
        which is durable, syncs every completion before it, and only then are its staged files removed.
        Measured: with each completion synced, a tracked 8-file checkpoint spent ~7 ms of its upload
        threads' time in fsync and lock waits (26.8 ms for 32 files; 4.3 ms without).

        A shared asset's completions are synced each: this process's part of it is done (and its staged
        files removed) while other nodes still upload theirs, long before anything finalizes it here.
        """
        shared = self._read("SELECT shared FROM assets WHERE asset_id = ?", (asset_id,))
        self._set(
            asset_id,
            component,
            "state = 'completed', sha256 = ?, size = COALESCE(?, size), last_error = NULL",
            (sha256, size),
            durable=bool(shared and shared[0]["shared"]),
        )

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
        """Several components failed with the same error, in one transaction (a cancel of 10,000 is one commit).

        All of them are marked, or none is: an unknown name raises :class:`TrackerError`.
        """
        if not names:
            return
        now = time.time()
        with self._write() as conn:
            cursor = conn.executemany(
                f"UPDATE components SET state = {_UNLESS_COMPLETED.format('failed')},"  # noqa: S608
                " last_error = CASE WHEN state = 'completed' THEN NULL ELSE ? END, updated_at = ?"
                " WHERE asset_id = ? AND name = ?",
                [(error[:1000], now, asset_id, name) for name in names],
            )
            if cursor.rowcount != len(names):  # raised inside the transaction: it is rolled back
                known = {row[0] for row in conn.execute("SELECT name FROM components WHERE asset_id = ?", (asset_id,))}
                unknown = next(name for name in names if name not in known)
                raise TrackerError(f"component {unknown!r} of asset {asset_id} is not registered")

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
            cursor = conn.execute(
                "UPDATE assets SET route = ?, max_part_bytes = ? WHERE asset_id = ?", (route, max_part_bytes, asset_id)
            )
            if cursor.rowcount != 1:
                raise TrackerError(f"asset {asset_id} is not registered")

    def mark_part_completed(self, asset_id: str, name: str, upload_id: str, part: PartRecord) -> None:
        """Storage acknowledged a part (committed at once: a resume will not send it again)."""
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO parts"
                " (asset_id, name, upload_id, part_number, size, etag, sha256, midstate, fast)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    asset_id,
                    name,
                    upload_id,
                    part.part_number,
                    part.size,
                    part.etag,
                    part.sha256,
                    part.midstate,
                    part.fast,
                ),
            )

    def forget_parts(self, asset_id: str, name: str, upload_id: str, part_numbers: Sequence[int]) -> None:
        """Storage does not hold these parts after all: they must be sent again."""
        with self._write() as conn:
            conn.executemany(
                "DELETE FROM parts WHERE asset_id = ? AND name = ? AND upload_id = ? AND part_number = ?",
                [(asset_id, name, upload_id, n) for n in part_numbers],
            )

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
        died with it (see :mod:`methodic.transfer.claims`). Looked for in the default staging roots and
        beside every staging folder and checkpoint folder recorded here; a registration still under way,
        in this process or another, holds its lock and is left alone.
        """
        rows = self._read("SELECT staging_dir, local_dir FROM assets")
        registered = {row["staging_dir"] for row in rows if row["staging_dir"]}
        # A checkpoint handed over but not registered yet (methodic.transfer.handover) is the tracker's too.
        registered |= {row["staging_dir"] for row in self._read("SELECT staging_dir FROM handovers")}
        roots = default_roots() + [Path(d).parent for d in registered]
        for local_dir in {row["local_dir"] for row in rows if row["local_dir"]}:
            with contextlib.suppress(OSError):
                roots += staging_roots(local_dir)
        return sweep_claims(roots, self.db_path, registered)
