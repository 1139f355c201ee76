"""A signal while the SDK waits for the last upload is honoured: the wait never swallows it.

The trainer's work is done and ``run.lifecycle()`` is waiting for the last checkpoint to land when the
scheduler sends SIGTERM (or the user presses Ctrl-C). The run must not stay ``running`` until SIGKILL: the
signal cuts the wait short, the uploads get what is left of the drain timeout, the run ends
``failed_abandoned``, and the process exits well inside a scheduler's grace. A second signal stops at once.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from methodic import Chronicle, UploadTracker
from methodic_server import LocalChronicle
from tests.helpers import chronicle_env, staged_leftovers, write_checkpoint

FILES = {"model.bin": 2 << 20, "optimizer.bin": 2 << 20, "trainer_state.json": 200}

#: The child leaves its lifecycle block at once: the signal arrives while succeed() waits for the upload.
CHILD = """
import sys
from pathlib import Path
from methodic import Chronicle, UploadTracker
url, key, exp, ckpt, db, drain = sys.argv[1:7]
with Chronicle(url, key) as chronicle:
    run = chronicle.run(exp, 0, 0)
    with UploadTracker(db) as tracker, run.lifecycle(heartbeat_interval=30, drain_timeout=float(drain)):
        upload = run.upload_directory_async(Path(ckpt), asset_type="checkpoint", upload_tracker=tracker, progress=False)
        print("WAITING", upload.asset_id, flush=True)
"""


def _child(server: LocalChronicle, exp_id: str, tmp_path: Path, drain: float) -> subprocess.Popen[str]:
    write_checkpoint(tmp_path / "ckpt", FILES)
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            server.url,
            server.api_key,
            exp_id,
            str(tmp_path / "ckpt"),
            str(tmp_path / "uploads.sqlite"),
            str(drain),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    assert line.startswith("WAITING"), line + (child.stderr.read() if child.stderr else "")
    time.sleep(0.5)  # inside succeed()'s wait: the storage answers every request 30 s late
    return child


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_during_the_final_wait_fails_the_run_within_the_drain(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path, signum: int
) -> None:
    server.faults.delay_storage(30.0)  # the upload cannot land before the scheduler's grace runs out
    child = _child(server, committed_run[0], tmp_path, drain=2.0)
    sent = time.monotonic()
    child.send_signal(signum)
    try:
        child.wait(15)
    except subprocess.TimeoutExpired:
        child.kill()
        pytest.fail("the signal was swallowed: the process kept waiting for the upload")
    finally:
        server.faults.reset()
    took = time.monotonic() - sent
    assert took < 10, f"exited {took:.1f}s after the signal; the drain is 2 s"
    run = client.run(*committed_run)
    assert run.refresh_state() == "failed_abandoned"  # never left running, never succeeded
    assert "unfinished after 2s" in (run.failure_reason or "")


def test_a_second_signal_stops_the_drain_at_once(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    server.faults.delay_storage(30.0)
    child = _child(server, committed_run[0], tmp_path, drain=25.0)  # the documented default drain
    child.send_signal(signal.SIGTERM)
    time.sleep(1.0)  # now draining
    sent = time.monotonic()
    child.send_signal(signal.SIGTERM)
    try:
        child.wait(10)
    except subprocess.TimeoutExpired:
        child.kill()
        pytest.fail("the second SIGTERM did not cut the drain short")
    finally:
        server.faults.reset()
    assert time.monotonic() - sent < 8
    assert client.run(*committed_run).refresh_state() == "failed_abandoned"


def test_after_a_signal_what_did_not_land_is_abandoned_by_the_server_and_resume_says_so(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    """SIGTERM, then the scheduler's grace: the run is failed ``abandoned`` and its single-node checkpoint with it.

    The server abandons the pending outputs of a failed run (ours keeps only a checkpoint from several
    nodes pending, which another node may still finish); the tracker keeps the staged files, so
    ``methodic uploads resume`` reports the asset ``abandoned`` instead of sending it again, and
    nothing ever becomes ready half-sent. ``prune`` then removes the staging.
    """
    server.faults.delay_storage(30.0)
    child = _child(server, committed_run[0], tmp_path, drain=1.0)
    child.send_signal(signal.SIGTERM)
    try:
        child.wait(15)
    except subprocess.TimeoutExpired:
        child.kill()
        pytest.fail("the signal was swallowed")
    finally:
        server.faults.reset()
    assert client.run(*committed_run).refresh_state() == "failed_abandoned"
    (asset,) = [a for a in client.variation(*committed_run[:2]).list_outputs() if a.asset_type == "checkpoint"]
    assert client.assets.get(asset.id).state == "abandoned"
    db = tmp_path / "uploads.sqlite"
    with UploadTracker(db) as tracker:  # the signal left it as a kill -9 would: registered, staged, unfinished
        (left,) = tracker.get_pending_uploads()
        assert left.asset_id == asset.id and left.staging_dir is not None and Path(left.staging_dir).is_dir()
    env = chronicle_env(server)
    cli = [sys.executable, "-m", "methodic", "uploads"]
    resume = subprocess.run(
        [*cli, "resume", "--tracker", str(db), "--no-progress"], env=env, capture_output=True, text=True, timeout=60
    )
    assert asset.id in resume.stdout and "abandoned" in resume.stdout, resume.stdout + resume.stderr
    assert client.assets.get(asset.id).state == "abandoned"  # never ready from a half-sent upload
    prune = subprocess.run([*cli, "prune", "--tracker", str(db)], env=env, capture_output=True, text=True, timeout=60)
    assert prune.returncode == 0 and "pruned 1 asset(s)" in prune.stdout, prune.stdout + prune.stderr
    assert staged_leftovers(tmp_path / "ckpt") == []


# -- the integrations' own final waits: Lightning's on_fit_end, AccelerateSession.__exit__ -----------------

LIGHTNING_CHILD = Path(__file__).parents[1] / "integrations" / "lightning_child.py"

#: Two saves inside an AccelerateSession, then leaving the block: __exit__ waits for their uploads.
ACCELERATE_CHILD = """
import sys
from pathlib import Path
import torch
from accelerate import Accelerator
from methodic.integrations.accelerate import AccelerateSession
root, drain = Path(sys.argv[1]), float(sys.argv[2])
accelerator = Accelerator(cpu=True)
model = torch.nn.Linear(64, 64)
model, optimizer = accelerator.prepare(model, torch.optim.SGD(model.parameters(), lr=0.1))
with AccelerateSession(accelerator, tracker_dir=root, heartbeat_interval=30, drain_timeout=drain) as chronicle:
    for step in (1, 2):
        chronicle.save_state(root / f"checkpoint-{step}", step=step)
    print("ENDING", flush=True)
"""


#: A HF Trainer that saves twice; ENDING comes from a callback listed before ChronicleCallback. "train" ends the
#: run in callback.train's guard, "callback" in the callback's own on_train_end (no train() wrapper).
HF_CHILD = """
import sys
from pathlib import Path
root, drain, examples, mode = Path(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4]
sys.path.insert(0, examples)
import hf_trainer
from transformers import Trainer, TrainerCallback
from methodic.integrations.transformers import ChronicleCallback

class Ending(TrainerCallback):
    def on_train_end(self, args, state, control, **kwargs):
        print("ENDING", flush=True)

chronicle = ChronicleCallback(heartbeat_interval=30, drain_timeout=drain)
args = hf_trainer.training_arguments(root, max_steps=4, save_steps=2, save_total_limit=None)
trainer = Trainer(
    model=hf_trainer.tiny_gpt2(), args=args, train_dataset=hf_trainer.CountingDataset(), callbacks=[Ending(), chronicle]
)
chronicle.train(trainer) if mode == "train" else trainer.train()
"""


def _trainer_child(server: LocalChronicle, run: tuple[str, int, int], framework: str, root: Path, drain: float) -> Any:
    if framework == "lightning":
        argv = [str(LIGHTNING_CHILD), str(root), "--max-steps", "4", "--drain-timeout", str(drain)]
    elif framework.startswith("hf-"):
        examples = Path(__file__).parents[2] / "examples"
        argv = ["-c", HF_CHILD, str(root), str(drain), str(examples), framework.removeprefix("hf-")]
    else:
        argv = ["-c", ACCELERATE_CHILD, str(root), str(drain)]
    child = subprocess.Popen(
        [sys.executable, *argv],
        env=chronicle_env(server, run, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", WANDB_DISABLED="true"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    for line in child.stdout:
        if line.strip() == "ENDING":
            break
    else:
        raise AssertionError(child.stderr.read() if child.stderr else "no output")
    time.sleep(0.5)  # inside the integration's final wait
    return child


def _stops_within(child: Any, seconds: float) -> float:
    """Wait as a scheduler does: ``seconds`` of grace, then SIGKILL (and the test fails)."""
    sent = time.monotonic()
    try:
        child.wait(seconds)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        pytest.fail(f"still running {seconds:g} s after the signal: it was swallowed, or an exit waited for uploads")
    return time.monotonic() - sent


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
@pytest.mark.parametrize("framework", ["lightning", "accelerate", "hf-train", "hf-callback"])
def test_a_signal_while_an_integration_waits_for_its_last_uploads_fails_the_run_and_leaves_them_resumable(
    server: LocalChronicle,
    client: Chronicle,
    committed_run: tuple[str, int, int],
    tmp_path: Path,
    framework: str,
    signum: int,
) -> None:
    server.faults.delay_storage(30.0)  # nothing can land before the scheduler's grace runs out
    root = tmp_path / "root"
    child = _trainer_child(server, committed_run, framework, root, drain=2.0)
    child.send_signal(signum)
    try:
        took = _stops_within(child, 15)
    finally:
        server.faults.reset()
    assert took < 10, f"exited {took:.1f}s after the signal; the drain is 2 s"
    run = client.run(*committed_run)
    assert run.refresh_state() == "failed_abandoned"  # never left running, never succeeded
    assert "unfinished after 2s" in (run.failure_reason or "")
    handed_over = [a for a in client.variation(*committed_run[:2]).list_outputs() if a.asset_type == "checkpoint"]
    assert handed_over
    with UploadTracker(root / "methodic-uploads.sqlite") as tracker:  # as a kill -9 of that moment leaves it
        left = tracker.get_pending_uploads()
        assert {p.asset_id for p in left} == {a.id for a in handed_over}
        assert all(p.staging_dir is not None and Path(p.staging_dir).is_dir() for p in left)


@pytest.mark.parametrize("framework", ["lightning", "accelerate"])
def test_uploads_that_land_within_the_drain_after_sigterm_are_ready(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path, framework: str
) -> None:
    server.faults.delay_storage(1.0)  # slow, but each checkpoint lands well inside the drain
    child = _trainer_child(server, committed_run, framework, tmp_path / "root", drain=25.0)
    child.send_signal(signal.SIGTERM)
    try:
        took = _stops_within(child, 28)
    finally:
        server.faults.reset()
    assert took < 25
    assert client.run(*committed_run).refresh_state() == "failed_abandoned"
    checkpoints = [a for a in client.variation(*committed_run[:2]).list_outputs() if a.asset_type == "checkpoint"]
    assert len(checkpoints) == 2 and all(a.state == "ready" for a in checkpoints)


@pytest.mark.parametrize("framework", ["lightning", "accelerate", "hf-callback"])
def test_a_second_sigterm_ends_an_integrations_drain_at_once(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path, framework: str
) -> None:
    server.faults.delay_storage(30.0)
    child = _trainer_child(server, committed_run, framework, tmp_path / "root", drain=25.0)  # the default drain
    child.send_signal(signal.SIGTERM)
    time.sleep(1.0)  # now draining
    child.send_signal(signal.SIGTERM)
    try:
        took = _stops_within(child, 10)
    finally:
        server.faults.reset()
    assert took < 8
    assert client.run(*committed_run).refresh_state() == "failed_abandoned"
