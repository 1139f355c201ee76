"""methodic: the Python SDK for the Chronicle experiment platform.

``from methodic import Chronicle, Run, UploadTracker`` is all a runner needs.
"""

import importlib
from typing import TYPE_CHECKING

from methodic import errors, types
from methodic._client import Chronicle
from methodic._version import __version__
from methodic.handles import Experiment, ExperimentVariations, Variation
from methodic.run import Run
from methodic.types import AssetRecord, RunState

if TYPE_CHECKING:
    from methodic.namespaces.search import SearchFilters
    from methodic.tracker import PendingUpload, TrackerError, UploadTracker

# Loaded on first use, not at ``import methodic``: the tracker brings sqlite3, search the generated
# search endpoint and models.
_LAZY = {
    "UploadTracker": "methodic.tracker",
    "PendingUpload": "methodic.tracker",
    "TrackerError": "methodic.tracker",
    "SearchFilters": "methodic.namespaces.search",
}


def __getattr__(name: str) -> object:
    """Resolve the lazily loaded public names."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'methodic' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


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
