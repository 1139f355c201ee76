from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ExperimentFork")


@_attrs_define
class ExperimentFork:
    """
    Attributes:
        hypothesis_summary (str):
        rationale (str | Unset):
        config_yaml (str | Unset):
        slug (str | Unset):
        allow_retracted_parent (bool | Unset):
    """

    hypothesis_summary: str
    rationale: str | Unset = UNSET
    config_yaml: str | Unset = UNSET
    slug: str | Unset = UNSET
    allow_retracted_parent: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        hypothesis_summary = self.hypothesis_summary

        rationale = self.rationale

        config_yaml = self.config_yaml

        slug = self.slug

        allow_retracted_parent = self.allow_retracted_parent

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "hypothesis_summary": hypothesis_summary,
            }
        )
        if rationale is not UNSET:
            field_dict["rationale"] = rationale
        if config_yaml is not UNSET:
            field_dict["config_yaml"] = config_yaml
        if slug is not UNSET:
            field_dict["slug"] = slug
        if allow_retracted_parent is not UNSET:
            field_dict["allow_retracted_parent"] = allow_retracted_parent

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        hypothesis_summary = d.pop("hypothesis_summary")

        rationale = d.pop("rationale", UNSET)

        config_yaml = d.pop("config_yaml", UNSET)

        slug = d.pop("slug", UNSET)

        allow_retracted_parent = d.pop("allow_retracted_parent", UNSET)

        experiment_fork = cls(
            hypothesis_summary=hypothesis_summary,
            rationale=rationale,
            config_yaml=config_yaml,
            slug=slug,
            allow_retracted_parent=allow_retracted_parent,
        )

        experiment_fork.additional_properties = d
        return experiment_fork

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
