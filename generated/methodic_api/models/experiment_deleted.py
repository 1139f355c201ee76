from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ExperimentDeleted")


@_attrs_define
class ExperimentDeleted:
    """
    Attributes:
        id (str | Unset):
        deleted (bool | Unset):
        variations_removed (int | Unset):
        runs_removed (int | Unset):
        links_removed (int | Unset):
    """

    id: str | Unset = UNSET
    deleted: bool | Unset = UNSET
    variations_removed: int | Unset = UNSET
    runs_removed: int | Unset = UNSET
    links_removed: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        deleted = self.deleted

        variations_removed = self.variations_removed

        runs_removed = self.runs_removed

        links_removed = self.links_removed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if deleted is not UNSET:
            field_dict["deleted"] = deleted
        if variations_removed is not UNSET:
            field_dict["variations_removed"] = variations_removed
        if runs_removed is not UNSET:
            field_dict["runs_removed"] = runs_removed
        if links_removed is not UNSET:
            field_dict["links_removed"] = links_removed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id", UNSET)

        deleted = d.pop("deleted", UNSET)

        variations_removed = d.pop("variations_removed", UNSET)

        runs_removed = d.pop("runs_removed", UNSET)

        links_removed = d.pop("links_removed", UNSET)

        experiment_deleted = cls(
            id=id,
            deleted=deleted,
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
