from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TentativeLink")


@_attrs_define
class TentativeLink:
    """
    Attributes:
        parent_experiment_id (str):
        parent_title (str):
        parent_state (str):
        promotable (bool): Whether "promote" is accepted at commit (false for a retracted parent).
    """

    parent_experiment_id: str
    parent_title: str
    parent_state: str
    promotable: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        parent_experiment_id = self.parent_experiment_id

        parent_title = self.parent_title

        parent_state = self.parent_state

        promotable = self.promotable

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "parent_experiment_id": parent_experiment_id,
                "parent_title": parent_title,
                "parent_state": parent_state,
                "promotable": promotable,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        parent_experiment_id = d.pop("parent_experiment_id")

        parent_title = d.pop("parent_title")

        parent_state = d.pop("parent_state")

        promotable = d.pop("promotable")

        tentative_link = cls(
            parent_experiment_id=parent_experiment_id,
            parent_title=parent_title,
            parent_state=parent_state,
            promotable=promotable,
        )

        tentative_link.additional_properties = d
        return tentative_link

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
