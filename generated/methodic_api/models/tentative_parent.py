from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TentativeParent")


@_attrs_define
class TentativeParent:
    """
    Attributes:
        parent_id (str):
        parent_state (str | Unset):
        promotable (bool | Unset): Whether the link can be promoted now (the parent has committed and is not retracted).
    """

    parent_id: str
    parent_state: str | Unset = UNSET
    promotable: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        parent_id = self.parent_id

        parent_state = self.parent_state

        promotable = self.promotable

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "parent_id": parent_id,
            }
        )
        if parent_state is not UNSET:
            field_dict["parent_state"] = parent_state
        if promotable is not UNSET:
            field_dict["promotable"] = promotable

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        parent_id = d.pop("parent_id")

        parent_state = d.pop("parent_state", UNSET)

        promotable = d.pop("promotable", UNSET)

        tentative_parent = cls(
            parent_id=parent_id,
            parent_state=parent_state,
            promotable=promotable,
        )

        tentative_parent.additional_properties = d
        return tentative_parent

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
