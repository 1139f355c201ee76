from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ExperimentConclude")


@_attrs_define
class ExperimentConclude:
    """
    Attributes:
        on_exist_action (str | Unset): What to do with an existing takeaways report: keep or regenerate (400 for
            anything else).
    """

    on_exist_action: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        on_exist_action = self.on_exist_action

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if on_exist_action is not UNSET:
            field_dict["on_exist_action"] = on_exist_action

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        on_exist_action = d.pop("on_exist_action", UNSET)

        experiment_conclude = cls(
            on_exist_action=on_exist_action,
        )

        experiment_conclude.additional_properties = d
        return experiment_conclude

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
