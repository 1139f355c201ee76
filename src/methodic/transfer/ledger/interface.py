"""The :class:`Ledger` interface: what the transfer engine asks of wherever an upload's state is kept.

The engine asks the ledger, never a copy of its own, which URL to use, which components completed
with which digest, and whether all of them did; so with an :class:`~methodic.UploadTracker` the rows
on disk are the one truth, and a resume after a crash reads exactly what the crashed process wrote.
Two ledgers implement it: :class:`~methodic.transfer.ledger.memory.MemoryLedger` (uploads started
without a tracker) and the SQLite :class:`~methodic.UploadTracker`; ``tests/uploads/test_ledger_contract.py``
runs one suite against both. The interface is structural (a :class:`~typing.Protocol`): the trade-off is
that nothing forces a ledger to declare it, so that suite is what holds the two to the same behaviour.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Protocol

from methodic.transfer.files import ComponentSpec
from methodic.transfer.ledger.records import PartRecord, PendingUpload, TrackedComponent
from methodic.types import ComponentDigest

__all__ = ["Ledger"]


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

        All or nothing: no component, or a name given twice, raises :class:`~methodic.TrackerError` and records
        nothing. The same registration again (names, paths, sizes, content types) does nothing; another raises.

        ``route`` and ``max_part_bytes``: the upload route the server chose at create (``"gcs"`` or ``"r2"``).
        ``files``: a shared asset's every file (all ranks') with the digest finalize must send for it.
        """

    def mark_uploading(self, asset_id: str, component: str) -> None:
        """An upload attempt of the component starts (one more attempt; a completed component stays completed)."""

    def mark_completed(
        self, asset_id: str, component: str, sha256: str | None = None, *, size: int | None = None
    ) -> None:
        """The component is in storage, with this checksum (and size, when it changed)."""

    def mark_failed(self, asset_id: str, name: str, error: str) -> None:
        """The component's upload failed (the error kept, truncated; a completed component stays completed)."""

    def update_upload_urls(self, asset_id: str, urls: Mapping[str, str], expires_at: str | None) -> None:
        """Store fresh presigned URLs: all of them, or none when a name is not registered (which raises)."""

    def start_multipart(self, asset_id: str, name: str, upload_id: str, part_size: int) -> None:
        """The component goes up in parts under ``upload_id`` (the parts of any other upload id are dropped)."""

    def set_route(self, asset_id: str, route: str, max_part_bytes: int | None) -> None:
        """The upload route the server named later (an asset registered without one; an unknown asset raises)."""

    def mark_part_completed(self, asset_id: str, name: str, upload_id: str, part: PartRecord) -> None:
        """Storage acknowledged a part (a part recorded again replaces the earlier record)."""

    def forget_parts(self, asset_id: str, name: str, upload_id: str, part_numbers: Sequence[int]) -> None:
        """Storage does not hold these parts after all."""

    def get_parts(self, asset_id: str, name: str, upload_id: str) -> dict[int, PartRecord]:
        """The parts of an upload recorded as acknowledged."""

    def mark_finalized(self, asset_id: str) -> None:
        """The asset is ready on the server (idempotent; the memory ledger forgets it, the tracker keeps it marked)."""

    def mark_dead(self, asset_id: str, state: str, reason: str) -> None:
        """Nothing more can be done for the asset (``abandoned`` or ``unrecoverable``; any other state raises)."""

    def mark_failed_many(self, asset_id: str, names: Sequence[str], error: str) -> None:
        """Several components failed with the same error (one write: a cancel of thousands is one commit).

        All or nothing: a name that is not registered raises and marks none.
        """

    def get_asset(self, asset_id: str, *, components: bool = True) -> PendingUpload | None:
        """The recorded state of one asset (``components=False``: without its components, in constant time)."""

    def get_component(self, asset_id: str, name: str) -> TrackedComponent | None:
        """One component as recorded, looked up by its name (never a pass over the asset's components)."""

    def asset_files(self, asset_id: str) -> dict[str, ComponentDigest]:
        """A shared asset's every file with its registered digest ({} for an asset uploaded from here alone)."""

    def asset_file(self, asset_id: str, path: str) -> ComponentDigest | None:
        """One file of a shared asset with its registered digest (None when none was recorded)."""
