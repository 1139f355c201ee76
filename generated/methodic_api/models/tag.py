from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Tag")


@_attrs_define
class Tag:
    """
    Attributes:
        id (str | Unset):
        scope_id (str | Unset):
        name (str | Unset):
        normalized (str | Unset):
        created_by (str | Unset):
        created_at (str | Unset):
        usage_count (int | Unset): How many objects carry the tag (in listings).
        tagged_at (str | Unset): When the tag was applied (in an object's tags).
    """

    id: str | Unset = UNSET
    scope_id: str | Unset = UNSET
    name: str | Unset = UNSET
    normalized: str | Unset = UNSET
    created_by: str | Unset = UNSET
    created_at: str | Unset = UNSET
    usage_count: int | Unset = UNSET
    tagged_at: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        scope_id = self.scope_id

        name = self.name

        normalized = self.normalized

        created_by = self.created_by

        created_at = self.created_at

        usage_count = self.usage_count

        tagged_at = self.tagged_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if scope_id is not UNSET:
            field_dict["scope_id"] = scope_id
        if name is not UNSET:
            field_dict["name"] = name
        if normalized is not UNSET:
            field_dict["normalized"] = normalized
        if created_by is not UNSET:
            field_dict["created_by"] = created_by
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if usage_count is not UNSET:
            field_dict["usage_count"] = usage_count
        if tagged_at is not UNSET:
            field_dict["tagged_at"] = tagged_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id", UNSET)

        scope_id = d.pop("scope_id", UNSET)

        name = d.pop("name", UNSET)

        normalized = d.pop("normalized", UNSET)

        created_by = d.pop("created_by", UNSET)

        created_at = d.pop("created_at", UNSET)

        usage_count = d.pop("usage_count", UNSET)

        tagged_at = d.pop("tagged_at", UNSET)

        tag = cls(
            id=id,
            scope_id=scope_id,
            name=name,
            normalized=normalized,
            created_by=created_by,
            created_at=created_at,
            usage_count=usage_count,
            tagged_at=tagged_at,
        )

        tag.additional_properties = d
        return tag

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
