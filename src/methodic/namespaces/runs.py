"""``chronicle.runs``: a run is addressed by (experiment_id, variation, run)."""

from __future__ import annotations

import builtins
from typing import Any

from methodic_api.api.runs import (
    fail_run,
    get_run_status,
    heartbeat_run,
    list_run_outputs,
    start_run,
    succeed_run,
)
from methodic_api.models.heartbeat import Heartbeat
from methodic_api.models.run_fail import RunFail
from methodic_api.models.run_start import RunStart
from methodic_api.types import UNSET, Unset

from methodic._compat import RunsAliases
from methodic._operations import wraps_operation
from methodic._transport import Transport
from methodic.namespaces._base import Namespace, opt
from methodic.namespaces.variations import VariationsNamespace
from methodic.types import AssetRecord, RunRecord


class RunsNamespace(Namespace, RunsAliases):
    """Run state transitions: pending → running → succeeded | failed_crash | failed_abandoned.

    Lifecycle calls return what the server answered (the run's record, or an empty record: the hosted
    server may answer with no body); ``get_status`` reads the state. What a variation holds (its config,
    every run's outputs) is the variations namespace's, which this one is given.
    """

    def __init__(self, transport: Transport, variations: VariationsNamespace[Any]) -> None:
        super().__init__(transport)
        self._variations = variations

    @wraps_operation("get_run_status")
    def get_status(self, experiment_id: str, variation: int, run: int) -> RunRecord:
        """The run's state (``["state"]``/``.state``) and timestamps."""
        return self._call(
            get_run_status.sync_detailed, RunRecord, experiment_id=experiment_id, variation=variation, run=run
        )

    def list(self, experiment_id: str, variation: int) -> builtins.list[RunRecord]:
        """Every run of a variation, in run-number order, each with its state.

        The hosted wire has no listing of runs, so this reads what it does have: the variation's record
        counts its runs (``run_count``; runs are numbered from 0 as the server makes them), and each run's
        status route gives its state. One request per run: fine for the few runs a variation has.
        """
        count = self._variations.get(experiment_id, variation).get("run_count") or 0
        return [
            # a status answer need not name its run: the triple asked for is known here
            RunRecord(
                {"experiment_id": experiment_id, "variation": variation, "run": run}
                | self.get_status(experiment_id, variation, run)
            )
            for run in range(int(count))
        ]

    @wraps_operation("start_run")
    def start(
        self,
        experiment_id: str,
        variation: int,
        run: int,
        *,
        wandb_run_id: str | None = None,
        wandb_entity: str | None = None,
        wandb_project: str | None = None,
        wandb_dashboard_url: str | None = None,
    ) -> RunRecord:
        """Start: pending → running. Pass no W&B fields, or at least ``wandb_run_id`` and ``wandb_entity``."""
        fields = (wandb_run_id, wandb_entity, wandb_project, wandb_dashboard_url)
        body: RunStart | Unset = UNSET
        if any(f is not None for f in fields):
            body = RunStart(
                wandb_run_id=opt(wandb_run_id),
                wandb_entity=opt(wandb_entity),
                wandb_project=opt(wandb_project),
                wandb_dashboard_url=opt(wandb_dashboard_url),
            )
        return self._call(
            start_run.sync_detailed, RunRecord, experiment_id=experiment_id, variation=variation, run=run, body=body
        )

    @wraps_operation("heartbeat_run")
    def heartbeat(self, experiment_id: str, variation: int, run: int) -> RunRecord:
        """Tell the 15-minute watchdog the run is alive (``POST /v1/heartbeat``); a lost run comes back to running."""
        body = Heartbeat(experiment_id=experiment_id, variation=variation, run=run)
        return self._call(heartbeat_run.sync_detailed, RunRecord, body=body)

    @wraps_operation("succeed_run")
    def succeed(self, experiment_id: str, variation: int, run: int) -> RunRecord:
        """Succeed: running → succeeded. ``Run.succeed()`` also waits for the run's uploads first."""
        return self._call(
            succeed_run.sync_detailed, RunRecord, experiment_id=experiment_id, variation=variation, run=run
        )

    @wraps_operation("fail_run")
    def fail(self, experiment_id: str, variation: int, run: int, *, reason: str = "crash") -> RunRecord:
        """Fail a run: ``"crash"`` for errors, ``"abandoned"`` for cancels. The reason is kept verbatim."""
        return self._call(
            fail_run.sync_detailed,
            RunRecord,
            experiment_id=experiment_id,
            variation=variation,
            run=run,
            body=RunFail(reason=reason),
        )

    @wraps_operation("list_run_outputs")
    def list_outputs(self, experiment_id: str, variation: int, run: int) -> builtins.list[AssetRecord]:
        """Outputs of one run, newest first."""
        return self._list(
            list_run_outputs.sync_detailed, AssetRecord, experiment_id=experiment_id, variation=variation, run=run
        )
