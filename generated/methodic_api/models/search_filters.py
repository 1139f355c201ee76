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
        organization_id (str | Unset): Only documents owned by this organization.
        team_id (str | Unset):
        created_after (str | Unset): Only documents created at or after this RFC 3339 timestamp.
        created_before (str | Unset): Only documents created before this RFC 3339 timestamp.
        created_by (str | Unset): Only documents created by this subject.
        source_type (str | Unset): "asset" or "experiment".
        tags (list[str] | Unset):
    """

    asset_types: list[str] | Unset = UNSET
    organization_id: str | Unset = UNSET
    team_id: str | Unset = UNSET
    created_after: str | Unset = UNSET
    created_before: str | Unset = UNSET
    created_by: str | Unset = UNSET
    source_type: str | Unset = UNSET
    tags: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        asset_types: list[str] | Unset = UNSET
        if not isinstance(self.asset_types, Unset):
            asset_types = self.asset_types

        organization_id = self.organization_id

        team_id = self.team_id

        created_after = self.created_after

        created_before = self.created_before

        created_by = self.created_by

        source_type = self.source_type

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if asset_types is not UNSET:
            field_dict["asset_types"] = asset_types
        if organization_id is not UNSET:
            field_dict["organization_id"] = organization_id
        if team_id is not UNSET:
            field_dict["team_id"] = team_id
        if created_after is not UNSET:
            field_dict["created_after"] = created_after
        if created_before is not UNSET:
            field_dict["created_before"] = created_before
        if created_by is not UNSET:
            field_dict["created_by"] = created_by
        if source_type is not UNSET:
            field_dict["source_type"] = source_type
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        asset_types = cast(list[str], d.pop("asset_types", UNSET))

        organization_id = d.pop("organization_id", UNSET)

        team_id = d.pop("team_id", UNSET)

        created_after = d.pop("created_after", UNSET)

        created_before = d.pop("created_before", UNSET)

        created_by = d.pop("created_by", UNSET)

        source_type = d.pop("source_type", UNSET)

        tags = cast(list[str], d.pop("tags", UNSET))

        search_filters = cls(
            asset_types=asset_types,
            organization_id=organization_id,
            team_id=team_id,
            created_after=created_after,
            created_before=created_before,
            created_by=created_by,
            source_type=source_type,
            tags=tags,
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
