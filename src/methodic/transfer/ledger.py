"""Where the engine keeps the state of an asset's upload: the tracker when one is given, memory otherwise.

The engine asks the ledger, never a copy of its own, which URL to use, which components completed
with which digest, and whether all of them did; so with an :class:`~methodic.UploadTracker` the rows
on disk are the one truth, and a resume after a crash reads exactly what the crashed process wrote.
:class:`MemoryLedger` answers the same questions for uploads without a tracker.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from methodic.errors import TrackerError
from methodic.transfer.files import ComponentSpec
from methodic.transfer.tracker import PartRecord, PendingUpload, TrackedComponent
from methodic.types import ComponentDigest


class Ledger(Protocol):
    """The part of :class:`~methodic.UploadTracker` the transfer engine relies on."""

    def register_components(
        self,
        asset_id: str,
        asset_type: str,
        components: Sequence[ComponentSpec],
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
        """Record an asset and all its components at once (``shared``: the rest are uploaded elsewhere).

        ``route`` and ``max_part_bytes``: the upload route the server chose at create (``"gcs"`` or ``"r2"``).
        ``files``: a shared asset's every file (all ranks') with the digest finalize must send for it.
        """

    def mark_uploading(self, asset_id: str, component: str) -> None:
        """An upload attempt of the component starts."""

    def mark_completed(
        self, asset_id: str, component: str, sha256: str | None = None, *, size: int | None = None
    ) -> None:
        """The component is in storage, with this checksum (and size, when it changed)."""

    def mark_failed(self, asset_id: str, name: str, error: str) -> None:
        """The component's upload failed."""

    def update_upload_urls(self, asset_id: str, urls: Mapping[str, str], expires_at: str | None) -> None:
        """Store fresh presigned URLs."""

    def start_multipart(self, asset_id: str, name: str, upload_id: str, part_size: int) -> None:
        """The component goes up in parts under ``upload_id``."""

    def set_route(self, asset_id: str, route: str, max_part_bytes: int | None) -> None:
        """The upload route the server named later (an asset registered without one)."""

    def mark_part_completed(self, asset_id: str, name: str, upload_id: str, part: PartRecord) -> None:
        """Storage acknowledged a part."""

    def forget_parts(self, asset_id: str, name: str, upload_id: str, part_numbers: Sequence[int]) -> None:
        """Storage does not hold these parts after all."""

    def get_parts(self, asset_id: str, name: str, upload_id: str) -> dict[int, PartRecord]:
        """The parts of an upload recorded as acknowledged."""

    def mark_finalized(self, asset_id: str) -> None:
        """The asset is ready on the server."""

    def mark_dead(self, asset_id: str, state: str, reason: str) -> None:
        """Nothing more can be done for the asset (``abandoned`` or ``unrecoverable``)."""

    def mark_failed_many(self, asset_id: str, names: Sequence[str], error: str) -> None:
        """Several components failed with the same error (one write: a cancel of thousands is one commit)."""

    def get_asset(self, asset_id: str, *, components: bool = True) -> PendingUpload | None:
        """The recorded state of one asset (``components=False``: without its components, in constant time)."""

    def get_component(self, asset_id: str, name: str) -> TrackedComponent | None:
        """One component as recorded, looked up by its name (never a pass over the asset's components)."""

    def asset_files(self, asset_id: str) -> dict[str, ComponentDigest]:
        """A shared asset's every file with its registered digest ({} for an asset uploaded from here alone)."""

    def asset_file(self, asset_id: str, path: str) -> ComponentDigest | None:
        """One file of a shared asset with its registered digest (None when none was recorded)."""


def _unless_completed(component: TrackedComponent, state: str) -> str:
    """Completed is final, as in the tracker: the bytes are in storage."""
    return "completed" if component.state == "completed" else state


class MemoryLedger:
    """A :class:`Ledger` in memory, for uploads started without a tracker (nothing survives the process).

    Components are kept by name, so a component's update or lookup costs the same for an asset of one file or
    of 100,000.
    """

    def __init__(self) -> None:
        self._assets: dict[str, PendingUpload] = {}  # components=() here: they live in _components
        self._components: dict[str, dict[str, TrackedComponent]] = {}
        self._parts: dict[tuple[str, str, str], dict[int, PartRecord]] = {}
        self._files: dict[str, dict[str, ComponentDigest]] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<MemoryLedger assets={len(self._assets)}>"

    def register_components(
        self,
        asset_id: str,
        asset_type: str,
        components: Sequence[ComponentSpec],
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
        """Record an asset and its components (a second registration of the same asset raises)."""
        urls = dict(upload_urls or {})
        rows = {
            c.name: TrackedComponent(
                name=c.name,
                local_path=c.local_path,
                size=c.size,
                content_type=c.content_type,
                state="registered",
                sha256=None,
                upload_url=urls.get(c.name),
                url_expires_at=urls_expire_at,
                attempts=0,
                last_error=None,
                source_path=c.source_path,
                mtime_ns=c.mtime_ns,
                inode=c.inode,
            )
            for c in components
        }
        with self._lock:
            if asset_id in self._assets:
                raise TrackerError(f"asset {asset_id} is already registered")
            self._assets[asset_id] = PendingUpload(
                asset_id=asset_id,
                asset_type=asset_type,
                experiment_id=experiment_id,
                variation=variation,
                run=run,
                components=(),
                local_dir=None if local_dir is None else os.fspath(local_dir),
                staging_dir=None if staging_dir is None else os.fspath(staging_dir),
                shared=shared,
                route=route,
                max_part_bytes=max_part_bytes,
            )
            self._components[asset_id] = rows
            self._files[asset_id] = dict(files or {})

    def _update(self, asset_id: str, name: str, change: Callable[[TrackedComponent], TrackedComponent]) -> None:
        with self._lock:
            rows = self._components.get(asset_id)
            if rows is None or name not in rows:
                raise TrackerError(f"component {name!r} of asset {asset_id} is not registered")
            rows[name] = change(rows[name])

    def mark_uploading(self, asset_id: str, component: str) -> None:
        """An upload attempt of the component starts (counts one more attempt)."""
        self._update(
            asset_id,
            component,
            lambda c: dataclasses.replace(c, state=_unless_completed(c, "uploading"), attempts=c.attempts + 1),
        )

    def mark_completed(
        self, asset_id: str, component: str, sha256: str | None = None, *, size: int | None = None
    ) -> None:
        """The component is in storage, with this checksum (and size, when it changed)."""
        self._update(
            asset_id,
            component,
            lambda c: dataclasses.replace(
                c, state="completed", sha256=sha256, size=c.size if size is None else size, last_error=None
            ),
        )

    def mark_failed(self, asset_id: str, name: str, error: str) -> None:
        """The component's upload failed."""
        self._update(
            asset_id,
            name,
            lambda c: c if c.state == "completed" else dataclasses.replace(c, state="failed", last_error=error[:1000]),
        )

    def mark_failed_many(self, asset_id: str, names: Sequence[str], error: str) -> None:
        """Several components failed with the same error."""
        for name in names:
            self.mark_failed(asset_id, name, error)

    def update_upload_urls(self, asset_id: str, urls: Mapping[str, str], expires_at: str | None) -> None:
        """Store fresh presigned URLs."""
        for name, url in urls.items():

            def renew(component: TrackedComponent, url: str = url) -> TrackedComponent:
                return dataclasses.replace(component, upload_url=url, url_expires_at=expires_at)

            self._update(asset_id, name, renew)

    def start_multipart(self, asset_id: str, name: str, upload_id: str, part_size: int) -> None:
        """The component goes up in parts under ``upload_id``."""
        self._update(asset_id, name, lambda c: dataclasses.replace(c, upload_id=upload_id, part_size=part_size))
        with self._lock:
            self._parts = {k: v for k, v in self._parts.items() if k[:2] != (asset_id, name) or k[2] == upload_id}

    def set_route(self, asset_id: str, route: str, max_part_bytes: int | None) -> None:
        """The upload route the server named later (an asset registered without one)."""
        with self._lock:
            asset = self._assets.get(asset_id)
            if asset is None:
                raise TrackerError(f"asset {asset_id} is not registered")
            self._assets[asset_id] = dataclasses.replace(asset, route=route, max_part_bytes=max_part_bytes)

    def mark_part_completed(self, asset_id: str, name: str, upload_id: str, part: PartRecord) -> None:
        """Storage acknowledged a part."""
        with self._lock:
            self._parts.setdefault((asset_id, name, upload_id), {})[part.part_number] = part

    def forget_parts(self, asset_id: str, name: str, upload_id: str, part_numbers: Sequence[int]) -> None:
        """Storage does not hold these parts after all."""
        with self._lock:
            recorded = self._parts.get((asset_id, name, upload_id), {})
            for number in part_numbers:
                recorded.pop(number, None)

    def get_parts(self, asset_id: str, name: str, upload_id: str) -> dict[int, PartRecord]:
        """The parts of an upload recorded as acknowledged."""
        with self._lock:
            return dict(self._parts.get((asset_id, name, upload_id), {}))

    def _drop(self, asset_id: str) -> None:
        with self._lock:
            self._assets.pop(asset_id, None)
            self._components.pop(asset_id, None)
            self._files.pop(asset_id, None)
            self._parts = {k: v for k, v in self._parts.items() if k[0] != asset_id}

    def mark_finalized(self, asset_id: str) -> None:
        """The asset is ready: nothing is left to remember about it (a long run registers thousands)."""
        self._drop(asset_id)

    def mark_dead(self, asset_id: str, state: str, reason: str) -> None:
        """Nothing more can be done for the asset; like a finalized one, it is forgotten."""
        self._drop(asset_id)

    def get_asset(self, asset_id: str, *, components: bool = True) -> PendingUpload | None:
        """The recorded state of one asset, or None (``components=False``: without its components)."""
        with self._lock:
            asset = self._assets.get(asset_id)
            if asset is None or not components:
                return asset
            rows = self._components.get(asset_id, {})
            return dataclasses.replace(asset, components=tuple(rows[name] for name in sorted(rows)))

    def get_component(self, asset_id: str, name: str) -> TrackedComponent | None:
        """One component as recorded, or None."""
        with self._lock:
            return self._components.get(asset_id, {}).get(name)

    def asset_files(self, asset_id: str) -> dict[str, ComponentDigest]:
        """A shared asset's every file with its registered digest ({} when none were recorded)."""
        with self._lock:
            return dict(self._files.get(asset_id, {}))

    def asset_file(self, asset_id: str, path: str) -> ComponentDigest | None:
        """One file of a shared asset with its registered digest, or None."""
        with self._lock:
            return self._files.get(asset_id, {}).get(path)
