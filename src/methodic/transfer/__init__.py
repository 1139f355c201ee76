"""The transfer engine: moves asset components between local files and presigned storage URLs.

It sits below the API layer and never imports it: :class:`TransferManager` receives the asset
operations it needs (:class:`AssetOperations`). One module per job:

- ``manager``: the front door; owns the storage client, the pool, the retry policy.
- ``upload`` / ``download``: whole assets: register, queue, finalize; verify and place.
  ``futures``: the public future of an upload; ``job``: the per-asset job; ``resume``: a tracker's leftovers.
- ``put`` / ``get``: one component over one presigned URL (``directget``: the fast GET path), under
  ``retry`` (backoff, refreshed URLs, bounded error bodies) and ``stall`` (the slow-drip rule);
  ``ranged`` / ``ranged_whole`` / ``ranged_parts``: one large component in parallel ranges.
- ``staging``: files pinned at registration (``staging_roots``: where; ``mtimes``: what a rewrite
  changes; ``claims``: what a killed registration leaves for the sweep).
- ``pool``: the shared thread pool; ``ledger`` and ``tracker``: the state of uploads, in memory or on disk.
- ``files``: which files make an asset and where a download may land; ``hashing``; ``progress``.

Modules load on first use, so ``import methodic`` does not pay for them.
"""

from typing import TYPE_CHECKING

from methodic._lazy import lazy_getattr

if TYPE_CHECKING:
    from methodic.transfer.config import RetryPolicy, StallPolicy, TransferConfig
    from methodic.transfer.futures import AssetUpload, OutputTarget
    from methodic.transfer.interfaces import AssetOperations
    from methodic.transfer.manager import TransferManager
    from methodic.transfer.progress import ProgressCallback, ProgressOption
    from methodic.transfer.tracker import PendingUpload, UploadTracker

__getattr__ = lazy_getattr(
    globals(),
    {
        "AssetOperations": "methodic.transfer.interfaces",
        "AssetUpload": "methodic.transfer.futures",
        "OutputTarget": "methodic.transfer.futures",
        "PendingUpload": "methodic.transfer.tracker",
        "ProgressCallback": "methodic.transfer.progress",
        "ProgressOption": "methodic.transfer.progress",
        "RetryPolicy": "methodic.transfer.config",
        "StallPolicy": "methodic.transfer.config",
        "TransferConfig": "methodic.transfer.config",
        "TransferManager": "methodic.transfer.manager",
        "UploadTracker": "methodic.transfer.tracker",
    },
)

__all__ = [
    "AssetOperations",
    "AssetUpload",
    "OutputTarget",
    "PendingUpload",
    "ProgressCallback",
    "ProgressOption",
    "RetryPolicy",
    "StallPolicy",
    "TransferConfig",
    "TransferManager",
    "UploadTracker",
]
