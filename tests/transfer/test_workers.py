"""The transfer pool's daemon threads: results and errors in futures, cancellation, and exit behaviour."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from methodic.transfer.workers import DaemonExecutor


def test_results_errors_and_at_most_max_workers_threads() -> None:
    executor = DaemonExecutor(2)
    running, peak, lock = [0], [0], threading.Lock()

    def task(i: int) -> int:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        if i == 3:
            raise ValueError("three")
        return i * 10

    futures = [executor.submit(task, i) for i in range(6)]
    assert [f.result() for f in futures if not f.exception()] == [0, 10, 20, 40, 50]
    assert isinstance(futures[3].exception(), ValueError)
    assert peak[0] <= 2 and all(t.daemon for t in executor._threads)
    executor.shutdown()
    with pytest.raises(RuntimeError):
        executor.submit(task, 0)


def test_shutdown_with_cancel_drops_queued_work_and_interrupt_does_not_wait() -> None:
    executor = DaemonExecutor(1)
    gate = threading.Event()
    first = executor.submit(gate.wait, 5)
    queued = [executor.submit(time.sleep, 0) for _ in range(3)]
    started = time.monotonic()
    executor.interrupt()  # the running task is not waited for
    assert time.monotonic() - started < 0.5
    assert all(f.cancelled() for f in queued)
    gate.set()
    assert first.result(5) is True


SCRIPT = """
import sys, time
from pathlib import Path
from methodic.transfer.workers import DaemonExecutor
executor = DaemonExecutor(1)
def work():
    time.sleep(1.0)
    Path(sys.argv[1]).write_text("done")
executor.submit(work)
if sys.argv[2] == "interrupt":
    executor.interrupt()
"""


@pytest.mark.parametrize("mode", ["forgotten", "interrupt"])
def test_exit_waits_for_work_nobody_closed_but_not_for_an_interrupted_pool(tmp_path: Path, mode: str) -> None:
    marker = tmp_path / "marker"
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", SCRIPT, str(marker), mode], check=True, timeout=30)
    took = time.monotonic() - started
    if mode == "forgotten":  # a script that never closed its client still gets its uploads
        assert marker.read_text() == "done" and took >= 1.0
    else:  # a stopped process exits now; the unfinished work is left as a kill would leave it
        assert not marker.exists() and took < 1.0 + 2.0
