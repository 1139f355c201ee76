"""One class per API area. Namespace methods are canonical and complete: they work with bare ids."""

from methodic.namespaces.assets import AssetsNamespace
from methodic.namespaces.experiments import ExperimentsNamespace
from methodic.namespaces.me import MeNamespace
from methodic.namespaces.runs import RunsNamespace
from methodic.namespaces.search import SearchFilters, SearchNamespace
from methodic.namespaces.variations import VariationsNamespace

__all__ = [
    "AssetsNamespace",
    "ExperimentsNamespace",
    "MeNamespace",
    "RunsNamespace",
    "SearchFilters",
    "SearchNamespace",
    "VariationsNamespace",
]
