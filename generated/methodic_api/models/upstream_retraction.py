from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="UpstreamRetraction")


@_attrs_define
class UpstreamRetraction:
    """
    Attributes:
        experiment_id (str):
        title (str):
        retracted_at (str):
        reason (None | str):
        depth (int): 1 for a direct parent.
    """

    experiment_id: str
    title: str
    retracted_at: str
    reason: None | str
    depth: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        experiment_id = self.experiment_id

        title = self.title

        retracted_at = self.retracted_at

        reason: None | str
        reason = self.reason

        depth = self.depth

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "experiment_id": experiment_id,
                "title": title,
                "retracted_at": retracted_at,
                "reason": reason,
                "depth": depth,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        experiment_id = d.pop("experiment_id")

        title = d.pop("title")

        retracted_at = d.pop("retracted_at")

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        depth = d.pop("depth")

        upstream_retraction = cls(
            experiment_id=experiment_id,
            title=title,
            retracted_at=retracted_at,
            reason=reason,
            depth=depth,
        )

        upstream_retraction.additional_properties = d
        return upstream_retraction

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
