from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.search_filters import SearchFilters
    from ..models.search_scope import SearchScope


T = TypeVar("T", bound="SearchRequest")


@_attrs_define
class SearchRequest:
    """
    Attributes:
        query (str):
        filters (SearchFilters | Unset):
        experiment_context (list[str] | Unset): Experiment ids whose lineage is boosted.
        scope (SearchScope | Unset): A hard filter to the union of these collections' members and these experiments,
            with the outputs of member experiments (experiment_context only boosts); an unknown collection is a 404, another
            scope's a 403. Present with both lists empty, it keeps results to experiment_context and its associated
            collections.
        page_size (int | Unset):  Default: 20.
        page_token (str | Unset): The previous page's next_page_token.
        as_scope (str | Unset): Ours only: search as this organization (a superadmin's right; 403 for other keys).
    """

    query: str
    filters: SearchFilters | Unset = UNSET
    experiment_context: list[str] | Unset = UNSET
    scope: SearchScope | Unset = UNSET
    page_size: int | Unset = 20
    page_token: str | Unset = UNSET
    as_scope: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        query = self.query

        filters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.filters, Unset):
            filters = self.filters.to_dict()

        experiment_context: list[str] | Unset = UNSET
        if not isinstance(self.experiment_context, Unset):
            experiment_context = self.experiment_context

        scope: dict[str, Any] | Unset = UNSET
        if not isinstance(self.scope, Unset):
            scope = self.scope.to_dict()

        page_size = self.page_size

        page_token = self.page_token

        as_scope = self.as_scope

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "query": query,
            }
        )
        if filters is not UNSET:
            field_dict["filters"] = filters
        if experiment_context is not UNSET:
            field_dict["experiment_context"] = experiment_context
        if scope is not UNSET:
            field_dict["scope"] = scope
        if page_size is not UNSET:
            field_dict["page_size"] = page_size
        if page_token is not UNSET:
            field_dict["page_token"] = page_token
        if as_scope is not UNSET:
            field_dict["as_scope"] = as_scope

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.search_filters import SearchFilters  # noqa: PLC0415
        from ..models.search_scope import SearchScope  # noqa: PLC0415

        d = dict(src_dict)
        query = d.pop("query")

        _filters = d.pop("filters", UNSET)
        filters: SearchFilters | Unset
        if isinstance(_filters, Unset):
            filters = UNSET
        else:
            filters = SearchFilters.from_dict(_filters)

        experiment_context = cast(list[str], d.pop("experiment_context", UNSET))

        _scope = d.pop("scope", UNSET)
        scope: SearchScope | Unset
        if isinstance(_scope, Unset):
            scope = UNSET
        else:
            scope = SearchScope.from_dict(_scope)

        page_size = d.pop("page_size", UNSET)

        page_token = d.pop("page_token", UNSET)

        as_scope = d.pop("as_scope", UNSET)

        search_request = cls(
            query=query,
            filters=filters,
            experiment_context=experiment_context,
            scope=scope,
            page_size=page_size,
            page_token=page_token,
            as_scope=as_scope,
        )

        search_request.additional_properties = d
        return search_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
