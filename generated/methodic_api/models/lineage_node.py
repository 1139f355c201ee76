from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="LineageNode")


@_attrs_define
class LineageNode:
    """
    Attributes:
        id (str):
        title (str):
        hypothesis_summary (str):
        state (str):
        depth (int): 1 for direct parents or children.
        retracted_at (None | str):
        retraction_reason (None | str):
    """

    id: str
    title: str
    hypothesis_summary: str
    state: str
    depth: int
    retracted_at: None | str
    retraction_reason: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        title = self.title

        hypothesis_summary = self.hypothesis_summary

        state = self.state

        depth = self.depth

        retracted_at: None | str
        retracted_at = self.retracted_at

        retraction_reason: None | str
        retraction_reason = self.retraction_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "title": title,
                "hypothesis_summary": hypothesis_summary,
                "state": state,
                "depth": depth,
                "retracted_at": retracted_at,
                "retraction_reason": retraction_reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        title = d.pop("title")

        hypothesis_summary = d.pop("hypothesis_summary")

        state = d.pop("state")

        depth = d.pop("depth")

        def _parse_retracted_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        retracted_at = _parse_retracted_at(d.pop("retracted_at"))

        def _parse_retraction_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        retraction_reason = _parse_retraction_reason(d.pop("retraction_reason"))

        lineage_node = cls(
            id=id,
            title=title,
            hypothesis_summary=hypothesis_summary,
            state=state,
            depth=depth,
            retracted_at=retracted_at,
            retraction_reason=retraction_reason,
        )

        lineage_node.additional_properties = d
        return lineage_node

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
