"""The ``Run`` handle: what a training runner holds for its (experiment, variation, run) triple."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from methodic._compat import RunAliases
from methodic._constants import DEFAULT_DRAIN_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL, LOGGER_NAME
from methodic._run_outputs import RunOutputs, checkpoint_folder_name, checkpoint_step, has_expired

if TYPE_CHECKING:
    from methodic._resources import Resources
    from methodic.heartbeat import HeartbeatThread
    from methodic.types import (
        RunRecord,
        VariationConfig,
    )


logger = logging.getLogger(LOGGER_NAME)


class Run(RunAliases, RunOutputs):
    """One run. Lifecycle methods return ``self`` so they chain: ``chronicle.run(e, 0, 0).start().heartbeat()``.

    ``run.state`` and the other record attributes reflect the server after the last mutation
    (each mutation stores the server's answer).
    """

    def __init__(self, api: Resources, experiment_id: str, variation: int, run: int) -> None:
        self._api = api
        self.experiment_id = experiment_id
        self.variation = variation
        self.run = run
        self._record: RunRecord | None = None
        self._lock = threading.Lock()
        # Calls are numbered when sent: an answer is kept only if no later-sent call's answer is kept
        # already, so a heartbeat answered after ``succeed()`` cannot turn the run back to running.
        self._sent = 0
        self._kept = 0

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
    def _ask(self, call: Callable[[], RunRecord]) -> RunRecord:
        """Send ``call`` and keep its answer unless a call sent after it was answered first."""
        with self._lock:
            self._sent += 1
            ticket = self._sent
        record = call()
        with self._lock:
            if ticket > self._kept:
                self._kept = ticket
                # An empty answer (allowed) just drops the cache.
                self._record = record if record.get("state") else None
        return record

    @property
    def data(self) -> RunRecord:
        """The server's record of this run (fetched when nothing is cached)."""
        with self._lock:
            record = self._record
        if record is None:
            record = self._ask(lambda: self._api.runs.get_status(*self._triple))
        return record

    def get_status(self) -> RunRecord:
        """The run's state and timestamps, read from the server now (``["state"]``, ``.state``)."""
        return self._ask(lambda: self._api.runs.get_status(*self._triple))

    @property
    def state(self) -> str | None:
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
        """The variation to train: ``["config_json"]`` (a dict), ``config_yaml``, the accelerate and launch configs."""
        return self._api.variations.get(self.experiment_id, self.variation)

    def start(
        self,
        *,
        wandb_run_id: str | None = None,
        wandb_entity: str | None = None,
        wandb_project: str | None = None,
        wandb_dashboard_url: str | None = None,
    ) -> Run:
        """Start the run (pending → running), optionally linking the W&B run (id and entity at the minimum)."""
        self._ask(
            lambda: self._api.runs.start(
                *self._triple,
                wandb_run_id=wandb_run_id,
                wandb_entity=wandb_entity,
                wandb_project=wandb_project,
                wandb_dashboard_url=wandb_dashboard_url,
            )
        )
        return self

    def heartbeat(self) -> Run:
        """Tell the 15-minute watchdog the run is alive."""
        self._ask(lambda: self._api.runs.heartbeat(*self._triple))
        return self

    def succeed(self) -> Run:
        """Wait for this run's background uploads, then mark the run succeeded.

        If one of them failed, raises :class:`~methodic.errors.UploadError` and does not report success, also
        when the failure was reported before (a run whose checkpoint was lost never succeeds: ``fail()`` it).
        Other runs' uploads on the same client are none of its business: their failures are theirs to report.
        """
        session = self._api.upload_session(self._output_of)
        if session is not None:
            session.wait(raise_errors=True, every_failure=True)
        self._ask(lambda: self._api.runs.succeed(*self._triple))
        return self

    def fail(self, reason: str = "crash", *, drain_timeout: float = DEFAULT_DRAIN_TIMEOUT) -> Run:
        """Fail the run: ``"crash"`` for unrecoverable errors, ``"abandoned"`` for cancels.

        The server abandons every output that is still pending when its run fails, so this first lets
        this run's queued and in-flight uploads finish and finalize, for up to ``drain_timeout``
        seconds (``0``: fail at once). What is still unfinished then is abandoned: it stays in its
        tracker, and ``methodic uploads resume`` reports it as abandoned.
        """
        unfinished = self.drain_uploads(drain_timeout)
        if unfinished:
            logger.warning(
                "failing %r with %d upload(s) unfinished after %gs; the server abandons them: %s",
                self,
                len(unfinished),
                drain_timeout,
                ", ".join(u.asset_id for u in unfinished),
            )
        self._ask(lambda: self._api.runs.fail(*self._triple, reason=reason))
        return self

    def _report_failed(self, reason: str) -> Run:
        """Fail the run on the server now, without a drain of its own (the caller drained and said so)."""
        self._ask(lambda: self._api.runs.fail(*self._triple, reason=reason))
        return self

    # -- heartbeats and the managed lifecycle -------------------------------------------------------
    def background_heartbeat(self, interval: float = DEFAULT_HEARTBEAT_INTERVAL) -> HeartbeatThread:
        """A started heartbeat thread; stop it with ``.stop()`` or use it as a context manager."""
        from methodic.heartbeat import HeartbeatThread

        return HeartbeatThread(self, interval).start()

    @contextmanager
    def lifecycle(
        self,
        *,
        heartbeat_interval: float = DEFAULT_HEARTBEAT_INTERVAL,
        wandb_run_id: str | None = None,
        wandb_entity: str | None = None,
        wandb_project: str | None = None,
        wandb_dashboard_url: str | None = None,
        handle_sigterm: bool = True,
        drain_timeout: float = DEFAULT_DRAIN_TIMEOUT,
    ) -> Iterator[Run]:
        """Start the run, heartbeat in the background, and always leave it in an honest terminal state.

        Normal exit → ``succeed()`` once every upload finished; if an upload failed, the run is failed
        with a reason naming the failed components and the UploadError propagates. An exception →
        ``fail("crash: ...")`` and the exception propagates; KeyboardInterrupt or SIGTERM →
        ``fail("abandoned")``. Before failing, the run's queued and in-flight uploads get up to
        ``drain_timeout`` seconds to finish and finalize (heartbeats continue meanwhile), so the
        checkpoint saved just before a crash or a preemption notice is not lost.
        """
        from methodic.heartbeat import managed_lifecycle

        with managed_lifecycle(
            self,
            heartbeat_interval=heartbeat_interval,
            start_kwargs={
                "wandb_run_id": wandb_run_id,
                "wandb_entity": wandb_entity,
                "wandb_project": wandb_project,
                "wandb_dashboard_url": wandb_dashboard_url,
            },
            handle_sigterm=handle_sigterm,
            drain_timeout=drain_timeout,
        ):
            yield self


__all__ = ["Run", "checkpoint_folder_name", "checkpoint_step", "has_expired"]
