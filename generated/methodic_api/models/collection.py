from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Collection")


@_attrs_define
class Collection:
    """
    Attributes:
        id (str | Unset):
        name (str | Unset):
        description (None | str | Unset):
        scope_id (str | Unset):
        created_by (str | Unset):
        created_at (str | Unset):
        archived (bool | Unset):
        member_asset_count (int | Unset):
        member_experiment_count (int | Unset):
    """

    id: str | Unset = UNSET
    name: str | Unset = UNSET
    description: None | str | Unset = UNSET
    scope_id: str | Unset = UNSET
    created_by: str | Unset = UNSET
    created_at: str | Unset = UNSET
    archived: bool | Unset = UNSET
    member_asset_count: int | Unset = UNSET
    member_experiment_count: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        scope_id = self.scope_id

        created_by = self.created_by

        created_at = self.created_at

        archived = self.archived

        member_asset_count = self.member_asset_count

        member_experiment_count = self.member_experiment_count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if scope_id is not UNSET:
            field_dict["scope_id"] = scope_id
        if created_by is not UNSET:
            field_dict["created_by"] = created_by
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if archived is not UNSET:
            field_dict["archived"] = archived
        if member_asset_count is not UNSET:
            field_dict["member_asset_count"] = member_asset_count
        if member_experiment_count is not UNSET:
            field_dict["member_experiment_count"] = member_experiment_count

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id", UNSET)

        name = d.pop("name", UNSET)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        scope_id = d.pop("scope_id", UNSET)

        created_by = d.pop("created_by", UNSET)

        created_at = d.pop("created_at", UNSET)

        archived = d.pop("archived", UNSET)

        member_asset_count = d.pop("member_asset_count", UNSET)

        member_experiment_count = d.pop("member_experiment_count", UNSET)

        collection = cls(
            id=id,
            name=name,
            description=description,
            scope_id=scope_id,
            created_by=created_by,
            created_at=created_at,
            archived=archived,
            member_asset_count=member_asset_count,
            member_experiment_count=member_experiment_count,
        )

        collection.additional_properties = d
        return collection

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
