"""What the transfer engine needs from the API layer, as an interface it receives (it imports no API code).

s3transfer's ``TransferManager`` takes the S3 client it drives; ours takes these asset operations
(create, presign, finalize, read, a run's outputs, and the API key's header for the storage gateway's
URLs). The client's :class:`~methodic.namespaces.asset_calls.AssetCalls` (which ``chronicle.assets``
extends) satisfies it, and a test can pass anything shaped like it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from methodic.types import (
        AssetRecord,
        ComponentDigest,
        PresignedUpload,
        PresignedUrls,
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

    def gateway_headers(self, url: str) -> dict[str, str]:
        """The API key's header for one of the storage gateway's URLs (ChronicleError if it may not go there)."""

    def get(self, asset_id: str, include_presigned: bool = False) -> AssetRecord:
        """The asset's record, with read URLs when ``include_presigned``."""

    def run_outputs(self, experiment_id: str, variation: int, run: int) -> list[AssetRecord]:
        """Every output of one run, in any state (a resume looks there for an asset whose create answer was lost)."""
