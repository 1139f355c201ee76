from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.reasoning_error_report_evidence import ReasoningErrorReportEvidence


T = TypeVar("T", bound="ReasoningErrorReport")


@_attrs_define
class ReasoningErrorReport:
    """
    Attributes:
        reasoning_error (str): What went wrong, in a sentence or two.
        kind (str | Unset): reasoning (default) or operational.
        description (str | Unset):
        experiment_id (str | Unset):
        variation (int | Unset):
        claim_check_id (str | Unset):
        user_confirmed (bool | Unset):
        lesson_id (str | Unset):
        evidence (ReasoningErrorReportEvidence | Unset): Pointers only (session shard, run or report ids).
    """

    reasoning_error: str
    kind: str | Unset = UNSET
    description: str | Unset = UNSET
    experiment_id: str | Unset = UNSET
    variation: int | Unset = UNSET
    claim_check_id: str | Unset = UNSET
    user_confirmed: bool | Unset = UNSET
    lesson_id: str | Unset = UNSET
    evidence: ReasoningErrorReportEvidence | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        reasoning_error = self.reasoning_error

        kind = self.kind

        description = self.description

        experiment_id = self.experiment_id

        variation = self.variation

        claim_check_id = self.claim_check_id

        user_confirmed = self.user_confirmed

        lesson_id = self.lesson_id

        evidence: dict[str, Any] | Unset = UNSET
        if not isinstance(self.evidence, Unset):
            evidence = self.evidence.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "reasoning_error": reasoning_error,
            }
        )
        if kind is not UNSET:
            field_dict["kind"] = kind
        if description is not UNSET:
            field_dict["description"] = description
        if experiment_id is not UNSET:
            field_dict["experiment_id"] = experiment_id
        if variation is not UNSET:
            field_dict["variation"] = variation
        if claim_check_id is not UNSET:
            field_dict["claim_check_id"] = claim_check_id
        if user_confirmed is not UNSET:
            field_dict["user_confirmed"] = user_confirmed
        if lesson_id is not UNSET:
            field_dict["lesson_id"] = lesson_id
        if evidence is not UNSET:
            field_dict["evidence"] = evidence

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.reasoning_error_report_evidence import ReasoningErrorReportEvidence  # noqa: PLC0415

        d = dict(src_dict)
        reasoning_error = d.pop("reasoning_error")

        kind = d.pop("kind", UNSET)

        description = d.pop("description", UNSET)

        experiment_id = d.pop("experiment_id", UNSET)

        variation = d.pop("variation", UNSET)

        claim_check_id = d.pop("claim_check_id", UNSET)

        user_confirmed = d.pop("user_confirmed", UNSET)

        lesson_id = d.pop("lesson_id", UNSET)

        _evidence = d.pop("evidence", UNSET)
        evidence: ReasoningErrorReportEvidence | Unset
        if isinstance(_evidence, Unset):
            evidence = UNSET
        else:
            evidence = ReasoningErrorReportEvidence.from_dict(_evidence)

        reasoning_error_report = cls(
            reasoning_error=reasoning_error,
            kind=kind,
            description=description,
            experiment_id=experiment_id,
            variation=variation,
            claim_check_id=claim_check_id,
            user_confirmed=user_confirmed,
            lesson_id=lesson_id,
            evidence=evidence,
        )

        reasoning_error_report.additional_properties = d
        return reasoning_error_report

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
