from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.feed_event_payload import FeedEventPayload


T = TypeVar("T", bound="FeedEvent")


@_attrs_define
class FeedEvent:
    """
    Attributes:
        seq (int):
        id (str):
        category (str):
        kind (str):
        created_at (str):
        section (str | Unset):
        severity (str | Unset):
        experiment_id (None | str | Unset):
        resolved_at (None | str | Unset):
        score (float | None | Unset):
        actionable (bool | Unset):
        payload (FeedEventPayload | Unset):
    """

    seq: int
    id: str
    category: str
    kind: str
    created_at: str
    section: str | Unset = UNSET
    severity: str | Unset = UNSET
    experiment_id: None | str | Unset = UNSET
    resolved_at: None | str | Unset = UNSET
    score: float | None | Unset = UNSET
    actionable: bool | Unset = UNSET
    payload: FeedEventPayload | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        seq = self.seq

        id = self.id

        category = self.category

        kind = self.kind

        created_at = self.created_at

        section = self.section

        severity = self.severity

        experiment_id: None | str | Unset
        if isinstance(self.experiment_id, Unset):
            experiment_id = UNSET
        else:
            experiment_id = self.experiment_id

        resolved_at: None | str | Unset
        if isinstance(self.resolved_at, Unset):
            resolved_at = UNSET
        else:
            resolved_at = self.resolved_at

        score: float | None | Unset
        if isinstance(self.score, Unset):
            score = UNSET
        else:
            score = self.score

        actionable = self.actionable

        payload: dict[str, Any] | Unset = UNSET
        if not isinstance(self.payload, Unset):
            payload = self.payload.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "seq": seq,
                "id": id,
                "category": category,
                "kind": kind,
                "created_at": created_at,
            }
        )
        if section is not UNSET:
            field_dict["section"] = section
        if severity is not UNSET:
            field_dict["severity"] = severity
        if experiment_id is not UNSET:
            field_dict["experiment_id"] = experiment_id
        if resolved_at is not UNSET:
            field_dict["resolved_at"] = resolved_at
        if score is not UNSET:
            field_dict["score"] = score
        if actionable is not UNSET:
            field_dict["actionable"] = actionable
        if payload is not UNSET:
            field_dict["payload"] = payload

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.feed_event_payload import FeedEventPayload  # noqa: PLC0415

        d = dict(src_dict)
        seq = d.pop("seq")

        id = d.pop("id")

        category = d.pop("category")

        kind = d.pop("kind")

        created_at = d.pop("created_at")

        section = d.pop("section", UNSET)

        severity = d.pop("severity", UNSET)

        def _parse_experiment_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        experiment_id = _parse_experiment_id(d.pop("experiment_id", UNSET))

        def _parse_resolved_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        resolved_at = _parse_resolved_at(d.pop("resolved_at", UNSET))

        def _parse_score(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        score = _parse_score(d.pop("score", UNSET))

        actionable = d.pop("actionable", UNSET)

        _payload = d.pop("payload", UNSET)
        payload: FeedEventPayload | Unset
        if isinstance(_payload, Unset):
            payload = UNSET
        else:
            payload = FeedEventPayload.from_dict(_payload)

        feed_event = cls(
            seq=seq,
            id=id,
            category=category,
            kind=kind,
            created_at=created_at,
            section=section,
            severity=severity,
            experiment_id=experiment_id,
            resolved_at=resolved_at,
            score=score,
            actionable=actionable,
            payload=payload,
        )

        feed_event.additional_properties = d
        return feed_event

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
