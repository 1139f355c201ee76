from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.experiment import Experiment


T = TypeVar("T", bound="ExperimentRetracted")


@_attrs_define
class ExperimentRetracted:
    """
    Attributes:
        experiment (Experiment | Unset):
        outputs_invalidated (int | Unset):
    """

    experiment: Experiment | Unset = UNSET
    outputs_invalidated: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        experiment: dict[str, Any] | Unset = UNSET
        if not isinstance(self.experiment, Unset):
            experiment = self.experiment.to_dict()

        outputs_invalidated = self.outputs_invalidated

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if experiment is not UNSET:
            field_dict["experiment"] = experiment
        if outputs_invalidated is not UNSET:
            field_dict["outputs_invalidated"] = outputs_invalidated

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.experiment import Experiment  # noqa: PLC0415

        d = dict(src_dict)
        _experiment = d.pop("experiment", UNSET)
        experiment: Experiment | Unset
        if isinstance(_experiment, Unset):
            experiment = UNSET
        else:
            experiment = Experiment.from_dict(_experiment)

        outputs_invalidated = d.pop("outputs_invalidated", UNSET)

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
