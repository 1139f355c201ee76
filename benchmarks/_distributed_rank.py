"""One rank of ``bench_distributed``: write this rank's shards, upload them collectively, time it, report.

    torchrun --standalone --nproc_per_node N _distributed_rank.py BASE_DIR SHARDS SHARD_BYTES WORKERS

The run comes from ``CHRONICLE_*`` variables. Each rank writes SHARDS files of SHARD_BYTES fresh
random bytes (incompressible, as optimizer state is) into BASE_DIR/rank<r>, its stand-in for a
node's local disk, then every rank calls ``upload_directory_async(..., distributed=True)`` after a
barrier and ``wait()``s for the ready asset. The clock starts after that barrier and stops after a
final barrier that follows every rank's ``wait()``: rank 0's figure is the collective's wall time.
Each rank prints one JSON line (one write, so ranks' lines do not interleave).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path

import torch.distributed as dist

from methodic import Chronicle

#: Each shard is written in pieces of this size, each fresh from the kernel's CSPRNG (nothing repeats).
_PIECE = 8 << 20


def write_shards(folder: Path, rank: int, shards: int, shard_bytes: int) -> None:
    """DCP-like shard names (unique per rank, so the ranks' components never clash), random bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(shards):
        with (folder / f"__{rank}_{index}.distcp").open("wb") as f:
            left = shard_bytes
            while left:
                piece = min(_PIECE, left)
                f.write(os.urandom(piece))
                left -= piece


def cpu_seconds() -> float:
    """This process's CPU time, every thread (the upload pool's too), user and system."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    base, shards, shard_bytes, workers = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    folder = base / f"rank{rank}"
    write_shards(folder, rank, shards, shard_bytes)
    os.sync()  # the shards' writeback must not land inside the timed window (nor differently in the two cases)
    with Chronicle.from_env(max_upload_workers=workers) as chronicle:
        run = chronicle.run(
            os.environ["CHRONICLE_EXPERIMENT_ID"],
            int(os.environ["CHRONICLE_VARIATION"]),
            int(os.environ["CHRONICLE_RUN"]),
        )
        chronicle.me.scopes()  # the client's connection to the API is open before the clock starts, on every rank
        dist.barrier()
        cpu_before, start = cpu_seconds(), time.perf_counter()
        upload = run.upload_directory_async(folder, asset_type="checkpoint", distributed=True, progress=False)
        asset = upload.wait()
        own = time.perf_counter() - start
        dist.barrier()
        elapsed = time.perf_counter() - start
        cpu = cpu_seconds() - cpu_before
    shutil.rmtree(folder)
    report = {
        "rank": rank,
        "world": world,
        "asset_id": asset.id,
        "state": asset.state,
        "elapsed_s": elapsed,
        "own_wait_s": own,
        "cpu_s": cpu,
    }
    os.write(1, (json.dumps(report) + "\n").encode())
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
