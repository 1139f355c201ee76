"""A HuggingFace-Trainer/Accelerate-style runner: `accelerator.save_state(dir)` / `load_state(dir)`.

Uses accelerate when installed; otherwise a stand-in Accelerator that writes the same kind of
directory (several files: weights, optimizer, scheduler, RNG), which is exactly what the SDK uploads.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from checkpointing import train_with_checkpoints

from methodic import Chronicle


class StandInAccelerator:
    """The two Accelerate calls a checkpointing runner uses, writing several files like the real one."""

    def __init__(self) -> None:
        self.global_step = 0

    def save_state(self, output_dir: str) -> None:
        out = Path(output_dir)
        (out / "model.safetensors").write_bytes(b"\0" * 4096)
        (out / "optimizer.bin").write_bytes(b"\1" * 2048)
        (out / "scheduler.bin").write_bytes(b"\2" * 16)
        (out / "random_states_0.pkl").write_bytes(b"\3" * 32)
        (out / "trainer_state.json").write_text(json.dumps({"global_step": self.global_step}))

    def load_state(self, input_dir: str) -> None:
        self.global_step = json.loads((Path(input_dir) / "trainer_state.json").read_text())["global_step"]


def new_accelerator() -> Any:
    try:  # pragma: no cover - depends on the environment
        from accelerate import Accelerator

        return Accelerator(cpu=True)
    except ImportError:
        return StandInAccelerator()


def run_hf_style(chronicle: Chronicle, experiment_id: str, variation: int, run_number: int, workdir: Path) -> int:
    """Train under the managed lifecycle; returns the step the run resumed from."""
    accelerator = new_accelerator()
    state = {"step": 0}

    def train_step(step: int) -> None:
        state["step"] = step
        if isinstance(accelerator, StandInAccelerator):
            accelerator.global_step = step

    def save_state(ckpt: Path, step: int) -> None:
        accelerator.save_state(str(ckpt))  # model, optimizer, scheduler, scaler, RNG
        (ckpt / "step.json").write_text(json.dumps({"step": step}))

    def load_state(ckpt: Path) -> int:
        accelerator.load_state(str(ckpt))
        # or, with the HF Trainer: trainer.train(resume_from_checkpoint=str(ckpt))
        return int(json.loads((ckpt / "step.json").read_text())["step"])

    run = chronicle.run(experiment_id, variation, run_number)
    with run.lifecycle(heartbeat_interval=30):
        return train_with_checkpoints(
            run,
            workdir=workdir,
            steps=6,
            checkpoint_every=2,
            train_step=train_step,
            save_state=save_state,
            load_state=load_state,
        )
