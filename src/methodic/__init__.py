"""methodic: the Python SDK for the Chronicle experiment platform.

``from methodic import Chronicle, Run, UploadTracker`` is all a runner needs.
"""

from methodic import errors, types
from methodic._client import Chronicle
from methodic._version import __version__
from methodic.handles import Experiment, ExperimentVariations, Variation
from methodic.namespaces import SearchFilters
from methodic.run import Run
from methodic.types import AssetRecord, RunState

_LAZY = {"UploadTracker", "PendingUpload", "TrackerError"}


def __getattr__(name: str) -> object:
    """The tracker (and sqlite3 with it) loads on first use, not at ``import methodic``."""
    if name in _LAZY:
        from methodic import tracker

        return getattr(tracker, name)
    raise AttributeError(f"module 'methodic' has no attribute {name!r}")


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
