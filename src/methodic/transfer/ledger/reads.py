"""The SQLite upload tracker's reads: its rows turned into records, for the engine, a resume and the CLI.

Its job is every question asked of :class:`~methodic.UploadTracker` that changes nothing: one asset
or one component (an indexed read, whatever the asset's size: the upload of each component asks only
these), the parts and shared files recorded, the assets a resume must finish (oldest first), and the
counts ``methodic uploads status`` shows. The writes live in :mod:`~methodic.transfer.ledger.sqlite`.
The trade-off: each read is a fresh query, never a cache, so what it returns is what another thread or
process committed last; a pass over an asset's every component happens only where all are needed
(dispatch, finalize, listings).
"""

from __future__ import annotations

import os
import sqlite3

from methodic.transfer.ledger.database import TrackerDatabase
from methodic.transfer.ledger.records import (
    COMPONENT_STATES,
    DEAD_ASSET_STATES,
    PartRecord,
    PendingUpload,
    TrackedComponent,
)
from methodic.types import ComponentDigest

__all__ = ["TrackerReads"]


class TrackerReads(TrackerDatabase):
    """Everything :class:`~methodic.UploadTracker` answers without writing (see the module's docstring)."""

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

    def get_parts(self, asset_id: str, name: str, upload_id: str) -> dict[int, PartRecord]:
        """The parts of an upload recorded as acknowledged, by part number."""
        rows = self._read(
            "SELECT part_number, size, etag, sha256, midstate, fast FROM parts"
            " WHERE asset_id = ? AND name = ? AND upload_id = ?",
            (asset_id, name, upload_id),
        )
        return {row["part_number"]: PartRecord(**dict(row)) for row in rows}

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
