from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.free_form import FreeForm


T = TypeVar("T", bound="VariationCreate")


@_attrs_define
class VariationCreate:
    """
    Attributes:
        config_yaml (str):
        accelerate_config_yaml (str | Unset):
        launch_config (FreeForm | Unset): Server-defined free-form JSON.
        description (str | Unset):
        input_asset_ids (list[str] | Unset):
        git_ref (str | Unset):
        name (str | Unset):
        hypothesis (str | Unset):
        expected_outcome (str | Unset):
    """

    config_yaml: str
    accelerate_config_yaml: str | Unset = UNSET
    launch_config: FreeForm | Unset = UNSET
    description: str | Unset = UNSET
    input_asset_ids: list[str] | Unset = UNSET
    git_ref: str | Unset = UNSET
    name: str | Unset = UNSET
    hypothesis: str | Unset = UNSET
    expected_outcome: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        config_yaml = self.config_yaml

        accelerate_config_yaml = self.accelerate_config_yaml

        launch_config: dict[str, Any] | Unset = UNSET
        if not isinstance(self.launch_config, Unset):
            launch_config = self.launch_config.to_dict()

        description = self.description

        input_asset_ids: list[str] | Unset = UNSET
        if not isinstance(self.input_asset_ids, Unset):
            input_asset_ids = self.input_asset_ids

        git_ref = self.git_ref

        name = self.name

        hypothesis = self.hypothesis

        expected_outcome = self.expected_outcome

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "config_yaml": config_yaml,
            }
        )
        if accelerate_config_yaml is not UNSET:
            field_dict["accelerate_config_yaml"] = accelerate_config_yaml
        if launch_config is not UNSET:
            field_dict["launch_config"] = launch_config
        if description is not UNSET:
            field_dict["description"] = description
        if input_asset_ids is not UNSET:
            field_dict["input_asset_ids"] = input_asset_ids
        if git_ref is not UNSET:
            field_dict["git_ref"] = git_ref
        if name is not UNSET:
            field_dict["name"] = name
        if hypothesis is not UNSET:
            field_dict["hypothesis"] = hypothesis
        if expected_outcome is not UNSET:
            field_dict["expected_outcome"] = expected_outcome

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.free_form import FreeForm  # noqa: PLC0415

        d = dict(src_dict)
        config_yaml = d.pop("config_yaml")

        accelerate_config_yaml = d.pop("accelerate_config_yaml", UNSET)

        _launch_config = d.pop("launch_config", UNSET)
        launch_config: FreeForm | Unset
        if isinstance(_launch_config, Unset):
            launch_config = UNSET
        else:
            launch_config = FreeForm.from_dict(_launch_config)

        description = d.pop("description", UNSET)

        input_asset_ids = cast(list[str], d.pop("input_asset_ids", UNSET))

        git_ref = d.pop("git_ref", UNSET)

        name = d.pop("name", UNSET)

        hypothesis = d.pop("hypothesis", UNSET)

        expected_outcome = d.pop("expected_outcome", UNSET)

        variation_create = cls(
            config_yaml=config_yaml,
            accelerate_config_yaml=accelerate_config_yaml,
            launch_config=launch_config,
            description=description,
            input_asset_ids=input_asset_ids,
            git_ref=git_ref,
            name=name,
            hypothesis=hypothesis,
            expected_outcome=expected_outcome,
        )

        variation_create.additional_properties = d
        return variation_create

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
