from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="BulkApprove")


@_attrs_define
class BulkApprove:
    """
    Attributes:
        asset_ids (list[str] | Unset):
        all_in_scope (bool | Unset):
    """

    asset_ids: list[str] | Unset = UNSET
    all_in_scope: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        asset_ids: list[str] | Unset = UNSET
        if not isinstance(self.asset_ids, Unset):
            asset_ids = self.asset_ids

        all_in_scope = self.all_in_scope

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if asset_ids is not UNSET:
            field_dict["asset_ids"] = asset_ids
        if all_in_scope is not UNSET:
            field_dict["all_in_scope"] = all_in_scope

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        asset_ids = cast(list[str], d.pop("asset_ids", UNSET))

        all_in_scope = d.pop("all_in_scope", UNSET)

        bulk_approve = cls(
            asset_ids=asset_ids,
            all_in_scope=all_in_scope,
        )

        bulk_approve.additional_properties = d
        return bulk_approve

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
