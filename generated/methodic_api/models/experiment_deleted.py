from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ExperimentDeleted")


@_attrs_define
class ExperimentDeleted:
    """
    Attributes:
        id (str):
        variations_removed (int):
        runs_removed (int):
        links_removed (int):
    """

    id: str
    variations_removed: int
    runs_removed: int
    links_removed: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        variations_removed = self.variations_removed

        runs_removed = self.runs_removed

        links_removed = self.links_removed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "variations_removed": variations_removed,
                "runs_removed": runs_removed,
                "links_removed": links_removed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        variations_removed = d.pop("variations_removed")

        runs_removed = d.pop("runs_removed")

        links_removed = d.pop("links_removed")

        experiment_deleted = cls(
            id=id,
            variations_removed=variations_removed,
            runs_removed=runs_removed,
            links_removed=links_removed,
        )

        experiment_deleted.additional_properties = d
        return experiment_deleted

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
