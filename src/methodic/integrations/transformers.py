"""The HF ``Trainer`` integration: ``Trainer(..., callbacks=[ChronicleCallback()])`` records the run.

What it does that the peers' callbacks (wandb, mlflow, neptune) get wrong: a checkpoint is handed over
in ``on_save``, after every process has finished writing it (a barrier, so no rank's files are
missing) and before the Trainer's next save can rotate it away (it is staged at once, so
``save_total_limit=1`` loses nothing); only global rank 0 uploads (one asset per save, however many
processes); and the run ends honestly. The Trainer calls no callback when training raises, so wrap
the call once to cover that::

    callback = ChronicleCallback()                       # run from CHRONICLE_* variables
    trainer = Trainer(model, args, train_dataset=ds, callbacks=[callback])
    callback.train(trainer, resume=True)                 # resumes from the newest checkpoint, if any

Importing this module imports ``transformers``.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

from transformers import TrainerCallback
from transformers.trainer_utils import PREFIX_CHECKPOINT_DIR

from methodic._constants import DEFAULT_DRAIN_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL, LOGGER_NAME
from methodic.environment import capture
from methodic.errors import RunTerminated
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
    from transformers import Trainer, TrainerControl, TrainerState, TrainingArguments

    from methodic._client import Chronicle
    from methodic.run import Run
    from methodic.transfer.futures import AssetUpload
    from methodic.transfer.handover import DeferredUpload
    from methodic.transfer.tracker import UploadTracker

__all__ = ["ChronicleCallback"]

logger = logging.getLogger(LOGGER_NAME)

FINAL_MODEL_DIR = "final-model"


class ChronicleCallback(TrainerCallback):
    """Records a HF ``Trainer`` run in Chronicle: start, environment, heartbeats, checkpoints, end.

    Args:
        run: the run to record; by default ``chronicle.run(experiment_id, variation, run_index)``, with
            each part from its argument or ``CHRONICLE_EXPERIMENT_ID`` / ``CHRONICLE_VARIATION`` /
            ``CHRONICLE_RUN``, on ``chronicle`` or ``Chronicle.from_env()``.
        upload_checkpoints: upload every checkpoint folder the Trainer saves (asset type ``checkpoint``,
            ``asset_config`` with ``step``, ``epoch`` and the latest logged metrics).
        upload_final_model: when training ends, ``save_pretrained`` the model (and tokenizer or
            processor) into ``<output_dir>/final-model`` and upload it as a ``snapshot``.
        upload_tracker: where upload state is kept for crash recovery: ``"auto"`` (the default) puts
            ``methodic-uploads.sqlite`` in the output dir, a path or tracker is used as given, None keeps
            it in memory only.
        environment: upload ``methodic.environment.capture()`` with the resolved ``TrainingArguments``
            and the model config; a mapping is merged in, False skips it.
        end_run: mark the run succeeded when training returns and every upload is ready. Without
            :meth:`train` or :meth:`guard`, an exception in training leaves the run to the watchdog.
        idle_timeout: heartbeats stop after this many seconds without a step, log or save, so that a
            process that outlives a crash (a notebook) or hangs does not keep its run alive forever.
        node_local: for nodes without a shared filesystem, each writing ``output_dir`` on its own disk:
            every save becomes one asset from every node's folder (each node's first process contributes
            it; ``upload_directory_async(distributed=True)``), waited for by all ranks when training ends.
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
        upload_final_model: bool = False,
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
        self.upload_final_model = upload_final_model
        self.environment = environment
        self.end_run = end_run
        self._tracker_option = upload_tracker
        self._heartbeat_interval = heartbeat_interval
        self._drain_timeout = drain_timeout
        self._idle_timeout = idle_timeout
        self.node_local = node_local
        self._node_local = NodeLocalCheckpoints(self.run, "transformers", upload_tracker)
        self._session: TrainingSession | None = None
        self._guarded = False
        self._metrics: dict[str, Any] = {}
        #: SIGTERM arrived while HF's just-in-time checkpointing was on: the run was preempted.
        self._preempted = False
        self._handed_steps: set[int] = set()
        #: Each handed-over step's upload, and the steps whose folder made way before the JIT save rewrote it.
        self._handed_uploads: dict[int, AssetUpload | DeferredUpload] = {}
        self._made_way: set[int] = set()

    def __repr__(self) -> str:
        return f"<ChronicleCallback {self.run!r}>"

    @property
    def session(self) -> TrainingSession | None:
        """The session on the main process once training began (None on other ranks)."""
        return self._session

    def _session_for(self, output_dir: str | None) -> TrainingSession:
        if self._session is None:
            self._session = TrainingSession(
                self.run,
                framework="transformers",
                upload_tracker=open_tracker(self._tracker_option, auto_dir=output_dir or "."),
                heartbeat_interval=self._heartbeat_interval,
                drain_timeout=self._drain_timeout,
                owns_tracker=owns_tracker(self._tracker_option),
                idle_timeout=self._idle_timeout,
                # The session ends the run itself, so it waits for what it handed over: no round trip per save.
                defer_registration=self.end_run,
            )
        return self._session

    # -- Trainer hooks --------------------------------------------------------------------------
    def on_train_begin(
        self, args: TrainingArguments, state: TrainerState, control: TrainerControl, **kwargs: Any
    ) -> None:
        """Start the run on the main process and upload the environment snapshot."""
        if not state.is_world_process_zero:
            return
        session = self._session_for(args.output_dir)
        model = kwargs.get("model")
        session.begin(lambda: self._environment(args, model))  # captured off the training thread
        if getattr(args, "enable_jit_checkpoint", False):
            self._note_preemption()
        if not self._guarded and self.end_run:
            logger.info(
                "ChronicleCallback without callback.train(trainer) / callback.guard(): an exception in training "
                "will not end the run (heartbeats stop after %ss without progress, then the watchdog marks it lost)",
                self._idle_timeout,
            )

    def on_step_end(self, args: TrainingArguments, state: TrainerState, control: TrainerControl, **kwargs: Any) -> None:
        """Training made progress: keep the heartbeats going."""
        self._touch()

    def on_prediction_step(
        self, args: TrainingArguments, state: TrainerState, control: TrainerControl, **kwargs: Any
    ) -> None:
        """Evaluation made progress: keep the heartbeats going."""
        self._touch()

    def _touch(self) -> None:
        if self._session is not None:
            self._session.touch()

    def on_log(
        self,
        args: TrainingArguments,
        state: TrainerState,
        control: TrainerControl,
        logs: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        """Remember the latest value of every logged metric, for the next checkpoint's ``asset_config``."""
        self._touch()
        if logs:
            self._metrics.update(logs)

    def on_save(self, args: TrainingArguments, state: TrainerState, control: TrainerControl, **kwargs: Any) -> None:
        """Hand the checkpoint the Trainer just wrote to the SDK, once every process finished writing it."""
        _distributed.barrier()  # rank 1's rng_state_1.pth may still be in flight otherwise
        if self.upload_checkpoints and self.node_local and _distributed.in_process_group():
            self._save_node_local(args, state)
            return
        if not (self.upload_checkpoints and state.is_world_process_zero):
            return
        folder = Path(args.output_dir or ".") / f"{PREFIX_CHECKPOINT_DIR}-{state.global_step}"
        if not folder.is_dir():
            logger.warning(
                "the Trainer saved, but %s is not a folder; nothing uploaded for step %d", folder, state.global_step
            )
            return
        upload = self._session_for(args.output_dir).hand_over(
            folder,
            step=state.global_step,
            epoch=state.epoch,
            metrics=self._metrics,
            name=folder.name,
        )
        self._handed_steps.add(state.global_step)
        if upload is not None:
            self._handed_uploads[state.global_step] = upload

    def _note_preemption(self) -> None:
        """Chain HF's just-in-time SIGTERM handler: it still runs (and saves), and we know we were preempted."""
        if threading.current_thread() is not threading.main_thread():
            return
        previous = signal.getsignal(signal.SIGTERM)

        def preempted(signum: int, frame: Any) -> None:
            self._preempted = True
            if callable(previous):
                previous(signum, frame)

        signal.signal(signal.SIGTERM, preempted)

    def _hand_over_jit_checkpoint(self, args: TrainingArguments, state: TrainerState) -> None:
        """Upload the checkpoint HF's just-in-time save wrote on SIGTERM (it calls no ``on_save``)."""
        # The save may have landed at the start of a step the loop then finished: the newest checkpoint
        # folder, not global_step, is the one it wrote.
        output = Path(args.output_dir or ".")
        saved = {
            int(f.name.rpartition("-")[2]): f
            for f in output.glob(f"{PREFIX_CHECKPOINT_DIR}-*")
            if f.is_dir() and f.name.rpartition("-")[2].isdigit()
        }
        if not saved:
            logger.error("SIGTERM arrived, but no just-in-time checkpoint was written in %s", output)
            return
        step = max(saved)
        folder = saved[step]
        if step in self._handed_steps and not self._jit_rewrote_an_upload(step):
            return  # it landed on a step already saved and uploaded: the same weights, nothing new
        if (folder / "checkpoint-is-incomplete.txt").exists():
            logger.error("the just-in-time checkpoint %s is incomplete; not uploaded", folder)
            return
        self._session_for(args.output_dir).hand_over(
            folder, step=step, epoch=state.epoch, metrics=self._metrics, name=folder.name, extra={"jit": True}
        )
        self._handed_steps.add(step)

    def _jit_rewrote_an_upload(self, step: int) -> bool:
        """Whether HF's just-in-time save rewrote, in place, the folder of ``step`` while its upload was running.

        Without :meth:`train` nothing moves that folder aside first, so the save truncates the files whose
        staged links the periodic upload is sending: that upload fails as changed (never torn), and the
        just-in-time folder, the same step's weights saved again, must be uploaded instead or the step is
        lost. An upload that was already ready before the save, or a folder that made way, lost nothing.
        """
        if step in self._made_way:
            return False
        earlier = self._handed_uploads.get(step)
        if earlier is None:
            return True  # its hand-over was refused: the just-in-time save is the only one
        return not earlier.done() or earlier.has_failures()

    def _save_node_local(self, args: TrainingArguments, state: TrainerState) -> None:
        """Every node's own ``checkpoint-N`` folder becomes one asset (collective: every rank is here)."""
        folder = Path(args.output_dir or ".") / f"{PREFIX_CHECKPOINT_DIR}-{state.global_step}"
        local_first = args.local_process_index == 0
        session = self._session_for(args.output_dir) if state.is_world_process_zero else None
        self._node_local.save(
            lambda: folder if local_first and folder.is_dir() else None,
            tracker=lambda: self._node_local.tracker(session, args.output_dir or ".") if local_first else None,
            name=folder.name,
            step=state.global_step,
            epoch=state.epoch,
            metrics=self._metrics,
            session=session,
        )

    def on_train_end(
        self, args: TrainingArguments, state: TrainerState, control: TrainerControl, **kwargs: Any
    ) -> None:
        """Upload the final model if asked, then (unless :meth:`guard` ends it) end the run succeeded."""
        if self._node_local.pending:  # collective: every rank gets here when training returns
            self._node_local.wait(self._session if state.is_world_process_zero else None)
        if not state.is_world_process_zero:
            return
        session = self._session_for(args.output_dir)
        if self._preempted:
            # HF stopped training after its just-in-time save: upload that checkpoint, then end the run as
            # preempted (abandoned, after the upload drained), never succeeded.
            self._hand_over_jit_checkpoint(args, state)
            if self.end_run and not self._guarded:
                session.abort(RunTerminated("SIGTERM: preempted; the just-in-time checkpoint was uploaded"))
            return
        if self.upload_final_model:
            folder = Path(args.output_dir or ".") / FINAL_MODEL_DIR
            self._save_final_model(folder, kwargs.get("model"), kwargs.get("processing_class"))
            step, epoch, metrics, extra = self._weights_of_final_model(args, state)
            session.checkpoint(
                folder,
                step=step,
                epoch=epoch,
                metrics=metrics,
                asset_type="snapshot",
                name=FINAL_MODEL_DIR,
                extra=extra,
            )
        if self.end_run and not self._guarded:
            session.finish()

    # -- the one line that also covers exceptions ---------------------------------------------------
    @contextmanager
    def guard(self, *, handle_sigterm: bool = True) -> Iterator[ChronicleCallback]:
        """Around ``trainer.train()``: an exception (or SIGTERM) fails the run after queued uploads drain.

        On a normal exit the run ends succeeded once every upload is ready. On ranks other than 0 it
        only passes exceptions through.
        """
        self._guarded = True
        try:
            if not _distributed.is_main_process():
                try:
                    yield self
                except BaseException:
                    self._node_local.drain(self._drain_timeout)  # this node's part of node-local checkpoints
                    raise
                return
            from methodic.heartbeat import sigterm_raises

            with sigterm_raises() if handle_sigterm else nullcontext():
                try:
                    yield self
                except BaseException as exc:
                    self._node_local.drain(self._drain_timeout)
                    # Failed before on_train_begin (a download, say): no tracker to open, just end the run.
                    session = self._session or TrainingSession(self.run, framework="transformers")
                    session.abort(exc)
                    raise
                if self.end_run and self._session is not None:
                    self._session.finish()  # fails the run itself if it cannot succeed
        finally:
            self._guarded = False

    def train(
        self,
        trainer: Trainer,
        *,
        resume: bool | Literal["inputs"] = False,
        step: int | None = None,
        resume_dir: Path | str | None = None,
        **train_kwargs: Any,
    ) -> Any:
        """``trainer.train()`` inside :meth:`guard`, resuming from Chronicle when ``resume`` is set.

        ``resume=True`` downloads the variation's newest ready checkpoint (or the one at ``step``) and
        starts fresh when there is none; ``resume="inputs"`` takes a checkpoint linked as an input of
        the variation instead (branching from another variation). Returns what ``trainer.train`` returns.
        """
        jit = bool(getattr(trainer.args, "enable_jit_checkpoint", False))
        # With just-in-time checkpointing HF's own SIGTERM handler saves and stops training; ours only notes it.
        with self.guard(handle_sigterm=not jit):
            if _distributed.is_main_process():  # a requeued job's unfinished uploads land before choosing
                self._session_for(trainer.args.output_dir).rescue_leftovers()
            if resume and "resume_from_checkpoint" not in train_kwargs:
                where = (
                    resume_dir if resume_dir is not None else Path(trainer.args.output_dir or ".") / "chronicle-resume"
                )
                train_kwargs["resume_from_checkpoint"] = self.download_checkpoint(
                    where, step, from_inputs=resume == "inputs"
                )
            if jit:
                self._make_way_before_saves(trainer)
            result = trainer.train(**train_kwargs)
            if self._preempted:  # the run ends abandoned (guard drains the JIT checkpoint's upload first)
                raise RunTerminated("SIGTERM: preempted; the just-in-time checkpoint was uploaded")
            return result

    def _make_way_before_saves(self, trainer: Trainer) -> None:
        """Before each save, move aside a folder of the same step whose upload still runs.

        HF's just-in-time save writes ``checkpoint-<step>`` again when it lands on a step just saved; the
        folder's staged links keep the bytes of the upload in flight, so neither save tears the other.
        """
        original = getattr(trainer, "_save_checkpoint", None)
        if original is None:
            return

        def save_making_way(model: Any, trial: Any, *args: Any, **kwargs: Any) -> Any:
            if self._session is not None:
                output = Path(trainer.args.output_dir or ".")
                step = trainer.state.global_step
                if self._session.in_flight.release(output / f"{PREFIX_CHECKPOINT_DIR}-{step}"):
                    self._made_way.add(step)
            return original(model, trial, *args, **kwargs)

        trainer._save_checkpoint = save_making_way  # type: ignore[method-assign]

    def download_checkpoint(
        self, dest: Path | str, step: int | None = None, *, from_inputs: bool = False, shared_filesystem: bool = False
    ) -> str | None:
        """The newest ready checkpoint (or the one at ``step``) downloaded on every node, as a path string.

        Pass it straight to ``trainer.train(resume_from_checkpoint=...)``; None starts fresh.
        """
        got = download_checkpoint_on_every_node(
            self.run, dest, step, from_inputs=from_inputs, shared_filesystem=shared_filesystem
        )
        return str(got.path) if got is not None else None

    # -- helpers ------------------------------------------------------------------------------------
    def _environment(self, args: TrainingArguments, model: Any) -> dict[str, Any] | None:
        if self.environment is False:
            return None
        import transformers

        extra: dict[str, Any] = {
            "trainer": {"framework": "transformers", "version": transformers.__version__},
            # to_json_string() is what the Trainer itself writes: hub tokens are already masked in it.
            "training_arguments": json.loads(cast(Any, args).to_json_string()),
        }
        config = getattr(model, "config", None)
        if config is not None and callable(getattr(config, "to_dict", None)):
            extra["model_config"] = jsonable(config.to_dict())
        if isinstance(self.environment, Mapping):
            extra.update(self.environment)
        return capture(**extra)

    def _weights_of_final_model(
        self, args: TrainingArguments, state: TrainerState
    ) -> tuple[int, float | None, dict[str, Any], dict[str, Any]]:
        """The step, epoch and metrics of the weights the final model holds, and how they were chosen.

        With ``load_best_model_at_end`` the Trainer reloaded the best checkpoint before ``on_train_end``:
        the snapshot then holds that step's weights, so it records that step and the metrics logged at it
        (``best_model_checkpoint`` and ``best_metric`` too), not the last step's.
        """
        best = getattr(state, "best_model_checkpoint", None)
        if getattr(args, "load_best_model_at_end", False) and best:
            suffix = Path(str(best)).name.rpartition("-")[2]
            if suffix.isdigit():
                step = int(suffix)
                logged: dict[str, Any] = {}
                epoch: float | None = None
                for entry in getattr(state, "log_history", None) or []:
                    if isinstance(entry, dict) and entry.get("step") == step:
                        logged.update(entry)
                        epoch = entry.get("epoch", epoch)
                extra: dict[str, Any] = {"weights": "best", "best_model_checkpoint": Path(str(best)).name}
                if getattr(state, "best_metric", None) is not None:
                    extra["best_metric"] = state.best_metric
                return step, epoch, logged, extra
        return state.global_step, state.epoch, dict(self._metrics), {"weights": "last"}

    @staticmethod
    def _save_final_model(folder: Path, model: Any, processing_class: Any) -> None:
        if model is None or not callable(getattr(model, "save_pretrained", None)):
            raise TypeError("upload_final_model needs a model with save_pretrained()")
        model.save_pretrained(str(folder))
        if processing_class is not None and callable(getattr(processing_class, "save_pretrained", None)):
            processing_class.save_pretrained(str(folder))
