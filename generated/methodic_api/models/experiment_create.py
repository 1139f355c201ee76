from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ExperimentCreate")


@_attrs_define
class ExperimentCreate:
    """
    Attributes:
        hypothesis_summary (str):
        title (str | Unset): Short display name; defaults to the start of hypothesis_summary.
        config_yaml (str | Unset): Seeds variation 0 when given.
        rationale (str | Unset):
        description (str | Unset):
        parent_experiment_ids (list[str] | Unset):
        wandb_project (str | Unset):
        slug (str | Unset):
        organization_id (str | Unset): The owning organization (a scope id from /v1/me/scopes); omitted means the
            caller's personal scope.
    """

    hypothesis_summary: str
    title: str | Unset = UNSET
    config_yaml: str | Unset = UNSET
    rationale: str | Unset = UNSET
    description: str | Unset = UNSET
    parent_experiment_ids: list[str] | Unset = UNSET
    wandb_project: str | Unset = UNSET
    slug: str | Unset = UNSET
    organization_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        hypothesis_summary = self.hypothesis_summary

        title = self.title

        config_yaml = self.config_yaml

        rationale = self.rationale

        description = self.description

        parent_experiment_ids: list[str] | Unset = UNSET
        if not isinstance(self.parent_experiment_ids, Unset):
            parent_experiment_ids = self.parent_experiment_ids

        wandb_project = self.wandb_project

        slug = self.slug

        organization_id = self.organization_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "hypothesis_summary": hypothesis_summary,
            }
        )
        if title is not UNSET:
            field_dict["title"] = title
        if config_yaml is not UNSET:
            field_dict["config_yaml"] = config_yaml
        if rationale is not UNSET:
            field_dict["rationale"] = rationale
        if description is not UNSET:
            field_dict["description"] = description
        if parent_experiment_ids is not UNSET:
            field_dict["parent_experiment_ids"] = parent_experiment_ids
        if wandb_project is not UNSET:
            field_dict["wandb_project"] = wandb_project
        if slug is not UNSET:
            field_dict["slug"] = slug
        if organization_id is not UNSET:
            field_dict["organization_id"] = organization_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        hypothesis_summary = d.pop("hypothesis_summary")

        title = d.pop("title", UNSET)

        config_yaml = d.pop("config_yaml", UNSET)

        rationale = d.pop("rationale", UNSET)

        description = d.pop("description", UNSET)

        parent_experiment_ids = cast(list[str], d.pop("parent_experiment_ids", UNSET))

        wandb_project = d.pop("wandb_project", UNSET)

        slug = d.pop("slug", UNSET)

        organization_id = d.pop("organization_id", UNSET)

        experiment_create = cls(
            hypothesis_summary=hypothesis_summary,
            title=title,
            config_yaml=config_yaml,
            rationale=rationale,
            description=description,
            parent_experiment_ids=parent_experiment_ids,
            wandb_project=wandb_project,
            slug=slug,
            organization_id=organization_id,
        )

        experiment_create.additional_properties = d
        return experiment_create

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
