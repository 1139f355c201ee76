from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.experiment import Experiment
    from ..models.variation_summary import VariationSummary


T = TypeVar("T", bound="ExperimentDetail")


@_attrs_define
class ExperimentDetail:
    """
    Attributes:
        experiment (Experiment):
        parent_ids (list[str] | Unset): Explicit parents (tentative ones are not lineage yet).
        variations (list[VariationSummary] | Unset):
    """

    experiment: Experiment
    parent_ids: list[str] | Unset = UNSET
    variations: list[VariationSummary] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        experiment = self.experiment.to_dict()

        parent_ids: list[str] | Unset = UNSET
        if not isinstance(self.parent_ids, Unset):
            parent_ids = self.parent_ids

        variations: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.variations, Unset):
            variations = []
            for variations_item_data in self.variations:
                variations_item = variations_item_data.to_dict()
                variations.append(variations_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "experiment": experiment,
            }
        )
        if parent_ids is not UNSET:
            field_dict["parent_ids"] = parent_ids
        if variations is not UNSET:
            field_dict["variations"] = variations

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.experiment import Experiment  # noqa: PLC0415
        from ..models.variation_summary import VariationSummary  # noqa: PLC0415

        d = dict(src_dict)
        experiment = Experiment.from_dict(d.pop("experiment"))

        parent_ids = cast(list[str], d.pop("parent_ids", UNSET))

        _variations = d.pop("variations", UNSET)
        variations: list[VariationSummary] | Unset = UNSET
        if _variations is not UNSET:
            variations = []
            for variations_item_data in _variations:
                variations_item = VariationSummary.from_dict(variations_item_data)

                variations.append(variations_item)

        experiment_detail = cls(
            experiment=experiment,
            parent_ids=parent_ids,
            variations=variations,
        )

        experiment_detail.additional_properties = d
        return experiment_detail

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
