from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.variation_launch_config_type_0 import VariationLaunchConfigType0


T = TypeVar("T", bound="Variation")


@_attrs_define
class Variation:
    """
    Attributes:
        experiment_id (str):
        variation (int):
        name (None | str):
        description (None | str):
        hypothesis (None | str):
        expected_outcome (None | str):
        config_yaml (str):
        state (str): open or committed.
        created_at (str):
        committed_at (None | str):
        launch_config (None | VariationLaunchConfigType0):
        input_asset_ids (list[str]):
        run_count (int):
        latest_status (None | str):
        retracted_at (None | str):
        retraction_reason (None | str):
    """

    experiment_id: str
    variation: int
    name: None | str
    description: None | str
    hypothesis: None | str
    expected_outcome: None | str
    config_yaml: str
    state: str
    created_at: str
    committed_at: None | str
    launch_config: None | VariationLaunchConfigType0
    input_asset_ids: list[str]
    run_count: int
    latest_status: None | str
    retracted_at: None | str
    retraction_reason: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.variation_launch_config_type_0 import VariationLaunchConfigType0  # noqa: PLC0415

        experiment_id = self.experiment_id

        variation = self.variation

        name: None | str
        name = self.name

        description: None | str
        description = self.description

        hypothesis: None | str
        hypothesis = self.hypothesis

        expected_outcome: None | str
        expected_outcome = self.expected_outcome

        config_yaml = self.config_yaml

        state = self.state

        created_at = self.created_at

        committed_at: None | str
        committed_at = self.committed_at

        launch_config: dict[str, Any] | None
        if isinstance(self.launch_config, VariationLaunchConfigType0):
            launch_config = self.launch_config.to_dict()
        else:
            launch_config = self.launch_config

        input_asset_ids = self.input_asset_ids

        run_count = self.run_count

        latest_status: None | str
        latest_status = self.latest_status

        retracted_at: None | str
        retracted_at = self.retracted_at

        retraction_reason: None | str
        retraction_reason = self.retraction_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "experiment_id": experiment_id,
                "variation": variation,
                "name": name,
                "description": description,
                "hypothesis": hypothesis,
                "expected_outcome": expected_outcome,
                "config_yaml": config_yaml,
                "state": state,
                "created_at": created_at,
                "committed_at": committed_at,
                "launch_config": launch_config,
                "input_asset_ids": input_asset_ids,
                "run_count": run_count,
                "latest_status": latest_status,
                "retracted_at": retracted_at,
                "retraction_reason": retraction_reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.variation_launch_config_type_0 import VariationLaunchConfigType0  # noqa: PLC0415

        d = dict(src_dict)
        experiment_id = d.pop("experiment_id")

        variation = d.pop("variation")

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        def _parse_hypothesis(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        hypothesis = _parse_hypothesis(d.pop("hypothesis"))

        def _parse_expected_outcome(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        expected_outcome = _parse_expected_outcome(d.pop("expected_outcome"))

        config_yaml = d.pop("config_yaml")

        state = d.pop("state")

        created_at = d.pop("created_at")

        def _parse_committed_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        committed_at = _parse_committed_at(d.pop("committed_at"))

        def _parse_launch_config(data: object) -> None | VariationLaunchConfigType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                launch_config_type_0 = VariationLaunchConfigType0.from_dict(data)

                return launch_config_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | VariationLaunchConfigType0, data)

        launch_config = _parse_launch_config(d.pop("launch_config"))

        input_asset_ids = cast(list[str], d.pop("input_asset_ids"))

        run_count = d.pop("run_count")

        def _parse_latest_status(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        latest_status = _parse_latest_status(d.pop("latest_status"))

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

        variation = cls(
            experiment_id=experiment_id,
            variation=variation,
            name=name,
            description=description,
            hypothesis=hypothesis,
            expected_outcome=expected_outcome,
            config_yaml=config_yaml,
            state=state,
            created_at=created_at,
            committed_at=committed_at,
            launch_config=launch_config,
            input_asset_ids=input_asset_ids,
            run_count=run_count,
            latest_status=latest_status,
            retracted_at=retracted_at,
            retraction_reason=retraction_reason,
        )

        variation.additional_properties = d
        return variation

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
