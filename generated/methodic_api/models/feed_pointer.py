from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FeedPointer")


@_attrs_define
class FeedPointer:
    """
    Attributes:
        section (str | Unset):
        through_seq (int | Unset):
    """

    section: str | Unset = UNSET
    through_seq: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        section = self.section

        through_seq = self.through_seq

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if section is not UNSET:
            field_dict["section"] = section
        if through_seq is not UNSET:
            field_dict["through_seq"] = through_seq

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        section = d.pop("section", UNSET)

        through_seq = d.pop("through_seq", UNSET)

        feed_pointer = cls(
            section=section,
            through_seq=through_seq,
        )

        feed_pointer.additional_properties = d
        return feed_pointer

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
