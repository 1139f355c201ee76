"""A plain PyTorch-style runner: `torch.save` / `torch.load` of model and optimizer state dicts.

Runs with real torch when it is installed; otherwise a tiny stand-in with the same state_dict API
(and pickle for torch.save/torch.load) so the lifecycle can be exercised anywhere.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

from checkpointing import train_with_checkpoints

from methodic import Chronicle

try:  # pragma: no cover - depends on the environment
    import torch

    def new_model() -> Any:
        return torch.nn.Linear(4, 1)

    def new_optimizer(model: Any) -> Any:
        return torch.optim.SGD(model.parameters(), lr=0.1)

    save, load = torch.save, torch.load
except ImportError:

    class _StandIn:
        """Just enough of nn.Module / Optimizer: a state dict that changes as training goes."""

        def __init__(self) -> None:
            self.state: dict[str, Any] = {"updates": 0}

        def state_dict(self) -> dict[str, Any]:
            return dict(self.state)

        def load_state_dict(self, state: dict[str, Any]) -> None:
            self.state = dict(state)

    def new_model() -> Any:
        return _StandIn()

    def new_optimizer(model: Any) -> Any:
        return _StandIn()

    def save(obj: Any, path: Path) -> None:
        path.write_bytes(pickle.dumps(obj))

    def load(path: Path) -> Any:
        return pickle.loads(path.read_bytes())


def run_pytorch_style(chronicle: Chronicle, experiment_id: str, variation: int, run_number: int, workdir: Path) -> int:
    """Train under the managed lifecycle; returns the step the run resumed from."""
    model, optimizer = new_model(), new_optimizer(new_model())

    def train_step(step: int) -> None:
        if hasattr(model, "state"):
            model.state["updates"] += 1

    def save_state(ckpt: Path, step: int) -> None:
        save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": step}, ckpt / "state.pt")

    def load_state(ckpt: Path) -> int:
        state = load(ckpt / "state.pt")
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        return int(state["step"])

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
