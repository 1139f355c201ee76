"""``methodic.search``: the search types under the module path hosted-SDK code imports them from.

``from methodic.search import SearchFilters`` works as it does with the hosted SDK; the namespace
itself is ``chronicle.search``.
"""

from __future__ import annotations

from methodic.namespaces.search import SearchFilters, SearchNamespace, SearchScope
from methodic.types import SearchResponse, SearchResult

__all__ = ["SearchFilters", "SearchNamespace", "SearchResponse", "SearchResult", "SearchScope"]
