from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="VariationUpdate")


@_attrs_define
class VariationUpdate:
    """
    Attributes:
        hypothesis (str | Unset):
        expected_outcome (str | Unset):
        description (str | Unset):
        name (str | Unset):
    """

    hypothesis: str | Unset = UNSET
    expected_outcome: str | Unset = UNSET
    description: str | Unset = UNSET
    name: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        hypothesis = self.hypothesis

        expected_outcome = self.expected_outcome

        description = self.description

        name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if hypothesis is not UNSET:
            field_dict["hypothesis"] = hypothesis
        if expected_outcome is not UNSET:
            field_dict["expected_outcome"] = expected_outcome
        if description is not UNSET:
            field_dict["description"] = description
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        hypothesis = d.pop("hypothesis", UNSET)

        expected_outcome = d.pop("expected_outcome", UNSET)

        description = d.pop("description", UNSET)

        name = d.pop("name", UNSET)

        variation_update = cls(
            hypothesis=hypothesis,
            expected_outcome=expected_outcome,
            description=description,
            name=name,
        )

        variation_update.additional_properties = d
        return variation_update

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
