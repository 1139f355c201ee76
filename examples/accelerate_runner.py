"""A hand-written accelerate loop recorded in Chronicle, right on one process or many.

    CHRONICLE_SERVER_URL=... CHRONICLE_API_KEY=... \
    CHRONICLE_EXPERIMENT_ID=... CHRONICLE_VARIATION=0 CHRONICLE_RUN=0 \
        torchrun --nproc_per_node 2 examples/accelerate_runner.py --output-dir out

(``python examples/accelerate_runner.py ...`` runs it on one process.) Every process trains its
shard of synthetic data; every ``--save-every`` steps all of them write ``accelerator.save_state``
and the main process uploads the folder once they all finished. A continuation run loads the
newest checkpoint on every process and goes on from its step.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import torch
from accelerate import Accelerator
from accelerate.utils import set_seed

from methodic import Run, output_above_progress
from methodic.integrations.accelerate import AccelerateSession


def train(
    output_dir: Path, *, run: Run | None = None, steps: int = 12, save_every: int = 4, node_local: bool = False
) -> dict[int, float]:
    """Train ``steps`` steps (resuming when a checkpoint exists); returns the main process's losses by step."""
    accelerator = Accelerator(cpu=True)
    set_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(8, 32), torch.nn.Tanh(), torch.nn.Linear(32, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(512, 8, generator=generator)
    y = x @ torch.linspace(-1, 1, 8)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=16, shuffle=False)
    model, optimizer, loader = accelerator.prepare(model, optimizer, loader)
    losses: dict[int, float] = {}

    with AccelerateSession(accelerator, run, tracker_dir=output_dir, heartbeat_interval=30) as chronicle:
        start = chronicle.load_state(output_dir / "resume") or 0
        batches = iter(loader)
        for step in range(start + 1, steps + 1):
            try:
                xb, yb = next(batches)
            except StopIteration:
                batches = iter(loader)
                xb, yb = next(batches)
            loss = torch.nn.functional.mse_loss(model(xb).squeeze(-1), yb)
            accelerator.backward(loss)
            optimizer.step()
            optimizer.zero_grad()
            losses[step] = float(loss.detach())
            if step % save_every == 0:
                folder = output_dir / f"checkpoint-{step}"
                chronicle.save_state(folder, step=step, metrics={"loss": losses[step]}, node_local=node_local)
    return losses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output-dir", type=Path, default=Path("accelerate-out"))
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--save-every", type=int, default=4)
    parser.add_argument("--losses-to", type=Path, help="write the main process's losses here as JSON")
    parser.add_argument(
        "--node-local", action="store_true", help="each node saves to its own disk; the nodes upload one asset together"
    )
    args = parser.parse_args()
    with output_above_progress():
        losses = train(args.output_dir, steps=args.steps, save_every=args.save_every, node_local=args.node_local)
    if args.losses_to is not None and os.environ.get("RANK", "0") == "0":
        args.losses_to.write_text(json.dumps(losses))
    if losses and os.environ.get("RANK", "0") == "0":
        first, last = min(losses), max(losses)
        print(f"trained steps {first}..{last}; loss {losses[first]:.3f} -> {losses[last]:.3f}")


def end_process_group() -> None:
    """Under torchrun, leave the process group before exit: gloo's threads torn down at exit can abort."""
    if torch.distributed.is_available() and torch.distributed.is_initialized():
        torch.distributed.destroy_process_group()


if __name__ == "__main__":
    try:
        main()
    finally:
        end_process_group()
