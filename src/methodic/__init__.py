"""methodic: the Python SDK for the Chronicle experiment platform.

``from methodic import Chronicle, Run, UploadTracker`` is all a runner needs.
"""

from methodic import errors, types
from methodic._client import Chronicle
from methodic._version import __version__
from methodic.handles import Experiment, ExperimentVariations, Variation
from methodic.namespaces import SearchFilters
from methodic.run import Run
from methodic.tracker import PendingUpload, TrackerError, UploadTracker
from methodic.types import AssetRecord, RunState

__all__ = [
    "AssetRecord",
    "Chronicle",
    "Experiment",
    "ExperimentVariations",
    "PendingUpload",
    "Run",
    "RunState",
    "SearchFilters",
    "TrackerError",
    "UploadTracker",
    "Variation",
    "__version__",
    "errors",
    "types",
]
