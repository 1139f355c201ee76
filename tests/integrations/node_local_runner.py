"""Test runner: examples/lightning_runner.py with knobs to break it (two-node torchrun, node-local).

R18_PAD_BYTES: node 1 (global rank 1) writes one more file of that many bytes into every sharded
checkpoint folder (a node whose part of a checkpoint is bigger, so it uploads for longer).
R18_FAIL_AT_STEP: every rank raises in training at that global step (a crash after a save).
R18_FAIL_RANK: only this rank raises (default: every rank).
R18_SAVE_LAST: add ModelCheckpoint(save_last=True, save_top_k=0, every_n_train_steps=2).
R18_KILL_RANK: this rank kills itself with SIGKILL at R18_FAIL_AT_STEP (the others go on).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))

import lightning.pytorch as pl
import lightning_runner as lr

from methodic import output_above_progress

PAD = int(os.environ.get("R18_PAD_BYTES", "0"))
FAIL_AT = int(os.environ.get("R18_FAIL_AT_STEP", "0"))
FAIL_RANK = os.environ.get("R18_FAIL_RANK")
TAMPER_STEP = int(
    os.environ.get("R18_TAMPER_STEP", "0")
)  # node 1 rewrites its extra file in place, 1 s after this save
KILL_RANK = os.environ.get("R18_KILL_RANK")  # this rank kills itself (SIGKILL) at R18_FAIL_AT_STEP instead


class PaddedStrategy(lr.ModelParallelStrategy):
    def save_checkpoint(self, checkpoint: Any, filepath: Any, storage_options: Any = None) -> None:
        super().save_checkpoint(checkpoint, filepath, storage_options=storage_options)
        if PAD and self.global_rank == 1:
            extra = Path(filepath) / "node1-extra.bin"
            extra.write_bytes(os.urandom(PAD))
            if TAMPER_STEP and f"step={TAMPER_STEP}" in str(filepath):
                import threading
                import time

                def rewrite() -> None:  # in place (same inode), while the upload reads it
                    time.sleep(1.0)
                    with open(extra, "r+b") as f:
                        f.write(b"x" * 1024)

                threading.Thread(target=rewrite, daemon=True).start()


lr.ModelParallelStrategy = PaddedStrategy  # type: ignore[misc]


class Crash(pl.Callback):
    def on_train_batch_start(self, trainer: pl.Trainer, *args: Any) -> None:
        if FAIL_AT and trainer.global_step == FAIL_AT and KILL_RANK is not None:
            if int(KILL_RANK) == trainer.global_rank:
                import signal

                os.kill(os.getpid(), signal.SIGKILL)
            return
        if FAIL_AT and trainer.global_step == FAIL_AT and (FAIL_RANK is None or int(FAIL_RANK) == trainer.global_rank):
            raise RuntimeError(f"boom at step {trainer.global_step} on rank {trainer.global_rank}")


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--root-dir", type=Path, required=True)
    parser.add_argument("--max-steps", type=int, default=4)
    parser.add_argument("--sharded", action="store_true")
    parser.add_argument("--node-local", action="store_true")
    args = parser.parse_args()
    extra: list[pl.Callback] = [Crash()]
    if os.environ.get("R18_SAVE_LAST"):  # a second ModelCheckpoint keeping last.ckpt (saved again at the same path)
        from lightning.pytorch.callbacks import ModelCheckpoint

        extra.append(ModelCheckpoint(save_last=True, save_top_k=0, every_n_train_steps=2))
    with output_above_progress():
        model = lr.fit(
            args.root_dir,
            max_steps=args.max_steps,
            sharded=args.sharded,
            node_local=args.node_local,
            extra_callbacks=extra,
        )
    first, last = min(model.losses), max(model.losses)
    print(f"trained steps {first}..{last}")


if __name__ == "__main__":
    main()
