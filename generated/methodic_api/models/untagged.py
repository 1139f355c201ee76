from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Untagged")


@_attrs_define
class Untagged:
    """
    Attributes:
        tag_id (str | Unset):
        object_type (str | Unset):
        object_id (str | Unset):
        removed (bool | Unset):
    """

    tag_id: str | Unset = UNSET
    object_type: str | Unset = UNSET
    object_id: str | Unset = UNSET
    removed: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tag_id = self.tag_id

        object_type = self.object_type

        object_id = self.object_id

        removed = self.removed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if tag_id is not UNSET:
            field_dict["tag_id"] = tag_id
        if object_type is not UNSET:
            field_dict["object_type"] = object_type
        if object_id is not UNSET:
            field_dict["object_id"] = object_id
        if removed is not UNSET:
            field_dict["removed"] = removed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        tag_id = d.pop("tag_id", UNSET)

        object_type = d.pop("object_type", UNSET)

        object_id = d.pop("object_id", UNSET)

        removed = d.pop("removed", UNSET)

        untagged = cls(
            tag_id=tag_id,
            object_type=object_type,
            object_id=object_id,
            removed=removed,
        )

        untagged.additional_properties = d
        return untagged

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
