from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="InputsLink")


@_attrs_define
class InputsLink:
    """
    Attributes:
        asset_ids (list[str]):
        allow_invalid_assets (bool | Unset):  Default: False.
        propagate_acl (bool | Unset): Grant the experiment's readers read on the linked assets.
    """

    asset_ids: list[str]
    allow_invalid_assets: bool | Unset = False
    propagate_acl: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        asset_ids = self.asset_ids

        allow_invalid_assets = self.allow_invalid_assets

        propagate_acl = self.propagate_acl

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "asset_ids": asset_ids,
            }
        )
        if allow_invalid_assets is not UNSET:
            field_dict["allow_invalid_assets"] = allow_invalid_assets
        if propagate_acl is not UNSET:
            field_dict["propagate_acl"] = propagate_acl

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        asset_ids = cast(list[str], d.pop("asset_ids"))

        allow_invalid_assets = d.pop("allow_invalid_assets", UNSET)

        propagate_acl = d.pop("propagate_acl", UNSET)

        inputs_link = cls(
            asset_ids=asset_ids,
            allow_invalid_assets=allow_invalid_assets,
            propagate_acl=propagate_acl,
        )

        inputs_link.additional_properties = d
        return inputs_link

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
