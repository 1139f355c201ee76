"""What the Lightning integration changes on a trainer for the length of ``fit``, each with its undo.

The callback (:mod:`methodic.integrations.lightning`) decides when a checkpoint is handed over and when the run
ends; this module holds the few places it reaches into Lightning to learn that: the wrapper around
``trainer.save_checkpoint`` (the one point every save goes through), the logger whose ``finalize("failed")``
says every checkpoint callback has saved on an exception, and the strategy's load that lets a weights-only
checkpoint resume with fresh optimizers. Kept apart so the callback reads as policy, and each patch is
undone the same way (only if it is still ours).

Importing this module imports ``lightning``.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import lightning.pytorch as pl
from lightning.pytorch.loggers import Logger

from methodic._constants import LOGGER_NAME

if TYPE_CHECKING:
    from methodic.run import Run

logger = logging.getLogger(LOGGER_NAME)


def weights_only_loads_fresh(trainer: pl.Trainer, paths: set[str]) -> Callable[[], None]:
    """Make ``trainer.strategy.load_checkpoint`` give a weights-only checkpoint of ``paths`` empty optimizer states.

    Lightning loads the states it restores pairwise with the optimizers and schedulers it built (``zip``):
    empty lists restore none, so they start fresh, where a missing key raises ``KeyError``. Returns the undo.
    """
    strategy = trainer.strategy
    load = strategy.load_checkpoint

    def load_checkpoint(checkpoint_path: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        checkpoint = load(checkpoint_path, *args, **kwargs)
        if isinstance(checkpoint, dict) and os.path.abspath(str(checkpoint_path)) in paths:
            checkpoint.setdefault("optimizer_states", [])
            checkpoint.setdefault("lr_schedulers", [])
        return checkpoint

    strategy.load_checkpoint = load_checkpoint  # type: ignore[method-assign]

    def undo() -> None:
        if strategy.__dict__.get("load_checkpoint") is load_checkpoint:
            del strategy.__dict__["load_checkpoint"]

    return undo


def wait_for_rescue_elsewhere(run: Run, timeout: float) -> None:
    """Outside a process group, a process other than rank 0 cannot be told when rank 0 finished rescuing.

    Its checkpoints still pending on the server are what rank 0 finishes (or gives up on) first; waiting
    until none is left (at most ``timeout`` s) makes this process choose the checkpoint rank 0 chooses.
    """
    deadline = time.monotonic() + timeout
    while True:
        pending = [a.id for a in run.list_outputs() if a.asset_type == "checkpoint" and a.state == "pending"]
        if not pending:
            return
        if time.monotonic() >= deadline:
            logger.warning(
                "checkpoint(s) %s of %r are still pending after %.0fs: choosing without them",
                ", ".join(pending),
                run,
                timeout,
            )
            return
        time.sleep(1.0)


def around_every_save(
    trainer: pl.Trainer, before: Callable[[Path], None], after: Callable[[Path, bool], None]
) -> Callable[[], None]:
    """Call ``before(path)`` and ``after(path, weights_only)`` on every rank around each ``trainer.save_checkpoint``.

    ``Trainer.save_checkpoint`` is the one point every save during ``fit`` goes through (``ModelCheckpoint``,
    ``OnExceptionCheckpoint``, a call by hand), on every rank, both before a checkpoint is written and
    after it is complete (it ends with the strategy's barrier), before ``ModelCheckpoint`` deletes the
    one it displaced. Returns the undo.
    """
    save = trainer.save_checkpoint

    def save_checkpoint(filepath: Any, weights_only: bool | None = None, storage_options: Any = None) -> None:
        before(Path(filepath))
        save(filepath, weights_only, storage_options)
        after(Path(filepath), bool(weights_only))

    trainer.save_checkpoint = save_checkpoint  # type: ignore[method-assign]

    def undo() -> None:
        if trainer.__dict__.get("save_checkpoint") is save_checkpoint:
            del trainer.__dict__["save_checkpoint"]

    return undo


class EndListener(Logger):
    """Lightning calls ``finalize("failed")`` on loggers after every callback's ``on_exception``: the run ends there."""

    def __init__(self, on_failed: Callable[[], None], root: str) -> None:
        super().__init__()
        self._on_failed = on_failed
        self._root = root

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

    def finalize(self, status: str) -> None:
        """After a failed ``fit``: every checkpoint callback has saved on the exception, so the run may end."""
        if status == "failed":
            self._on_failed()
