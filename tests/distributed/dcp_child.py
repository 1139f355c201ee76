"""One rank of a torchrun job: save a sharded checkpoint into its own folder and upload it as one asset.

    torchrun --nproc_per_node N dcp_child.py MODE BASE_DIR     (the run from CHRONICLE_* variables)

MODE is ``roundtrip`` (save, upload collectively, download on every rank, load, compare), ``collide``
(two ranks hold the same file name), ``kill`` (the last rank is killed mid-upload), ``killnode`` (under
two torchrun agents, the last node dies mid-upload: its agent and every process of it get SIGKILL) or
``fail`` (the last rank's shard is rewritten while it uploads: every rank's wait() must raise the same
error). Each rank's folder is BASE_DIR/node<rank>, standing in for a node's local disk, with its tracker
BASE_DIR/tracker-node<rank>.sqlite; each rank prints JSON lines.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from datetime import timedelta
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
    # A collective with a peer that died fails at once (its connections reset); the timeout bounds the rest.
    dist.init_process_group("gloo", timeout=timedelta(seconds=120))
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

    # Which "node" (torchrun agent) each rank runs on, and the processes to kill to make a node die.
    nodes = [None] * world
    dist.all_gather_object(nodes, (int(os.environ.get("GROUP_RANK", "0")), os.getpid(), os.getppid()))
    model, optimizer = make_state(seed=rank)
    dcp.save(state_of(model, optimizer, rank), checkpoint_id=str(node))
    last_node = max(n for n, _, _ in nodes)  # type: ignore[misc]
    mine = nodes[rank][0]  # type: ignore[index]
    if mode == "kill" and rank == world - 1:
        (node / "padding.bin").write_bytes(os.urandom(2 * 1024 * 1024))  # keeps this rank's PUTs in flight
    if mode == "killnode" and mine == last_node:  # more than loopback's socket buffers hold: cut short by the kill
        (node / f"padding{rank}.bin").write_bytes(os.urandom(24 * 1024 * 1024))
    upload = run.upload_directory_async(node, asset_type="checkpoint", distributed=True, upload_tracker=tracker)
    result["asset_id"] = upload.asset_id
    if mode == "killnode":
        result["node"] = mine
        say(result)
        if mine == last_node:
            if int(os.environ["LOCAL_RANK"]) == 0:  # the node dies: its agent, its other ranks, then this one
                time.sleep(0.5)
                doomed = [ppid for n, _, ppid in nodes if n == mine][:1]  # type: ignore[misc]
                doomed += [pid for n, pid, _ in nodes if n == mine and pid != os.getpid()]  # type: ignore[misc]
                for pid in doomed:
                    os.kill(pid, signal.SIGKILL)
                os.kill(os.getpid(), signal.SIGKILL)
            upload.wait_done()  # killed by its node's first rank long before this ends
            return
        upload.wait_done()  # this node's part is in storage; the collective wait() then meets the dead node
        try:
            upload.wait()
            say({"rank": rank, "wait": "returned"})
        except Exception as exc:  # gloo: the dead node's connections were reset
            say({"rank": rank, "wait": type(exc).__name__})
        os._exit(1)  # a group with dead members cannot be torn down cleanly
    if mode == "fail":
        if rank == world - 1:
            with (node / f"__{rank}_0.distcp").open("ab") as shard:
                shard.write(b"torn")  # rewritten after it was handed over: the asset must never be ready
        try:
            upload.wait()
            result["error"] = None
        except UploadError as exc:
            result["error"] = sorted(component for _, component, _ in exc.failures)
            result["why"] = [str(e) for _, _, e in exc.failures]
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
