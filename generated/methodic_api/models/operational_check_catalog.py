from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.operational_check_catalog_operational_checks_item import OperationalCheckCatalogOperationalChecksItem


T = TypeVar("T", bound="OperationalCheckCatalog")


@_attrs_define
class OperationalCheckCatalog:
    """
    Attributes:
        operational_checks (list[OperationalCheckCatalogOperationalChecksItem] | Unset):
    """

    operational_checks: list[OperationalCheckCatalogOperationalChecksItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        operational_checks: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.operational_checks, Unset):
            operational_checks = []
            for operational_checks_item_data in self.operational_checks:
                operational_checks_item = operational_checks_item_data.to_dict()
                operational_checks.append(operational_checks_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if operational_checks is not UNSET:
            field_dict["operational_checks"] = operational_checks

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.operational_check_catalog_operational_checks_item import (
            OperationalCheckCatalogOperationalChecksItem,  # noqa: PLC0415
        )

        d = dict(src_dict)
        _operational_checks = d.pop("operational_checks", UNSET)
        operational_checks: list[OperationalCheckCatalogOperationalChecksItem] | Unset = UNSET
        if _operational_checks is not UNSET:
            operational_checks = []
            for operational_checks_item_data in _operational_checks:
                operational_checks_item = OperationalCheckCatalogOperationalChecksItem.from_dict(
                    operational_checks_item_data
                )

                operational_checks.append(operational_checks_item)

        operational_check_catalog = cls(
            operational_checks=operational_checks,
        )

        operational_check_catalog.additional_properties = d
        return operational_check_catalog

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
