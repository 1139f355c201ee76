from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.lesson_update_body import LessonUpdateBody
    from ..models.lesson_update_evidence import LessonUpdateEvidence


T = TypeVar("T", bound="LessonUpdate")


@_attrs_define
class LessonUpdate:
    """
    Attributes:
        title (str | Unset):
        body (LessonUpdateBody | Unset):
        body_md (str | Unset):
        category (str | Unset): assumption (the default), methodology, environment, data or other (400 for anything
            else).
        variation (int | Unset):
        evidence (LessonUpdateEvidence | Unset):
    """

    title: str | Unset = UNSET
    body: LessonUpdateBody | Unset = UNSET
    body_md: str | Unset = UNSET
    category: str | Unset = UNSET
    variation: int | Unset = UNSET
    evidence: LessonUpdateEvidence | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        title = self.title

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
        field_dict.update({})
        if title is not UNSET:
            field_dict["title"] = title
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
        from ..models.lesson_update_body import LessonUpdateBody  # noqa: PLC0415
        from ..models.lesson_update_evidence import LessonUpdateEvidence  # noqa: PLC0415

        d = dict(src_dict)
        title = d.pop("title", UNSET)

        _body = d.pop("body", UNSET)
        body: LessonUpdateBody | Unset
        if isinstance(_body, Unset):
            body = UNSET
        else:
            body = LessonUpdateBody.from_dict(_body)

        body_md = d.pop("body_md", UNSET)

        category = d.pop("category", UNSET)

        variation = d.pop("variation", UNSET)

        _evidence = d.pop("evidence", UNSET)
        evidence: LessonUpdateEvidence | Unset
        if isinstance(_evidence, Unset):
            evidence = UNSET
        else:
            evidence = LessonUpdateEvidence.from_dict(_evidence)

        lesson_update = cls(
            title=title,
            body=body,
            body_md=body_md,
            category=category,
            variation=variation,
            evidence=evidence,
        )

        lesson_update.additional_properties = d
        return lesson_update

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
