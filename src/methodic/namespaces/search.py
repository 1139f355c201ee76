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

#: The filter keys a dict may use (the typed SearchFilters has the same fields).
_FILTER_KEYS = ("asset_types", "tags", "organization_id")


@dataclass(frozen=True)
class SearchFilters:
    """Hard filters for a search. ``asset_types`` must go here: the server ignores it at the top level.

    ``organization_id`` keeps only documents that organization owns. Also importable as
    ``methodic.SearchFilters`` and ``methodic.search.SearchFilters``, as in the hosted SDK.
    """

    asset_types: Sequence[str] = field(default_factory=tuple)
    tags: Sequence[str] = field(default_factory=tuple)
    organization_id: str | None = None

    def _model(self) -> _FiltersModel:
        return _FiltersModel(
            asset_types=opt(list(self.asset_types) or None),
            tags=opt(list(self.tags) or None),
            organization_id=opt(self.organization_id),
        )


def _filters(filters: SearchFilters | Mapping[str, Any] | None) -> SearchFilters | None:
    if filters is None or isinstance(filters, SearchFilters):
        return filters
    unknown = set(filters) - set(_FILTER_KEYS)
    if unknown:
        raise ValueError(f"unknown search filter(s): {', '.join(sorted(unknown))}; use {', '.join(_FILTER_KEYS)}")
    return SearchFilters(
        asset_types=tuple(filters.get("asset_types", ())),
        tags=tuple(filters.get("tags", ())),
        organization_id=filters.get("organization_id"),
    )


def _strings(values: Sequence[str] | None) -> list[str] | None:
    return None if values is None else list(values)


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
        created_by: str | None = None,
        created_after: str | None = None,
        created_before: str | None = None,
        as_scope: str | None = None,
    ) -> SearchResponse:
        """Search; ``.results`` holds hits with ``document_id``, ``title``, ``snippet`` and ``score``.

        ``filters`` (a :class:`SearchFilters` or a dict with the same keys) are hard filters;
        ``experiment_context`` boosts documents of those experiments; ``created_*`` narrow by creator
        and creation time (RFC 3339). ``as_scope`` searches as another organization, a superadmin's
        right: other keys get PermissionDeniedError (403), as on the hosted service.
        """
        resolved = _filters(filters)
        body = SearchRequest(
            query=query,
            filters=opt(resolved._model() if resolved else None),
            experiment_context=opt(_strings(experiment_context)),
            page_size=page_size,
            created_by=opt(created_by),
            created_after=opt(created_after),
            created_before=opt(created_before),
            as_scope=opt(as_scope),
        )
        return self._call(search_endpoint.sync_detailed, SearchResponse, body=body)

    def history(
        self,
        query: str,
        *,
        experiment_context: Sequence[str] | None = None,
        created_by: str | None = None,
        created_after: str | None = None,
        created_before: str | None = None,
        asset_types: Sequence[str] | None = None,
        page_size: int = 20,
    ) -> SearchResponse:
        """Search experiment history as the hosted SDK's ``search.history`` does: ``asset_types`` at the top level.

        The same search as :meth:`query`, with ``asset_types`` moved into the filters where the
        server applies it (at the top level of a raw request it would be silently ignored).
        """
        filters = SearchFilters(asset_types=tuple(asset_types or ()))
        return self.query(
            query,
            filters=filters if asset_types else None,
            experiment_context=experiment_context,
            page_size=page_size,
            created_by=created_by,
            created_after=created_after,
            created_before=created_before,
        )
