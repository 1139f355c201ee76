"""What a person sees when running the demo: on a terminal no line mixes a bar with program output;
through a pipe (CI, a log file) no cursor-control escapes at all."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo.py"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
BAR = re.compile(r"^\s*(upload|download|resume|transfer): +\d+%\|[^|]*\| [^\[]*\[[^\]]*\]\s*$")
PROGRAM = ("[runner", "===", "search hit", "run ", "experiment ", "tracker:", "ASSET ", "finalized ", "resumed ")


def _run_under_pty(columns: int = 160) -> str:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 48, columns, 0, 0))
    env = {**os.environ, "COLUMNS": str(columns), "TERM": "xterm-256color"}
    env.pop("METHODIC_PROGRESS", None)
    proc = subprocess.Popen([sys.executable, str(DEMO)], stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: every writer closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=60) == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_on_a_terminal_no_line_mixes_a_progress_bar_with_program_output() -> None:
    screen = _run_under_pty()
    plain = ANSI.sub("", screen)
    # A bar redraws in place (a carriage return); only a bar that stays on screen when it closes (a
    # blocking download or resume) may end a line. A bar ending every line means redraws scroll.
    ending_in_a_bar = [
        line for line in plain.split("\n") if "%|" in ([s for s in line.split("\r") if s.strip()] or [""])[-1]
    ]
    assert len(ending_in_a_bar) <= 3, ending_in_a_bar
    segments = [s for s in re.split(r"[\r\n]", plain) if s.strip()]
    bars = [s for s in segments if "%|" in s]
    assert bars, "the demo showed no progress bar on a terminal"
    torn = [s for s in bars if not BAR.match(s)]
    assert not torn, torn[:5]
    for s in segments:
        for marker in PROGRAM:
            if marker in s and "%|" in s:
                raise AssertionError(f"a program line inside a bar: {s!r}")
    assert any(s.startswith("[runner 0] step   9") for s in segments)
    assert any(s.startswith("search hit") for s in segments)


def test_through_a_pipe_there_are_no_escape_sequences() -> None:
    env = {k: v for k, v in os.environ.items() if k != "METHODIC_PROGRESS"}
    done = subprocess.run([sys.executable, str(DEMO)], capture_output=True, text=True, timeout=240, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    for stream in (done.stdout, done.stderr):
        assert "\x1b[" not in stream and "\r" not in stream
    lines = done.stdout.splitlines()
    hits = [line for line in lines if line.startswith("search hit")]
    assert hits == [hits[0]] and "**learning rate converged**" in hits[0]
