"""The Lightning integration: ``Trainer(callbacks=[ChronicleCallback()])`` records the run.

Lightning writes a checkpoint file inside ``ModelCheckpoint`` and, with ``save_top_k``, deletes the
one it displaced right after. The moment between the two is ``Logger.after_save_checkpoint``, the
hook Lightning's own W&B, Neptune and MLflow loggers upload from; this callback listens there (it
adds a listener to ``trainer.loggers`` for the length of ``fit`` and removes it after), hands the
new file over (staged at once, so the deletion that follows cannot take it), and uses Lightning's
callback hooks for the rest: ``on_fit_start`` starts the run, ``on_exception`` fails it after queued
uploads drain, ``on_fit_end`` ends it succeeded once every upload is ready. Everything happens on
global rank zero only, which is right for a consolidated ``.ckpt`` and for sharded checkpoints on a
shared filesystem::

    callback = ChronicleCallback()                      # run from CHRONICLE_* variables
    trainer = L.Trainer(max_epochs=3, callbacks=[callback, ModelCheckpoint(save_top_k=1, monitor="loss")])
    trainer.fit(model, data, ckpt_path=callback.download_checkpoint("resume"))

Sharded checkpoints (``ModelParallelStrategy``, FSDP) on nodes without a shared filesystem
are written by every rank into the same path on its own node's disk, so no single process sees them
all. ``ChronicleCallback(node_local=True)`` makes each save one asset from every node's files: the
rank-zero-only logger hook cannot drive a collective, so the callback wraps ``trainer.save_checkpoint``
(which Lightning calls on every rank and ends with a barrier) for the length of ``fit``, and every
rank joins the collective upload right after the write, before ``save_top_k`` can delete anything.

Importing this module imports ``lightning``.
"""

from __future__ import annotations

import importlib.metadata
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import lightning.pytorch as pl
from lightning.pytorch.loggers import Logger

from methodic._constants import DEFAULT_DRAIN_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL, LOGGER_NAME
from methodic.environment import capture
from methodic.integrations import _distributed
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

if TYPE_CHECKING:
    from methodic._client import Chronicle
    from methodic.run import Run
    from methodic.transfer.tracker import UploadTracker

__all__ = ["ChronicleCallback"]

logger = logging.getLogger(LOGGER_NAME)


class ChronicleCallback(pl.Callback):
    """Records a Lightning ``fit`` in Chronicle: start, environment, heartbeats, checkpoints, end.

    Args:
        run: the run to record; by default from ``experiment_id`` / ``variation`` / ``run_index`` or
            ``CHRONICLE_EXPERIMENT_ID`` / ``CHRONICLE_VARIATION`` / ``CHRONICLE_RUN``, on ``chronicle``
            or ``Chronicle.from_env()``.
        upload_checkpoints: upload every checkpoint ``ModelCheckpoint`` writes (asset type
            ``checkpoint``, ``asset_config`` with ``step``, ``epoch`` and the current callback metrics).
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
        self._listener: _SaveListener | None = None
        self._handed_over: set[tuple[str, int, int, int]] = set()
        self.node_local = node_local
        self._node_local = NodeLocalCheckpoints(self.run, "lightning", upload_tracker)
        self._unwrap_save: Callable[[], None] | None = None

    def __repr__(self) -> str:
        return f"<ChronicleCallback {self.run!r}>"

    @property
    def session(self) -> TrainingSession | None:
        """The session on global rank zero once ``fit`` started (None on other ranks)."""
        return self._session

    # -- Lightning hooks ---------------------------------------------------------------------------
    def on_fit_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        """Start the run, upload the environment, and listen for saved checkpoints (rank zero only).

        With ``node_local=True`` in a process group every rank listens, at ``trainer.save_checkpoint``.
        """
        collective = self.upload_checkpoints and self.node_local and _distributed.in_process_group()
        if self.upload_checkpoints:
            after = (lambda path: self._save_node_local(trainer, path)) if collective else None
            self._unwrap_save = _around_every_save(trainer, lambda path: self._make_way(trainer, path), after)
        if not trainer.is_global_zero:
            return
        self._session = TrainingSession(
            self.run,
            framework="lightning",
            upload_tracker=open_tracker(self._tracker_option, auto_dir=trainer.default_root_dir),
            heartbeat_interval=self._heartbeat_interval,
            drain_timeout=self._drain_timeout,
            owns_tracker=owns_tracker(self._tracker_option),
            idle_timeout=self._idle_timeout,
        )
        self._session.begin(self._environment(trainer, pl_module))
        if self.upload_checkpoints and not collective:
            # Added after setup(), so ModelCheckpoint has already resolved its folder without us.
            self._listener = _SaveListener(self, trainer)
            trainer.loggers = [*trainer.loggers, self._listener]

    def on_train_batch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule, *args: Any) -> None:
        """Training made progress: keep the heartbeats going."""
        if self._session is not None:
            self._session.touch()

    def on_validation_batch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule, *args: Any) -> None:
        """Validation made progress: keep the heartbeats going."""
        if self._session is not None:
            self._session.touch()

    def on_exception(self, trainer: pl.Trainer, pl_module: pl.LightningModule, exception: BaseException) -> None:
        """Fail the run (``abandoned`` for an interrupt), after letting queued uploads finish."""
        self._detach(trainer)
        self._node_local.drain(self._drain_timeout)  # this node's part only: the other ranks may be gone
        if self._session is not None and self.end_run:
            self._session.abort(exception)

    def on_fit_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        """End the run succeeded once every checkpoint upload is ready (failed if one failed).

        Node-local checkpoints are waited for first, collectively (every rank runs ``on_fit_end``).
        """
        self._detach(trainer)
        if self._node_local.pending:
            self._node_local.wait(self._session)
        if self._session is not None and self.end_run:
            self._session.finish()

    def download_checkpoint(
        self, dest: Path | str, step: int | None = None, *, from_inputs: bool = False, shared_filesystem: bool = False
    ) -> str | None:
        """The newest ready checkpoint (or the one at ``step``) on every node, as ``trainer.fit(ckpt_path=...)`` wants.

        Returns the ``.ckpt`` file's path (the folder's, for a sharded checkpoint saved as a folder), or
        None when the variation has no checkpoint yet, so ``fit`` starts fresh.
        """
        got = download_checkpoint_on_every_node(
            self.run, dest, step, from_inputs=from_inputs, shared_filesystem=shared_filesystem
        )
        if got is None:
            return None
        folder = got.path
        entries = [e for e in folder.iterdir() if not e.name.startswith(".methodic-")]  # a killed download's leftovers
        if len(entries) == 1 and entries[0].is_file():
            return str(entries[0])
        return str(folder)

    # -- checkpoints -------------------------------------------------------------------------------
    def _checkpoint_saved(self, trainer: pl.Trainer, checkpoint_callback: Any) -> None:
        """Hand over the checkpoint ``checkpoint_callback`` just wrote (once per file state)."""
        if self._session is None:
            return
        self._session.touch()
        # ModelCheckpoint records the file it just wrote right before notifying loggers. Its best_k_models
        # also holds files restored from an earlier run's state, which must not be uploaded again under
        # today's step; scanning them is only the fallback for a checkpoint callback without that record.
        just_saved = getattr(checkpoint_callback, "_last_checkpoint_saved", None)
        if isinstance(just_saved, str) and just_saved:
            self._hand_over(trainer, Path(just_saved))
            return
        paths = [
            *getattr(checkpoint_callback, "best_k_models", {}),
            getattr(checkpoint_callback, "last_model_path", ""),
        ]
        for path in dict.fromkeys(p for p in paths if p):
            self._hand_over(trainer, Path(path))

    def _hand_over(self, trainer: pl.Trainer, path: Path) -> None:
        assert self._session is not None
        try:
            real = path.resolve(strict=True)  # save_last="link" makes last.ckpt a symlink
            info = real.stat()
        except OSError:
            return  # already rotated away before we heard of it: it was handed over at its own save
        # The path is part of it: a deleted file's inode is reused at once, and timestamps are coarse.
        identity = (str(real), info.st_ino, info.st_mtime_ns, info.st_size)
        if identity in self._handed_over:
            return
        self._handed_over.add(identity)
        step, epoch, metrics = trainer.global_step, trainer.current_epoch, dict(trainer.callback_metrics)
        if real.is_dir():  # a sharded (FSDP / DeepSpeed) checkpoint is a folder already
            self._session.checkpoint(real, step=step, epoch=epoch, metrics=metrics, name=path.name)
            return
        # The engine uploads folders: give the file a folder of its own, a hard link beside it, which
        # the engine stages before we remove it again.
        holder = _holder_for(real, path.name)
        try:
            self._session.checkpoint(holder, step=step, epoch=epoch, metrics=metrics, name=path.stem)
        finally:
            shutil.rmtree(holder, ignore_errors=True)

    def _make_way(self, trainer: pl.Trainer, path: Path) -> None:
        """Collective, before every save: a folder saved again while its last upload runs is moved out of the way.

        ``save_last=True`` writes ``last.ckpt`` again at every save; a sharded one is a folder whose files
        would be rewritten in place under the previous upload's staged links. The process that handed the
        folder over removes it (the links keep its bytes), and every rank waits for that before writing.
        """
        if self.node_local and _distributed.in_process_group():
            if trainer.local_rank == 0:
                self._node_local.in_flight.release(path)
        elif self._session is not None:
            self._session.in_flight.release(path)
        _distributed.barrier()

    def _save_node_local(self, trainer: pl.Trainer, path: Path) -> None:
        """Collective, right after every rank wrote ``path``: every node's files of it become one asset."""
        if self._session is not None:
            self._session.touch()
        local_first = trainer.local_rank == 0
        holders: list[Path] = []

        def contribution() -> Path | None:
            if local_first and path.is_dir():
                return path
            if local_first and path.is_file():  # a consolidated file, on the node that wrote it
                holders.append(_holder_for(path))
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
            )
        finally:
            for holder in holders:
                shutil.rmtree(holder, ignore_errors=True)

    def _detach(self, trainer: pl.Trainer) -> None:
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


def _holder_for(file: Path, name: str | None = None) -> Path:
    """A folder of its own beside ``file`` holding a hard link to it (the engine uploads folders)."""
    holder = Path(tempfile.mkdtemp(prefix=".methodic-", dir=file.parent))
    try:
        os.link(file, holder / (name or file.name))
    except OSError:
        shutil.copy2(file, holder / (name or file.name))
    return holder


def _around_every_save(
    trainer: pl.Trainer, before: Callable[[Path], None], after: Callable[[Path], None] | None
) -> Callable[[], None]:
    """Call ``before(path)`` and ``after(path)`` on every rank around each ``trainer.save_checkpoint``.

    ``Trainer.save_checkpoint`` is the one point Lightning runs on every rank both before a checkpoint is
    written and after it is complete (it ends with the strategy's barrier), before ``ModelCheckpoint``
    deletes the one it displaced; its callback and logger hooks run either before the write or on rank
    zero only. Returns the undo.
    """
    save = trainer.save_checkpoint

    def save_checkpoint(filepath: Any, weights_only: bool | None = None, storage_options: Any = None) -> None:
        before(Path(filepath))
        save(filepath, weights_only, storage_options)
        if after is not None:
            after(Path(filepath))

    trainer.save_checkpoint = save_checkpoint  # type: ignore[method-assign]

    def undo() -> None:
        if trainer.__dict__.get("save_checkpoint") is save_checkpoint:
            del trainer.__dict__["save_checkpoint"]

    return undo


class _SaveListener(Logger):
    """Lightning calls ``after_save_checkpoint`` on loggers between writing a checkpoint and rotating the old one."""

    def __init__(self, owner: ChronicleCallback, trainer: pl.Trainer) -> None:
        super().__init__()
        self._owner = owner
        self._trainer = trainer
        self._root = trainer.default_root_dir

    @property
    def name(self) -> str:
        return "methodic"

    @property
    def version(self) -> str:
        return "0"

    @property
    def save_dir(self) -> str:
        return self._root

    def log_metrics(self, metrics: Mapping[str, float], step: int | None = None) -> None:
        """Metrics reach the checkpoints through ``trainer.callback_metrics``; nothing to do here."""

    def log_hyperparams(self, params: Any, *args: Any, **kwargs: Any) -> None:
        """Hyperparameters go into the environment snapshot at ``on_fit_start``."""

    def after_save_checkpoint(self, checkpoint_callback: Any) -> None:
        """Hand the checkpoint just written over before ``ModelCheckpoint`` deletes the one it displaced."""
        self._owner._checkpoint_saved(self._trainer, checkpoint_callback)
