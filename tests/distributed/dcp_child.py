"""One rank of a torchrun job: save a sharded checkpoint into its own folder and upload it as one asset.

    torchrun --nproc_per_node N dcp_child.py MODE BASE_DIR     (the run from CHRONICLE_* variables)

MODE is ``roundtrip`` (save, upload collectively, download on every rank, load, compare), ``collide``
(two ranks hold the same file name), ``kill`` (the last rank is killed mid-upload) or ``fail`` (the
last rank's shard is rewritten while it uploads: every rank's wait() must raise the same error). Each rank's
folder is BASE_DIR/node<rank>, standing in for a node's local disk; each rank prints one JSON line.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

import torch
import torch.distributed as dist
import torch.distributed.checkpoint as dcp

from methodic import Chronicle, DuplicateComponentError, UploadError, UploadTracker


def say(result: dict[str, object]) -> None:
    """One JSON line in one write (ranks share torchrun's stdout: a line must not interleave with another's)."""
    os.write(1, (json.dumps(result) + "\n").encode())


def make_state(seed: int) -> tuple[torch.nn.Module, torch.optim.Optimizer]:
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(16, 32), torch.nn.ReLU(), torch.nn.Linear(32, 4))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    loss = model(torch.randn(8, 16)).pow(2).mean()
    loss.backward()
    optimizer.step()
    return model, optimizer


def state_of(model: torch.nn.Module, optimizer: torch.optim.Optimizer, rank: int) -> dict[str, object]:
    # Each rank saves its own replica under its own key: every rank's file then holds data only it wrote.
    return {f"rank{rank}": {"model": model.state_dict(), "optim": optimizer.state_dict()}}


def main() -> None:
    mode, base = sys.argv[1], Path(sys.argv[2])
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    node = base / f"node{rank}"
    node.mkdir(parents=True, exist_ok=True)
    chronicle = Chronicle.from_env()
    run = chronicle.run(
        os.environ["CHRONICLE_EXPERIMENT_ID"], int(os.environ["CHRONICLE_VARIATION"]), int(os.environ["CHRONICLE_RUN"])
    )
    tracker = UploadTracker(db_path=base / f"tracker-node{rank}.sqlite")
    result: dict[str, object] = {"rank": rank}

    if mode == "collide":
        (node / "config.json").write_text(json.dumps({"rank": rank}))
        try:
            run.upload_directory_async(node, asset_type="checkpoint", distributed=True, upload_tracker=tracker)
            result["error"] = None
        except DuplicateComponentError as exc:
            result["error"] = str(exc)
        result["assets"] = len([a for a in run.list_outputs() if a.asset_type == "checkpoint"])
        say(result)
        dist.destroy_process_group()
        return

    model, optimizer = make_state(seed=rank)
    dcp.save(state_of(model, optimizer, rank), checkpoint_id=str(node))
    if mode == "kill" and rank == world - 1:
        (node / "padding.bin").write_bytes(os.urandom(2 * 1024 * 1024))  # keeps this rank's PUTs in flight
    upload = run.upload_directory_async(node, asset_type="checkpoint", distributed=True, upload_tracker=tracker)
    result["asset_id"] = upload.asset_id
    if mode == "fail":
        if rank == world - 1:
            with (node / f"__{rank}_0.distcp").open("ab") as shard:
                shard.write(b"torn")  # rewritten after it was handed over: the asset must never be ready
        try:
            upload.wait()
            result["error"] = None
        except UploadError as exc:
            result["error"] = sorted(component for _, component, _ in exc.failures)
        say(result)
        dist.destroy_process_group()
        return
    if mode == "kill":
        if rank == world - 1:
            time.sleep(0.5)
            say(result)
            os.kill(os.getpid(), signal.SIGKILL)
        upload.wait_done()  # this rank's own part, verified; then wait for the rank that never comes back
        say(result)
        dist.barrier()
        return

    asset = upload.wait()
    result["state"] = asset.state
    result["components"] = sorted(c["name"] for c in asset.components)
    restore = base / f"restore{rank}"
    run.download_asset(asset.id, restore)
    fresh_model, fresh_optimizer = make_state(seed=1000 + rank)
    target = state_of(fresh_model, fresh_optimizer, rank)
    dcp.load(target, checkpoint_id=str(restore))
    fresh_model.load_state_dict(target[f"rank{rank}"]["model"])  # type: ignore[index]
    result["identical"] = all(
        torch.equal(a, b) for a, b in zip(model.state_dict().values(), fresh_model.state_dict().values(), strict=True)
    )
    saved_optim = optimizer.state_dict()["state"]
    loaded_optim = target[f"rank{rank}"]["optim"]["state"]  # type: ignore[index]
    result["optimizer_identical"] = all(
        torch.equal(saved_optim[k]["exp_avg"], loaded_optim[k]["exp_avg"]) for k in saved_optim
    )
    shards = base / f"shards{rank}"
    got = run.download_rank_files(asset.id, shards)
    result["rank_files"] = sorted(p.name for p in got)
    say(result)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
