"""Finding 8 for accelerate: a requeued job (same command, run and folder, no ``uploads resume``) after kill -9.

HF and Lightning have their own tests (test_transformers.py, test_lightning_saves.py); this is the same
scenario through ``AccelerateSession``: entering the block finishes what the killed attempt left in its
tracker, before ``load_state`` chooses the checkpoint to continue from.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("accelerate")

from methodic import Chronicle, UploadTracker
from methodic_server import LocalChronicle
from tests.helpers import chronicle_env

#: One job: continue from the newest ready checkpoint, save each step; after the save of ``stop_after`` it waits
#: to be killed (the first attempt) or leaves the block (the requeued one).
CHILD = """
import sys, time
from pathlib import Path
import torch
from accelerate import Accelerator
from methodic.integrations.accelerate import AccelerateSession
root, last, hang = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "hang"
accelerator = Accelerator(cpu=True)
torch.manual_seed(0)
model = torch.nn.Linear(256, 256)
model, optimizer = accelerator.prepare(model, torch.optim.SGD(model.parameters(), lr=0.1))
with AccelerateSession(accelerator, tracker_dir=root, heartbeat_interval=30) as chronicle:
    start = chronicle.load_state(root / "resume") or 0
    print("START", start, flush=True)
    for step in range(start + 1, last + 1):
        chronicle.save_state(root / f"checkpoint-{step}", step=step)
    print("SAVED", flush=True)
    if hang:
        time.sleep(600)
"""


def test_a_requeued_accelerate_job_finishes_the_killed_attempts_upload_then_continues_from_it(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    exp_id, v, r = committed_run
    root = tmp_path / "job"
    env = chronicle_env(server, committed_run)
    server.faults.delay_storage(5.0)  # the step-2 checkpoint cannot land before the kill
    first = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(root), "2", "hang"], env=env, stdout=subprocess.PIPE, text=True
    )
    assert first.stdout is not None
    lines = []
    for line in first.stdout:
        lines.append(line.strip())
        if line.startswith("SAVED"):
            break
    assert lines[-1:] == ["SAVED"], lines
    first.send_signal(signal.SIGKILL)  # the node dies: nothing of the SDK runs
    first.wait(30)
    server.faults.reset()
    with UploadTracker(root / "methodic-uploads.sqlite") as tracker:
        assert tracker.get_pending_uploads(), "the killed attempt left no unfinished upload: the test proves nothing"

    again = subprocess.run(
        [sys.executable, "-c", CHILD, str(root), "3", "go"], env=env, capture_output=True, text=True, timeout=180
    )
    assert again.returncode == 0, again.stderr[-3000:]
    assert "START 2" in again.stdout, again.stdout + again.stderr[-3000:]  # continued from the rescued step 2
    assert client.run(exp_id, v, r).refresh_state() == "succeeded"
    checkpoints = {
        a.asset_config["step"]: a.state
        for a in client.variation(exp_id, v).list_outputs()
        if a.asset_type == "checkpoint"
    }
    assert checkpoints == {1: "ready", 2: "ready", 3: "ready"}, checkpoints  # nothing pending on the finished run
    with UploadTracker(root / "methodic-uploads.sqlite") as tracker:
        assert tracker.get_pending_uploads() == []
