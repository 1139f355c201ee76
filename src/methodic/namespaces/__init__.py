"""One class per API area. Namespace methods are canonical and complete: they work with bare ids.

Each module loads on first use (PEP 562): ``chronicle.experiments`` imports only what experiments
need, so ``import methodic`` does not import every generated endpoint.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from methodic._lazy import lazy_getattr

if TYPE_CHECKING:
    from methodic.namespaces.activity import ActivityNamespace
    from methodic.namespaces.api_keys import ApiKeysNamespace
    from methodic.namespaces.assets import AssetsNamespace
    from methodic.namespaces.collections import CollectionsNamespace
    from methodic.namespaces.datasets import DatasetRef, DatasetsNamespace
    from methodic.namespaces.errata import ErrataNamespace
    from methodic.namespaces.experiments import ExperimentsNamespace
    from methodic.namespaces.feed import FeedNamespace
    from methodic.namespaces.feedback import FeedbackNamespace
    from methodic.namespaces.imports import ImportsNamespace, ImportSummary
    from methodic.namespaces.lessons import LessonsNamespace
    from methodic.namespaces.me import MeNamespace
    from methodic.namespaces.publications import PublicationsNamespace
    from methodic.namespaces.reasoning import (
        FailureModesNamespace,
        OperationalChecksNamespace,
        ReasoningErrorsNamespace,
        ReviewQueueNamespace,
    )
    from methodic.namespaces.reports import ReportsNamespace
    from methodic.namespaces.research_prompts import ResearchPromptsNamespace
    from methodic.namespaces.runs import RunsNamespace
    from methodic.namespaces.search import SearchFilters, SearchNamespace
    from methodic.namespaces.tags import TagsNamespace
    from methodic.namespaces.variations import VariationsNamespace

_MODULE_OF = {
    "ActivityNamespace": "activity",
    "ApiKeysNamespace": "api_keys",
    "AssetsNamespace": "assets",
    "ErrataNamespace": "errata",
    "CollectionsNamespace": "collections",
    "ExperimentsNamespace": "experiments",
    "FailureModesNamespace": "reasoning",
    "FeedNamespace": "feed",
    "FeedbackNamespace": "feedback",
    "DatasetRef": "datasets",
    "DatasetsNamespace": "datasets",
    "ImportSummary": "imports",
    "ImportsNamespace": "imports",
    "LessonsNamespace": "lessons",
    "MeNamespace": "me",
    "OperationalChecksNamespace": "reasoning",
    "PublicationsNamespace": "publications",
    "ReasoningErrorsNamespace": "reasoning",
    "ReviewQueueNamespace": "reasoning",
    "ReportsNamespace": "reports",
    "ResearchPromptsNamespace": "research_prompts",
    "RunsNamespace": "runs",
    "SearchFilters": "search",
    "SearchNamespace": "search",
    "TagsNamespace": "tags",
    "VariationsNamespace": "variations",
}

#: Every namespace module, for code that needs them all loaded (the operation-coverage check).
MODULES = tuple(sorted(set(_MODULE_OF.values())))

__getattr__ = lazy_getattr(globals(), {name: f"{__name__}.{module}" for name, module in _MODULE_OF.items()})


def load_all() -> None:
    """Import every namespace module (registering each ``@wraps_operation``)."""
    for module in MODULES:
        importlib.import_module(f"{__name__}.{module}")


__all__ = [
    "ActivityNamespace",
    "ApiKeysNamespace",
    "AssetsNamespace",
    "CollectionsNamespace",
    "DatasetRef",
    "DatasetsNamespace",
    "ErrataNamespace",
    "ExperimentsNamespace",
    "FailureModesNamespace",
    "FeedNamespace",
    "FeedbackNamespace",
    "ImportSummary",
    "ImportsNamespace",
    "LessonsNamespace",
    "MeNamespace",
    "OperationalChecksNamespace",
    "PublicationsNamespace",
    "ReasoningErrorsNamespace",
    "ReportsNamespace",
    "ResearchPromptsNamespace",
    "ReviewQueueNamespace",
    "RunsNamespace",
    "SearchFilters",
    "SearchNamespace",
    "TagsNamespace",
    "VariationsNamespace",
    "load_all",
]
