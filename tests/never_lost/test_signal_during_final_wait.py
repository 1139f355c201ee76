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

import pytest

from methodic import Chronicle
from methodic_server import LocalChronicle

from .conftest import write_checkpoint

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
