"""``chronicle.search``: search over research documents and experiments, one page at a time."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from methodic_api.api.search import search as search_endpoint
from methodic_api.models.search_filters import SearchFilters as _FiltersModel
from methodic_api.models.search_request import SearchRequest
from methodic_api.models.search_scope import SearchScope as _ScopeModel

from methodic._operations import wraps_operation
from methodic.namespaces._base import Namespace, opt
from methodic.types import SearchResponse, SearchResult

#: The filter keys, as the wire names them (the typed SearchFilters has the same fields).
_FILTER_KEYS = (
    "asset_types",
    "organization_id",
    "team_id",
    "created_after",
    "created_before",
    "created_by",
    "source_type",
    "tags",
)


@dataclass(frozen=True)
class SearchFilters:
    """Hard filters layered on the server's access rules; every one optional.

    ``created_*`` narrow by creator and creation time (RFC 3339); ``source_type`` is ``"asset"`` or
    ``"experiment"``. Also importable as ``methodic.SearchFilters`` and ``methodic.search.SearchFilters``.
    """

    asset_types: Sequence[str] | None = None
    organization_id: str | None = None
    team_id: str | None = None
    created_after: str | None = None
    created_before: str | None = None
    created_by: str | None = None
    source_type: str | None = None
    tags: Sequence[str] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The filters as the wire has them, unset ones left out."""
        out: dict[str, Any] = {}
        for key in _FILTER_KEYS:
            value = getattr(self, key)
            if value is not None:
                out[key] = list(value) if key in ("asset_types", "tags") else value
        return out


@dataclass(frozen=True)
class SearchScope:
    """A hard scope: only these collections and experiments (and their outputs). ``experiment_context`` only boosts."""

    collections: Sequence[str] = field(default_factory=tuple)
    experiments: Sequence[str] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """Both keys, always (empty lists mean: fall back to ``experiment_context``)."""
        return {"collections": list(self.collections), "experiments": list(self.experiments)}


def _filters(filters: SearchFilters | Mapping[str, Any] | None) -> _FiltersModel | None:
    if filters is None:
        return None
    values = filters.to_dict() if isinstance(filters, SearchFilters) else dict(filters)
    unknown = set(values) - set(_FILTER_KEYS)
    if unknown:
        raise ValueError(f"unknown search filter(s): {', '.join(sorted(unknown))}; use {', '.join(_FILTER_KEYS)}")
    return _FiltersModel.from_dict(values)


def _scope(scope: SearchScope | Mapping[str, Any] | None) -> _ScopeModel | None:
    if scope is None:
        return None
    values = scope.to_dict() if isinstance(scope, SearchScope) else dict(scope)
    return _ScopeModel.from_dict({"collections": [], "experiments": [], **values})


class SearchNamespace(Namespace):
    """Search. A server without search answers 503, raised as ``ServerError(status_code=503)``."""

    @wraps_operation("search")
    def query(
        self,
        query: str,
        *,
        filters: SearchFilters | Mapping[str, Any] | None = None,
        experiment_context: Sequence[str] | None = None,
        scope: SearchScope | Mapping[str, Any] | None = None,
        page_size: int | None = None,
        page_token: str | None = None,
        as_scope: str | None = None,
    ) -> SearchResponse:
        """One page of hits (``.results``: ``document_id``, ``source_type``, ``relevance_score``, ``title``, ...).

        ``filters`` are hard filters; ``experiment_context`` boosts those experiments' lineage; ``scope``
        restricts to collections and experiments. ``.next_page_token`` goes back as ``page_token`` (or use
        :meth:`iter`). ``as_scope`` (the local server's) searches as another organization, a superadmin's right.
        """
        body = SearchRequest(
            query=query,
            filters=opt(_filters(filters)),
            experiment_context=opt(list(experiment_context) if experiment_context is not None else None),
            scope=opt(_scope(scope)),
            page_size=opt(page_size),
            page_token=opt(page_token),
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
        page_size: int | None = None,
        page_token: str | None = None,
    ) -> SearchResponse:
        """Search your experiment history and internal documents: :meth:`query` with the common filters as keywords."""
        narrowed = any(v is not None for v in (created_by, created_after, created_before, asset_types))
        filters = SearchFilters(
            asset_types=asset_types, created_by=created_by, created_after=created_after, created_before=created_before
        )
        return self.query(
            query,
            filters=filters if narrowed else None,
            experiment_context=experiment_context,
            page_size=page_size,
            page_token=page_token,
        )

    def iter(
        self,
        query: str,
        *,
        filters: SearchFilters | Mapping[str, Any] | None = None,
        experiment_context: Sequence[str] | None = None,
        scope: SearchScope | Mapping[str, Any] | None = None,
        page_size: int | None = None,
    ) -> Iterator[SearchResult]:
        """Every hit, best first, fetching pages as needed."""
        token: str | None = None
        while True:
            page = self.query(
                query,
                filters=filters,
                experiment_context=experiment_context,
                scope=scope,
                page_size=page_size,
                page_token=token,
            )
            yield from page.results
            if not page.next_page_token or page.next_page_token == token:
                return
            token = page.next_page_token
