from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Run")


@_attrs_define
class Run:
    """
    Attributes:
        experiment_id (str):
        variation (int):
        run (int):
        state (str): pending, running, succeeded, failed_crash, failed_abandoned, lost or failed_lost.
        created_at (str):
        started_at (None | str):
        finished_at (None | str):
        last_heartbeat_at (None | str):
        failure_reason (None | str):
        wandb_run_id (None | str):
        wandb_entity (None | str):
        wandb_project (None | str):
        wandb_dashboard_url (None | str):
    """

    experiment_id: str
    variation: int
    run: int
    state: str
    created_at: str
    started_at: None | str
    finished_at: None | str
    last_heartbeat_at: None | str
    failure_reason: None | str
    wandb_run_id: None | str
    wandb_entity: None | str
    wandb_project: None | str
    wandb_dashboard_url: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        experiment_id = self.experiment_id

        variation = self.variation

        run = self.run

        state = self.state

        created_at = self.created_at

        started_at: None | str
        started_at = self.started_at

        finished_at: None | str
        finished_at = self.finished_at

        last_heartbeat_at: None | str
        last_heartbeat_at = self.last_heartbeat_at

        failure_reason: None | str
        failure_reason = self.failure_reason

        wandb_run_id: None | str
        wandb_run_id = self.wandb_run_id

        wandb_entity: None | str
        wandb_entity = self.wandb_entity

        wandb_project: None | str
        wandb_project = self.wandb_project

        wandb_dashboard_url: None | str
        wandb_dashboard_url = self.wandb_dashboard_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "experiment_id": experiment_id,
                "variation": variation,
                "run": run,
                "state": state,
                "created_at": created_at,
                "started_at": started_at,
                "finished_at": finished_at,
                "last_heartbeat_at": last_heartbeat_at,
                "failure_reason": failure_reason,
                "wandb_run_id": wandb_run_id,
                "wandb_entity": wandb_entity,
                "wandb_project": wandb_project,
                "wandb_dashboard_url": wandb_dashboard_url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        experiment_id = d.pop("experiment_id")

        variation = d.pop("variation")

        run = d.pop("run")

        state = d.pop("state")

        created_at = d.pop("created_at")

        def _parse_started_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        started_at = _parse_started_at(d.pop("started_at"))

        def _parse_finished_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        def _parse_last_heartbeat_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_heartbeat_at = _parse_last_heartbeat_at(d.pop("last_heartbeat_at"))

        def _parse_failure_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        failure_reason = _parse_failure_reason(d.pop("failure_reason"))

        def _parse_wandb_run_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        wandb_run_id = _parse_wandb_run_id(d.pop("wandb_run_id"))

        def _parse_wandb_entity(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        wandb_entity = _parse_wandb_entity(d.pop("wandb_entity"))

        def _parse_wandb_project(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        wandb_project = _parse_wandb_project(d.pop("wandb_project"))

        def _parse_wandb_dashboard_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        wandb_dashboard_url = _parse_wandb_dashboard_url(d.pop("wandb_dashboard_url"))

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
