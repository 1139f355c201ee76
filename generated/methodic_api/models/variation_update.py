from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.free_form import FreeForm


T = TypeVar("T", bound="VariationUpdate")


@_attrs_define
class VariationUpdate:
    """
    Attributes:
        name (str | Unset):
        description (str | Unset):
        hypothesis (str | Unset):
        expected_outcome (str | Unset):
        config_yaml (str | Unset):
        launch_config (FreeForm | Unset): Server-defined free-form JSON.
    """

    name: str | Unset = UNSET
    description: str | Unset = UNSET
    hypothesis: str | Unset = UNSET
    expected_outcome: str | Unset = UNSET
    config_yaml: str | Unset = UNSET
    launch_config: FreeForm | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        description = self.description

        hypothesis = self.hypothesis

        expected_outcome = self.expected_outcome

        config_yaml = self.config_yaml

        launch_config: dict[str, Any] | Unset = UNSET
        if not isinstance(self.launch_config, Unset):
            launch_config = self.launch_config.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if hypothesis is not UNSET:
            field_dict["hypothesis"] = hypothesis
        if expected_outcome is not UNSET:
            field_dict["expected_outcome"] = expected_outcome
        if config_yaml is not UNSET:
            field_dict["config_yaml"] = config_yaml
        if launch_config is not UNSET:
            field_dict["launch_config"] = launch_config

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.free_form import FreeForm  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name", UNSET)

        description = d.pop("description", UNSET)

        hypothesis = d.pop("hypothesis", UNSET)

        expected_outcome = d.pop("expected_outcome", UNSET)

        config_yaml = d.pop("config_yaml", UNSET)

        _launch_config = d.pop("launch_config", UNSET)
        launch_config: FreeForm | Unset
        if isinstance(_launch_config, Unset):
            launch_config = UNSET
        else:
            launch_config = FreeForm.from_dict(_launch_config)

        variation_update = cls(
            name=name,
            description=description,
            hypothesis=hypothesis,
            expected_outcome=expected_outcome,
            config_yaml=config_yaml,
            launch_config=launch_config,
        )

        variation_update.additional_properties = d
        return variation_update

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
