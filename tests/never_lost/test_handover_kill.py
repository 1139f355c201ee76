"""A kill -9 between a checkpoint's hand-over and its registration loses nothing (issue 26 item 8).

The HF callback's ``on_save`` only stages the checkpoint and records the hand-over in the tracker; a
thread registers the asset later. These runs are killed with SIGKILL at exactly that moment: the
hand-over is durable, the create call never went out. ``methodic uploads resume`` (a separate process)
and a requeued rerun of the same command (no resume) must each register and upload it, with the bytes
the Trainer wrote at save time, and leave nothing pending on the finished run.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from methodic import Chronicle, UploadTracker
from methodic.transfer.handover import leftovers
from methodic_server import LocalChronicle
from tests.helpers import chronicle_env, downloaded_hashes

EXAMPLES = str(Path(__file__).resolve().parents[2] / "examples")

# The first attempt: killed right after checkpoint-4 is handed over, before its registration starts. The
# journal holds every file's sha256 at that moment (written and fsynced before the kill).
KILLED = """
import hashlib, json, os, signal, sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
import hf_trainer
from methodic.transfer import handover

submit = handover.Registrar.submit

def submit_or_die(self, handed):
    if handed.asset_config["step"] == 4:
        folder = Path(handed.local_dir)
        journal = {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                   for p in sorted(folder.rglob("*")) if p.is_file()}
        with open(sys.argv[3], "w") as f:
            json.dump(journal, f)
            f.flush()
            os.fsync(f.fileno())
        os.kill(os.getpid(), signal.SIGKILL)
    return submit(self, handed)

handover.Registrar.submit = submit_or_die
hf_trainer.train(Path(sys.argv[1]), max_steps=8, save_steps=2, save_total_limit=1)
"""

REQUEUED = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
import hf_trainer
losses = hf_trainer.train(Path(sys.argv[1]), max_steps=8, save_steps=2, save_total_limit=1)
print("FIRST_STEP", min(losses.losses))
"""


def _checkpoints(client: Chronicle, exp_id: str, v: int) -> dict[int, list[object]]:
    found: dict[int, list[object]] = {}
    for asset in client.variation(exp_id, v).list_outputs():
        if asset.asset_type == "checkpoint":
            found.setdefault(asset.asset_config["step"], []).append(asset)
    return found


def _trainer(script: str, server: LocalChronicle, run: tuple[str, int, int], out: Path, *args: str) -> Any:
    """One HF training process (``script``) on ``run`` with output folder ``out``, as the scheduler starts it."""
    return subprocess.run(
        [sys.executable, "-c", script, str(out), EXAMPLES, *args],
        env=chronicle_env(server, run),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _killed_after_hand_over(server: LocalChronicle, run: tuple[str, int, int], out: Path, journal: Path) -> None:
    first = _trainer(KILLED, server, run, out, str(journal))
    assert first.returncode == -9, first.stderr[-3000:]
    with UploadTracker(db_path=out / "methodic-uploads.sqlite") as tracker:
        handed = leftovers(tracker)
        assert [h.asset_config["step"] for h in handed if h.asset_config] == [4]
        assert all(p.staging_dir != handed[0].staging_dir for p in tracker.get_pending_uploads())
    assert Path(handed[0].staging_dir).is_dir()  # its staged links hold the bytes


def _uploads_cli(server: LocalChronicle, *args: str) -> str:
    """``methodic uploads ARGS`` as a user types it (a process of its own); its output, once it exited 0."""
    done = subprocess.run(
        [sys.executable, "-m", "methodic", "uploads", *args],
        env=chronicle_env(server),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_uploads_resume_registers_and_uploads_a_checkpoint_killed_between_hand_over_and_registration(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    exp_id, v, _ = committed_run
    out, journal = tmp_path / "out", tmp_path / "journal.json"
    _killed_after_hand_over(server, committed_run, out, journal)
    assert 4 not in _checkpoints(client, exp_id, v)  # never registered
    shutil.rmtree(out / "checkpoint-4")  # even the Trainer's folder is gone: the staged links remain

    db = str(out / "methodic-uploads.sqlite")
    shown = _uploads_cli(server, "status", "--tracker", db)  # what a user looking after the kill sees
    assert "handed_over" in shown and "checkpoint-4" in shown and "`methodic uploads resume` registers" in shown
    assert "nothing to resume" not in shown
    (handed,) = json.loads(_uploads_cli(server, "status", "--tracker", db, "--json"))["handed_over"]
    assert (handed["name"], handed["experiment_id"], handed["components_total"]) == ("checkpoint-4", exp_id, 8)

    _uploads_cli(server, "resume", "--tracker", db)
    checkpoints = _checkpoints(client, exp_id, v)
    assert len(checkpoints[4]) == 1  # one asset for the hand-over
    ready = checkpoints[4][0]
    assert ready.state == "ready"  # type: ignore[attr-defined]
    expected = json.loads(journal.read_text())
    assert downloaded_hashes(client, ready.id, tmp_path / "down") == expected  # type: ignore[attr-defined]
    with UploadTracker(db_path=out / "methodic-uploads.sqlite") as tracker:
        assert leftovers(tracker) == [] and tracker.get_pending_uploads() == []


def test_a_requeued_rerun_registers_the_killed_hand_over_first_and_continues_from_it(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    exp_id, v, r = committed_run
    out, journal = tmp_path / "out", tmp_path / "journal.json"
    _killed_after_hand_over(server, committed_run, out, journal)

    rerun = _trainer(REQUEUED, server, committed_run, out)  # the same command again, on the same run and folder
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert "FIRST_STEP 5" in rerun.stdout  # it resumed from the handed-over step 4, registered first
    checkpoints = _checkpoints(client, exp_id, v)
    assert sorted(checkpoints) == [2, 4, 6, 8]
    assert all(len(a) == 1 and a[0].state == "ready" for a in checkpoints.values())  # type: ignore[attr-defined]
    assert client.run(exp_id, v, r).state == "succeeded"
    hashes = downloaded_hashes(client, checkpoints[4][0].id, tmp_path / "down")  # type: ignore[attr-defined]
    assert hashes == json.loads(journal.read_text())  # the bytes of the save, not of a later one


# Killed later: checkpoint-4's create call reached the server (the asset exists, pending), and the process died
# before the answer was recorded in the tracker. The asset's id goes to a file first, for the test to follow it.
KILLED_AFTER_CREATE = """
import hashlib, json, os, signal, sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
import hf_trainer
from methodic.namespaces.asset_calls import AssetCalls

create = AssetCalls.create_with_presigned

def create_then_die(self, **kwargs):
    presigned = create(self, **kwargs)
    if (kwargs.get("asset_config") or {}).get("step") == 4:
        with open(sys.argv[3], "w") as f:
            f.write(presigned.asset_id)
            f.flush()
            os.fsync(f.fileno())
        os.kill(os.getpid(), signal.SIGKILL)
    return presigned

AssetCalls.create_with_presigned = create_then_die
hf_trainer.train(Path(sys.argv[1]), max_steps=8, save_steps=2, save_total_limit=1)
"""


def _killed_in_create(
    script: str, server: LocalChronicle, run: tuple[str, int, int], out: Path, tracker_name: str, *, step: int
) -> str:
    """Run ``script`` until it kills itself inside a create call; the id of the asset that create made.

    The tracker in ``out`` holds the step's hand-over and no asset row for that id: only the server knows it.
    """
    created = out.parent / "created.txt"
    first = _trainer(script, server, run, out, str(created))
    assert first.returncode == -9, first.stderr[-3000:]
    orphan = created.read_text()
    with UploadTracker(db_path=out / tracker_name) as tracker:
        assert [h.asset_config["step"] for h in leftovers(tracker) if h.asset_config] == [step]
        assert orphan not in {p.asset_id for p in tracker.get_pending_uploads()}
    return orphan


def test_a_checkpoint_created_on_the_server_but_killed_before_it_was_recorded_is_uploaded_into_that_asset(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    """No second asset, and nothing left pending on the finished run: the requeued job adopts what the kill left."""
    exp_id, v, r = committed_run
    out = tmp_path / "out"
    orphan = _killed_in_create(KILLED_AFTER_CREATE, server, committed_run, out, "methodic-uploads.sqlite", step=4)
    assert [a.state for a in _checkpoints(client, exp_id, v)[4]] == ["pending"]  # type: ignore[attr-defined]

    rerun = _trainer(REQUEUED, server, committed_run, out)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert "FIRST_STEP 5" in rerun.stdout
    checkpoints = _checkpoints(client, exp_id, v)
    assert sorted(checkpoints) == [2, 4, 6, 8]
    assert [a.id for a in checkpoints[4]] == [orphan]  # type: ignore[attr-defined]
    assert all(len(a) == 1 and a[0].state == "ready" for a in checkpoints.values())  # type: ignore[attr-defined]
    assert client.run(exp_id, v, r).state == "succeeded"
    assert [a.id for a in client.run(exp_id, v, r).list_outputs() if a.state == "pending"] == []


# The integrations that register on the saving thread (Lightning, accelerate) go through TrainingSession.checkpoint:
# killed the same way, inside the create call of the step-1 checkpoint.
SESSION_KILLED_AFTER_CREATE = """
import os, signal, sys
from pathlib import Path
from methodic import Chronicle, UploadTracker
from methodic.integrations.session import TrainingSession, resolve_run
from methodic.namespaces.asset_calls import AssetCalls

create = AssetCalls.create_with_presigned

def create_then_die(self, **kwargs):
    presigned = create(self, **kwargs)
    Path(sys.argv[3]).write_text(presigned.asset_id)
    os.kill(os.getpid(), signal.SIGKILL)

AssetCalls.create_with_presigned = create_then_die
folder = Path(sys.argv[1]) / "step-1"
folder.mkdir(parents=True)
(folder / "weights.bin").write_bytes(b"w" * 1000)
chronicle = Chronicle.from_env()
session = TrainingSession(resolve_run(chronicle=chronicle), framework="test",
                          upload_tracker=UploadTracker(Path(sys.argv[1]) / "uploads.sqlite"), owns_tracker=True)
session.begin()
session.checkpoint(folder, step=1)
"""


def test_a_checkpoint_registered_on_the_saving_thread_and_killed_in_its_create_is_adopted_by_the_next_session(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    from methodic.integrations.session import TrainingSession

    exp_id, v, r = committed_run
    out = tmp_path / "out"
    orphan = _killed_in_create(SESSION_KILLED_AFTER_CREATE, server, committed_run, out, "uploads.sqlite", step=1)

    session = TrainingSession(
        client.run(exp_id, v, r),
        framework="test",
        upload_tracker=UploadTracker(out / "uploads.sqlite"),
        owns_tracker=True,
    )
    session.begin()  # the requeued job: rescues what the kill left, before training
    session.finish()
    (checkpoint,) = [a for a in client.run(exp_id, v, r).list_outputs() if a.asset_type == "checkpoint"]
    assert (checkpoint.id, checkpoint.state) == (orphan, "ready")
    assert client.run(exp_id, v, r).state == "succeeded"
