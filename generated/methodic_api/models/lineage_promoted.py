from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LineagePromoted")


@_attrs_define
class LineagePromoted:
    """
    Attributes:
        experiment_id (str | Unset):
        parent_id (str | Unset):
        promoted (bool | Unset):
    """

    experiment_id: str | Unset = UNSET
    parent_id: str | Unset = UNSET
    promoted: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        experiment_id = self.experiment_id

        parent_id = self.parent_id

        promoted = self.promoted

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if experiment_id is not UNSET:
            field_dict["experiment_id"] = experiment_id
        if parent_id is not UNSET:
            field_dict["parent_id"] = parent_id
        if promoted is not UNSET:
            field_dict["promoted"] = promoted

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        experiment_id = d.pop("experiment_id", UNSET)

        parent_id = d.pop("parent_id", UNSET)

        promoted = d.pop("promoted", UNSET)

        lineage_promoted = cls(
            experiment_id=experiment_id,
            parent_id=parent_id,
            promoted=promoted,
        )

        lineage_promoted.additional_properties = d
        return lineage_promoted

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
