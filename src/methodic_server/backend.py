"""What the API needs from object storage: presigned URLs, what storage holds, and dropping what an asset left.

Two implementations: :class:`~methodic_server.storage.StorageService` (our own storage service on a
port of its own) and :class:`~methodic_server.s3storage.S3Storage` (any S3-compatible bucket, through
boto3). The routes see only this interface.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from methodic_server.storage import StorageFaults


class ObjectStore(Protocol):
    """Object storage as the API uses it."""

    base_url: str
    faults: StorageFaults

    def presign(self, method: str, asset_id: str, component: str, ttl: float) -> tuple[str, int]:
        """A presigned ``PUT`` or ``GET`` URL for one component, and its expiry (epoch seconds)."""

    def stat(self, asset_id: str, component: str, part_size: int | None = None) -> tuple[int, str, str | None] | None:
        """Size, checksum (part-wise with ``part_size``) and content type of what storage holds, or None."""

    def abort_uploads(self, asset_id: str) -> None:
        """Abort the asset's unfinished multipart uploads (it takes no more), freeing what their parts hold."""

    def delete(self, asset_id: str) -> None:
        """Remove everything stored for an asset (its unfinished multipart uploads too)."""

    def stop(self) -> None:
        """Release what the store holds open."""


class Background:
    """Runs storage calls one at a time on a thread of its own, so callers holding the store's lock never wait.

    The store asks for an asset's multipart uploads to be aborted inside its transaction (the asset
    stopped taking uploads); the abort itself (the gateway's upload directories removed) happens here.
    """

    def __init__(self, name: str = "methodic-storage-background") -> None:
        self._jobs: queue.SimpleQueue[tuple[Callable[..., None], tuple[Any, ...]]] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, function: Callable[..., None], *args: Any) -> None:
        """Run ``function(*args)`` soon; failures are dropped (the watchdog's sweep retries what matters)."""
        self._jobs.put((function, args))

    def _run(self) -> None:
        while True:
            function, args = self._jobs.get()
            try:
                function(*args)
            except Exception:  # noqa: S112  (storage may be stopping; the watchdog sweeps later)
                continue
