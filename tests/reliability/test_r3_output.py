"""``output_above_progress()`` under hostile streams, in real processes (issue 28, finding 3).

A stalled stdout reader never stalls an upload; ``\\r`` progress lines stay linear; a closed fd 1 or
a ``sys.stdout`` closed inside the block never raises and never leaves the wrapper installed.
"""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from methodic_server import LocalChronicle
from tests.helpers import chronicle_env

STALLED_STDOUT_CHILD = r"""
import os, sys, threading, time
from pathlib import Path
from methodic import Chronicle, output_above_progress

url, key, exp_id, folder, flag = sys.argv[1:6]
with Chronicle(url, key) as chronicle:
    run = chronicle.run(exp_id, 0, 0)
    with output_above_progress():
        def chatter():
            for i in range(1_000_000):  # far more than a pipe holds: the reader never reads
                print(f"log line {i} " + "x" * 100)
        threading.Thread(target=chatter, daemon=True).start()
        time.sleep(0.5)  # the pipe is full and the chatter thread is blocked in a write by now
        started = time.monotonic()
        upload = run.upload_directory_async(folder, "checkpoint", progress=True)
        upload.wait()
        Path(flag + ".tmp").write_text(f"{time.monotonic() - started:.3f}")
        os.replace(flag + ".tmp", flag)
    os._exit(0)  # the chatter thread is still blocked on the full pipe
"""


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass


@pytest.mark.parametrize("buffered", [True, False], ids=["block-buffered", "unbuffered"])
def test_a_stalled_stdout_reader_does_not_stall_an_upload_with_a_bar(
    server: LocalChronicle, tmp_path: Path, buffered: bool
) -> None:
    from methodic import Chronicle
    from tests.helpers import CONFIG

    with Chronicle(server.url, server.api_key) as chronicle:
        exp = chronicle.experiments.create(title="t", hypothesis_summary="h", config_yaml=CONFIG)
        exp.commit()
        chronicle.variation(exp.id, 0).commit(commit_without_hypothesis=True)
    folder = tmp_path / "ckpt"
    folder.mkdir()
    (folder / "model.bin").write_bytes(os.urandom(4 << 20))
    flag = tmp_path / "done"
    master, slave = pty.openpty()  # stderr is a terminal: the display draws a tqdm bar there
    env = chronicle_env(server)
    env.pop("METHODIC_PROGRESS", None)
    env.pop("PYTHONUNBUFFERED", None)
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    child = subprocess.Popen(
        [sys.executable, "-c", STALLED_STDOUT_CHILD, server.url, server.api_key, exp.id, str(folder), str(flag)],
        stdout=subprocess.PIPE,  # never read until the end: a `| less` whose reader walked away
        stderr=slave,
        env=env,
    )
    os.close(slave)
    threading.Thread(target=_drain, args=(master,), daemon=True).start()
    try:
        deadline = time.monotonic() + 30
        while not flag.exists() and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.1)
        assert flag.exists(), "the upload never finished while stdout's reader was stalled"
        assert float(flag.read_text()) < 20
    finally:
        child.kill()
        assert child.stdout is not None
        child.stdout.close()
        child.wait(10)
        os.close(master)


CARRIAGE_RETURN_CHILD = r"""
import io, sys, time
from tqdm import tqdm
from methodic import output_above_progress

bar = tqdm(total=10, file=io.StringIO()) if sys.argv[1] == "bar" else None  # a bar open, as during an upload
with output_above_progress():
    started = time.monotonic()
    for i in range(40_000):
        print(f"\rstep {i}", end="")
    elapsed = time.monotonic() - started
    print()
if bar is not None:
    bar.close()
sys.stderr.write(f"ELAPSED {elapsed:.3f}\n")
"""


def _run_on(stdout: str, bar: str) -> tuple[str, str]:
    """Run the child with stdout on a pipe or on a terminal (a pty); its stdout and stderr."""
    if stdout == "pipe":
        done = subprocess.run(
            [sys.executable, "-c", CARRIAGE_RETURN_CHILD, bar], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stdout, done.stderr
    master, slave = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-c", CARRIAGE_RETURN_CHILD, bar], stdout=slave, stderr=subprocess.PIPE, text=True
    )
    os.close(slave)
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.extend(iter(lambda: _read_some(master), b"")), daemon=True)
    reader.start()
    _, err = child.communicate(timeout=60)
    reader.join(10)
    os.close(master)
    assert child.returncode == 0, err
    return b"".join(chunks).decode(), err


def _read_some(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except OSError:  # the terminal closed with the child
        return b""


def test_carriage_return_progress_lines_stay_linear_and_are_shown() -> None:
    for stdout in ("pipe", "tty"):
        for bar in ("bar", "none"):
            out, err = _run_on(stdout, bar)
            elapsed = float(err.split("ELAPSED ")[1])
            assert elapsed < 1.5, (stdout, bar, elapsed)  # 40,000 calls took 6.9 s when the line grew quadratically
            assert re.search(r"step 39999\r?\n", out), (stdout, bar, out[-200:])  # the last step is shown
            if stdout == "pipe":
                assert out.count("step ") == 40_000  # a log keeps every step, as written


CLOSED_FD_CHILD = r"""
import sys
from methodic import output_above_progress

assert sys.stdout is None  # fd 1 was closed before the interpreter started
with output_above_progress():
    print("nowhere to go")
    print("partial", end="")
assert sys.stdout is None
sys.stderr.write("LEFT THE BLOCK\n")
"""


def test_with_fd_1_closed_print_is_a_no_op_and_leaving_the_block_works() -> None:
    def close_stdout() -> None:
        os.close(1)

    done = subprocess.run(
        [sys.executable, "-c", CLOSED_FD_CHILD],
        stdout=None,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        preexec_fn=close_stdout,
    )
    assert done.returncode == 0, done.stderr
    assert "LEFT THE BLOCK" in done.stderr and "Traceback" not in done.stderr


FD_CLOSED_LATER_CHILD = r"""
import contextlib, os, sys
from methodic import output_above_progress

os.close(1)  # the reader went away after the program started: sys.stdout is still there
raised = []
with output_above_progress() if sys.argv[1] == "wrapped" else contextlib.nullcontext():
    for text, end in (("into the void", "\n"), ("partial", "")):
        try:
            print(text, end=end)
        except OSError as exc:
            raised.append(exc.errno)
sys.stderr.write(f"LEFT THE BLOCK {raised}\n")
os._exit(0)  # Python's own flush of stdout at exit would complain, with or without the wrapper
"""


def test_with_fd_1_closed_after_start_print_behaves_as_without_the_block_and_leaving_works() -> None:
    said = {}
    for mode in ("plain", "wrapped"):
        done = subprocess.run(
            [sys.executable, "-c", FD_CLOSED_LATER_CHILD, mode], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        said[mode] = done.stderr.split("LEFT THE BLOCK ")[1].strip()
    assert said["wrapped"] == said["plain"]  # print raises exactly when it would without the wrapper


CLOSED_INSIDE_CHILD = r"""
import sys
from methodic import output_above_progress

original = sys.stdout
with output_above_progress():
    wrapper = sys.stdout
    print("before the close", end="")  # a partial line still pending when stdout is closed
    sys.stdout.close()
assert sys.stdout is original, type(sys.stdout)  # the wrapper is gone
assert sys.stdout is not wrapper
sys.stderr.write("LEFT THE BLOCK\n")
"""


def test_closing_sys_stdout_inside_the_block_removes_the_wrapper_on_exit() -> None:
    done = subprocess.run([sys.executable, "-c", CLOSED_INSIDE_CHILD], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "LEFT THE BLOCK" in done.stderr and "Traceback" not in done.stderr


STALLED_STDERR_CHILD = r"""
import sys, threading, time
from methodic.transfer.display import TransferDisplay

def chatter():
    while True:  # far more than a pipe holds: the reader never reads, so this blocks for good
        sys.stderr.write("log line " + "x" * 100 + "\n")
        sys.stderr.flush()

threading.Thread(target=chatter, daemon=True).start()
time.sleep(0.5)  # stderr's pipe is full by now
display = TransferDisplay(stream=sys.stderr, interval=0.05, label="upload")  # a pipe: plain progress lines
tracked = display.track(files=1)
started = time.monotonic()
tracked.on_start(100, "checkpoint")
for _ in range(100):  # about a second, crossing every quarter: each wants a progress line
    tracked.on_bytes(1)
    time.sleep(0.01)
tracked.on_done()
sys.stdout.write(f"ELAPSED {time.monotonic() - started:.3f}\n")
sys.stdout.flush()
"""


def test_a_stalled_stderr_reader_does_not_hold_the_transfer_reporting_its_progress() -> None:
    """Progress lines on a pipe (``2>&1 | tee`` with tee stopped) are written off the transfer's thread."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("METHODIC_PROGRESS", None)
    child = subprocess.Popen(
        [sys.executable, "-c", STALLED_STDERR_CHILD],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,  # never read: the reader walked away
        env=env,
        text=True,
    )
    try:
        assert child.stdout is not None
        ready, _, _ = select.select([child.stdout], [], [], 20)  # stdout is not stalled; only stderr is
        assert ready, "the transfer's progress reports blocked on the stalled stderr"
        line = child.stdout.readline()
        assert line.startswith("ELAPSED"), line
        assert float(line.split()[1]) < 5  # ~1 s of transfer plus at most one bounded settle at its end
    finally:
        child.kill()
        child.wait(10)
