"""moto's S3 server in its own process, under a watchdog that kills it before it can exhaust the machine.

moto keeps a multipart upload's assembly in memory (``FakeMultipart.complete`` builds the object in a
``bytearray``, then ``bytes(...)`` of it) and every GET reads the whole object into memory before it
slices a range. A test that moves gigabytes through it must not run it in the pytest process (its
memory could not be reclaimed or capped) nor let it grow until the kernel's OOM killer picks a victim
among other people's processes on a shared machine. So the server runs as ``python -m moto.server``
with two guards:

- a watchdog thread samples its RSS (``/proc/<pid>/status``) and the machine's ``MemAvailable`` every
  ``interval`` seconds and SIGKILLs it when the RSS passes ``rss_cap`` or available memory (swap included)
  falls below
  ``min_available``; the reason is kept and :meth:`MotoProcess.check` fails the test with it;
- ``RLIMIT_AS`` (address space) of a little more than the cap, so an allocation that outruns the
  sampling fails inside moto (a 500, then a failed test) instead of taking memory the cap forbids.

Linux only (``/proc``); the tests that use it are opt-in.
"""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

GiB = 1 << 30


def available_memory() -> int:
    """What can still be allocated before the OOM killer acts: ``MemAvailable`` plus ``SwapFree``, in bytes."""
    fields = {}
    for line in Path("/proc/meminfo").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = int(value.split()[0]) * 1024
    if "MemAvailable" not in fields:
        raise RuntimeError("no MemAvailable in /proc/meminfo")
    return fields["MemAvailable"] + fields.get("SwapFree", 0)


def _rss(pid: int) -> int | None:
    """Resident set size of ``pid`` in bytes (None once it has exited)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class MotoProcess:
    """``python -m moto.server`` on 127.0.0.1, watched; use as a context manager.

    ``peak_rss`` is the largest RSS the watchdog saw (sampled, so a spike shorter than ``interval``
    can be missed; the kernel's own high-water mark is read at exit into ``hwm`` when available).
    """

    def __init__(
        self,
        *,
        rss_cap: int = 16 * GiB,
        min_available: int = 2 * GiB,
        interval: float = 0.05,
        log: Path | None = None,
    ) -> None:
        self.rss_cap = rss_cap
        self.min_available = min_available
        self.interval = interval
        self.log = log
        self.peak_rss = 0
        self.hwm: int | None = None
        self.killed: str | None = None
        self.endpoint = ""
        self._proc: subprocess.Popen[bytes] | None = None
        self._stop = threading.Event()
        self._watchdog: threading.Thread | None = None

    def __repr__(self) -> str:
        return f"<MotoProcess {self.endpoint} peak_rss={self.peak_rss} killed={self.killed!r}>"

    def __enter__(self) -> MotoProcess:
        port = _free_port()
        address_space = self.rss_cap + 4 * GiB  # headroom for thread stacks and malloc arenas (virtual, not resident)

        def limit() -> None:  # runs in the child before exec
            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))

        out = self.log.open("ab") if self.log is not None else subprocess.DEVNULL
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                stdout=out,
                stderr=subprocess.STDOUT,
                preexec_fn=limit,
                env={**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"},
            )
        finally:
            if self.log is not None:
                out.close()  # type: ignore[union-attr]
        self._watchdog = threading.Thread(target=self._watch, name="moto-watchdog", daemon=True)
        self._watchdog.start()
        self.endpoint = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{self.endpoint}/moto-api/", timeout=1.0)
                break
            except httpx.TransportError:
                if self._proc.poll() is not None or time.monotonic() > deadline:
                    self.__exit__(None, None, None)
                    why = self.killed or f"exit code {self._proc.returncode}"
                    raise RuntimeError(f"moto_server did not start ({why})") from None
                time.sleep(0.1)
        return self

    def _watch(self) -> None:
        proc = self._proc
        assert proc is not None
        while not self._stop.is_set() and proc.poll() is None:
            rss = _rss(proc.pid)
            if rss is not None:
                self.peak_rss = max(self.peak_rss, rss)
                available = available_memory()
                if rss > self.rss_cap:
                    self._kill(f"moto's RSS reached {rss / GiB:.2f} GiB, over the cap of {self.rss_cap / GiB:.2f} GiB")
                elif available < self.min_available:
                    self._kill(
                        f"the machine had {available / GiB:.2f} GiB available (floor {self.min_available / GiB:.2f}"
                        f" GiB) with moto at {rss / GiB:.2f} GiB"
                    )
            self._stop.wait(self.interval)

    def _kill(self, reason: str) -> None:
        self.killed = reason
        assert self._proc is not None
        self._proc.kill()

    def _read_hwm(self) -> None:
        assert self._proc is not None
        try:
            for line in Path(f"/proc/{self._proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    self.hwm = int(line.split()[1]) * 1024
        except OSError:
            pass

    def check(self) -> None:
        """Fail the test with the watchdog's reason if it killed moto."""
        if self.killed is not None:
            pytest.fail(f"the watchdog killed moto_server: {self.killed}", pytrace=False)

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        if self._watchdog is not None:
            self._watchdog.join()
        if self._proc is not None and self._proc.poll() is None:
            self._read_hwm()
            self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
