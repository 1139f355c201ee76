from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ErratumCreateTarget")


@_attrs_define
class ErratumCreateTarget:
    """{experiment_id} or {experiment_id, variation} or {asset_id}.

    Attributes:
        experiment_id (str | Unset):
        variation (int | Unset):
        asset_id (str | Unset):
    """

    experiment_id: str | Unset = UNSET
    variation: int | Unset = UNSET
    asset_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        experiment_id = self.experiment_id

        variation = self.variation

        asset_id = self.asset_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if experiment_id is not UNSET:
            field_dict["experiment_id"] = experiment_id
        if variation is not UNSET:
            field_dict["variation"] = variation
        if asset_id is not UNSET:
            field_dict["asset_id"] = asset_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        experiment_id = d.pop("experiment_id", UNSET)

        variation = d.pop("variation", UNSET)

        asset_id = d.pop("asset_id", UNSET)

        erratum_create_target = cls(
            experiment_id=experiment_id,
            variation=variation,
            asset_id=asset_id,
        )

        erratum_create_target.additional_properties = d
        return erratum_create_target

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
