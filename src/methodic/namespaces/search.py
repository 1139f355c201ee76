"""``chronicle.search``: full-text search over research documents and experiments."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from methodic_api.api.search import search as search_endpoint
from methodic_api.models.search_filters import SearchFilters as _FiltersModel
from methodic_api.models.search_request import SearchRequest

from methodic._operations import wraps_operation
from methodic.namespaces._base import Namespace, opt
from methodic.types import SearchResponse


@dataclass(frozen=True)
class SearchFilters:
    """Hard filters for a search. ``asset_types`` must go here: the server ignores it at the top level."""

    asset_types: Sequence[str] = field(default_factory=tuple)
    tags: Sequence[str] = field(default_factory=tuple)

    def _model(self) -> _FiltersModel:
        return _FiltersModel(asset_types=opt(list(self.asset_types) or None), tags=opt(list(self.tags) or None))


def _filters(filters: SearchFilters | Mapping[str, Any] | None) -> SearchFilters | None:
    if filters is None or isinstance(filters, SearchFilters):
        return filters
    unknown = set(filters) - {"asset_types", "tags"}
    if unknown:
        raise ValueError(f"unknown search filter(s): {', '.join(sorted(unknown))}; use asset_types and tags")
    return SearchFilters(asset_types=tuple(filters.get("asset_types", ())), tags=tuple(filters.get("tags", ())))


class SearchNamespace(Namespace):
    """Search. A server without search answers 503, raised as ``ServerError(status_code=503)``."""

    @wraps_operation("search")
    def query(
        self,
        query: str,
        *,
        filters: SearchFilters | Mapping[str, Any] | None = None,
        experiment_context: Sequence[str] | None = None,
        page_size: int = 20,
    ) -> SearchResponse:
        """Search; ``.results`` holds hits with ``document_id``, ``title``, ``snippet`` and ``score``."""
        resolved = _filters(filters)
        body = SearchRequest(
            query=query,
            filters=opt(resolved._model() if resolved else None),
            experiment_context=opt(list(experiment_context) if experiment_context is not None else None),
            page_size=page_size,
        )
        return self._call(search_endpoint.sync_detailed, SearchResponse, body=body)
