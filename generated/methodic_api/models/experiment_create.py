from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.free_form import FreeForm


T = TypeVar("T", bound="ExperimentCreate")


@_attrs_define
class ExperimentCreate:
    """
    Attributes:
        hypothesis_summary (str):
        config_yaml (str | Unset): Seeds variation 0 (with a pending run 0) when given.
        title (str | Unset): Short display name; defaults to the start of hypothesis_summary.
        rationale (str | Unset):
        description (str | Unset):
        accelerate_config_yaml (str | Unset):
        launch_config (FreeForm | Unset): Server-defined free-form JSON.
        parent_experiment_ids (list[str] | Unset):
        allow_retracted_parent (bool | Unset): Accept a retracted parent (refused with 409 otherwise).
        organization_id (str | Unset): The owning organization (a scope id from /v1/me/scopes); omitted means the
            caller's personal scope.
        team_id (str | Unset):
        visibility (str | Unset): private, organization (org, team), public.
        slug (str | Unset): Ours only: the slug to use instead of one derived from the title.
        wandb_project (str | Unset): Ours only: the default W&B project of its runs.
    """

    hypothesis_summary: str
    config_yaml: str | Unset = UNSET
    title: str | Unset = UNSET
    rationale: str | Unset = UNSET
    description: str | Unset = UNSET
    accelerate_config_yaml: str | Unset = UNSET
    launch_config: FreeForm | Unset = UNSET
    parent_experiment_ids: list[str] | Unset = UNSET
    allow_retracted_parent: bool | Unset = UNSET
    organization_id: str | Unset = UNSET
    team_id: str | Unset = UNSET
    visibility: str | Unset = UNSET
    slug: str | Unset = UNSET
    wandb_project: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        hypothesis_summary = self.hypothesis_summary

        config_yaml = self.config_yaml

        title = self.title

        rationale = self.rationale

        description = self.description

        accelerate_config_yaml = self.accelerate_config_yaml

        launch_config: dict[str, Any] | Unset = UNSET
        if not isinstance(self.launch_config, Unset):
            launch_config = self.launch_config.to_dict()

        parent_experiment_ids: list[str] | Unset = UNSET
        if not isinstance(self.parent_experiment_ids, Unset):
            parent_experiment_ids = self.parent_experiment_ids

        allow_retracted_parent = self.allow_retracted_parent

        organization_id = self.organization_id

        team_id = self.team_id

        visibility = self.visibility

        slug = self.slug

        wandb_project = self.wandb_project

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "hypothesis_summary": hypothesis_summary,
            }
        )
        if config_yaml is not UNSET:
            field_dict["config_yaml"] = config_yaml
        if title is not UNSET:
            field_dict["title"] = title
        if rationale is not UNSET:
            field_dict["rationale"] = rationale
        if description is not UNSET:
            field_dict["description"] = description
        if accelerate_config_yaml is not UNSET:
            field_dict["accelerate_config_yaml"] = accelerate_config_yaml
        if launch_config is not UNSET:
            field_dict["launch_config"] = launch_config
        if parent_experiment_ids is not UNSET:
            field_dict["parent_experiment_ids"] = parent_experiment_ids
        if allow_retracted_parent is not UNSET:
            field_dict["allow_retracted_parent"] = allow_retracted_parent
        if organization_id is not UNSET:
            field_dict["organization_id"] = organization_id
        if team_id is not UNSET:
            field_dict["team_id"] = team_id
        if visibility is not UNSET:
            field_dict["visibility"] = visibility
        if slug is not UNSET:
            field_dict["slug"] = slug
        if wandb_project is not UNSET:
            field_dict["wandb_project"] = wandb_project

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.free_form import FreeForm  # noqa: PLC0415

        d = dict(src_dict)
        hypothesis_summary = d.pop("hypothesis_summary")

        config_yaml = d.pop("config_yaml", UNSET)

        title = d.pop("title", UNSET)

        rationale = d.pop("rationale", UNSET)

        description = d.pop("description", UNSET)

        accelerate_config_yaml = d.pop("accelerate_config_yaml", UNSET)

        _launch_config = d.pop("launch_config", UNSET)
        launch_config: FreeForm | Unset
        if isinstance(_launch_config, Unset):
            launch_config = UNSET
        else:
            launch_config = FreeForm.from_dict(_launch_config)

        parent_experiment_ids = cast(list[str], d.pop("parent_experiment_ids", UNSET))

        allow_retracted_parent = d.pop("allow_retracted_parent", UNSET)

        organization_id = d.pop("organization_id", UNSET)

        team_id = d.pop("team_id", UNSET)

        visibility = d.pop("visibility", UNSET)

        slug = d.pop("slug", UNSET)

        wandb_project = d.pop("wandb_project", UNSET)

        experiment_create = cls(
            hypothesis_summary=hypothesis_summary,
            config_yaml=config_yaml,
            title=title,
            rationale=rationale,
            description=description,
            accelerate_config_yaml=accelerate_config_yaml,
            launch_config=launch_config,
            parent_experiment_ids=parent_experiment_ids,
            allow_retracted_parent=allow_retracted_parent,
            organization_id=organization_id,
            team_id=team_id,
            visibility=visibility,
            slug=slug,
            wandb_project=wandb_project,
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
