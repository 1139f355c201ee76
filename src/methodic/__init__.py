"""methodic: the Python SDK for the Chronicle experiment platform.

``from methodic import Chronicle, Run, UploadTracker`` is all a runner needs. Every exception is in
:mod:`methodic.errors` and importable from here too.
"""

from typing import TYPE_CHECKING

from methodic import errors, types
from methodic._client import Chronicle
from methodic._distribution import DISTRIBUTION as __distribution__
from methodic._distribution import warn_if_mixed as _warn_if_mixed
from methodic._lazy import lazy_getattr
from methodic._scope import PERSONAL
from methodic._version import __version__
from methodic.errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AssetExpiredError,
    AuthenticationError,
    BadRequestError,
    CheckpointNotFoundError,
    ChronicleConfigError,
    ChronicleError,
    ClientClosedError,
    ConflictError,
    DownloadError,
    DuplicateComponentError,
    FileChangedError,
    IntegrityError,
    ManifestError,
    NotFoundError,
    PartLayoutError,
    PermissionDeniedError,
    RunTerminated,
    ServerError,
    StorageError,
    StorageFullError,
    TrackerError,
    UnsafePathError,
    UploadError,
)
from methodic.handles import Experiment, ExperimentVariations, Variation
from methodic.run import Run
from methodic.types import AssetRecord, RunState

# The hosted platform's client (`methodic-research`) is also the package `methodic`: say so if it was
# installed into the same folder (one directory listing; see methodic._distribution).
_warn_if_mixed()

if TYPE_CHECKING:
    from methodic.namespaces.search import SearchFilters
    from methodic.transfer.console import output_above_progress
    from methodic.transfer.futures import AssetUpload
    from methodic.transfer.manager import TransferManager
    from methodic.transfer.progress import ProgressCallback
    from methodic.transfer.tracker import PendingUpload, UploadTracker

# Loaded on first use, not at ``import methodic``: the tracker brings sqlite3, search the generated
# search endpoint and models, the transfer manager its storage machinery.
__getattr__ = lazy_getattr(
    globals(),
    {
        "AssetUpload": "methodic.transfer.futures",
        "PendingUpload": "methodic.transfer.tracker",
        "ProgressCallback": "methodic.transfer.progress",
        "SearchFilters": "methodic.namespaces.search",
        "TransferManager": "methodic.transfer.manager",
        "output_above_progress": "methodic.transfer.console",
        "UploadTracker": "methodic.transfer.tracker",
    },
)

__all__ = [
    "PERSONAL",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AssetExpiredError",
    "AssetRecord",
    "AssetUpload",
    "AuthenticationError",
    "BadRequestError",
    "CheckpointNotFoundError",
    "Chronicle",
    "ChronicleConfigError",
    "ChronicleError",
    "ClientClosedError",
    "ConflictError",
    "DownloadError",
    "DuplicateComponentError",
    "Experiment",
    "ExperimentVariations",
    "FileChangedError",
    "IntegrityError",
    "ManifestError",
    "NotFoundError",
    "PartLayoutError",
    "PendingUpload",
    "PermissionDeniedError",
    "ProgressCallback",
    "Run",
    "RunState",
    "RunTerminated",
    "SearchFilters",
    "ServerError",
    "StorageError",
    "StorageFullError",
    "TrackerError",
    "TransferManager",
    "UnsafePathError",
    "UploadError",
    "UploadTracker",
    "Variation",
    "__distribution__",
    "__version__",
    "errors",
    "output_above_progress",
    "types",
]
