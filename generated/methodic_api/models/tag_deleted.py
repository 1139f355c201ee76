from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TagDeleted")


@_attrs_define
class TagDeleted:
    """
    Attributes:
        id (str | Unset):
        deleted (bool | Unset):
        untagged (int | Unset): How many taggings went with it.
    """

    id: str | Unset = UNSET
    deleted: bool | Unset = UNSET
    untagged: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        deleted = self.deleted

        untagged = self.untagged

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if deleted is not UNSET:
            field_dict["deleted"] = deleted
        if untagged is not UNSET:
            field_dict["untagged"] = untagged

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id", UNSET)

        deleted = d.pop("deleted", UNSET)

        untagged = d.pop("untagged", UNSET)

        tag_deleted = cls(
            id=id,
            deleted=deleted,
            untagged=untagged,
        )

        tag_deleted.additional_properties = d
        return tag_deleted

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
