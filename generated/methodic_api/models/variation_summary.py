from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="VariationSummary")


@_attrs_define
class VariationSummary:
    """
    Attributes:
        variation (int):
        created_at (str | Unset):
        run_count (int | Unset):
        state (str | Unset): open or committed.
        description (None | str | Unset):
        latest_status (None | str | Unset): The state of the newest run.
        committed_at (None | str | Unset):
        retracted_at (None | str | Unset):
        name (None | str | Unset):
        hypothesis (None | str | Unset):
    """

    variation: int
    created_at: str | Unset = UNSET
    run_count: int | Unset = UNSET
    state: str | Unset = UNSET
    description: None | str | Unset = UNSET
    latest_status: None | str | Unset = UNSET
    committed_at: None | str | Unset = UNSET
    retracted_at: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    hypothesis: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        variation = self.variation

        created_at = self.created_at

        run_count = self.run_count

        state = self.state

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        latest_status: None | str | Unset
        if isinstance(self.latest_status, Unset):
            latest_status = UNSET
        else:
            latest_status = self.latest_status

        committed_at: None | str | Unset
        if isinstance(self.committed_at, Unset):
            committed_at = UNSET
        else:
            committed_at = self.committed_at

        retracted_at: None | str | Unset
        if isinstance(self.retracted_at, Unset):
            retracted_at = UNSET
        else:
            retracted_at = self.retracted_at

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        hypothesis: None | str | Unset
        if isinstance(self.hypothesis, Unset):
            hypothesis = UNSET
        else:
            hypothesis = self.hypothesis

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "variation": variation,
            }
        )
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if run_count is not UNSET:
            field_dict["run_count"] = run_count
        if state is not UNSET:
            field_dict["state"] = state
        if description is not UNSET:
            field_dict["description"] = description
        if latest_status is not UNSET:
            field_dict["latest_status"] = latest_status
        if committed_at is not UNSET:
            field_dict["committed_at"] = committed_at
        if retracted_at is not UNSET:
            field_dict["retracted_at"] = retracted_at
        if name is not UNSET:
            field_dict["name"] = name
        if hypothesis is not UNSET:
            field_dict["hypothesis"] = hypothesis

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        variation = d.pop("variation")

        created_at = d.pop("created_at", UNSET)

        run_count = d.pop("run_count", UNSET)

        state = d.pop("state", UNSET)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_latest_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        latest_status = _parse_latest_status(d.pop("latest_status", UNSET))

        def _parse_committed_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        committed_at = _parse_committed_at(d.pop("committed_at", UNSET))

        def _parse_retracted_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        retracted_at = _parse_retracted_at(d.pop("retracted_at", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_hypothesis(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        hypothesis = _parse_hypothesis(d.pop("hypothesis", UNSET))

        variation_summary = cls(
            variation=variation,
            created_at=created_at,
            run_count=run_count,
            state=state,
            description=description,
            latest_status=latest_status,
            committed_at=committed_at,
            retracted_at=retracted_at,
            name=name,
            hypothesis=hypothesis,
        )

        variation_summary.additional_properties = d
        return variation_summary

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
