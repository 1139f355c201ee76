"""Ctrl-C during an upload, as a new user meets it (issue 28, finding 11), in real processes over real HTTP.

The first Ctrl-C says at once what happens next (the drain, its bound, how to stop now); a second one
stops at once (no upload goes on to 100%, no 409s, no wait at exit); a third adds no second traceback;
and the time reported as "unfinished after Xs" is the time really waited.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from methodic import Chronicle
from methodic_server import LocalChronicle
from tests.helpers import CONFIG, write_checkpoint

#: The README's quickstart shape, without ``with Chronicle(...)``: a plain script a new user writes.
CHILD = """
import sys, time
from pathlib import Path
from methodic import Chronicle, UploadTracker
url, key, exp, ckpt, db, drain = sys.argv[1:7]
chronicle = Chronicle(url, key)
run = chronicle.run(exp, 0, 0)
tracker = UploadTracker(db)
with run.lifecycle(heartbeat_interval=30, drain_timeout=float(drain)):
    upload = run.register_and_upload_async(local_dir=Path(ckpt), asset_type="checkpoint", upload_tracker=tracker)
    print("UPLOADING", upload.asset_id, flush=True)
    time.sleep(120)  # training goes on while the checkpoint uploads
"""

DRAIN = 20.0


class Child:
    """The child process, its output lines as they arrive (with the time each came), and the asset it uploads."""

    def __init__(self, server: LocalChronicle, exp_id: str, tmp_path: Path) -> None:
        write_checkpoint(tmp_path / "ckpt", {"a.bin": 2 << 20, "b.bin": 2 << 20, "c.bin": 2 << 20})
        argv = [server.url, server.api_key, exp_id, str(tmp_path / "ckpt"), str(tmp_path / "u.sqlite"), str(DRAIN)]
        self.process = subprocess.Popen(
            [sys.executable, "-c", CHILD, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self.lines: list[tuple[float, str]] = []
        self._readers = [
            threading.Thread(target=self._read, args=(stream,), daemon=True)
            for stream in (self.process.stdout, self.process.stderr)
        ]
        for reader in self._readers:
            reader.start()
        self.asset_id = self.wait_for(lambda line: line.startswith("UPLOADING"), 30).split()[1]

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.append((time.monotonic(), line.rstrip("\n")))

    def wait_for(self, match: object, seconds: float, after: float = 0.0) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for at, line in list(self.lines):
                if at >= after and match(line):  # type: ignore[operator]
                    return line
            time.sleep(0.02)
        raise AssertionError(f"not seen within {seconds}s; output so far:\n" + self.text())

    def text(self) -> str:
        return "\n".join(line for _, line in self.lines)

    def interrupt(self) -> float:
        sent = time.monotonic()
        self.process.send_signal(signal.SIGINT)
        return sent

    def exits_within(self, seconds: float) -> float:
        started = time.monotonic()
        try:
            self.process.wait(seconds)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"still running {seconds:g}s after the last Ctrl-C; output:\n{self.text()}")
        for reader in self._readers:
            reader.join(5)
        return time.monotonic() - started


@pytest.fixture
def paced() -> object:
    """A server whose storage takes ~256 KiB/s per connection: a 6 MiB checkpoint takes ~10 s to upload."""
    with LocalChronicle(per_connection_bytes_per_second=256 << 10) as server:
        with Chronicle(server.url, server.api_key) as chronicle:
            exp = chronicle.experiments.create(title="t", hypothesis_summary="h", config_yaml=CONFIG)
            exp.commit()
            chronicle.variation(exp.id, 0).commit(commit_without_hypothesis=True)
        yield server, exp.id


def test_the_first_ctrl_c_says_at_once_what_happens_next(paced: tuple[LocalChronicle, str], tmp_path: Path) -> None:
    server, exp_id = paced
    child = Child(server, exp_id, tmp_path)
    time.sleep(0.5)
    sent = child.interrupt()
    line = child.wait_for(lambda text: "Ctrl-C again" in text, 2.0, after=sent)
    assert "1 upload" in line and f"{DRAIN:g}s" in line, line  # what it waits for, and for how long at most
    child.interrupt()
    child.exits_within(10)


def test_a_second_ctrl_c_stops_at_once_and_reports_the_time_really_waited(
    paced: tuple[LocalChronicle, str], tmp_path: Path
) -> None:
    server, exp_id = paced
    child = Child(server, exp_id, tmp_path)
    time.sleep(0.5)
    first = child.interrupt()
    child.wait_for(lambda text: "Ctrl-C again" in text, 2.0, after=first)
    time.sleep(2.5)
    child.interrupt()
    took = child.exits_within(8)
    assert took < 4, f"exited {took:.1f}s after the second Ctrl-C"
    out = child.text()
    assert "409" not in out and "Conflict" not in out, out  # no upload went on to a refused finalize
    assert "Exception ignored" not in out and out.count("Traceback") <= 1, out
    with Chronicle(server.url, server.api_key) as chronicle:
        run = chronicle.run(exp_id, 0, 0)
        assert run.refresh_state() == "failed_abandoned"
        reason = run.failure_reason or ""
        waited = re.search(r"unfinished after ([\d.]+)s", reason)
        assert waited is not None and 2 <= float(waited.group(1)) <= 4, reason  # the real ~2.5 s, not 20 s or 0 s
        assert chronicle.assets.get(child.asset_id).state != "ready"  # it did not go on to 100%
    shown = re.findall(r"unfinished after ([\d.]+)s", out)
    assert shown and all(2 <= float(s) <= 4 for s in shown), out  # and the warning says the same


def test_a_third_ctrl_c_adds_no_second_traceback(paced: tuple[LocalChronicle, str], tmp_path: Path) -> None:
    server, exp_id = paced
    child = Child(server, exp_id, tmp_path)
    time.sleep(0.5)
    first = child.interrupt()
    child.wait_for(lambda text: "Ctrl-C again" in text, 2.0, after=first)
    for _ in range(2):
        time.sleep(0.15)
        child.interrupt()
    child.exits_within(8)
    out = child.text()
    assert out.count("Traceback") <= 1 and "Exception ignored" not in out, out
    assert "During handling of the above exception" not in out, out
