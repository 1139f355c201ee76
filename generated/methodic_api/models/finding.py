from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.finding_dismissal_type_0 import FindingDismissalType0
    from ..models.finding_validation_type_0 import FindingValidationType0


T = TypeVar("T", bound="Finding")


@_attrs_define
class Finding:
    """
    Attributes:
        id (str):
        status (str | Unset):
        summary (str | Unset):
        evidence_variation (int | Unset):
        evidence_run (int | None | Unset):
        source_asset_id (None | str | Unset):
        recorded_at (str | Unset):
        recorded_by (str | Unset):
        validation (FindingValidationType0 | None | Unset): The evaluator's verdict; null where no evaluator ran (the
            local server has none).
        dismissal (FindingDismissalType0 | None | Unset): {reason, dismissed_at, dismissed_by} once a researcher
            overruled the verdict.
    """

    id: str
    status: str | Unset = UNSET
    summary: str | Unset = UNSET
    evidence_variation: int | Unset = UNSET
    evidence_run: int | None | Unset = UNSET
    source_asset_id: None | str | Unset = UNSET
    recorded_at: str | Unset = UNSET
    recorded_by: str | Unset = UNSET
    validation: FindingValidationType0 | None | Unset = UNSET
    dismissal: FindingDismissalType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.finding_dismissal_type_0 import FindingDismissalType0  # noqa: PLC0415
        from ..models.finding_validation_type_0 import FindingValidationType0  # noqa: PLC0415

        id = self.id

        status = self.status

        summary = self.summary

        evidence_variation = self.evidence_variation

        evidence_run: int | None | Unset
        if isinstance(self.evidence_run, Unset):
            evidence_run = UNSET
        else:
            evidence_run = self.evidence_run

        source_asset_id: None | str | Unset
        if isinstance(self.source_asset_id, Unset):
            source_asset_id = UNSET
        else:
            source_asset_id = self.source_asset_id

        recorded_at = self.recorded_at

        recorded_by = self.recorded_by

        validation: dict[str, Any] | None | Unset
        if isinstance(self.validation, Unset):
            validation = UNSET
        elif isinstance(self.validation, FindingValidationType0):
            validation = self.validation.to_dict()
        else:
            validation = self.validation

        dismissal: dict[str, Any] | None | Unset
        if isinstance(self.dismissal, Unset):
            dismissal = UNSET
        elif isinstance(self.dismissal, FindingDismissalType0):
            dismissal = self.dismissal.to_dict()
        else:
            dismissal = self.dismissal

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status
        if summary is not UNSET:
            field_dict["summary"] = summary
        if evidence_variation is not UNSET:
            field_dict["evidence_variation"] = evidence_variation
        if evidence_run is not UNSET:
            field_dict["evidence_run"] = evidence_run
        if source_asset_id is not UNSET:
            field_dict["source_asset_id"] = source_asset_id
        if recorded_at is not UNSET:
            field_dict["recorded_at"] = recorded_at
        if recorded_by is not UNSET:
            field_dict["recorded_by"] = recorded_by
        if validation is not UNSET:
            field_dict["validation"] = validation
        if dismissal is not UNSET:
            field_dict["dismissal"] = dismissal

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.finding_dismissal_type_0 import FindingDismissalType0  # noqa: PLC0415
        from ..models.finding_validation_type_0 import FindingValidationType0  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        status = d.pop("status", UNSET)

        summary = d.pop("summary", UNSET)

        evidence_variation = d.pop("evidence_variation", UNSET)

        def _parse_evidence_run(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        evidence_run = _parse_evidence_run(d.pop("evidence_run", UNSET))

        def _parse_source_asset_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source_asset_id = _parse_source_asset_id(d.pop("source_asset_id", UNSET))

        recorded_at = d.pop("recorded_at", UNSET)

        recorded_by = d.pop("recorded_by", UNSET)

        def _parse_validation(data: object) -> FindingValidationType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                validation_type_0 = FindingValidationType0.from_dict(data)

                return validation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FindingValidationType0 | None | Unset, data)

        validation = _parse_validation(d.pop("validation", UNSET))

        def _parse_dismissal(data: object) -> FindingDismissalType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                dismissal_type_0 = FindingDismissalType0.from_dict(data)

                return dismissal_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FindingDismissalType0 | None | Unset, data)

        dismissal = _parse_dismissal(d.pop("dismissal", UNSET))

        finding = cls(
            id=id,
            status=status,
            summary=summary,
            evidence_variation=evidence_variation,
            evidence_run=evidence_run,
            source_asset_id=source_asset_id,
            recorded_at=recorded_at,
            recorded_by=recorded_by,
            validation=validation,
            dismissal=dismissal,
        )

        finding.additional_properties = d
        return finding

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
