from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.experiment import Experiment
    from ..models.variation_summary import VariationSummary


T = TypeVar("T", bound="ExperimentCreated")


@_attrs_define
class ExperimentCreated:
    """What create answers: the detail plus the parents that were still open (resolved at commit).

    Attributes:
        experiment (Experiment):
        variations (list[VariationSummary]):
        tentative_parents (list[str]):
    """

    experiment: Experiment
    variations: list[VariationSummary]
    tentative_parents: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        experiment = self.experiment.to_dict()

        variations = []
        for variations_item_data in self.variations:
            variations_item = variations_item_data.to_dict()
            variations.append(variations_item)

        tentative_parents = self.tentative_parents

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "experiment": experiment,
                "variations": variations,
                "tentative_parents": tentative_parents,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.experiment import Experiment  # noqa: PLC0415
        from ..models.variation_summary import VariationSummary  # noqa: PLC0415

        d = dict(src_dict)
        experiment = Experiment.from_dict(d.pop("experiment"))

        variations = []
        _variations = d.pop("variations")
        for variations_item_data in _variations:
            variations_item = VariationSummary.from_dict(variations_item_data)

            variations.append(variations_item)

        tentative_parents = cast(list[str], d.pop("tentative_parents"))

        experiment_created = cls(
            experiment=experiment,
            variations=variations,
            tentative_parents=tentative_parents,
        )

        experiment_created.additional_properties = d
        return experiment_created

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
