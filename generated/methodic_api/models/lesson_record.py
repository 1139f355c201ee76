from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.lesson_record_body import LessonRecordBody
    from ..models.lesson_record_evidence import LessonRecordEvidence


T = TypeVar("T", bound="LessonRecord")


@_attrs_define
class LessonRecord:
    """
    Attributes:
        title (str):
        origin (str): repeated_error, researcher_correction, self_identified or manual (400 for anything else).
        body (LessonRecordBody | Unset): believed, correction, evidence, instead (and optionally applies_to,
            confidence).
        body_md (str | Unset): Prose used when body is absent; rendered from body otherwise.
        category (str | Unset): assumption (the default), methodology, environment, data or other (400 for anything
            else).
        variation (int | Unset):
        evidence (LessonRecordEvidence | Unset): Pointers only (run, report or session ids).
    """

    title: str
    origin: str
    body: LessonRecordBody | Unset = UNSET
    body_md: str | Unset = UNSET
    category: str | Unset = UNSET
    variation: int | Unset = UNSET
    evidence: LessonRecordEvidence | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        title = self.title

        origin = self.origin

        body: dict[str, Any] | Unset = UNSET
        if not isinstance(self.body, Unset):
            body = self.body.to_dict()

        body_md = self.body_md

        category = self.category

        variation = self.variation

        evidence: dict[str, Any] | Unset = UNSET
        if not isinstance(self.evidence, Unset):
            evidence = self.evidence.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "title": title,
                "origin": origin,
            }
        )
        if body is not UNSET:
            field_dict["body"] = body
        if body_md is not UNSET:
            field_dict["body_md"] = body_md
        if category is not UNSET:
            field_dict["category"] = category
        if variation is not UNSET:
            field_dict["variation"] = variation
        if evidence is not UNSET:
            field_dict["evidence"] = evidence

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.lesson_record_body import LessonRecordBody  # noqa: PLC0415
        from ..models.lesson_record_evidence import LessonRecordEvidence  # noqa: PLC0415

        d = dict(src_dict)
        title = d.pop("title")

        origin = d.pop("origin")

        _body = d.pop("body", UNSET)
        body: LessonRecordBody | Unset
        if isinstance(_body, Unset):
            body = UNSET
        else:
            body = LessonRecordBody.from_dict(_body)

        body_md = d.pop("body_md", UNSET)

        category = d.pop("category", UNSET)

        variation = d.pop("variation", UNSET)

        _evidence = d.pop("evidence", UNSET)
        evidence: LessonRecordEvidence | Unset
        if isinstance(_evidence, Unset):
            evidence = UNSET
        else:
            evidence = LessonRecordEvidence.from_dict(_evidence)

        lesson_record = cls(
            title=title,
            origin=origin,
            body=body,
            body_md=body_md,
            category=category,
            variation=variation,
            evidence=evidence,
        )

        lesson_record.additional_properties = d
        return lesson_record

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
