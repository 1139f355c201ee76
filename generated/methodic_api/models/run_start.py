from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RunStart")


@_attrs_define
class RunStart:
    """
    Attributes:
        wandb_run_id (str | Unset):
        wandb_entity (str | Unset):
        wandb_project (str | Unset):
        wandb_dashboard_url (str | Unset):
    """

    wandb_run_id: str | Unset = UNSET
    wandb_entity: str | Unset = UNSET
    wandb_project: str | Unset = UNSET
    wandb_dashboard_url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        wandb_run_id = self.wandb_run_id

        wandb_entity = self.wandb_entity

        wandb_project = self.wandb_project

        wandb_dashboard_url = self.wandb_dashboard_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if wandb_run_id is not UNSET:
            field_dict["wandb_run_id"] = wandb_run_id
        if wandb_entity is not UNSET:
            field_dict["wandb_entity"] = wandb_entity
        if wandb_project is not UNSET:
            field_dict["wandb_project"] = wandb_project
        if wandb_dashboard_url is not UNSET:
            field_dict["wandb_dashboard_url"] = wandb_dashboard_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        wandb_run_id = d.pop("wandb_run_id", UNSET)

        wandb_entity = d.pop("wandb_entity", UNSET)

        wandb_project = d.pop("wandb_project", UNSET)

        wandb_dashboard_url = d.pop("wandb_dashboard_url", UNSET)

        run_start = cls(
            wandb_run_id=wandb_run_id,
            wandb_entity=wandb_entity,
            wandb_project=wandb_project,
            wandb_dashboard_url=wandb_dashboard_url,
        )

        run_start.additional_properties = d
        return run_start

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
