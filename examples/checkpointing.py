"""The framework-agnostic checkpoint/resume loop from the integrations guide.

Only `save_state(ckpt)` and `load_state(ckpt)` are framework-specific; see pytorch_style.py for the
usual pair, and hf_trainer.py, lightning_runner.py and accelerate_runner.py for the integrations that
do all of this in one line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from methodic import Run, UploadTracker


def train_with_checkpoints(
    run: Run,
    *,
    workdir: Path,
    steps: int,
    checkpoint_every: int,
    train_step: Callable[[int], None],
    save_state: Callable[[Path, int], None],
    load_state: Callable[[Path], int],
) -> int:
    """Resume from the newest ready checkpoint of any earlier run, train, checkpoint in the background.

    Returns the step training resumed from (0 for a fresh start).
    """
    tracker = UploadTracker(db_path=workdir / "uploads.sqlite")
    start_step = 0
    resume_dir = workdir / f"resume-{run.run}"
    ckpt = run.latest_output("checkpoint")  # newest ready checkpoint, or None
    if ckpt:
        run.download_asset(ckpt["id"], resume_dir)  # streams every component to disk
        start_step = load_state(resume_dir) + 1
    for step in range(start_step, steps):
        train_step(step)
        if step % checkpoint_every == checkpoint_every - 1:
            ckpt_dir = workdir / f"checkpoint-{run.run}-{step}"
            ckpt_dir.mkdir(parents=True, exist_ok=True)
            save_state(ckpt_dir, step)  # the only framework-specific line
            run.upload_directory_async(ckpt_dir, asset_type="checkpoint", upload_tracker=tracker)
    run.wait_for_uploads()  # the tracker must stay open until its uploads are done
    tracker.close()
    return start_step
