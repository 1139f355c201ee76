"""The stall rule of a GET: a download that still moves, but far too slowly to ever finish, is a timeout.

Per-read timeouts only catch silence: a server that drips one byte a second never trips them. So a
GET of storage (a whole file in :mod:`methodic.transfer.get`, a range in
:mod:`methodic.transfer.ranged_whole` and :mod:`methodic.transfer.ranged_parts`) is also held to
:class:`~methodic.transfer.config.StallPolicy`: at least ``min_bytes`` every ``window`` seconds, and,
when its size is known, a deadline for the whole GET. A stall raises ``httpx.ReadTimeout``, which
:func:`~methodic.transfer.retry.attempts` retries like any other timeout. The trade-off: a reader
blocked filling a whole buffer cannot look at the clock, so it is watched from a helper thread that
aborts the connection; one short-lived thread per GET buys a bound on how long a hostile server can
hold a worker.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import httpx

from methodic.transfer.config import StallPolicy

__all__ = ["StallWatch"]


class StallWatch:
    """Notices a download that still moves but far too slowly to ever finish (a server dripping bytes).

    Per-read timeouts only catch silence. This checks progress per window: inline on every chunk
    (:meth:`check`), and, with ``abort`` (for a reader blocked filling a whole buffer), from a watcher
    thread that aborts the connection while it is used as a context manager. Given the ``size`` of the
    GET, it also holds the whole GET to a deadline: ``grace`` seconds (the client's ``timeout``) plus the
    time the policy's floor rate needs for ``size`` bytes (see :class:`StallPolicy`). With no policy it
    checks nothing.
    """

    def __init__(
        self,
        policy: StallPolicy | None,
        request: httpx.Request,
        abort: Callable[[], None] | None = None,
        *,
        size: int | None = None,
        grace: float | None = None,
    ) -> None:
        self.policy = policy
        self.request = request
        self.abort = abort
        self.received = 0
        self.window_start = time.monotonic()
        self.window_received = 0
        self.stalled = False
        self.deadline: float | None = None
        if policy is not None and size is not None:
            self.deadline = self.window_start + policy.seconds_for(size, grace or 0.0)
        self._overdue = False
        self._stop = threading.Event()

    def __enter__(self) -> StallWatch:
        if self.policy is not None and self.abort is not None:
            threading.Thread(target=self._watch, name="methodic-stall-watch", daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()

    def _too_slow(self, now: float) -> bool:
        assert self.policy is not None
        if self.deadline is not None and now > self.deadline:
            self._overdue = True
            return True
        if now - self.window_start < self.policy.window:
            return False
        if self.received - self.window_received < self.policy.min_bytes:
            return True
        self.window_start, self.window_received = now, self.received
        return False

    def _watch(self) -> None:
        assert self.policy is not None and self.abort is not None
        period = min(1.0, self.policy.window / 4)
        if self.deadline is not None:
            period = min(period, max(0.05, (self.deadline - time.monotonic()) / 4))
        while not self._stop.wait(period):
            if self._too_slow(time.monotonic()):
                self.stalled = True
                self.abort()
                return

    def _error(self) -> httpx.ReadTimeout:
        assert self.policy is not None
        if self._overdue and self.deadline is not None:
            return httpx.ReadTimeout(
                f"storage stalled: {self.received} bytes arrived before the GET's deadline"
                f" ({self.policy.describe()}, plus the timeout)",
                request=self.request,
            )
        return httpx.ReadTimeout(
            f"storage stalled: fewer than {self.policy.min_bytes} bytes in {self.policy.window:g} s",
            request=self.request,
        )

    def check(self, received: int) -> None:
        """Count progress; raise if the last window moved too little."""
        self.received = received
        if self.policy is not None and (self.stalled or self._too_slow(time.monotonic())):
            raise self._error()

    def stalled_read(self, read: Callable[[bytearray], int], buffer: bytearray) -> int:
        """``read(buffer)``, reporting an abort by the watcher as the stall it was."""
        try:
            return read(buffer)
        except httpx.TransportError:
            if self.stalled:
                raise self._error() from None
            raise
