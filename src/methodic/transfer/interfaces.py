"""What the transfer engine needs from the API layer, as an interface it receives (it imports no API code).

s3transfer's ``TransferManager`` takes the S3 client it drives; ours takes these asset operations
(create, presign, finalize, read, and the four of a multipart upload). ``chronicle.assets`` (the
assets namespace) satisfies it, and a test can pass anything shaped like it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from methodic.types import (
        AssetRecord,
        ComponentDigest,
        MultipartCompleted,
        MultipartStarted,
        PresignedUpload,
        PresignedUrls,
        StoredPart,
    )


class AssetOperations(Protocol):
    """Create a presigned asset, presign again, finalize, read: the API calls behind every transfer."""

    def create_with_presigned(
        self,
        *,
        asset_type: str,
        components: Sequence[str],
        name: str | None = None,
        output_of: Mapping[str, Any] | None = None,
        asset_config: Mapping[str, Any] | None = None,
        upload_targets: Sequence[str] | None = None,
        ttl_days: int | None = None,
    ) -> PresignedUpload:
        """Register a pending asset with every component; returns its id, one upload URL per component, the route."""

    def presign(
        self, asset_id: str, *, operation: str = "read", components: Sequence[str] | None = None
    ) -> PresignedUrls:
        """Fresh presigned URLs (``"upload"`` or ``"read"``) for some or all components."""

    def finalize(
        self,
        asset_id: str,
        sha256s: Mapping[str, str] | None = None,
        *,
        components: Mapping[str, ComponentDigest] | None = None,
    ) -> AssetRecord:
        """Pending → ready, after the server checked each whole file's sha256 against storage."""

    def verify_components(self, asset_id: str, components: Mapping[str, ComponentDigest]) -> AssetRecord:
        """Vouch for some components before finalize (the uploaders of a distributed asset each do)."""

    def get(self, asset_id: str, include_presigned: bool = False) -> AssetRecord:
        """The asset's record, with read URLs when ``include_presigned``."""

    def start_multipart(self, asset_id: str, component: str, *, size: int, part_size: int) -> MultipartStarted:
        """Start a multipart upload of one component of a pending asset."""

    def presign_parts(
        self, asset_id: str, component: str, upload_id: str, part_numbers: Sequence[int]
    ) -> tuple[dict[int, str], str]:
        """Presigned PUT URLs for some parts (at most 1,000), and when they expire."""

    def list_parts(self, asset_id: str, component: str, upload_id: str) -> list[StoredPart]:
        """The parts storage holds for the upload (NotFoundError when the upload is gone)."""

    def complete_multipart(
        self, asset_id: str, component: str, upload_id: str, parts: Sequence[tuple[int, str]]
    ) -> MultipartCompleted:
        """Assemble the component from ``(part_number, etag)`` pairs, every part in order."""
