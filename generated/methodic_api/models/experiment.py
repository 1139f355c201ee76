from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.experiment_launch_config_type_0 import ExperimentLaunchConfigType0


T = TypeVar("T", bound="Experiment")


@_attrs_define
class Experiment:
    """
    Attributes:
        id (str):
        owner_subject (str | Unset): The owning principal (user sub or organization id).
        hypothesis_summary (str | Unset):
        created_at (str | Unset):
        created_by (str | Unset):
        state (str | Unset): open, committed or concluded.
        rationale (None | str | Unset):
        description (None | str | Unset):
        committed_at (None | str | Unset):
        concluded_at (None | str | Unset):
        retracted_at (None | str | Unset):
        retraction_reason (None | str | Unset):
        git_repo_state (str | Unset):
        git_repo_url (None | str | Unset):
        title (str | Unset):
        slug (str | Unset):
        config_yaml (None | str | Unset):
        accelerate_config_yaml (None | str | Unset):
        launch_config (ExperimentLaunchConfigType0 | None | Unset):
        wandb_project (None | str | Unset):
        organization_id (None | str | Unset): The owning organization; null for a personal experiment.
        team_id (None | str | Unset):
        visibility (None | str | Unset):
        depth (int | Unset): In lineage: 1 for direct parents or children.
    """

    id: str
    owner_subject: str | Unset = UNSET
    hypothesis_summary: str | Unset = UNSET
    created_at: str | Unset = UNSET
    created_by: str | Unset = UNSET
    state: str | Unset = UNSET
    rationale: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    committed_at: None | str | Unset = UNSET
    concluded_at: None | str | Unset = UNSET
    retracted_at: None | str | Unset = UNSET
    retraction_reason: None | str | Unset = UNSET
    git_repo_state: str | Unset = UNSET
    git_repo_url: None | str | Unset = UNSET
    title: str | Unset = UNSET
    slug: str | Unset = UNSET
    config_yaml: None | str | Unset = UNSET
    accelerate_config_yaml: None | str | Unset = UNSET
    launch_config: ExperimentLaunchConfigType0 | None | Unset = UNSET
    wandb_project: None | str | Unset = UNSET
    organization_id: None | str | Unset = UNSET
    team_id: None | str | Unset = UNSET
    visibility: None | str | Unset = UNSET
    depth: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.experiment_launch_config_type_0 import ExperimentLaunchConfigType0  # noqa: PLC0415

        id = self.id

        owner_subject = self.owner_subject

        hypothesis_summary = self.hypothesis_summary

        created_at = self.created_at

        created_by = self.created_by

        state = self.state

        rationale: None | str | Unset
        if isinstance(self.rationale, Unset):
            rationale = UNSET
        else:
            rationale = self.rationale

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        committed_at: None | str | Unset
        if isinstance(self.committed_at, Unset):
            committed_at = UNSET
        else:
            committed_at = self.committed_at

        concluded_at: None | str | Unset
        if isinstance(self.concluded_at, Unset):
            concluded_at = UNSET
        else:
            concluded_at = self.concluded_at

        retracted_at: None | str | Unset
        if isinstance(self.retracted_at, Unset):
            retracted_at = UNSET
        else:
            retracted_at = self.retracted_at

        retraction_reason: None | str | Unset
        if isinstance(self.retraction_reason, Unset):
            retraction_reason = UNSET
        else:
            retraction_reason = self.retraction_reason

        git_repo_state = self.git_repo_state

        git_repo_url: None | str | Unset
        if isinstance(self.git_repo_url, Unset):
            git_repo_url = UNSET
        else:
            git_repo_url = self.git_repo_url

        title = self.title

        slug = self.slug

        config_yaml: None | str | Unset
        if isinstance(self.config_yaml, Unset):
            config_yaml = UNSET
        else:
            config_yaml = self.config_yaml

        accelerate_config_yaml: None | str | Unset
        if isinstance(self.accelerate_config_yaml, Unset):
            accelerate_config_yaml = UNSET
        else:
            accelerate_config_yaml = self.accelerate_config_yaml

        launch_config: dict[str, Any] | None | Unset
        if isinstance(self.launch_config, Unset):
            launch_config = UNSET
        elif isinstance(self.launch_config, ExperimentLaunchConfigType0):
            launch_config = self.launch_config.to_dict()
        else:
            launch_config = self.launch_config

        wandb_project: None | str | Unset
        if isinstance(self.wandb_project, Unset):
            wandb_project = UNSET
        else:
            wandb_project = self.wandb_project

        organization_id: None | str | Unset
        if isinstance(self.organization_id, Unset):
            organization_id = UNSET
        else:
            organization_id = self.organization_id

        team_id: None | str | Unset
        if isinstance(self.team_id, Unset):
            team_id = UNSET
        else:
            team_id = self.team_id

        visibility: None | str | Unset
        if isinstance(self.visibility, Unset):
            visibility = UNSET
        else:
            visibility = self.visibility

        depth = self.depth

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if owner_subject is not UNSET:
            field_dict["owner_subject"] = owner_subject
        if hypothesis_summary is not UNSET:
            field_dict["hypothesis_summary"] = hypothesis_summary
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if created_by is not UNSET:
            field_dict["created_by"] = created_by
        if state is not UNSET:
            field_dict["state"] = state
        if rationale is not UNSET:
            field_dict["rationale"] = rationale
        if description is not UNSET:
            field_dict["description"] = description
        if committed_at is not UNSET:
            field_dict["committed_at"] = committed_at
        if concluded_at is not UNSET:
            field_dict["concluded_at"] = concluded_at
        if retracted_at is not UNSET:
            field_dict["retracted_at"] = retracted_at
        if retraction_reason is not UNSET:
            field_dict["retraction_reason"] = retraction_reason
        if git_repo_state is not UNSET:
            field_dict["git_repo_state"] = git_repo_state
        if git_repo_url is not UNSET:
            field_dict["git_repo_url"] = git_repo_url
        if title is not UNSET:
            field_dict["title"] = title
        if slug is not UNSET:
            field_dict["slug"] = slug
        if config_yaml is not UNSET:
            field_dict["config_yaml"] = config_yaml
        if accelerate_config_yaml is not UNSET:
            field_dict["accelerate_config_yaml"] = accelerate_config_yaml
        if launch_config is not UNSET:
            field_dict["launch_config"] = launch_config
        if wandb_project is not UNSET:
            field_dict["wandb_project"] = wandb_project
        if organization_id is not UNSET:
            field_dict["organization_id"] = organization_id
        if team_id is not UNSET:
            field_dict["team_id"] = team_id
        if visibility is not UNSET:
            field_dict["visibility"] = visibility
        if depth is not UNSET:
            field_dict["depth"] = depth

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.experiment_launch_config_type_0 import ExperimentLaunchConfigType0  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        owner_subject = d.pop("owner_subject", UNSET)

        hypothesis_summary = d.pop("hypothesis_summary", UNSET)

        created_at = d.pop("created_at", UNSET)

        created_by = d.pop("created_by", UNSET)

        state = d.pop("state", UNSET)

        def _parse_rationale(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rationale = _parse_rationale(d.pop("rationale", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_committed_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        committed_at = _parse_committed_at(d.pop("committed_at", UNSET))

        def _parse_concluded_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        concluded_at = _parse_concluded_at(d.pop("concluded_at", UNSET))

        def _parse_retracted_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        retracted_at = _parse_retracted_at(d.pop("retracted_at", UNSET))

        def _parse_retraction_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        retraction_reason = _parse_retraction_reason(d.pop("retraction_reason", UNSET))

        git_repo_state = d.pop("git_repo_state", UNSET)

        def _parse_git_repo_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        git_repo_url = _parse_git_repo_url(d.pop("git_repo_url", UNSET))

        title = d.pop("title", UNSET)

        slug = d.pop("slug", UNSET)

        def _parse_config_yaml(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        config_yaml = _parse_config_yaml(d.pop("config_yaml", UNSET))

        def _parse_accelerate_config_yaml(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        accelerate_config_yaml = _parse_accelerate_config_yaml(d.pop("accelerate_config_yaml", UNSET))

        def _parse_launch_config(data: object) -> ExperimentLaunchConfigType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                launch_config_type_0 = ExperimentLaunchConfigType0.from_dict(data)

                return launch_config_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExperimentLaunchConfigType0 | None | Unset, data)

        launch_config = _parse_launch_config(d.pop("launch_config", UNSET))

        def _parse_wandb_project(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        wandb_project = _parse_wandb_project(d.pop("wandb_project", UNSET))

        def _parse_organization_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        organization_id = _parse_organization_id(d.pop("organization_id", UNSET))

        def _parse_team_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        team_id = _parse_team_id(d.pop("team_id", UNSET))

        def _parse_visibility(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        visibility = _parse_visibility(d.pop("visibility", UNSET))

        depth = d.pop("depth", UNSET)

        experiment = cls(
            id=id,
            owner_subject=owner_subject,
            hypothesis_summary=hypothesis_summary,
            created_at=created_at,
            created_by=created_by,
            state=state,
            rationale=rationale,
            description=description,
            committed_at=committed_at,
            concluded_at=concluded_at,
            retracted_at=retracted_at,
            retraction_reason=retraction_reason,
            git_repo_state=git_repo_state,
            git_repo_url=git_repo_url,
            title=title,
            slug=slug,
            config_yaml=config_yaml,
            accelerate_config_yaml=accelerate_config_yaml,
            launch_config=launch_config,
            wandb_project=wandb_project,
            organization_id=organization_id,
            team_id=team_id,
            visibility=visibility,
            depth=depth,
        )

        experiment.additional_properties = d
        return experiment

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
