"""sha256 on a helper thread, so hashing a transfer overlaps its network and disk work.

Hashing one GiB costs about 0.6 s of CPU; done inline it adds that to every GiB moved. hashlib
releases the GIL while it hashes a buffer, so a helper thread hashes block N while the transfer
thread receives and writes block N+1.

Two ways in. ``update(chunk)`` takes immutable ``bytes`` (what httpx yields), handed over in
batches of about ``batch_bytes``. ``buffer()`` / ``update_buffer(buf, n)`` lend out reusable
``batch_bytes`` buffers to read into (``readinto``), so a download allocates nothing per block;
each buffer comes back to the pool once hashed. Either way at most ``max_pending`` blocks wait,
so memory stays bounded (a few MiB) whatever the transfer size.
"""

from __future__ import annotations

import hashlib
import queue
import threading

_STOP = None
_Item = list[bytes] | tuple[bytearray, int] | None


class PipelinedSha256:
    """A sha256 whose updates return at once; ``hexdigest`` waits for the helper to catch up."""

    def __init__(self, *, batch_bytes: int = 1 << 20, max_pending: int = 4) -> None:
        self._hash = hashlib.sha256()
        self._batch: list[bytes] = []
        self._batched = 0
        self._batch_bytes = batch_bytes
        self._max_pending = max_pending
        self._queue: queue.Queue[_Item] = queue.Queue(max_pending)
        self._free: queue.Queue[bytearray] = queue.Queue()  # lent buffers back from the helper
        self._lent = 0
        self._thread: threading.Thread | None = None
        self._digest: str | None = None
        self._error: BaseException | None = None

    # -- immutable chunks ---------------------------------------------------------------------------
    def update(self, chunk: bytes) -> None:
        """Queue ``chunk`` for hashing (blocks only while ``max_pending`` blocks are waiting)."""
        self._check_open()
        self._batch.append(chunk)
        self._batched += len(chunk)
        if self._batched >= self._batch_bytes:
            self._hand_over()

    # -- lent buffers -------------------------------------------------------------------------------
    def buffer(self) -> bytearray:
        """A ``batch_bytes`` buffer to fill; pass it to :meth:`update_buffer` or :meth:`give_back`."""
        self._check_open()
        try:
            return self._free.get_nowait()
        except queue.Empty:
            if self._lent < self._max_pending + 2:
                self._lent += 1
                return bytearray(self._batch_bytes)
        return self._free.get()  # every buffer is queued or being hashed: wait for one

    def update_buffer(self, buf: bytearray, n: int) -> None:
        """Hash ``buf[:n]`` on the helper; the buffer returns to the pool afterwards. Do not touch it again."""
        self._check_open()
        self._hand_over()  # keep the order of earlier ``update`` chunks
        self._start()
        self._queue.put((buf, n))

    def give_back(self, buf: bytearray) -> None:
        """Return an unused buffer from :meth:`buffer`."""
        self._free.put(buf)

    # -- result and cleanup -------------------------------------------------------------------------
    def hexdigest(self) -> str:
        """The digest of everything passed in, in order."""
        if self._digest is None:
            if self._thread is None:  # small input: not worth a thread
                for chunk in self._batch:
                    self._hash.update(chunk)
                self._batch = []
            else:
                self._hand_over()
                self._queue.put(_STOP)
                self._thread.join()
                self._raise_helper_error()  # a partial digest must never look like a result
            self._digest = self._hash.hexdigest()
        return self._digest

    def close(self) -> None:
        """Stop the helper without finishing (an aborted transfer). Safe to call more than once."""
        self._batch = []
        if self._thread is not None and self._thread.is_alive():
            self._drain()
            self._queue.put(_STOP)
            self._thread.join()

    # -- internals ----------------------------------------------------------------------------------
    def _check_open(self) -> None:
        if self._digest is not None:
            raise ValueError("update() after hexdigest()")
        self._raise_helper_error()

    def _raise_helper_error(self) -> None:
        if self._error is not None:
            raise RuntimeError(f"sha256 helper failed: {self._error!r}") from self._error

    def _start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="methodic-sha256", daemon=True)
            self._thread.start()

    def _hand_over(self) -> None:
        if not self._batch:
            return
        self._start()
        self._queue.put(self._batch)
        self._batch, self._batched = [], 0

    def _drain(self) -> None:
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return

    def _run(self) -> None:
        update = self._hash.update
        while (item := self._queue.get()) is not _STOP:
            try:
                if self._error is None:
                    if isinstance(item, list):
                        for chunk in item:
                            update(chunk)
                    else:
                        update(memoryview(item[0])[: item[1]])
            except BaseException as exc:  # reported to the caller; keep draining so nobody blocks on a full queue
                self._error = exc
            finally:
                if isinstance(item, tuple):
                    self._free.put(item[0])
