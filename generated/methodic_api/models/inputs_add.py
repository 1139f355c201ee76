from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="InputsAdd")


@_attrs_define
class InputsAdd:
    """
    Attributes:
        asset_ids (list[str]):
        variation (int | Unset): Link to this variation instead of the experiment.
        allow_invalid_assets (bool | Unset):  Default: False.
    """

    asset_ids: list[str]
    variation: int | Unset = UNSET
    allow_invalid_assets: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        asset_ids = self.asset_ids

        variation = self.variation

        allow_invalid_assets = self.allow_invalid_assets

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "asset_ids": asset_ids,
            }
        )
        if variation is not UNSET:
            field_dict["variation"] = variation
        if allow_invalid_assets is not UNSET:
            field_dict["allow_invalid_assets"] = allow_invalid_assets

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        asset_ids = cast(list[str], d.pop("asset_ids"))

        variation = d.pop("variation", UNSET)

        allow_invalid_assets = d.pop("allow_invalid_assets", UNSET)

        inputs_add = cls(
            asset_ids=asset_ids,
            variation=variation,
            allow_invalid_assets=allow_invalid_assets,
        )

        inputs_add.additional_properties = d
        return inputs_add

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
