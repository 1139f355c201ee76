from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.variation_config_accelerate_config_json_type_0 import VariationConfigAccelerateConfigJsonType0
    from ..models.variation_config_config_json import VariationConfigConfigJson
    from ..models.variation_config_launch_config_type_0 import VariationConfigLaunchConfigType0


T = TypeVar("T", bound="VariationConfig")


@_attrs_define
class VariationConfig:
    """
    Attributes:
        experiment_id (str):
        variation (int):
        config_yaml (str):
        config_json (VariationConfigConfigJson): config_yaml parsed into JSON (empty when it is not a mapping).
        accelerate_config_json (None | VariationConfigAccelerateConfigJsonType0):
        launch_config (None | VariationConfigLaunchConfigType0):
    """

    experiment_id: str
    variation: int
    config_yaml: str
    config_json: VariationConfigConfigJson
    accelerate_config_json: None | VariationConfigAccelerateConfigJsonType0
    launch_config: None | VariationConfigLaunchConfigType0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.variation_config_accelerate_config_json_type_0 import VariationConfigAccelerateConfigJsonType0  # noqa: PLC0415
        from ..models.variation_config_launch_config_type_0 import VariationConfigLaunchConfigType0  # noqa: PLC0415

        experiment_id = self.experiment_id

        variation = self.variation

        config_yaml = self.config_yaml

        config_json = self.config_json.to_dict()

        accelerate_config_json: dict[str, Any] | None
        if isinstance(self.accelerate_config_json, VariationConfigAccelerateConfigJsonType0):
            accelerate_config_json = self.accelerate_config_json.to_dict()
        else:
            accelerate_config_json = self.accelerate_config_json

        launch_config: dict[str, Any] | None
        if isinstance(self.launch_config, VariationConfigLaunchConfigType0):
            launch_config = self.launch_config.to_dict()
        else:
            launch_config = self.launch_config

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "experiment_id": experiment_id,
                "variation": variation,
                "config_yaml": config_yaml,
                "config_json": config_json,
                "accelerate_config_json": accelerate_config_json,
                "launch_config": launch_config,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.variation_config_accelerate_config_json_type_0 import VariationConfigAccelerateConfigJsonType0  # noqa: PLC0415
        from ..models.variation_config_config_json import VariationConfigConfigJson  # noqa: PLC0415
        from ..models.variation_config_launch_config_type_0 import VariationConfigLaunchConfigType0  # noqa: PLC0415

        d = dict(src_dict)
        experiment_id = d.pop("experiment_id")

        variation = d.pop("variation")

        config_yaml = d.pop("config_yaml")

        config_json = VariationConfigConfigJson.from_dict(d.pop("config_json"))

        def _parse_accelerate_config_json(data: object) -> None | VariationConfigAccelerateConfigJsonType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                accelerate_config_json_type_0 = VariationConfigAccelerateConfigJsonType0.from_dict(data)

                return accelerate_config_json_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | VariationConfigAccelerateConfigJsonType0, data)

        accelerate_config_json = _parse_accelerate_config_json(d.pop("accelerate_config_json"))

        def _parse_launch_config(data: object) -> None | VariationConfigLaunchConfigType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                launch_config_type_0 = VariationConfigLaunchConfigType0.from_dict(data)

                return launch_config_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | VariationConfigLaunchConfigType0, data)

        launch_config = _parse_launch_config(d.pop("launch_config"))

        variation_config = cls(
            experiment_id=experiment_id,
            variation=variation,
            config_yaml=config_yaml,
            config_json=config_json,
            accelerate_config_json=accelerate_config_json,
            launch_config=launch_config,
        )

        variation_config.additional_properties = d
        return variation_config

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
