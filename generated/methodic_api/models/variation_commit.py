from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="VariationCommit")


@_attrs_define
class VariationCommit:
    """
    Attributes:
        commit_without_hypothesis (bool | Unset):  Default: False.
    """

    commit_without_hypothesis: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        commit_without_hypothesis = self.commit_without_hypothesis

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if commit_without_hypothesis is not UNSET:
            field_dict["commit_without_hypothesis"] = commit_without_hypothesis

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        commit_without_hypothesis = d.pop("commit_without_hypothesis", UNSET)

        variation_commit = cls(
            commit_without_hypothesis=commit_without_hypothesis,
        )

        variation_commit.additional_properties = d
        return variation_commit

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
