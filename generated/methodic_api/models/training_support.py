from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TrainingSupport")


@_attrs_define
class TrainingSupport:
    """
    Attributes:
        advice_md (str | Unset):
        stub (bool | Unset):
    """

    advice_md: str | Unset = UNSET
    stub: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        advice_md = self.advice_md

        stub = self.stub

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if advice_md is not UNSET:
            field_dict["advice_md"] = advice_md
        if stub is not UNSET:
            field_dict["stub"] = stub

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        advice_md = d.pop("advice_md", UNSET)

        stub = d.pop("stub", UNSET)

        training_support = cls(
            advice_md=advice_md,
            stub=stub,
        )

        training_support.additional_properties = d
        return training_support

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
