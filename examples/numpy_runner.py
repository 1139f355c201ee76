"""A third-party training runner: a numpy linear-regression fit, driven by its Chronicle variation.

    CHRONICLE_SERVER_URL=... CHRONICLE_API_KEY=... python examples/numpy_runner.py EXP_ID VARIATION RUN \
        --workdir DIR [--die-at-step N]

It pulls the variation's config, starts the run with background heartbeats, snapshots the
environment, resumes from the newest ready checkpoint of any earlier run of the variation, trains,
and uploads a checkpoint every `checkpoint_every` steps in the background through an UploadTracker.
`--die-at-step` kills the process with SIGKILL (like the OOM killer) right after a checkpoint upload
has started, so the demo can show crash recovery.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path

import numpy as np
import yaml

from methodic import Chronicle, Run, UploadTracker, output_above_progress
from methodic.environment import capture


def make_data(seed: int, n: int = 256, dim: int = 8) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, dim))
    true_w = np.arange(1, dim + 1, dtype=float) / dim
    y = x @ true_w + 0.01 * rng.normal(size=n)
    return x, y


def save_state(ckpt: Path, weights: np.ndarray, step: int, padding_mb: int) -> None:
    """Write everything needed to resume: weights, the step counter, and a large optimizer-state blob."""
    ckpt.mkdir(parents=True, exist_ok=True)
    np.save(ckpt / "weights.npy", weights)
    (ckpt / "trainer_state.json").write_text(json.dumps({"step": step}))
    # Stands in for optimizer moments: big enough that a kill can land mid-upload.
    (ckpt / "optimizer.bin").write_bytes(np.random.default_rng(step).bytes(padding_mb * 1024 * 1024))


def load_state(ckpt: Path) -> tuple[np.ndarray, int]:
    state = json.loads((ckpt / "trainer_state.json").read_text())
    return np.load(ckpt / "weights.npy"), int(state["step"])


def train(run: Run, workdir: Path, die_at_step: int | None) -> None:
    config = run.get_variation_config()
    hp = yaml.safe_load(config.config_yaml)
    lr, steps, every = float(hp["lr"]), int(hp["steps"]), int(hp["checkpoint_every"])
    x, y = make_data(int(hp.get("seed", 0)))
    weights = np.zeros(x.shape[1])
    start_step = 0

    resume_dir = workdir / f"resume-run{run.run}"
    ckpt = run.latest_output("checkpoint")
    if ckpt:
        run.download_asset(ckpt["id"], resume_dir)
        weights, last = load_state(resume_dir)
        start_step = last + 1
        print(f"[runner {run.run}] resumed from checkpoint {ckpt['id'][:8]} (step {last})", flush=True)
    else:
        print(f"[runner {run.run}] no checkpoint yet: starting from scratch", flush=True)

    run.upload_asset("environment", capture(trainer={"framework": "numpy-linreg", "lr": lr}, seed=hp.get("seed", 0)))
    tracker = UploadTracker(db_path=workdir / "uploads.sqlite")
    for step in range(start_step, steps):
        grad = 2 * x.T @ (x @ weights - y) / len(y)
        weights -= lr * grad
        if step % every == every - 1 or step == steps - 1:
            loss = float(np.mean((x @ weights - y) ** 2))
            ckpt_dir = workdir / f"run{run.run}" / f"checkpoint-{step}"
            save_state(ckpt_dir, weights, step, padding_mb=int(hp.get("checkpoint_mb", 4)))
            upload = run.upload_directory_async(local_dir=ckpt_dir, asset_type="checkpoint", upload_tracker=tracker)
            print(f"[runner {run.run}] step {step:3d} loss {loss:.5f} -> checkpoint {upload.asset_id[:8]}", flush=True)
            if die_at_step is not None and step >= die_at_step:
                print(f"[runner {run.run}] *** killed with SIGKILL mid-upload ***", flush=True)
                os.kill(os.getpid(), signal.SIGKILL)
    run.wait_for_uploads()
    final_loss = float(np.mean((x @ weights - y) ** 2))
    run.upload_asset(asset_type="metrics", content={"final_loss": final_loss, "steps": steps})
    print(f"[runner {run.run}] finished at step {steps - 1}: loss {final_loss:.6f}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("experiment_id")
    parser.add_argument("variation", type=int)
    parser.add_argument("run", type=int)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--die-at-step", type=int, default=None)
    parser.add_argument("--heartbeat-interval", type=float, default=60.0)
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    # Our prints go above the upload progress display instead of into it.
    with output_above_progress(), Chronicle.from_env() as chronicle:
        run = chronicle.run(args.experiment_id, variation=args.variation, run=args.run)
        # Start, heartbeat in the background, and end in succeeded / failed_crash / failed_abandoned.
        with run.lifecycle(heartbeat_interval=args.heartbeat_interval):
            train(run, args.workdir, args.die_at_step)
        print(f"[runner {run.run}] run state: {run.state}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
