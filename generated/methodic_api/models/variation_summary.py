from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="VariationSummary")


@_attrs_define
class VariationSummary:
    """
    Attributes:
        variation (int):
        name (None | str):
        state (str): open or committed.
        committed_at (None | str):
        run_count (int):
        latest_status (None | str): The state of the newest run.
        retracted_at (None | str):
    """

    variation: int
    name: None | str
    state: str
    committed_at: None | str
    run_count: int
    latest_status: None | str
    retracted_at: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        variation = self.variation

        name: None | str
        name = self.name

        state = self.state

        committed_at: None | str
        committed_at = self.committed_at

        run_count = self.run_count

        latest_status: None | str
        latest_status = self.latest_status

        retracted_at: None | str
        retracted_at = self.retracted_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "variation": variation,
                "name": name,
                "state": state,
                "committed_at": committed_at,
                "run_count": run_count,
                "latest_status": latest_status,
                "retracted_at": retracted_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        variation = d.pop("variation")

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        state = d.pop("state")

        def _parse_committed_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        committed_at = _parse_committed_at(d.pop("committed_at"))

        run_count = d.pop("run_count")

        def _parse_latest_status(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        latest_status = _parse_latest_status(d.pop("latest_status"))

        def _parse_retracted_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        retracted_at = _parse_retracted_at(d.pop("retracted_at"))

        variation_summary = cls(
            variation=variation,
            name=name,
            state=state,
            committed_at=committed_at,
            run_count=run_count,
            latest_status=latest_status,
            retracted_at=retracted_at,
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
