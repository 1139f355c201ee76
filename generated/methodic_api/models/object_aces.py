from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.access_entry import AccessEntry


T = TypeVar("T", bound="ObjectAces")


@_attrs_define
class ObjectAces:
    """
    Attributes:
        object_type (str | Unset):
        object_id (str | Unset):
        aces (list[AccessEntry] | Unset):
    """

    object_type: str | Unset = UNSET
    object_id: str | Unset = UNSET
    aces: list[AccessEntry] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        object_type = self.object_type

        object_id = self.object_id

        aces: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.aces, Unset):
            aces = []
            for aces_item_data in self.aces:
                aces_item = aces_item_data.to_dict()
                aces.append(aces_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if object_type is not UNSET:
            field_dict["object_type"] = object_type
        if object_id is not UNSET:
            field_dict["object_id"] = object_id
        if aces is not UNSET:
            field_dict["aces"] = aces

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.access_entry import AccessEntry  # noqa: PLC0415

        d = dict(src_dict)
        object_type = d.pop("object_type", UNSET)

        object_id = d.pop("object_id", UNSET)

        _aces = d.pop("aces", UNSET)
        aces: list[AccessEntry] | Unset = UNSET
        if _aces is not UNSET:
            aces = []
            for aces_item_data in _aces:
                aces_item = AccessEntry.from_dict(aces_item_data)

                aces.append(aces_item)

        object_aces = cls(
            object_type=object_type,
            object_id=object_id,
            aces=aces,
        )

        object_aces.additional_properties = d
        return object_aces

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
