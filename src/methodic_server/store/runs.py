"""Runs: pending → running → succeeded | failed_crash | failed_abandoned; the watchdog adds lost / failed_lost."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from methodic_contract import TERMINAL_RUN_STATES
from methodic_server.errors import bad_request, conflict, not_found
from methodic_server.store.documents import now_iso, parse_iso

if TYPE_CHECKING:
    from methodic_server.store import Store


class Runs:
    """Run records, keyed ``<experiment_id>/<variation>/<run>``."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.docs = store.docs

    def new(self, experiment_id: str, variation: int, number: int) -> dict[str, Any]:
        """Store a pending run (the caller holds the transaction)."""
        run = {
            "experiment_id": experiment_id,
            "variation": variation,
            "run": number,
            "state": "pending",
            "created_at": now_iso(),
            "started_at": None,
            "finished_at": None,
            "last_heartbeat_at": None,
            "failure_reason": None,
            "wandb_run_id": None,
            "wandb_entity": None,
            "wandb_project": None,
            "wandb_dashboard_url": None,
        }
        return self.docs.put("run", f"{experiment_id}/{variation}/{number}", run)

    def refresh(self, run: dict[str, Any]) -> dict[str, Any]:
        """Apply the watchdog: running → lost after the heartbeat timeout; lost → failed_lost after the lost timeout."""
        if run["state"] not in ("running", "lost"):
            return run
        last = parse_iso(run["last_heartbeat_at"] or run["started_at"] or run["created_at"])
        silent = time.time() - last
        state = run["state"]
        if silent >= self.store.heartbeat_timeout + self.store.lost_timeout:
            run.update(state="failed_lost", finished_at=now_iso(), failure_reason="lost: no heartbeat")
            self._abandon_pending_outputs(run)
        elif silent >= self.store.heartbeat_timeout:
            run["state"] = "lost"
        if run["state"] != state:
            key = f"{run['experiment_id']}/{run['variation']}/{run['run']}"
            self.docs.put("run", key, run)
            self.store.events.record(
                "run.failed" if run["state"] == "failed_lost" else "run.lost",
                "run.watchdog",
                "run",
                key,
                experiment_id=run["experiment_id"],
                severity="error" if run["state"] == "failed_lost" else "warning",
                payload={"variation": run["variation"], "run": run["run"], "status": run["state"]},
                actor="system",  # the heartbeat watchdog, even when a caller's read is what applied it
            )
        return run

    def sweep(self) -> None:
        """The watchdog's periodic pass over live runs."""
        with self.docs.transaction():
            for run in self.docs.all("run"):
                self.refresh(run)

    def get(self, experiment_id: str, variation: int, number: int) -> dict[str, Any]:
        """The run record (watchdog applied), or 404."""
        run = self.docs.get("run", f"{experiment_id}/{variation}/{number}")
        if run is None:
            self.store.variations.get(experiment_id, variation)
            raise not_found(f"run {number} of variation {variation} not found")
        return self.refresh(run)

    def transition(
        self, experiment_id: str, variation: int, number: int, action: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        """start, heartbeat, succeed or fail a run."""
        with self.docs.transaction():
            run = self.get(experiment_id, variation, number)
            key = f"{experiment_id}/{variation}/{number}"
            state = run["state"]
            if state in TERMINAL_RUN_STATES:
                raise conflict(f"run is {state} (terminal); it cannot {action}")
            stamp = now_iso()
            if action == "start":
                if state != "pending":
                    raise conflict(f"run is {state}; only a pending run can start")
                self._check_committed(experiment_id, variation)
                self._start(run, body)
                run.update(state="running", started_at=stamp, last_heartbeat_at=stamp)
            elif action == "heartbeat":
                if state == "pending":
                    raise conflict("run has not started; call start first")
                run.update(state="running", last_heartbeat_at=stamp)
            elif action == "succeed":
                if state not in ("running", "lost"):
                    raise conflict(f"run is {state}; only a running run can succeed")
                run.update(state="succeeded", finished_at=stamp)
            else:
                reason = body["reason"]
                abandoned = reason.strip().lower().startswith("abandoned")
                run.update(
                    state="failed_abandoned" if abandoned else "failed_crash", finished_at=stamp, failure_reason=reason
                )
                self._abandon_pending_outputs(run)
            if action != "heartbeat":
                failed = run["state"].startswith("failed")
                self.store.events.record(
                    "run.failed" if failed else f"run.{run['state']}",
                    f"run.{action}",
                    "run",
                    key,
                    experiment_id=experiment_id,
                    severity="error" if failed else "info",
                    payload={"variation": variation, "run": number, "status": run["state"]},
                )
            return self.docs.put("run", key, run)

    def _check_committed(self, experiment_id: str, variation: int) -> None:
        """A run starts only once its experiment and variation are committed (their config frozen)."""
        experiment = self.docs.get("experiment", experiment_id) or {}
        var = self.docs.get("variation", f"{experiment_id}/{variation}") or {}
        if experiment.get("state") == "open" or var.get("state") == "open":
            which = "experiment" if experiment.get("state") == "open" else "variation"
            raise conflict(
                f"the {which} is not committed yet; commit it before starting its runs", code="not_committed"
            )

    def _start(self, run: dict[str, Any], body: dict[str, Any]) -> None:
        wandb = {k: body.get(k) for k in ("wandb_run_id", "wandb_entity", "wandb_project", "wandb_dashboard_url")}
        if not any(wandb.values()):
            return
        if not (wandb["wandb_run_id"] and wandb["wandb_entity"]):
            raise bad_request("a W&B link needs at least wandb_run_id and wandb_entity", code="wandb_partial_triple")
        exp = self.store.experiments.get(run["experiment_id"])
        project = wandb["wandb_project"] or exp["wandb_project"]  # None when neither has one
        wandb["wandb_project"] = project
        run.update(wandb)
        self.store.assets.new(
            {
                "asset_type": "wandb_run",
                "name": f"wandb {wandb['wandb_entity']}/{project or '-'}/{wandb['wandb_run_id']}",
                "content": None,
                "content_type": "application/json",
                "asset_config": {
                    "entity": wandb["wandb_entity"],
                    "project": project,
                    "run_id": wandb["wandb_run_id"],
                    "dashboard_url": wandb["wandb_dashboard_url"],
                },
                "output_of": {"experiment_id": run["experiment_id"], "variation": run["variation"], "run": run["run"]},
            },
            presign=False,
        )

    def _abandon_pending_outputs(self, run: dict[str, Any]) -> None:
        """A failed run's pending outputs will never be finished: abandoned (storage may collect them).

        Except (a leniency of this server; by the platform's documented states the hosted one abandons it)
        a checkpoint uploaded from several nodes, which its ``asset_config`` says (``distributed.world_size``
        > 1, what the SDK's collective upload records): its other nodes may still be sending, or resume after
        a crash, and finalize it; the process that failed the run cannot know, so it stays pending.
        """
        for asset in self.docs.all("asset"):
            if (asset["experiment_id"], asset["variation"], asset["run"]) == (
                run["experiment_id"],
                run["variation"],
                run["run"],
            ) and asset["state"] == "pending":
                if _from_several_nodes(asset):
                    continue
                asset["state"] = "abandoned"
                self.docs.put("asset", asset["id"], asset)
                self.store.assets.release_uploads(asset["id"])


def _from_several_nodes(asset: dict[str, Any]) -> bool:
    """Whether the asset's config says several processes upload its files (the SDK's collective upload)."""
    recorded = (asset.get("asset_config") or {}).get("distributed")
    if not isinstance(recorded, dict):
        return False
    try:
        return int(recorded.get("world_size") or 0) > 1
    except (TypeError, ValueError):
        return False
