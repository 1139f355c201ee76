from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.experiment import Experiment


T = TypeVar("T", bound="ExperimentRetracted")


@_attrs_define
class ExperimentRetracted:
    """
    Attributes:
        experiment (Experiment):
        outputs_invalidated (int):
    """

    experiment: Experiment
    outputs_invalidated: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        experiment = self.experiment.to_dict()

        outputs_invalidated = self.outputs_invalidated

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "experiment": experiment,
                "outputs_invalidated": outputs_invalidated,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.experiment import Experiment  # noqa: PLC0415

        d = dict(src_dict)
        experiment = Experiment.from_dict(d.pop("experiment"))

        outputs_invalidated = d.pop("outputs_invalidated")

        experiment_retracted = cls(
            experiment=experiment,
            outputs_invalidated=outputs_invalidated,
        )

        experiment_retracted.additional_properties = d
        return experiment_retracted

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
