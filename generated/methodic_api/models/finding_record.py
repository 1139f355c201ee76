from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FindingRecord")


@_attrs_define
class FindingRecord:
    """
    Attributes:
        status (str): working, partial or not_working (400 for anything else).
        summary (str):
        evidence_variation (int):
        evidence_run (int | Unset):
        source_asset_id (str | Unset):
    """

    status: str
    summary: str
    evidence_variation: int
    evidence_run: int | Unset = UNSET
    source_asset_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        summary = self.summary

        evidence_variation = self.evidence_variation

        evidence_run = self.evidence_run

        source_asset_id = self.source_asset_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "summary": summary,
                "evidence_variation": evidence_variation,
            }
        )
        if evidence_run is not UNSET:
            field_dict["evidence_run"] = evidence_run
        if source_asset_id is not UNSET:
            field_dict["source_asset_id"] = source_asset_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = d.pop("status")

        summary = d.pop("summary")

        evidence_variation = d.pop("evidence_variation")

        evidence_run = d.pop("evidence_run", UNSET)

        source_asset_id = d.pop("source_asset_id", UNSET)

        finding_record = cls(
            status=status,
            summary=summary,
            evidence_variation=evidence_variation,
            evidence_run=evidence_run,
            source_asset_id=source_asset_id,
        )

        finding_record.additional_properties = d
        return finding_record

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
