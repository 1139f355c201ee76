from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="BulkApprovedResultsItem")


@_attrs_define
class BulkApprovedResultsItem:
    """
    Attributes:
        asset_id (str | Unset):
        status (str | Unset):
        error (None | str | Unset):
        finalized (bool | None | Unset):
    """

    asset_id: str | Unset = UNSET
    status: str | Unset = UNSET
    error: None | str | Unset = UNSET
    finalized: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        asset_id = self.asset_id

        status = self.status

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        finalized: bool | None | Unset
        if isinstance(self.finalized, Unset):
            finalized = UNSET
        else:
            finalized = self.finalized

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if asset_id is not UNSET:
            field_dict["asset_id"] = asset_id
        if status is not UNSET:
            field_dict["status"] = status
        if error is not UNSET:
            field_dict["error"] = error
        if finalized is not UNSET:
            field_dict["finalized"] = finalized

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        asset_id = d.pop("asset_id", UNSET)

        status = d.pop("status", UNSET)

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        def _parse_finalized(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        finalized = _parse_finalized(d.pop("finalized", UNSET))

        bulk_approved_results_item = cls(
            asset_id=asset_id,
            status=status,
            error=error,
            finalized=finalized,
        )

        bulk_approved_results_item.additional_properties = d
        return bulk_approved_results_item

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
