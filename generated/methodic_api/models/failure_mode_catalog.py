from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.failure_mode_catalog_failure_modes_item import FailureModeCatalogFailureModesItem


T = TypeVar("T", bound="FailureModeCatalog")


@_attrs_define
class FailureModeCatalog:
    """
    Attributes:
        failure_modes (list[FailureModeCatalogFailureModesItem] | Unset):
    """

    failure_modes: list[FailureModeCatalogFailureModesItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        failure_modes: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.failure_modes, Unset):
            failure_modes = []
            for failure_modes_item_data in self.failure_modes:
                failure_modes_item = failure_modes_item_data.to_dict()
                failure_modes.append(failure_modes_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if failure_modes is not UNSET:
            field_dict["failure_modes"] = failure_modes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.failure_mode_catalog_failure_modes_item import FailureModeCatalogFailureModesItem  # noqa: PLC0415

        d = dict(src_dict)
        _failure_modes = d.pop("failure_modes", UNSET)
        failure_modes: list[FailureModeCatalogFailureModesItem] | Unset = UNSET
        if _failure_modes is not UNSET:
            failure_modes = []
            for failure_modes_item_data in _failure_modes:
                failure_modes_item = FailureModeCatalogFailureModesItem.from_dict(failure_modes_item_data)

                failure_modes.append(failure_modes_item)

        failure_mode_catalog = cls(
            failure_modes=failure_modes,
        )

        failure_mode_catalog.additional_properties = d
        return failure_mode_catalog

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
