from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Experiment")


@_attrs_define
class Experiment:
    """
    Attributes:
        id (str):
        title (str):
        hypothesis_summary (str):
        state (str): open, committed or concluded.
        slug (str):
        rationale (None | str):
        description (None | str):
        config_yaml (None | str):
        wandb_project (None | str):
        parent_experiment_ids (list[str]):
        tentative_parents (list[str]): Parents that were still open; resolved at commit.
        created_at (str):
        created_by (str):
        committed_at (None | str):
        concluded_at (None | str):
        retracted (bool):
        retracted_at (None | str):
        retraction_reason (None | str):
        organization_id (None | str): The owning organization; null for a personal experiment.
    """

    id: str
    title: str
    hypothesis_summary: str
    state: str
    slug: str
    rationale: None | str
    description: None | str
    config_yaml: None | str
    wandb_project: None | str
    parent_experiment_ids: list[str]
    tentative_parents: list[str]
    created_at: str
    created_by: str
    committed_at: None | str
    concluded_at: None | str
    retracted: bool
    retracted_at: None | str
    retraction_reason: None | str
    organization_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        title = self.title

        hypothesis_summary = self.hypothesis_summary

        state = self.state

        slug = self.slug

        rationale: None | str
        rationale = self.rationale

        description: None | str
        description = self.description

        config_yaml: None | str
        config_yaml = self.config_yaml

        wandb_project: None | str
        wandb_project = self.wandb_project

        parent_experiment_ids = self.parent_experiment_ids

        tentative_parents = self.tentative_parents

        created_at = self.created_at

        created_by = self.created_by

        committed_at: None | str
        committed_at = self.committed_at

        concluded_at: None | str
        concluded_at = self.concluded_at

        retracted = self.retracted

        retracted_at: None | str
        retracted_at = self.retracted_at

        retraction_reason: None | str
        retraction_reason = self.retraction_reason

        organization_id: None | str
        organization_id = self.organization_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "title": title,
                "hypothesis_summary": hypothesis_summary,
                "state": state,
                "slug": slug,
                "rationale": rationale,
                "description": description,
                "config_yaml": config_yaml,
                "wandb_project": wandb_project,
                "parent_experiment_ids": parent_experiment_ids,
                "tentative_parents": tentative_parents,
                "created_at": created_at,
                "created_by": created_by,
                "committed_at": committed_at,
                "concluded_at": concluded_at,
                "retracted": retracted,
                "retracted_at": retracted_at,
                "retraction_reason": retraction_reason,
                "organization_id": organization_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        title = d.pop("title")

        hypothesis_summary = d.pop("hypothesis_summary")

        state = d.pop("state")

        slug = d.pop("slug")

        def _parse_rationale(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        rationale = _parse_rationale(d.pop("rationale"))

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        def _parse_config_yaml(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        config_yaml = _parse_config_yaml(d.pop("config_yaml"))

        def _parse_wandb_project(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        wandb_project = _parse_wandb_project(d.pop("wandb_project"))

        parent_experiment_ids = cast(list[str], d.pop("parent_experiment_ids"))

        tentative_parents = cast(list[str], d.pop("tentative_parents"))

        created_at = d.pop("created_at")

        created_by = d.pop("created_by")

        def _parse_committed_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        committed_at = _parse_committed_at(d.pop("committed_at"))

        def _parse_concluded_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        concluded_at = _parse_concluded_at(d.pop("concluded_at"))

        retracted = d.pop("retracted")

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

        def _parse_organization_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        organization_id = _parse_organization_id(d.pop("organization_id"))

        experiment = cls(
            id=id,
            title=title,
            hypothesis_summary=hypothesis_summary,
            state=state,
            slug=slug,
            rationale=rationale,
            description=description,
            config_yaml=config_yaml,
            wandb_project=wandb_project,
            parent_experiment_ids=parent_experiment_ids,
            tentative_parents=tentative_parents,
            created_at=created_at,
            created_by=created_by,
            committed_at=committed_at,
            concluded_at=concluded_at,
            retracted=retracted,
            retracted_at=retracted_at,
            retraction_reason=retraction_reason,
            organization_id=organization_id,
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
