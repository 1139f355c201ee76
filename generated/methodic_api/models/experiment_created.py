from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.experiment import Experiment
    from ..models.tentative_parent import TentativeParent


T = TypeVar("T", bound="ExperimentCreated")


@_attrs_define
class ExperimentCreated:
    """
    Attributes:
        experiment_id (str):
        variation (int | None | Unset): The seeded variation (0), or null without config_yaml.
        run (int | None | Unset): The seeded run (0), or null without config_yaml.
        tentative_parents (list[TentativeParent] | Unset):
        experiment (Experiment | Unset):
    """

    experiment_id: str
    variation: int | None | Unset = UNSET
    run: int | None | Unset = UNSET
    tentative_parents: list[TentativeParent] | Unset = UNSET
    experiment: Experiment | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        experiment_id = self.experiment_id

        variation: int | None | Unset
        if isinstance(self.variation, Unset):
            variation = UNSET
        else:
            variation = self.variation

        run: int | None | Unset
        if isinstance(self.run, Unset):
            run = UNSET
        else:
            run = self.run

        tentative_parents: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tentative_parents, Unset):
            tentative_parents = []
            for tentative_parents_item_data in self.tentative_parents:
                tentative_parents_item = tentative_parents_item_data.to_dict()
                tentative_parents.append(tentative_parents_item)

        experiment: dict[str, Any] | Unset = UNSET
        if not isinstance(self.experiment, Unset):
            experiment = self.experiment.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "experiment_id": experiment_id,
            }
        )
        if variation is not UNSET:
            field_dict["variation"] = variation
        if run is not UNSET:
            field_dict["run"] = run
        if tentative_parents is not UNSET:
            field_dict["tentative_parents"] = tentative_parents
        if experiment is not UNSET:
            field_dict["experiment"] = experiment

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.experiment import Experiment  # noqa: PLC0415
        from ..models.tentative_parent import TentativeParent  # noqa: PLC0415

        d = dict(src_dict)
        experiment_id = d.pop("experiment_id")

        def _parse_variation(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        variation = _parse_variation(d.pop("variation", UNSET))

        def _parse_run(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        run = _parse_run(d.pop("run", UNSET))

        _tentative_parents = d.pop("tentative_parents", UNSET)
        tentative_parents: list[TentativeParent] | Unset = UNSET
        if _tentative_parents is not UNSET:
            tentative_parents = []
            for tentative_parents_item_data in _tentative_parents:
                tentative_parents_item = TentativeParent.from_dict(tentative_parents_item_data)

                tentative_parents.append(tentative_parents_item)

        _experiment = d.pop("experiment", UNSET)
        experiment: Experiment | Unset
        if isinstance(_experiment, Unset):
            experiment = UNSET
        else:
            experiment = Experiment.from_dict(_experiment)

        experiment_created = cls(
            experiment_id=experiment_id,
            variation=variation,
            run=run,
            tentative_parents=tentative_parents,
            experiment=experiment,
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
