"""What the API needs from object storage: presigned URLs, multipart uploads, and what storage holds.

Two implementations: :class:`~methodic_server.storage.StorageService` (our own storage service on a
port of its own) and :class:`~methodic_server.s3storage.S3Storage` (any S3-compatible bucket, through
boto3). The routes see only this interface.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from methodic_server.storage import StorageFaults


class ObjectStore(Protocol):
    """Object storage as the API uses it."""

    base_url: str
    faults: StorageFaults

    def presign(self, method: str, asset_id: str, component: str, ttl: float) -> tuple[str, int]:
        """A presigned ``PUT`` or ``GET`` URL for one component, and its expiry (epoch seconds)."""

    def presign_part(
        self, asset_id: str, component: str, upload_id: str, part_number: int, ttl: float
    ) -> tuple[str, int]:
        """A presigned PUT URL for one part of a multipart upload, and its expiry."""

    def start_multipart(self, asset_id: str, component: str, size: int, part_size: int) -> dict[str, Any]:
        """Start a multipart upload: ``upload_id``, ``size_bytes``, ``part_size``, ``part_count``."""

    def list_parts(self, asset_id: str, component: str, upload_id: str) -> list[dict[str, Any]]:
        """The parts storage holds: ``part_number``, ``etag``, ``size_bytes`` (404 ``no_such_upload`` if gone)."""

    def complete_multipart(
        self, asset_id: str, component: str, upload_id: str, parts: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """Assemble the component: ``size_bytes``, ``part_size`` and ``sha256`` (None when storage cannot tell)."""

    def stat(self, asset_id: str, component: str, part_size: int | None = None) -> tuple[int, str, str | None] | None:
        """Size, checksum (part-wise with ``part_size``) and content type of what storage holds, or None."""

    def delete(self, asset_id: str) -> None:
        """Remove everything stored for an asset."""

    def stop(self) -> None:
        """Release what the store holds open."""
