"""The ``Run`` handle: what a training runner holds for its (experiment, variation, run) triple."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from methodic.types import AssetRecord, RunRecord, VariationConfig

if TYPE_CHECKING:
    from methodic._client import Chronicle


class Run:
    """One run. Lifecycle methods return ``self`` so they chain: ``chronicle.run(e, 0, 0).start().heartbeat()``.

    ``run.state`` and the other record attributes reflect the server after the last mutation
    (each mutation stores the server's answer).
    """

    def __init__(self, chronicle: Chronicle, experiment_id: str, variation: int, run: int) -> None:
        self._chronicle = chronicle
        self.experiment_id = experiment_id
        self.variation = variation
        self.run = run
        self._record: RunRecord | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        state = f" state={self._record.state!r}" if self._record is not None else ""
        return f"<Run experiment_id={self.experiment_id!r} variation={self.variation} run={self.run}{state}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Run) and other._triple == self._triple

    def __hash__(self) -> int:
        return hash(("run", *self._triple))

    @property
    def _triple(self) -> tuple[str, int, int]:
        return (self.experiment_id, self.variation, self.run)

    # -- server record --------------------------------------------------------------------------
    def _store(self, record: RunRecord) -> Run:
        with self._lock:
            self._record = record
        return self

    @property
    def data(self) -> RunRecord:
        """The server's record of this run (fetched when nothing is cached)."""
        with self._lock:
            record = self._record
        if record is None:
            record = self._chronicle.runs.get(*self._triple)
            self._store(record)
        return record

    def refresh_state(self) -> str:
        """Re-read the state from the server (useful when something else, like the watchdog, changed it)."""
        self._store(self._chronicle.runs.get(*self._triple))
        return self.state

    @property
    def state(self) -> str:
        """pending, running, succeeded, failed_crash, failed_abandoned, lost or failed_lost."""
        return self.data.state

    @property
    def failure_reason(self) -> str | None:
        """The reason given to ``fail()``, verbatim."""
        return self.data.failure_reason

    @property
    def started_at(self) -> str | None:
        """When the run started."""
        return self.data.started_at

    @property
    def finished_at(self) -> str | None:
        """When the run reached a terminal state."""
        return self.data.finished_at

    @property
    def last_heartbeat_at(self) -> str | None:
        """The last heartbeat the server saw."""
        return self.data.last_heartbeat_at

    # -- lifecycle --------------------------------------------------------------------------------
    def get_variation_config(self) -> VariationConfig:
        """The configuration to train with: ``config_yaml``, ``config_json`` and the launch configs."""
        return self._chronicle.variations.get_config(self.experiment_id, self.variation)

    def start(
        self,
        *,
        wandb_run_id: str | None = None,
        wandb_entity: str | None = None,
        wandb_project: str | None = None,
        wandb_dashboard_url: str | None = None,
    ) -> Run:
        """Start the run (pending → running), optionally linking the W&B run (id and entity at the minimum)."""
        return self._store(
            self._chronicle.runs.start(
                *self._triple,
                wandb_run_id=wandb_run_id,
                wandb_entity=wandb_entity,
                wandb_project=wandb_project,
                wandb_dashboard_url=wandb_dashboard_url,
            )
        )

    def heartbeat(self) -> Run:
        """Tell the 15-minute watchdog the run is alive."""
        return self._store(self._chronicle.runs.heartbeat(*self._triple))

    def succeed(self) -> Run:
        """Wait for this client's background uploads, then mark the run succeeded.

        If any upload failed, raises :class:`~methodic.errors.UploadError` and does not report success.
        """
        self._chronicle._uploads.wait(raise_errors=True)
        return self._store(self._chronicle.runs.succeed(*self._triple))

    def fail(self, reason: str = "crash") -> Run:
        """Fail the run: ``"crash"`` for unrecoverable errors, ``"abandoned"`` for cancels."""
        return self._store(self._chronicle.runs.fail(*self._triple, reason=reason))

    # -- outputs ----------------------------------------------------------------------------------
    def list_outputs(self, across_runs: bool = False) -> list[AssetRecord]:
        """Outputs of this run, or (``across_runs=True``) every run's of the variation; newest first."""
        if across_runs:
            return self._chronicle.variations.list_outputs(self.experiment_id, self.variation)
        return self._chronicle.runs.list_outputs(*self._triple)

    def latest_output(self, asset_type: str, *, across_runs: bool = True) -> AssetRecord | None:
        """The newest ``ready`` output of ``asset_type`` (across all runs of the variation by default), or None."""
        for asset in self.list_outputs(across_runs=across_runs):
            if asset.asset_type == asset_type and asset.state == "ready":
                return asset
        return None
