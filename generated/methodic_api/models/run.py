from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Run")


@_attrs_define
class Run:
    """
    Attributes:
        experiment_id (str | Unset):
        variation (int | Unset):
        run (int | Unset):
        state (str | Unset): pending, running, succeeded, failed_crash, failed_abandoned, lost or failed_lost.
        created_at (str | Unset):
        started_at (None | str | Unset):
        finished_at (None | str | Unset):
        last_heartbeat_at (None | str | Unset):
        failure_reason (None | str | Unset):
        wandb_run_id (None | str | Unset):
        wandb_entity (None | str | Unset):
        wandb_project (None | str | Unset):
        wandb_dashboard_url (None | str | Unset):
    """

    experiment_id: str | Unset = UNSET
    variation: int | Unset = UNSET
    run: int | Unset = UNSET
    state: str | Unset = UNSET
    created_at: str | Unset = UNSET
    started_at: None | str | Unset = UNSET
    finished_at: None | str | Unset = UNSET
    last_heartbeat_at: None | str | Unset = UNSET
    failure_reason: None | str | Unset = UNSET
    wandb_run_id: None | str | Unset = UNSET
    wandb_entity: None | str | Unset = UNSET
    wandb_project: None | str | Unset = UNSET
    wandb_dashboard_url: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        experiment_id = self.experiment_id

        variation = self.variation

        run = self.run

        state = self.state

        created_at = self.created_at

        started_at: None | str | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        else:
            started_at = self.started_at

        finished_at: None | str | Unset
        if isinstance(self.finished_at, Unset):
            finished_at = UNSET
        else:
            finished_at = self.finished_at

        last_heartbeat_at: None | str | Unset
        if isinstance(self.last_heartbeat_at, Unset):
            last_heartbeat_at = UNSET
        else:
            last_heartbeat_at = self.last_heartbeat_at

        failure_reason: None | str | Unset
        if isinstance(self.failure_reason, Unset):
            failure_reason = UNSET
        else:
            failure_reason = self.failure_reason

        wandb_run_id: None | str | Unset
        if isinstance(self.wandb_run_id, Unset):
            wandb_run_id = UNSET
        else:
            wandb_run_id = self.wandb_run_id

        wandb_entity: None | str | Unset
        if isinstance(self.wandb_entity, Unset):
            wandb_entity = UNSET
        else:
            wandb_entity = self.wandb_entity

        wandb_project: None | str | Unset
        if isinstance(self.wandb_project, Unset):
            wandb_project = UNSET
        else:
            wandb_project = self.wandb_project

        wandb_dashboard_url: None | str | Unset
        if isinstance(self.wandb_dashboard_url, Unset):
            wandb_dashboard_url = UNSET
        else:
            wandb_dashboard_url = self.wandb_dashboard_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if experiment_id is not UNSET:
            field_dict["experiment_id"] = experiment_id
        if variation is not UNSET:
            field_dict["variation"] = variation
        if run is not UNSET:
            field_dict["run"] = run
        if state is not UNSET:
            field_dict["state"] = state
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if finished_at is not UNSET:
            field_dict["finished_at"] = finished_at
        if last_heartbeat_at is not UNSET:
            field_dict["last_heartbeat_at"] = last_heartbeat_at
        if failure_reason is not UNSET:
            field_dict["failure_reason"] = failure_reason
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
        experiment_id = d.pop("experiment_id", UNSET)

        variation = d.pop("variation", UNSET)

        run = d.pop("run", UNSET)

        state = d.pop("state", UNSET)

        created_at = d.pop("created_at", UNSET)

        def _parse_started_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        started_at = _parse_started_at(d.pop("started_at", UNSET))

        def _parse_finished_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        finished_at = _parse_finished_at(d.pop("finished_at", UNSET))

        def _parse_last_heartbeat_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_heartbeat_at = _parse_last_heartbeat_at(d.pop("last_heartbeat_at", UNSET))

        def _parse_failure_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        failure_reason = _parse_failure_reason(d.pop("failure_reason", UNSET))

        def _parse_wandb_run_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        wandb_run_id = _parse_wandb_run_id(d.pop("wandb_run_id", UNSET))

        def _parse_wandb_entity(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        wandb_entity = _parse_wandb_entity(d.pop("wandb_entity", UNSET))

        def _parse_wandb_project(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        wandb_project = _parse_wandb_project(d.pop("wandb_project", UNSET))

        def _parse_wandb_dashboard_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        wandb_dashboard_url = _parse_wandb_dashboard_url(d.pop("wandb_dashboard_url", UNSET))

        run = cls(
            experiment_id=experiment_id,
            variation=variation,
            run=run,
            state=state,
            created_at=created_at,
            started_at=started_at,
            finished_at=finished_at,
            last_heartbeat_at=last_heartbeat_at,
            failure_reason=failure_reason,
            wandb_run_id=wandb_run_id,
            wandb_entity=wandb_entity,
            wandb_project=wandb_project,
            wandb_dashboard_url=wandb_dashboard_url,
        )

        run.additional_properties = d
        return run

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
