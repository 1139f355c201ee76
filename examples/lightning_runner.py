"""A real Lightning ``fit`` recorded in Chronicle with one callback.

    CHRONICLE_SERVER_URL=... CHRONICLE_API_KEY=... \
    CHRONICLE_EXPERIMENT_ID=... CHRONICLE_VARIATION=0 CHRONICLE_RUN=0 \
        python examples/lightning_runner.py --root-dir out [--max-steps 12]

    # sharded (FSDP2 through ModelParallelStrategy, gloo on the CPU), each node on its own disk:
    torchrun --nnodes 2 --nproc_per_node 1 ... examples/lightning_runner.py --root-dir /local/out --sharded --node-local

A small regression model learns synthetic data on the CPU. ``ModelCheckpoint(save_top_k=1)`` keeps
only the best file on disk; ``ChronicleCallback`` uploads every checkpoint it writes before the
rotation deletes the previous one, ends the run (failed, with every saved checkpoint ready, if
``fit`` raises), and resumes a continuation run through ``fit(ckpt_path=...)``. With ``--sharded``
every rank writes its own shard of each checkpoint (a folder of ``torch.distributed.checkpoint``
files); with ``--node-local`` each node's files go into one asset per save from every node's disk.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import lightning.pytorch as pl
import torch
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.strategies import ModelParallelStrategy

from methodic import Run, output_above_progress
from methodic.integrations.lightning import ChronicleCallback


class Regression(pl.LightningModule):
    """A two-layer network fitting y = x·w + noise; it logs ``train_loss`` every step."""

    def __init__(self, hidden: int = 32, lr: float = 0.05, sharded: bool = False) -> None:
        super().__init__()
        self.save_hyperparameters(ignore=["sharded"])  # how it is laid out, not what it learns
        self.sharded = sharded
        self.net = torch.nn.Sequential(torch.nn.Linear(8, hidden), torch.nn.Tanh(), torch.nn.Linear(hidden, 1))
        self.losses: dict[int, float] = {}

    def configure_model(self) -> None:
        """Shard every layer across the data-parallel ranks (FSDP2) when the strategy asks for it."""
        if self.sharded:
            from torch.distributed.fsdp import fully_shard

            assert self.device_mesh is not None, "sharding needs ModelParallelStrategy"
            mesh = self.device_mesh["data_parallel"]
            for layer in self.net:
                if any(True for _ in layer.parameters()):
                    fully_shard(layer, mesh=mesh)
            fully_shard(self.net, mesh=mesh)

    def training_step(self, batch: tuple[torch.Tensor, torch.Tensor], batch_idx: int) -> torch.Tensor:
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.net(x).squeeze(-1), y)
        self.log("train_loss", loss, prog_bar=False)
        self.losses[self.global_step + 1] = float(loss.detach())
        return loss

    def configure_optimizers(self) -> torch.optim.Optimizer:
        return torch.optim.Adam(self.parameters(), lr=self.hparams["lr"])


def data(seed: int = 0, n: int = 256) -> torch.utils.data.DataLoader[Any]:
    """Synthetic regression data, the same for every run of the same seed."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 8, generator=generator)
    y = x @ torch.linspace(-1, 1, 8) + 0.05 * torch.randn(n, generator=generator)
    return torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=32, shuffle=False)


def fit(
    root_dir: Path,
    *,
    run: Run | None = None,
    max_steps: int = 12,
    every_n_steps: int = 2,
    extra_callbacks: list[pl.Callback] | None = None,
    resume: bool = True,
    sharded: bool = False,
    node_local: bool = False,
) -> Regression:
    """Fit under ``ChronicleCallback``; the run comes from ``run`` or the ``CHRONICLE_*`` variables.

    Under torchrun the trainer takes its processes and nodes from torchrun's variables.
    """
    pl.seed_everything(0, verbose=False)
    chronicle = ChronicleCallback(run, heartbeat_interval=30, node_local=node_local)
    model = Regression(sharded=sharded)
    per_node = int(os.environ.get("LOCAL_WORLD_SIZE", "1"))
    nodes = int(os.environ.get("WORLD_SIZE", "1")) // per_node
    strategy: Any = "auto"
    if sharded:
        strategy = ModelParallelStrategy(
            data_parallel_size=per_node * nodes, tensor_parallel_size=1, process_group_backend="gloo"
        )
    elif per_node * nodes > 1:
        strategy = "ddp"
    trainer = pl.Trainer(
        default_root_dir=str(root_dir),
        max_steps=max_steps,
        accelerator="cpu",
        devices=per_node,
        num_nodes=nodes,
        strategy=strategy,
        logger=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        log_every_n_steps=1,
        callbacks=[
            chronicle,
            ModelCheckpoint(monitor="train_loss", save_top_k=1, every_n_train_steps=every_n_steps),
            *(extra_callbacks or []),
        ],
    )
    # With the trainer, uploads a killed earlier attempt left unfinished are finished before choosing.
    ckpt_path = chronicle.download_checkpoint(root_dir / "resume", trainer=trainer) if resume else None
    trainer.fit(model, data(), ckpt_path=ckpt_path)  # the callback ends the run either way
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root-dir", type=Path, default=Path("lightning-out"))
    parser.add_argument("--max-steps", type=int, default=12)
    parser.add_argument("--sharded", action="store_true", help="FSDP2-sharded checkpoints (run under torchrun)")
    parser.add_argument("--node-local", action="store_true", help="each node saves on its own disk")
    args = parser.parse_args()
    with output_above_progress():
        model = fit(args.root_dir, max_steps=args.max_steps, sharded=args.sharded, node_local=args.node_local)
    first, last = min(model.losses), max(model.losses)
    print(f"trained steps {first}..{last}; loss {model.losses[first]:.3f} -> {model.losses[last]:.3f}")


def end_process_group() -> None:
    """Under torchrun, leave the process group before exit: gloo's threads torn down at exit can abort."""
    if torch.distributed.is_available() and torch.distributed.is_initialized():
        torch.distributed.destroy_process_group()


if __name__ == "__main__":
    try:
        main()
    finally:
        end_process_group()
