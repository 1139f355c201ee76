from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AccessEntry")


@_attrs_define
class AccessEntry:
    """
    Attributes:
        object_type (str | Unset):
        object_id (str | Unset):
        principal_id (str | Unset):
        action (str | Unset):
        source (str | Unset):
    """

    object_type: str | Unset = UNSET
    object_id: str | Unset = UNSET
    principal_id: str | Unset = UNSET
    action: str | Unset = UNSET
    source: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        object_type = self.object_type

        object_id = self.object_id

        principal_id = self.principal_id

        action = self.action

        source = self.source

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if object_type is not UNSET:
            field_dict["object_type"] = object_type
        if object_id is not UNSET:
            field_dict["object_id"] = object_id
        if principal_id is not UNSET:
            field_dict["principal_id"] = principal_id
        if action is not UNSET:
            field_dict["action"] = action
        if source is not UNSET:
            field_dict["source"] = source

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        object_type = d.pop("object_type", UNSET)

        object_id = d.pop("object_id", UNSET)

        principal_id = d.pop("principal_id", UNSET)

        action = d.pop("action", UNSET)

        source = d.pop("source", UNSET)

        access_entry = cls(
            object_type=object_type,
            object_id=object_id,
            principal_id=principal_id,
            action=action,
            source=source,
        )

        access_entry.additional_properties = d
        return access_entry

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
