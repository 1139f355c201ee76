"""The duties every trainer integration shares, whatever the framework.

A framework callback only translates its hooks into these calls: :class:`TrainingSession` starts the
run, snapshots the environment, keeps heartbeats going, uploads checkpoints and ends the run in the
state that matches what happened. Only global rank 0 holds a session; the other ranks only meet it at
barriers (:mod:`methodic.integrations._distributed`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from methodic._constants import DEFAULT_DRAIN_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL, LOGGER_NAME, TERMINAL_RUN_STATES
from methodic.errors import (
    ChronicleError,
    RunTerminated,
    UploadError,
)
from methodic.integrations._common import (
    DEFAULT_IDLE_TIMEOUT,
    ENV_EXPERIMENT_ID,
    ENV_RUN,
    ENV_VARIATION,
    TRACKER_FILE_NAME,
    InFlightFolders,
    checkpoint_config,
    jsonable,
    numeric_metrics,
    open_tracker,
    owns_tracker,
    resolve_run,
    wandb_link,
)
from methodic.integrations._resume import download_checkpoint_on_every_node

if TYPE_CHECKING:
    from methodic.heartbeat import HeartbeatThread
    from methodic.run import Run
    from methodic.transfer.futures import AssetUpload
    from methodic.transfer.handover import DeferredUpload, Registrar
    from methodic.transfer.tracker import UploadTracker
    from methodic.types import ResumeOutcome

__all__ = [
    "DEFAULT_IDLE_TIMEOUT",
    "ENV_EXPERIMENT_ID",
    "ENV_RUN",
    "ENV_VARIATION",
    "TRACKER_FILE_NAME",
    "InFlightFolders",
    "TrainingSession",
    "checkpoint_config",
    "download_checkpoint_on_every_node",
    "jsonable",
    "numeric_metrics",
    "open_tracker",
    "owns_tracker",
    "resolve_run",
    "wandb_link",
]

logger = logging.getLogger(LOGGER_NAME)


class TrainingSession:
    """One run as a trainer drives it: begin, checkpoint as often as you like, then finish or abort.

    Every checkpoint is staged (hard-linked) before :meth:`checkpoint` returns, so a trainer that
    rotates or rewrites its folders right after cannot take it back; with a tracker, a crash
    mid-upload is finished by ``methodic uploads resume --tracker <file>``. Ending is honest:
    :meth:`finish` marks the run succeeded only once every upload is ready, and :meth:`abort` lets
    queued uploads drain before failing it, so the checkpoint saved just before a crash survives.

    With ``defer_registration`` (for an integration that ends the run itself: :meth:`finish` and
    :meth:`abort` wait for what was handed over), :meth:`checkpoint` only stages the folder and records
    the hand-over in the tracker; the asset is registered and uploaded on a thread of its own
    (:mod:`methodic.transfer.handover`), so a save costs the training thread no round trip to the server.
    """

    def __init__(
        self,
        run: Run,
        *,
        framework: str,
        upload_tracker: UploadTracker | None = None,
        heartbeat_interval: float = DEFAULT_HEARTBEAT_INTERVAL,
        drain_timeout: float = DEFAULT_DRAIN_TIMEOUT,
        owns_tracker: bool = False,
        idle_timeout: float | None = None,
        defer_registration: bool = False,
    ) -> None:
        self.run = run
        self.framework = framework
        self.idle_timeout = idle_timeout
        self._last_progress = time.monotonic()
        self.upload_tracker = upload_tracker
        self.heartbeat_interval = heartbeat_interval
        self.drain_timeout = drain_timeout
        self.uploads: list[AssetUpload | DeferredUpload] = []
        #: Checkpoints that could not be handed over (step, error): finish() fails the run for them.
        self.refused: list[tuple[int, ChronicleError]] = []
        self.defer_registration = defer_registration
        self._registrar: Registrar | None = None
        self._deferred_steps: dict[str, int] = {}
        self.in_flight = InFlightFolders()
        self.owns_tracker = owns_tracker
        self._heart: HeartbeatThread | None = None
        self._began = False
        self._ended = False
        self._rescued = False
        #: What became of each upload an earlier process left unfinished (see :meth:`rescue_leftovers`).
        self.rescued: list[ResumeOutcome] = []
        #: The environment snapshot, captured and uploaded off the training thread (see :meth:`begin`).
        self._environment_upload: threading.Thread | None = None
        self._environment_error: BaseException | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<TrainingSession {self.framework} {self.run!r} uploads={len(self.uploads)}>"

    @property
    def ended(self) -> bool:
        """Whether :meth:`finish` or :meth:`abort` already ran."""
        return self._ended

    def begin(self, environment: Mapping[str, Any] | Callable[[], Mapping[str, Any] | None] | None = None) -> None:
        """Start the run if it is pending (linking an active W&B run), heartbeat, and upload ``environment``.

        Idempotent while the session lasts. A run that already ended cannot be trained again: that raises
        before any training, also when this session ended it (one callback reused for a second Trainer).
        ``environment`` given as a callable is captured and uploaded on a thread of its own, so that the
        snapshot (installed packages and all) costs the training thread nothing; it is still created before
        the first checkpoint, and an error it meets is raised at the first checkpoint (with
        ``defer_registration``, at the end: the registrar only waits for it) or at the end.
        """
        with self._lock:
            if self._ended:
                raise ChronicleError(
                    f"{self.run!r} was already ended by this {self.framework} integration: it records one run."
                    " Make a new callback (for a new run, or a continuation run) for the next training"
                )
            if self._began:
                return
            self._began = True
        state = self.run.refresh_state()
        if state == "pending":
            self.run.start(**wandb_link())
        elif state in TERMINAL_RUN_STATES:
            raise ChronicleError(f"{self.run!r} already ended ({state}); train a continuation as a new run")
        from methodic.heartbeat import HeartbeatThread

        progressing = self._making_progress if self.idle_timeout is not None else None
        # Starting the run stamped its heartbeat: the first beat can wait an interval. A run found running (a
        # requeued attempt) may be close to being marked lost, so it gets one at once.
        first = self.heartbeat_interval if state == "pending" else 0.0
        self._heart = HeartbeatThread(
            self.run, self.heartbeat_interval, progressing=progressing, first_beat_after=first
        ).start()
        self.rescue_leftovers()
        if not callable(environment):
            self._upload_environment(environment)
            return
        capture = environment

        def upload() -> None:
            try:
                self._upload_environment(capture())
            except BaseException as exc:  # raised on the training thread at the first checkpoint or at the end
                logger.error("the environment snapshot of %r failed: %s: %s", self.run, type(exc).__name__, exc)
                self._environment_error = exc

        self._environment_upload = threading.Thread(target=upload, name="methodic-environment", daemon=True)
        self._environment_upload.start()

    def _upload_environment(self, environment: Mapping[str, Any] | None) -> None:
        if environment is not None:
            self.run.upload_environment(jsonable(environment))

    def _environment_uploaded(self, timeout: float | None = None) -> None:
        """Wait for the environment snapshot begun off the training thread; raise what it met."""
        if self._environment_upload is not None:
            self._environment_upload.join(timeout)
            if self._environment_upload.is_alive():
                return
            self._environment_upload = None
        error, self._environment_error = self._environment_error, None
        if error is not None:
            raise error

    def rescue_leftovers(self) -> list[ResumeOutcome]:
        """Finish the uploads an earlier process left unfinished in this session's tracker, before training.

        A scheduler that requeues a killed job reruns the same command on the same run and folder without
        ``methodic uploads resume``; the rerun would overwrite those folders and leave the first attempt's
        checkpoints pending forever on a finished run. So they are resumed here first (from their staged
        links, as registered), each ending ready or marked abandoned/unrecoverable, and a continuation then
        finds the newest ready one. Once per session (later calls return the first one's outcomes, also
        kept in :attr:`rescued`); never raises for one asset.
        """
        with self._lock:
            if self._rescued or self.upload_tracker is None:
                return self.rescued
            self._rescued = True
        from methodic.transfer.handover import has_leftovers

        tracker = self.upload_tracker
        leftovers = tracker.get_pending_uploads()
        if not leftovers and not has_leftovers(tracker):
            return self.rescued
        logger.warning(
            "%d upload(s) of an earlier process are unfinished in %s: resuming them before training",
            len(leftovers) or 1,
            tracker.db_path,
        )
        for outcome in self.run._api.transfers.resume_each(tracker, progress=False):
            self.rescued.append(outcome)
            logger.warning("earlier upload %s: %s", outcome.asset_id, outcome.status)
        return self.rescued

    def checkpoint(
        self,
        folder: Path | str,
        *,
        step: int,
        epoch: float | None = None,
        metrics: Mapping[str, Any] | None = None,
        asset_type: str = "checkpoint",
        name: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> AssetUpload | None:
        """Hand ``folder`` over as one asset (staged now, uploaded in the background); None if it was refused.

        ``asset_config`` carries ``step``, ``epoch``, the latest ``metrics`` and the framework, so a
        continuation can pick a checkpoint by step (``run.download_checkpoint(dest, step=...)``).
        """
        from methodic.transfer import handover

        config = checkpoint_config(self.framework, step=step, epoch=epoch, metrics=metrics, extra=extra)
        self._environment_uploaded()  # the run's first asset, as when it was uploaded at begin
        try:
            # Recorded as a hand-over first, then registered here: a kill during the create call is recovered
            # as for a deferred hand-over (registered or adopted by the next resume), not left half made.
            handed = handover.stage(
                Path(folder),
                asset_type=asset_type,
                target=self.run._output_of,
                tracker=self.upload_tracker,
                name=name,
                asset_config=config,
            )
            upload = handover.register_now(self.run._api.transfers.uploads, self.upload_tracker, handed)
        except ChronicleError as exc:
            # Raising here would crash a long training run over one refused registration (and, on rank 0
            # of a distributed job, leave the other ranks waiting at the next collective). The run goes
            # on; finish() fails it, naming this step, so the missing checkpoint is never silent.
            self._refused(step, exc, f"{asset_type} of step {step} could not be handed over ({folder})")
            return None
        self.uploads.append(upload)
        self.in_flight.record(Path(folder), upload)
        logger.info("%s step %d handed over as asset %s (%s)", asset_type, step, upload.asset_id, folder)
        return upload

    def hand_over(
        self,
        folder: Path | str,
        *,
        step: int,
        epoch: float | None = None,
        metrics: Mapping[str, Any] | None = None,
        asset_type: str = "checkpoint",
        name: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> AssetUpload | DeferredUpload | None:
        """:meth:`checkpoint`, registered off this thread with ``defer_registration`` (None if refused).

        The folder is staged and the hand-over recorded in the tracker before this returns; the create
        call, the registration and the upload happen on the registrar's thread. A registration the server
        refuses fails the run at :meth:`finish`, as a checkpoint refused by :meth:`checkpoint` does.
        """
        if not self.defer_registration:
            return self.checkpoint(
                folder, step=step, epoch=epoch, metrics=metrics, asset_type=asset_type, name=name, extra=extra
            )
        from methodic.transfer import handover

        folder = Path(folder)
        config = checkpoint_config(self.framework, step=step, epoch=epoch, metrics=metrics, extra=extra)

        try:
            handed = handover.stage(
                folder,
                asset_type=asset_type,
                target=self.run._output_of,
                tracker=self.upload_tracker,
                name=name,
                asset_config=config,
            )
        except ChronicleError as exc:  # see checkpoint(): the run goes on, finish() fails it naming the step
            self._refused(step, exc, f"{asset_type} of step {step} could not be handed over ({folder})")
            return None
        if self._registrar is None:
            self._registrar = handover.Registrar(
                self.run._api.transfers.uploads,
                self.upload_tracker,
                refused=self._registration_refused,
                before_first=self._environment_first,
            )
        self._deferred_steps[handed.handover_id] = int(step)
        try:
            deferred = self._registrar.submit(handed)
        except ChronicleError as exc:  # the session ended: the hand-over stays recorded for a resume
            self._refused(step, exc, f"{asset_type} of step {step} handed over after the session ended ({folder})")
            return None
        self.uploads.append(deferred)
        self.in_flight.record(folder, deferred)
        logger.info("%s step %d handed over (%s); registering it in the background", asset_type, step, folder)
        return deferred

    def _environment_first(self) -> None:
        """Before the first registration: the environment snapshot, the run's first asset, is created."""
        thread = self._environment_upload
        if thread is not None:
            thread.join()  # its error, if any, is raised on the training thread at finish()

    def _registration_refused(self, deferred: DeferredUpload, exc: BaseException) -> None:
        step = self._deferred_steps.get(deferred.handover.handover_id, -1)
        error = exc if isinstance(exc, ChronicleError) else ChronicleError(f"{type(exc).__name__}: {exc}")
        self._refused(step, error, f"checkpoint of step {step} ({deferred.handover.local_dir}) could not be registered")

    def _refused(self, step: int, error: ChronicleError, what: str) -> None:
        """A checkpoint the server or the SDK refused: :meth:`finish` fails the run naming its step; logged now."""
        self.refused.append((int(step), error))
        logger.error("%s: %s", what, error)

    def _registered(self, timeout: float | None = None) -> bool:
        """Wait up to ``timeout`` s until every deferred hand-over is registered (or refused)."""
        return self._registrar is None or self._registrar.wait(timeout)

    def finish(self) -> None:
        """Wait for every upload, then mark the run succeeded; anything that goes wrong fails it instead.

        An upload that failed, a checkpoint that could not be handed over, an interrupt or SIGTERM
        while waiting, an unreachable server: the run is failed (after queued uploads drain) and the
        exception propagates. Success is never reported for a run whose checkpoints did not all arrive,
        and a run is never left ``running`` by a finish that did not complete. While it waits (on the
        main thread), SIGTERM raises :class:`~methodic.errors.RunTerminated` whatever handler the
        framework left installed (one that only notes it would let the scheduler's SIGKILL find the
        run ``running``): the run fails ``abandoned`` after the drain, and a second signal ends the
        drain at once. What did not land stays in the tracker, as after a kill -9 of that moment.
        """
        if self._ended:
            return
        self._ended = True
        from methodic.heartbeat import sigterm_raises

        try:
            with sigterm_raises():
                try:
                    self._registered()  # then the run's upload session holds every checkpoint handed over
                    self._environment_uploaded()
                    if self.refused:
                        steps = ", ".join(str(step) for step, _ in self.refused)
                        raise UploadError(
                            [(f"step {step}", "<register>", error) for step, error in self.refused]
                        ) from ChronicleError(f"checkpoints of steps {steps} could not be handed over")
                    self.run.succeed()
                except BaseException as exc:
                    self._drain_then_fail(exc)
                    raise
        finally:
            self._stop_heartbeat()
            self._close_tracker()

    def abort(self, exc: BaseException) -> None:
        """Let queued uploads finish (for up to ``drain_timeout`` s), then fail the run for ``exc``.

        A SIGTERM or Ctrl-C during the drain ends it at once (on the main thread, whatever SIGTERM
        handler the framework installed); the run is failed either way.
        """
        if self._ended:
            return
        self._ended = True
        from methodic.heartbeat import sigterm_raises

        try:
            with sigterm_raises():
                self._drain_then_fail(exc)
        finally:
            self._stop_heartbeat()

    def _drain_then_fail(self, exc: BaseException) -> None:
        """Within one drain: the environment snapshot still under way, then the uploads; then fail the run."""
        from methodic.heartbeat import drain_then_fail, failure_reason

        drain = self.drain_timeout
        if self._registrar is not None:  # what was handed over is registered (and then drained) within the drain
            started = time.monotonic()
            try:
                self._registered(drain)
                drain = max(0.0, drain - (time.monotonic() - started))
            except (KeyboardInterrupt, RunTerminated):
                drain = 0.0  # asked again to stop: what is not registered stays in the tracker for a resume
        if self._environment_upload is not None:  # the environment snapshot still on its way gets the same drain
            started = time.monotonic()
            try:
                self._environment_uploaded(drain)
                drain = max(0.0, drain - (time.monotonic() - started))
            except (KeyboardInterrupt, RunTerminated):
                drain = 0.0  # asked again to stop: fail the run without waiting any longer
            except Exception as error:  # the exception that got us here matters more
                logger.error("while failing %r: %s", self.run, error)
        drain_then_fail(self.run, self._heart, failure_reason(exc), drain)
        if self._registrar is not None and self._registrar.stop():
            logger.warning("checkpoints handed over but not registered within the drain stay in the tracker")
        self._let_the_process_stop(exc)

    def _let_the_process_stop(self, exc: BaseException) -> None:
        """After the drain, a process being stopped (a signal, SystemExit) waits for no upload at exit.

        The client's transfer threads would otherwise be waited for when the interpreter exits (a script
        that never closes its client still gets every upload), keeping the process alive into the
        scheduler's SIGKILL. The run is failed already; what did not land stays in the tracker with its
        staged files, exactly as after a kill -9 of this moment.
        """
        if not isinstance(exc, (KeyboardInterrupt, SystemExit, RunTerminated)):
            return
        unfinished = self.run.drain_uploads(0)
        if not unfinished:
            return
        logger.warning(
            "stopping: %d upload(s) did not finish within the drain (%s); they stay in %s as after a kill -9",
            len(unfinished),
            ", ".join(u.asset_id for u in unfinished),
            self.upload_tracker.db_path if self.upload_tracker is not None else "no tracker (they are lost)",
        )
        try:
            self.run._api.transfers.close(cancel=True, interrupt=True)
        except UploadError as error:  # the signal is the exception to see
            logger.error("while stopping: %s", error)

    def touch(self) -> None:
        """The trainer made progress (a step, a log, a save): heartbeats keep the run alive a while longer."""
        self._last_progress = time.monotonic()

    def _making_progress(self) -> bool:
        return self.idle_timeout is None or time.monotonic() - self._last_progress < self.idle_timeout

    def _stop_heartbeat(self) -> None:
        if self._heart is not None:
            self._heart.stop()

    def _close_tracker(self) -> None:
        """Close a tracker this session opened (after finish every upload is over)."""
        if self.owns_tracker and self.upload_tracker is not None:
            self.upload_tracker.close()

    @contextmanager
    def guard(self, *, handle_sigterm: bool = True) -> Iterator[TrainingSession]:
        """Finish the session when the block returns, abort it when it raises (SIGTERM counts as abandoned)."""
        from methodic.heartbeat import sigterm_raises

        with sigterm_raises() if handle_sigterm else nullcontext():
            try:
                yield self
            except BaseException as exc:
                self.abort(exc)
                raise
            self.finish()
