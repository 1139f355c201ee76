from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.search_filters import SearchFilters


T = TypeVar("T", bound="SearchRequest")


@_attrs_define
class SearchRequest:
    """
    Attributes:
        query (str):
        filters (SearchFilters | Unset):
        experiment_context (list[str] | Unset): Experiment ids whose lineage is boosted.
        page_size (int | Unset):  Default: 20.
        created_by (str | Unset): Only documents created by this user.
        created_after (str | Unset): Only documents created at or after this RFC 3339 timestamp.
        created_before (str | Unset): Only documents created before this RFC 3339 timestamp.
        as_scope (str | Unset): Search as this organization (a superadmin's right; 403 for other keys).
    """

    query: str
    filters: SearchFilters | Unset = UNSET
    experiment_context: list[str] | Unset = UNSET
    page_size: int | Unset = 20
    created_by: str | Unset = UNSET
    created_after: str | Unset = UNSET
    created_before: str | Unset = UNSET
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

        page_size = self.page_size

        created_by = self.created_by

        created_after = self.created_after

        created_before = self.created_before

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
        if page_size is not UNSET:
            field_dict["page_size"] = page_size
        if created_by is not UNSET:
            field_dict["created_by"] = created_by
        if created_after is not UNSET:
            field_dict["created_after"] = created_after
        if created_before is not UNSET:
            field_dict["created_before"] = created_before
        if as_scope is not UNSET:
            field_dict["as_scope"] = as_scope

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.search_filters import SearchFilters  # noqa: PLC0415

        d = dict(src_dict)
        query = d.pop("query")

        _filters = d.pop("filters", UNSET)
        filters: SearchFilters | Unset
        if isinstance(_filters, Unset):
            filters = UNSET
        else:
            filters = SearchFilters.from_dict(_filters)

        experiment_context = cast(list[str], d.pop("experiment_context", UNSET))

        page_size = d.pop("page_size", UNSET)

        created_by = d.pop("created_by", UNSET)

        created_after = d.pop("created_after", UNSET)

        created_before = d.pop("created_before", UNSET)

        as_scope = d.pop("as_scope", UNSET)

        search_request = cls(
            query=query,
            filters=filters,
            experiment_context=experiment_context,
            page_size=page_size,
            created_by=created_by,
            created_after=created_after,
            created_before=created_before,
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
