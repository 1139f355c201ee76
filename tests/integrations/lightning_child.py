"""A Lightning ``fit`` under ``ChronicleCallback`` in a process of its own, for tests that signal or kill it.

python lightning_child.py ROOT [options]   (the run from CHRONICLE_* variables)

It prints ``STEP <n>`` after every batch and ``ENDING`` when ``fit`` ends, right before the callback's
``on_fit_end`` waits for the last uploads, so the test knows when to send its signal. The checkpoint to
resume from is chosen the way the README says, ``download_checkpoint("resume", trainer=trainer)``; a
requeued job is this same command run again.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))

import lightning.pytorch as pl
import lightning_runner
from lightning.pytorch.callbacks import ModelCheckpoint, OnExceptionCheckpoint

from methodic.integrations.lightning import ChronicleCallback


class Progress(pl.Callback):
    """Says how far training got; sleeps after each batch if asked; kills itself at a step if asked."""

    def __init__(self, sleep: float, kill_at: int | None) -> None:
        self.sleep = sleep
        self.kill_at = kill_at

    def on_train_batch_start(self, trainer: pl.Trainer, *args: Any) -> None:
        if self.kill_at is not None and trainer.global_step == self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)  # the save of that step was handed over: its upload is in flight

    def on_train_batch_end(self, trainer: pl.Trainer, *args: Any) -> None:
        print(f"STEP {trainer.global_step}", flush=True)
        if self.sleep:
            time.sleep(self.sleep)

    def on_fit_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        print("ENDING", flush=True)  # runs before ChronicleCallback's on_fit_end: listed before it


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path)
    parser.add_argument("--max-steps", type=int, default=8)
    parser.add_argument("--every", type=int, default=2, help="ModelCheckpoint(every_n_train_steps=...)")
    parser.add_argument("--sleep", type=float, default=0.0)
    parser.add_argument("--kill-at", type=int, default=None)
    parser.add_argument("--save-on-exception", action="store_true")
    parser.add_argument("--on-exception-checkpoint", action="store_true")
    parser.add_argument("--drain-timeout", type=float, default=25.0)
    parser.add_argument("--choose-only", action="store_true", help="print the checkpoint chosen, do not train")
    args = parser.parse_args()

    if args.choose_only:  # a process of a multi-process job before fit: no process group yet, RANK says who it is
        alone = ChronicleCallback(heartbeat_interval=30, upload_tracker=args.root / "methodic-uploads.sqlite")
        chosen = alone.download_checkpoint(args.root / f"resume-{os.environ.get('RANK', '0')}")
        print("CHOSE", Path(chosen).parent.name if chosen else None, flush=True)
        return

    pl.seed_everything(0, verbose=False)
    chronicle = ChronicleCallback(heartbeat_interval=30, drain_timeout=args.drain_timeout)
    callbacks: list[pl.Callback] = [
        Progress(args.sleep, args.kill_at),
        chronicle,
        ModelCheckpoint(
            dirpath=args.root / "checkpoints",
            every_n_train_steps=args.every,
            save_top_k=1,
            save_on_exception=args.save_on_exception,
        ),
    ]
    if args.on_exception_checkpoint:
        callbacks.append(OnExceptionCheckpoint(dirpath=args.root / "checkpoints"))
    trainer = pl.Trainer(
        default_root_dir=str(args.root),
        max_steps=args.max_steps,
        accelerator="cpu",
        devices=1,
        logger=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        log_every_n_steps=1,
        callbacks=callbacks,
    )
    model = lightning_runner.Regression()
    ckpt_path = chronicle.download_checkpoint(args.root / "resume", trainer=trainer)
    trainer.fit(model, lightning_runner.data(), ckpt_path=ckpt_path)
    print("FIRST_STEP", min(model.losses), flush=True)


if __name__ == "__main__":
    main()
