from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bulk_finalized_collection_warnings_item import BulkFinalizedCollectionWarningsItem
    from ..models.bulk_finalized_failed_item import BulkFinalizedFailedItem


T = TypeVar("T", bound="BulkFinalized")


@_attrs_define
class BulkFinalized:
    """
    Attributes:
        finalized (list[str] | Unset): Ours: the ids now ready.
        failed (list[BulkFinalizedFailedItem] | Unset):
        extraction_job_id (None | str | Unset):
        collection_warnings (list[BulkFinalizedCollectionWarningsItem] | Unset):
    """

    finalized: list[str] | Unset = UNSET
    failed: list[BulkFinalizedFailedItem] | Unset = UNSET
    extraction_job_id: None | str | Unset = UNSET
    collection_warnings: list[BulkFinalizedCollectionWarningsItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        finalized: list[str] | Unset = UNSET
        if not isinstance(self.finalized, Unset):
            finalized = self.finalized

        failed: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.failed, Unset):
            failed = []
            for failed_item_data in self.failed:
                failed_item = failed_item_data.to_dict()
                failed.append(failed_item)

        extraction_job_id: None | str | Unset
        if isinstance(self.extraction_job_id, Unset):
            extraction_job_id = UNSET
        else:
            extraction_job_id = self.extraction_job_id

        collection_warnings: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.collection_warnings, Unset):
            collection_warnings = []
            for collection_warnings_item_data in self.collection_warnings:
                collection_warnings_item = collection_warnings_item_data.to_dict()
                collection_warnings.append(collection_warnings_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if finalized is not UNSET:
            field_dict["finalized"] = finalized
        if failed is not UNSET:
            field_dict["failed"] = failed
        if extraction_job_id is not UNSET:
            field_dict["extraction_job_id"] = extraction_job_id
        if collection_warnings is not UNSET:
            field_dict["collection_warnings"] = collection_warnings

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bulk_finalized_collection_warnings_item import BulkFinalizedCollectionWarningsItem  # noqa: PLC0415
        from ..models.bulk_finalized_failed_item import BulkFinalizedFailedItem  # noqa: PLC0415

        d = dict(src_dict)
        finalized = cast(list[str], d.pop("finalized", UNSET))

        _failed = d.pop("failed", UNSET)
        failed: list[BulkFinalizedFailedItem] | Unset = UNSET
        if _failed is not UNSET:
            failed = []
            for failed_item_data in _failed:
                failed_item = BulkFinalizedFailedItem.from_dict(failed_item_data)

                failed.append(failed_item)

        def _parse_extraction_job_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        extraction_job_id = _parse_extraction_job_id(d.pop("extraction_job_id", UNSET))

        _collection_warnings = d.pop("collection_warnings", UNSET)
        collection_warnings: list[BulkFinalizedCollectionWarningsItem] | Unset = UNSET
        if _collection_warnings is not UNSET:
            collection_warnings = []
            for collection_warnings_item_data in _collection_warnings:
                collection_warnings_item = BulkFinalizedCollectionWarningsItem.from_dict(collection_warnings_item_data)

                collection_warnings.append(collection_warnings_item)

        bulk_finalized = cls(
            finalized=finalized,
            failed=failed,
            extraction_job_id=extraction_job_id,
            collection_warnings=collection_warnings,
        )

        bulk_finalized.additional_properties = d
        return bulk_finalized

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
