"""A real HuggingFace ``Trainer`` run recorded in Chronicle with one callback.

    CHRONICLE_SERVER_URL=... CHRONICLE_API_KEY=... \
    CHRONICLE_EXPERIMENT_ID=... CHRONICLE_VARIATION=0 CHRONICLE_RUN=0 \
        python examples/hf_trainer.py --output-dir out [--max-steps 12] [--save-steps 4]

A two-layer GPT-2 built from a config (nothing is downloaded) learns a synthetic sequence task on the
CPU in a few seconds. ``ChronicleCallback`` starts the run, snapshots the environment with the
resolved TrainingArguments, uploads every checkpoint the Trainer saves (``save_total_limit=1``
rotates them away right after: nothing is lost), and ends the run. ``callback.train(trainer,
resume=True)`` resumes a continuation run from the variation's newest checkpoint and fails the run
honestly if training raises.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import torch
from transformers import GPT2Config, GPT2LMHeadModel, Trainer, TrainerCallback, TrainingArguments

from methodic import Run, output_above_progress
from methodic.integrations.transformers import ChronicleCallback

SEQUENCE_LENGTH = 16
VOCAB = 256


class CountingDataset(torch.utils.data.Dataset[dict[str, torch.Tensor]]):
    """Sequences that count upward from a random start: easy to learn, so the loss visibly falls."""

    def __init__(self, size: int = 256, seed: int = 0) -> None:
        generator = torch.Generator().manual_seed(seed)
        starts = torch.randint(0, VOCAB, (size, 1), generator=generator)
        self.rows = (starts + torch.arange(SEQUENCE_LENGTH)) % VOCAB

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> dict[str, torch.Tensor]:
        return {"input_ids": self.rows[index], "labels": self.rows[index]}


def tiny_gpt2() -> GPT2LMHeadModel:
    """A GPT-2 small enough to train on a CPU in seconds, built from a config (no download)."""
    torch.manual_seed(0)
    config = GPT2Config(
        n_layer=2, n_head=2, n_embd=64, vocab_size=VOCAB, n_positions=SEQUENCE_LENGTH, bos_token_id=0, eos_token_id=0
    )
    return GPT2LMHeadModel(config)


class LossRecorder(TrainerCallback):
    """Keeps the training loss of every logged step, so tests can compare runs."""

    def __init__(self) -> None:
        self.losses: dict[int, float] = {}

    def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, float] | None = None, **kw: Any) -> None:
        if logs and "loss" in logs:
            self.losses[state.global_step] = float(logs["loss"])


def training_arguments(
    output_dir: Path, *, max_steps: int, save_steps: int, save_total_limit: int | None
) -> TrainingArguments:
    """Deterministic CPU arguments: no reporting integrations, a save every ``save_steps``."""
    return TrainingArguments(
        output_dir=str(output_dir),
        max_steps=max_steps,
        save_steps=save_steps,
        save_total_limit=save_total_limit,
        logging_steps=1,
        per_device_train_batch_size=8,
        learning_rate=5e-3,
        seed=0,
        data_seed=0,
        report_to=[],
        use_cpu=True,
        dataloader_num_workers=0,
        disable_tqdm=True,
        ddp_find_unused_parameters=False,
    )


def train(
    output_dir: Path,
    *,
    run: Run | None = None,
    max_steps: int = 12,
    save_steps: int = 4,
    save_total_limit: int | None = 1,
    resume: bool = True,
    extra_callbacks: list[TrainerCallback] | None = None,
    node_local: bool = False,
) -> LossRecorder:
    """Train under ``ChronicleCallback``; the run comes from ``run`` or the ``CHRONICLE_*`` variables."""
    chronicle = ChronicleCallback(run, heartbeat_interval=30, node_local=node_local)
    losses = LossRecorder()
    trainer = Trainer(
        model=tiny_gpt2(),
        args=training_arguments(
            output_dir, max_steps=max_steps, save_steps=save_steps, save_total_limit=save_total_limit
        ),
        train_dataset=CountingDataset(),
        callbacks=[chronicle, losses, *(extra_callbacks or [])],
    )
    chronicle.train(trainer, resume=resume)  # ends the run succeeded, or failed if training raises
    return losses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output-dir", type=Path, default=Path("hf-trainer-out"))
    parser.add_argument("--max-steps", type=int, default=12)
    parser.add_argument("--save-steps", type=int, default=4)
    parser.add_argument(
        "--node-local", action="store_true", help="each node writes --output-dir on its own disk; one asset per save"
    )
    args = parser.parse_args()
    with output_above_progress():  # the Trainer's log lines go above the upload display, never into it
        losses = train(
            args.output_dir, max_steps=args.max_steps, save_steps=args.save_steps, node_local=args.node_local
        )
    if os.environ.get("RANK", "0") != "0" or not losses.losses:
        return
    first, last = min(losses.losses), max(losses.losses)
    print(f"trained steps {first}..{last}; loss {losses.losses[first]:.3f} -> {losses.losses[last]:.3f}")


def end_process_group() -> None:
    """Under torchrun, leave the process group before exit: gloo's threads torn down at exit can abort."""
    if torch.distributed.is_available() and torch.distributed.is_initialized():
        torch.distributed.destroy_process_group()


if __name__ == "__main__":
    try:
        main()
    finally:
        end_process_group()
