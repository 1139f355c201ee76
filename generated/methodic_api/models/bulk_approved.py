from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bulk_approved_results_item import BulkApprovedResultsItem


T = TypeVar("T", bound="BulkApproved")


@_attrs_define
class BulkApproved:
    """
    Attributes:
        results (list[BulkApprovedResultsItem] | Unset):
        approved (int | Unset):
        failed (int | Unset):
    """

    results: list[BulkApprovedResultsItem] | Unset = UNSET
    approved: int | Unset = UNSET
    failed: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        results: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.results, Unset):
            results = []
            for results_item_data in self.results:
                results_item = results_item_data.to_dict()
                results.append(results_item)

        approved = self.approved

        failed = self.failed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if results is not UNSET:
            field_dict["results"] = results
        if approved is not UNSET:
            field_dict["approved"] = approved
        if failed is not UNSET:
            field_dict["failed"] = failed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bulk_approved_results_item import BulkApprovedResultsItem  # noqa: PLC0415

        d = dict(src_dict)
        _results = d.pop("results", UNSET)
        results: list[BulkApprovedResultsItem] | Unset = UNSET
        if _results is not UNSET:
            results = []
            for results_item_data in _results:
                results_item = BulkApprovedResultsItem.from_dict(results_item_data)

                results.append(results_item)

        approved = d.pop("approved", UNSET)

        failed = d.pop("failed", UNSET)

        bulk_approved = cls(
            results=results,
            approved=approved,
            failed=failed,
        )

        bulk_approved.additional_properties = d
        return bulk_approved

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
