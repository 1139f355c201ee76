"""``MemoryLedger``: the :class:`~methodic.transfer.ledger.interface.Ledger` of an upload started without a tracker.

Its job is to answer the engine's questions exactly as the SQLite :class:`~methodic.UploadTracker` does
(the contract suite in ``tests/uploads/test_ledger_contract.py`` runs against both), while costing no
disk write. The trade-off: nothing survives the process, so nothing can be resumed; and since nothing
can come back for an asset once it is ready or dead, it is forgotten at once (a long run registers
thousands), where the tracker keeps it, marked, until :meth:`~methodic.UploadTracker.prune`. For the
same reason it has no listing of pending assets, no ``forget``/``prune``, and none of the tracker's
hosted-SDK forms (mapping or tuple components, ``mark_pending``).
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

from methodic.errors import TrackerError
from methodic.transfer.files import ComponentSpec
from methodic.transfer.ledger.records import DEAD_ASSET_STATES, PartRecord, PendingUpload, TrackedComponent
from methodic.types import ComponentDigest

__all__ = ["MemoryLedger"]


def _key(component: ComponentSpec | TrackedComponent) -> tuple[str, str, int, str]:
    """What makes two registrations of a component the same one (as the tracker compares them)."""
    return (component.name, component.local_path, component.size, component.content_type)


def _unless_completed(component: TrackedComponent, state: str) -> str:
    """Completed is final, as in the tracker: the bytes are in storage."""
    return "completed" if component.state == "completed" else state


class MemoryLedger:
    """A :class:`~methodic.transfer.ledger.interface.Ledger` in memory, for uploads started without a tracker.

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
        """Record an asset and all its components at once: every component is recorded, or none is.

        As in the tracker, registering the same asset again with the same components (names, paths, sizes,
        content types) does nothing, and any other second registration, no component or a name given twice
        raises :class:`TrackerError`.
        """
        if not components:
            raise TrackerError(f"asset {asset_id} needs at least one component")
        duplicates = sorted(name for name, n in Counter(c.name for c in components).items() if n > 1)
        if duplicates:
            raise TrackerError(f"duplicate component names for asset {asset_id}: {duplicates}; nothing was registered")
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
                if {_key(c) for c in self._components[asset_id].values()} == {_key(c) for c in components}:
                    return  # the same registration again: idempotent
                raise TrackerError(
                    f"asset {asset_id} is already registered with other components; register all of an asset's"
                    " components in one call"
                )
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

    def _registered(self, asset_id: str, names: Iterable[str]) -> dict[str, TrackedComponent]:
        """The asset's components, once every one of ``names`` is known to be among them (call under the lock)."""
        rows = self._components.get(asset_id, {})
        for name in names:
            if name not in rows:
                raise TrackerError(f"component {name!r} of asset {asset_id} is not registered")
        return rows

    def _update(self, asset_id: str, name: str, change: Callable[[TrackedComponent], TrackedComponent]) -> None:
        self._update_many(asset_id, (name,), change)

    def _update_many(
        self, asset_id: str, names: Sequence[str], change: Callable[[TrackedComponent], TrackedComponent]
    ) -> None:
        with self._lock:
            rows = self._registered(asset_id, names)
            for name in names:
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
        """Several components failed with the same error (all of them, or none when one is unknown)."""
        self._update_many(
            asset_id,
            names,
            lambda c: c if c.state == "completed" else dataclasses.replace(c, state="failed", last_error=error[:1000]),
        )

    def update_upload_urls(self, asset_id: str, urls: Mapping[str, str], expires_at: str | None) -> None:
        """Store fresh presigned URLs (all of them, or none when a name is unknown)."""
        with self._lock:
            rows = self._registered(asset_id, urls)
            for name, url in urls.items():
                rows[name] = dataclasses.replace(rows[name], upload_url=url, url_expires_at=expires_at)

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
        if state not in DEAD_ASSET_STATES:
            raise TrackerError(f"{state!r} is not one of {DEAD_ASSET_STATES}")
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
