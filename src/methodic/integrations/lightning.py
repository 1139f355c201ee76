"""The Lightning integration: ``Trainer(callbacks=[ChronicleCallback()])`` records the run.

Every checkpoint Lightning writes during ``fit`` goes through ``trainer.save_checkpoint``:
``ModelCheckpoint``'s periodic, top-k and last saves, the one ``save_on_exception=True`` writes,
``OnExceptionCheckpoint``'s, and any ``trainer.save_checkpoint(path)`` called by hand (also with
``weights_only=True``). For the length of ``fit`` the callback wraps that method on the trainer, and
hands each new file over the moment it returns (staged at once, so the deletion ``save_top_k`` does
right after cannot take it). ``asset_config`` says ``weights_only`` (``True`` for a file that holds
only the weights) and ``on_exception`` for a save made while the run was failing. Lightning's
callback hooks do the rest: ``on_fit_start`` starts the run, ``on_fit_end`` ends it succeeded once
every upload is ready; after an exception the run is failed only once every checkpoint callback
wrote its exception checkpoint (Lightning calls the loggers' ``finalize("failed")`` after all of
them: the callback listens there, through a logger it adds for the length of ``fit``), after
queued uploads drained. Everything happens on global rank zero only, which is right for a
consolidated ``.ckpt`` and for sharded checkpoints on a shared filesystem::

    callback = ChronicleCallback()                      # run from CHRONICLE_* variables
    trainer = L.Trainer(max_epochs=3, callbacks=[callback, ModelCheckpoint(save_top_k=1, monitor="loss")])
    trainer.fit(model, data, ckpt_path=callback.download_checkpoint("resume", trainer=trainer))

``download_checkpoint(..., trainer=trainer)`` first finishes uploads a killed earlier attempt left in
the trainer's tracker (a requeued job), so the newest checkpoint is the one chosen. A weights-only
checkpoint resumes the weights and the step; the optimizers and LR schedulers start fresh.

Sharded checkpoints (``ModelParallelStrategy``, FSDP) on nodes without a shared filesystem
are written by every rank into the same path on its own node's disk, so no single process sees them
all. ``ChronicleCallback(node_local=True)`` makes each save one asset from every node's files: every
rank joins the collective upload right after ``trainer.save_checkpoint`` returned (it ends with a
barrier on every rank), before ``save_top_k`` can delete anything.

Importing this module imports ``lightning``.
"""

from __future__ import annotations

import atexit
import importlib.metadata
import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import lightning.pytorch as pl

from methodic._constants import DEFAULT_DRAIN_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL, LOGGER_NAME
from methodic.environment import capture
from methodic.integrations import _distributed
from methodic.integrations._lightning_hooks import (
    EndListener,
    around_every_save,
    wait_for_rescue_elsewhere,
    weights_only_loads_fresh,
)
from methodic.integrations._node_local import NodeLocalCheckpoints
from methodic.integrations.session import (
    DEFAULT_IDLE_TIMEOUT,
    TrainingSession,
    download_checkpoint_on_every_node,
    jsonable,
    open_tracker,
    owns_tracker,
    resolve_run,
)
from methodic.transfer.staging import folder_for_file, remove_handover

if TYPE_CHECKING:
    from methodic._client import Chronicle
    from methodic.run import Run
    from methodic.transfer.tracker import UploadTracker

__all__ = ["ChronicleCallback"]

logger = logging.getLogger(LOGGER_NAME)

#: How long a process other than rank 0 waits, before choosing the checkpoint to resume from, for rank 0
#: to finish the uploads an earlier attempt left unfinished (outside a process group it cannot be told).
RESCUE_WAIT = 120.0


class ChronicleCallback(pl.Callback):
    """Records a Lightning ``fit`` in Chronicle: start, environment, heartbeats, checkpoints, end.

    Args:
        run: the run to record; by default from ``experiment_id`` / ``variation`` / ``run_index`` or
            ``CHRONICLE_EXPERIMENT_ID`` / ``CHRONICLE_VARIATION`` / ``CHRONICLE_RUN``, on ``chronicle``
            or ``Chronicle.from_env()``.
        upload_checkpoints: upload every checkpoint written during ``fit`` (asset type ``checkpoint``,
            ``asset_config`` with ``step``, ``epoch``, the current callback metrics and ``weights_only``).
        upload_tracker: ``"auto"`` keeps crash-recovery state in ``methodic-uploads.sqlite`` under the
            trainer's ``default_root_dir``; a path or tracker is used as given; None keeps it in memory.
        environment: upload ``methodic.environment.capture()`` with the module's hyperparameters; a
            mapping is merged in, False skips it.
        end_run: end the run when ``fit`` returns (succeeded) or raises (failed).
        node_local: for nodes without a shared filesystem, each writing its checkpoints on its own disk
            (sharded checkpoints: every rank writes its shard under the same path): every save becomes
            one asset from every node's files (each node's first process contributes them;
            ``upload_directory_async(distributed=True)``), waited for by all ranks at the end of ``fit``.
            Outside a process group of several processes it changes nothing.
    """

    def __init__(
        self,
        run: Run | None = None,
        *,
        chronicle: Chronicle | None = None,
        experiment_id: str | None = None,
        variation: int | None = None,
        run_index: int | None = None,
        upload_checkpoints: bool = True,
        upload_tracker: UploadTracker | Path | str | Literal["auto"] | None = "auto",
        environment: Mapping[str, Any] | bool = True,
        end_run: bool = True,
        heartbeat_interval: float = DEFAULT_HEARTBEAT_INTERVAL,
        drain_timeout: float = DEFAULT_DRAIN_TIMEOUT,
        idle_timeout: float | None = DEFAULT_IDLE_TIMEOUT,
        node_local: bool = False,
    ) -> None:
        self.run = resolve_run(
            run, chronicle=chronicle, experiment_id=experiment_id, variation=variation, run_index=run_index
        )
        self.upload_checkpoints = upload_checkpoints
        self.environment = environment
        self.end_run = end_run
        self._tracker_option = upload_tracker
        self._heartbeat_interval = heartbeat_interval
        self._drain_timeout = drain_timeout
        self._idle_timeout = idle_timeout
        self._session: TrainingSession | None = None
        self._listener: EndListener | None = None
        self._handed_over: set[tuple[str, int, int, int]] = set()
        self.node_local = node_local
        self._node_local = NodeLocalCheckpoints(self.run, "lightning", upload_tracker)
        self._collective = False
        self._unwrap_save: Callable[[], None] | None = None
        #: The exception fit is failing with, until every checkpoint callback saved (then the run fails).
        self._failing: BaseException | None = None
        #: Checkpoints download_checkpoint returned that hold the weights only (absolute paths).
        self._weights_only_resumes: set[str] = set()
        self._unwrap_load: Callable[[], None] | None = None
        #: download_checkpoint chose without finishing an earlier attempt's uploads first (no trainer given).
        self._chose_unrescued = False

    def __repr__(self) -> str:
        return f"<ChronicleCallback {self.run!r}>"

    @property
    def session(self) -> TrainingSession | None:
        """The session on global rank zero once ``fit`` started (None on other ranks)."""
        return self._session

    def _session_for(self, root: str | Path) -> TrainingSession:
        """Rank zero's session; an ``"auto"`` tracker goes into ``root`` (the trainer's ``default_root_dir``)."""
        if self._session is None:
            self._session = TrainingSession(
                self.run,
                framework="lightning",
                upload_tracker=open_tracker(self._tracker_option, auto_dir=root),
                heartbeat_interval=self._heartbeat_interval,
                drain_timeout=self._drain_timeout,
                owns_tracker=owns_tracker(self._tracker_option),
                idle_timeout=self._idle_timeout,
                # Not deferred (as the HF callback's are): a requeued job's ranks outside a process group learn
                # which checkpoints rank 0 is still finishing from the server's pending ones
                # (wait_for_rescue_elsewhere), so each save is on the server before it returns. A checkpoint
                # only handed over when a kill landed would be invisible to them: they would choose an older one.
            )
        return self._session

    # -- Lightning hooks ---------------------------------------------------------------------------
    def on_fit_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        """Start the run, upload the environment, and hand over every checkpoint ``fit`` saves (rank zero).

        With ``node_local=True`` in a process group every rank takes part in each save's upload.
        """
        self._failing = None
        self._collective = self.upload_checkpoints and self.node_local and _distributed.in_process_group()
        if self.upload_checkpoints:
            self._unwrap_save = around_every_save(
                trainer, lambda path: self._make_way(trainer, path), lambda path, w: self._saved(trainer, path, w)
            )
        if trainer.is_global_zero or self._collective:
            # Added after setup(), so ModelCheckpoint has already resolved its folder without us.
            self._listener = EndListener(lambda: self._end_after_exception(trainer), trainer.default_root_dir)
            trainer.loggers = [*trainer.loggers, self._listener]
        if not trainer.is_global_zero:
            # A process Lightning launched itself cannot tell its rank before fit: one that rescued in
            # download_checkpoint as if it were rank zero keeps no session (only rank zero records).
            if self._session is not None and self._session.owns_tracker and self._session.upload_tracker is not None:
                self._session.upload_tracker.close()
            self._session = None
            return
        session = self._session_for(trainer.default_root_dir)
        session.begin(lambda: self._environment(trainer, pl_module))  # captured off the training thread
        if self._chose_unrescued and session.rescued:
            logger.warning(
                "the checkpoint to resume from was chosen before the %d upload(s) an earlier attempt left "
                "unfinished were finished: a newer checkpoint may exist now. Pass "
                "download_checkpoint(..., trainer=trainer) to finish them first",
                len(session.rescued),
            )

    def setup(self, trainer: pl.Trainer, pl_module: pl.LightningModule, stage: str) -> None:
        """Before ``fit`` loads ``ckpt_path``: a weights-only checkpoint we downloaded resumes with fresh optimizers.

        Lightning restores optimizer and LR-scheduler states from the checkpoint and raises ``KeyError``
        when a ``weights_only`` one has none; given empty lists instead, it restores the weights and the
        loops (the step) and leaves the optimizers and schedulers as they were built: fresh.
        """
        if stage == "fit" and self._weights_only_resumes and self._unwrap_load is None:
            self._unwrap_load = weights_only_loads_fresh(trainer, set(self._weights_only_resumes))

    def on_train_batch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule, *args: Any) -> None:
        """Training made progress: keep the heartbeats going."""
        if self._session is not None:
            self._session.touch()

    def on_validation_batch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule, *args: Any) -> None:
        """Validation made progress: keep the heartbeats going."""
        if self._session is not None:
            self._session.touch()

    def on_exception(self, trainer: pl.Trainer, pl_module: pl.LightningModule, exception: BaseException) -> None:
        """Note the failure; the run fails once the checkpoint callbacks wrote their exception checkpoints.

        Lightning moves every checkpoint callback after this one and calls their ``on_exception`` next
        (``ModelCheckpoint(save_on_exception=True)``, ``OnExceptionCheckpoint``): their saves are still
        handed over, and the run is failed at the loggers' ``finalize("failed")``, which Lightning calls
        after all of them, once queued uploads drained (``abandoned`` for an interrupt or SIGTERM). If
        fit never got as far as listening for that, the run is failed here. Should a later callback's
        ``on_exception`` raise (Lightning then calls no logger), the run is failed at interpreter exit.
        """
        self._failing = exception
        if self._listener is None:
            self._end_after_exception(trainer)
        else:
            atexit.register(self._end_after_exception, trainer)

    def on_fit_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        """End the run succeeded once every checkpoint upload is ready (failed if one failed).

        Node-local checkpoints are waited for first, collectively (every rank runs ``on_fit_end``).
        SIGTERM or Ctrl-C during the wait fails the run ``abandoned`` after the drain (Lightning's own
        SIGTERM handler is gone by now), and a second one ends the drain at once.
        """
        self._detach(trainer)
        if self._node_local.pending:
            self._node_local.wait(self._session)
        if self._session is not None and self.end_run:
            self._session.finish()

    def download_checkpoint(
        self,
        dest: Path | str,
        step: int | None = None,
        *,
        trainer: pl.Trainer | None = None,
        from_inputs: bool = False,
        shared_filesystem: bool = False,
    ) -> str | None:
        """The newest ready checkpoint (or the one at ``step``) on every node, as ``trainer.fit(ckpt_path=...)`` wants.

        Returns the ``.ckpt`` file's path (the folder's, for a sharded checkpoint saved as a folder), or
        None when the variation has no checkpoint yet, so ``fit`` starts fresh.

        With ``trainer`` (or an ``upload_tracker`` given as a path or tracker), uploads an earlier attempt
        of this run left unfinished in the tracker are finished first (a requeued job: the command run
        again on the same run and folder), so the checkpoint chosen is the newest one that attempt saved.
        A checkpoint saved with ``weights_only`` (recorded in its ``asset_config``) cannot restore the
        optimizers: resuming from it through this callback restores the weights and the step, and
        the optimizers and LR schedulers start fresh (with a warning), instead of Lightning's KeyError.
        """
        self._rescue_before_choosing(trainer)
        got = download_checkpoint_on_every_node(
            self.run, dest, step, from_inputs=from_inputs, shared_filesystem=shared_filesystem
        )
        if got is None:
            return None
        folder = got.path
        entries = [e for e in folder.iterdir() if not e.name.startswith(".methodic-")]  # a killed download's leftovers
        path = str(entries[0]) if len(entries) == 1 and entries[0].is_file() else str(folder)
        if got.config.get("weights_only") is True:
            self._weights_only_resumes.add(os.path.abspath(path))
            logger.warning(
                "checkpoint %s (step %s) holds the weights only (saved with weights_only): resuming from it "
                "restores the weights and the step; the optimizers and LR schedulers start fresh",
                got.asset_id,
                got.step,
            )
        return path

    def _rescue_before_choosing(self, trainer: pl.Trainer | None) -> None:
        """Finish an earlier attempt's unfinished uploads (rank 0) before any rank chooses a checkpoint."""
        if self._tracker_option is None:
            return  # upload state kept in memory only: nothing an earlier process left can be found
        # An "auto" tracker lives in the trainer's default_root_dir; a path or a tracker needs no trainer.
        knows_tracker = trainer is not None or self._tracker_option != "auto"
        if _distributed.is_main_process():
            if not knows_tracker:
                self._chose_unrescued = True
                return
            self._session_for(trainer.default_root_dir if trainer is not None else ".").rescue_leftovers()
        elif knows_tracker and not _distributed.in_process_group():
            wait_for_rescue_elsewhere(self.run, RESCUE_WAIT)
        # In a process group, rank 0 rescues before choosing and the others wait for its choice.

    # -- checkpoints -------------------------------------------------------------------------------
    def _saved(self, trainer: pl.Trainer, path: Path, weights_only: bool) -> None:
        """Every rank, right after ``trainer.save_checkpoint(path)`` returned: hand the checkpoint over."""
        if self._collective:
            self._save_node_local(trainer, path, weights_only)
        elif self._session is not None:
            self._session.touch()
            self._hand_over(trainer, path, weights_only)

    def _hand_over(self, trainer: pl.Trainer, path: Path, weights_only: bool) -> None:
        assert self._session is not None
        try:
            real = path.resolve(strict=True)  # save_last="link" makes last.ckpt a symlink
            info = real.stat()
        except OSError:
            logger.warning(
                "the checkpoint saved to %s is not a local file or folder (a remote URL?); it is not uploaded", path
            )
            return
        # The path is part of it: a deleted file's inode is reused at once, and timestamps are coarse.
        identity = (str(real), info.st_ino, info.st_mtime_ns, info.st_size)
        if identity in self._handed_over:
            return
        self._handed_over.add(identity)
        step, epoch, metrics = trainer.global_step, trainer.current_epoch, dict(trainer.callback_metrics)
        extra: dict[str, Any] = {"weights_only": weights_only}
        if self._failing is not None:
            extra["on_exception"] = True
        if real.is_dir():  # a sharded (FSDP / DeepSpeed) checkpoint is a folder already
            self._session.checkpoint(real, step=step, epoch=epoch, metrics=metrics, name=path.name, extra=extra)
            return
        # The engine uploads folders: give the file a folder of its own, a hard link in the staging root (never
        # beside it, where save_top_k and users list checkpoints), which the engine stages before we remove it.
        holder = folder_for_file(real, path.name)
        try:
            self._session.checkpoint(holder, step=step, epoch=epoch, metrics=metrics, name=path.stem, extra=extra)
        finally:
            remove_handover(holder)

    def _make_way(self, trainer: pl.Trainer, path: Path) -> None:
        """Collective, before every save: a folder saved again while its last upload runs is moved out of the way.

        ``save_last=True`` writes ``last.ckpt`` again at every save; a sharded one is a folder whose files
        would be rewritten in place under the previous upload's staged links. The process that handed the
        folder over removes it (the links keep its bytes), and every rank waits for that before writing.
        """
        if self._collective:
            if trainer.local_rank == 0:
                self._node_local.in_flight.release(path)
        elif self._session is not None:
            self._session.in_flight.release(path)
        _distributed.barrier()

    def _save_node_local(self, trainer: pl.Trainer, path: Path, weights_only: bool) -> None:
        """Collective, right after every rank wrote ``path``: every node's files of it become one asset."""
        if self._session is not None:
            self._session.touch()
        local_first = trainer.local_rank == 0
        holders: list[Path] = []

        def contribution() -> Path | None:
            if local_first and path.is_dir():
                return path
            if local_first and path.is_file():  # a consolidated file, on the node that wrote it
                holders.append(folder_for_file(path))
                return holders[-1]
            return None

        try:
            self._node_local.save(
                contribution,
                tracker=lambda: (
                    self._node_local.tracker(self._session, trainer.default_root_dir) if local_first else None
                ),
                name=path.name if path.is_dir() else path.stem,
                step=trainer.global_step,
                epoch=trainer.current_epoch,
                metrics=dict(trainer.callback_metrics),
                session=self._session,
                extra={"weights_only": weights_only},
            )
        finally:
            for holder in holders:
                remove_handover(holder)

    def _end_after_exception(self, trainer: pl.Trainer) -> None:
        """Every checkpoint callback saved on the exception: drain, then fail the run (once)."""
        atexit.unregister(self._end_after_exception)
        exception, self._failing = self._failing, None
        if exception is None:
            return
        self._detach(trainer)
        from methodic.errors import RunTerminated
        from methodic.heartbeat import sigterm_raises

        try:
            with sigterm_raises():  # Lightning's handler only notes a second SIGTERM: let it cut the drain
                self._node_local.drain(self._drain_timeout)  # this node's part only: the other ranks may be gone
        except (KeyboardInterrupt, RunTerminated):
            pass  # asked again to stop: fail the run without waiting any longer
        if self._session is not None and self.end_run:
            self._session.abort(exception)

    def _detach(self, trainer: pl.Trainer) -> None:
        if self._unwrap_load is not None:
            self._unwrap_load()
            self._unwrap_load = None
        if self._unwrap_save is not None:
            self._unwrap_save()
            self._unwrap_save = None
        if self._listener is not None:
            trainer.loggers = [lg for lg in trainer.loggers if lg is not self._listener]
            self._listener = None

    def _environment(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> dict[str, Any] | None:
        if self.environment is False:
            return None
        extra: dict[str, Any] = {
            "trainer": {
                "framework": "lightning",
                "version": importlib.metadata.version("lightning"),
                "max_epochs": trainer.max_epochs,
                "max_steps": trainer.max_steps,
                "precision": str(trainer.precision),
                "strategy": type(trainer.strategy).__name__,
                "world_size": trainer.world_size,
            },
            "hyperparameters": jsonable(dict(pl_module.hparams)),
        }
        if isinstance(self.environment, Mapping):
            extra.update(self.environment)
        return capture(**extra)
