from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.lesson_body_type_0 import LessonBodyType0
    from ..models.lesson_evidence_type_0 import LessonEvidenceType0


T = TypeVar("T", bound="Lesson")


@_attrs_define
class Lesson:
    """
    Attributes:
        id (str):
        experiment_id (str | Unset):
        title (str | Unset):
        origin (str | Unset):
        category (str | Unset):
        body (LessonBodyType0 | None | Unset):
        body_md (str | Unset):
        variation (int | None | Unset):
        evidence (LessonEvidenceType0 | None | Unset):
        status (str | Unset): active or retired.
        created_at (str | Unset):
        created_by (str | Unset):
        updated_at (str | Unset):
        retired_at (None | str | Unset):
        retire_reason (None | str | Unset):
        superseded_by (None | str | Unset):
        inherited_from (None | str | Unset): The ancestor experiment a listed lesson comes from.
    """

    id: str
    experiment_id: str | Unset = UNSET
    title: str | Unset = UNSET
    origin: str | Unset = UNSET
    category: str | Unset = UNSET
    body: LessonBodyType0 | None | Unset = UNSET
    body_md: str | Unset = UNSET
    variation: int | None | Unset = UNSET
    evidence: LessonEvidenceType0 | None | Unset = UNSET
    status: str | Unset = UNSET
    created_at: str | Unset = UNSET
    created_by: str | Unset = UNSET
    updated_at: str | Unset = UNSET
    retired_at: None | str | Unset = UNSET
    retire_reason: None | str | Unset = UNSET
    superseded_by: None | str | Unset = UNSET
    inherited_from: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.lesson_body_type_0 import LessonBodyType0  # noqa: PLC0415
        from ..models.lesson_evidence_type_0 import LessonEvidenceType0  # noqa: PLC0415

        id = self.id

        experiment_id = self.experiment_id

        title = self.title

        origin = self.origin

        category = self.category

        body: dict[str, Any] | None | Unset
        if isinstance(self.body, Unset):
            body = UNSET
        elif isinstance(self.body, LessonBodyType0):
            body = self.body.to_dict()
        else:
            body = self.body

        body_md = self.body_md

        variation: int | None | Unset
        if isinstance(self.variation, Unset):
            variation = UNSET
        else:
            variation = self.variation

        evidence: dict[str, Any] | None | Unset
        if isinstance(self.evidence, Unset):
            evidence = UNSET
        elif isinstance(self.evidence, LessonEvidenceType0):
            evidence = self.evidence.to_dict()
        else:
            evidence = self.evidence

        status = self.status

        created_at = self.created_at

        created_by = self.created_by

        updated_at = self.updated_at

        retired_at: None | str | Unset
        if isinstance(self.retired_at, Unset):
            retired_at = UNSET
        else:
            retired_at = self.retired_at

        retire_reason: None | str | Unset
        if isinstance(self.retire_reason, Unset):
            retire_reason = UNSET
        else:
            retire_reason = self.retire_reason

        superseded_by: None | str | Unset
        if isinstance(self.superseded_by, Unset):
            superseded_by = UNSET
        else:
            superseded_by = self.superseded_by

        inherited_from: None | str | Unset
        if isinstance(self.inherited_from, Unset):
            inherited_from = UNSET
        else:
            inherited_from = self.inherited_from

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if experiment_id is not UNSET:
            field_dict["experiment_id"] = experiment_id
        if title is not UNSET:
            field_dict["title"] = title
        if origin is not UNSET:
            field_dict["origin"] = origin
        if category is not UNSET:
            field_dict["category"] = category
        if body is not UNSET:
            field_dict["body"] = body
        if body_md is not UNSET:
            field_dict["body_md"] = body_md
        if variation is not UNSET:
            field_dict["variation"] = variation
        if evidence is not UNSET:
            field_dict["evidence"] = evidence
        if status is not UNSET:
            field_dict["status"] = status
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if created_by is not UNSET:
            field_dict["created_by"] = created_by
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if retired_at is not UNSET:
            field_dict["retired_at"] = retired_at
        if retire_reason is not UNSET:
            field_dict["retire_reason"] = retire_reason
        if superseded_by is not UNSET:
            field_dict["superseded_by"] = superseded_by
        if inherited_from is not UNSET:
            field_dict["inherited_from"] = inherited_from

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.lesson_body_type_0 import LessonBodyType0  # noqa: PLC0415
        from ..models.lesson_evidence_type_0 import LessonEvidenceType0  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        experiment_id = d.pop("experiment_id", UNSET)

        title = d.pop("title", UNSET)

        origin = d.pop("origin", UNSET)

        category = d.pop("category", UNSET)

        def _parse_body(data: object) -> LessonBodyType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                body_type_0 = LessonBodyType0.from_dict(data)

                return body_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LessonBodyType0 | None | Unset, data)

        body = _parse_body(d.pop("body", UNSET))

        body_md = d.pop("body_md", UNSET)

        def _parse_variation(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        variation = _parse_variation(d.pop("variation", UNSET))

        def _parse_evidence(data: object) -> LessonEvidenceType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                evidence_type_0 = LessonEvidenceType0.from_dict(data)

                return evidence_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LessonEvidenceType0 | None | Unset, data)

        evidence = _parse_evidence(d.pop("evidence", UNSET))

        status = d.pop("status", UNSET)

        created_at = d.pop("created_at", UNSET)

        created_by = d.pop("created_by", UNSET)

        updated_at = d.pop("updated_at", UNSET)

        def _parse_retired_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        retired_at = _parse_retired_at(d.pop("retired_at", UNSET))

        def _parse_retire_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        retire_reason = _parse_retire_reason(d.pop("retire_reason", UNSET))

        def _parse_superseded_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        superseded_by = _parse_superseded_by(d.pop("superseded_by", UNSET))

        def _parse_inherited_from(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        inherited_from = _parse_inherited_from(d.pop("inherited_from", UNSET))

        lesson = cls(
            id=id,
            experiment_id=experiment_id,
            title=title,
            origin=origin,
            category=category,
            body=body,
            body_md=body_md,
            variation=variation,
            evidence=evidence,
            status=status,
            created_at=created_at,
            created_by=created_by,
            updated_at=updated_at,
            retired_at=retired_at,
            retire_reason=retire_reason,
            superseded_by=superseded_by,
            inherited_from=inherited_from,
        )

        lesson.additional_properties = d
        return lesson

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
