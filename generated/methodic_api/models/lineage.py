from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.experiment import Experiment


T = TypeVar("T", bound="Lineage")


@_attrs_define
class Lineage:
    """
    Attributes:
        experiment_id (str | Unset):
        ancestors (list[Experiment] | Unset):
        descendants (list[Experiment] | Unset):
    """

    experiment_id: str | Unset = UNSET
    ancestors: list[Experiment] | Unset = UNSET
    descendants: list[Experiment] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        experiment_id = self.experiment_id

        ancestors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.ancestors, Unset):
            ancestors = []
            for ancestors_item_data in self.ancestors:
                ancestors_item = ancestors_item_data.to_dict()
                ancestors.append(ancestors_item)

        descendants: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.descendants, Unset):
            descendants = []
            for descendants_item_data in self.descendants:
                descendants_item = descendants_item_data.to_dict()
                descendants.append(descendants_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if experiment_id is not UNSET:
            field_dict["experiment_id"] = experiment_id
        if ancestors is not UNSET:
            field_dict["ancestors"] = ancestors
        if descendants is not UNSET:
            field_dict["descendants"] = descendants

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.experiment import Experiment  # noqa: PLC0415

        d = dict(src_dict)
        experiment_id = d.pop("experiment_id", UNSET)

        _ancestors = d.pop("ancestors", UNSET)
        ancestors: list[Experiment] | Unset = UNSET
        if _ancestors is not UNSET:
            ancestors = []
            for ancestors_item_data in _ancestors:
                ancestors_item = Experiment.from_dict(ancestors_item_data)

                ancestors.append(ancestors_item)

        _descendants = d.pop("descendants", UNSET)
        descendants: list[Experiment] | Unset = UNSET
        if _descendants is not UNSET:
            descendants = []
            for descendants_item_data in _descendants:
                descendants_item = Experiment.from_dict(descendants_item_data)

                descendants.append(descendants_item)

        lineage = cls(
            experiment_id=experiment_id,
            ancestors=ancestors,
            descendants=descendants,
        )

        lineage.additional_properties = d
        return lineage

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
