from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SearchFilters")


@_attrs_define
class SearchFilters:
    """
    Attributes:
        asset_types (list[str] | Unset):
        tags (list[str] | Unset):
        organization_id (str | Unset): Only documents owned by this organization.
    """

    asset_types: list[str] | Unset = UNSET
    tags: list[str] | Unset = UNSET
    organization_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        asset_types: list[str] | Unset = UNSET
        if not isinstance(self.asset_types, Unset):
            asset_types = self.asset_types

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        organization_id = self.organization_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if asset_types is not UNSET:
            field_dict["asset_types"] = asset_types
        if tags is not UNSET:
            field_dict["tags"] = tags
        if organization_id is not UNSET:
            field_dict["organization_id"] = organization_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        asset_types = cast(list[str], d.pop("asset_types", UNSET))

        tags = cast(list[str], d.pop("tags", UNSET))

        organization_id = d.pop("organization_id", UNSET)

        search_filters = cls(
            asset_types=asset_types,
            tags=tags,
            organization_id=organization_id,
        )

        search_filters.additional_properties = d
        return search_filters

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
