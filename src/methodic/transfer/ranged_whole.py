"""One whole file down in parallel ranged GETs, verified by its whole-file sha256 before the rename.

What the hosted wire records for a component, and what every component uploaded with one PUT has, is
the sha256 of the whole file. :func:`download_ranges` fetches it in ranges of ``download_range_size``
(16 MiB by default), hashed in order as they land by reading each back from the file once the ones
before it are in (:class:`_InOrderSha256`): a sha256 cannot be computed out of order, and holding early
ranges in memory would cost workers x range size. Storage that ignores ``Range`` is read in one GET
instead (:func:`methodic.transfer.get.download_file`); the first range goes alone to find out, so such a
storage gets one request that comes back whole, not one per worker.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from methodic._constants import LOGGER_NAME
from methodic.errors import IntegrityError, StorageError
from methodic.transfer.bounds import RangePlan, planned_ranges
from methodic.transfer.directio import RangeWriter, close_quietly
from methodic.transfer.get import DOWNLOAD_BUFFER, download_file
from methodic.transfer.parallel import run_shared
from methodic.transfer.ranged import SharedUrl, covers, preallocate
from methodic.transfer.retry import MAX_ERROR_BODY, ByteReporter, UploadResult, attempts, capped_copy, check_client
from methodic.transfer.stall import StallWatch

if TYPE_CHECKING:
    from methodic.transfer.config import RetryPolicy, StallPolicy
    from methodic.transfer.directget import DirectGetter
    from methodic.transfer.files import DirectoryHandle
    from methodic.transfer.pool import TransferPool
    from methodic.transfer.progress import ProgressSink

__all__ = ["download_ranges"]

logger = logging.getLogger(f"{LOGGER_NAME}.uploads")

#: Bytes the in-order hasher reads back from the file at a time.
_HASH_CHUNK = 1 << 20


class _RangesIgnored(Exception):
    """Storage answered a ranged GET with the whole object (200): it does not serve ranges."""


class _Probe:
    """The first range goes alone until its answer says whether storage serves ranges; the others wait for that.

    So a server that ignores ``Range`` is sent one request that comes back whole, not one per worker.
    """

    def __init__(self) -> None:
        self._settled = threading.Event()
        self._ranges = False

    def __repr__(self) -> str:
        return f"<_Probe settled={self._settled.is_set()} ranges={self._ranges}>"

    def settle(self, ranges: bool) -> None:
        """Record the first answer (later calls change nothing)."""
        if not self._settled.is_set():
            self._ranges = ranges
            self._settled.set()

    def wait(self) -> bool:
        """Whether the other ranges should go: storage served the first one as a range."""
        self._settled.wait()
        return self._ranges


class _InOrderSha256:
    """The whole file's sha256, front to back, on a helper thread that reads each range back once it has landed.

    A sha256 cannot be computed out of order, and ranges land out of order. Holding the ranges that land
    early in memory until the ones before them arrive costs up to workers x range size (128 MiB at 8 x
    16 MiB), so instead each range is read back from the file as soon as every range before it is
    complete, in 1 MiB reads into one reused buffer. The ranges were just written through the page cache,
    so the read is a copy from memory: on the 2-core dev VM, 1 GiB took 0.49 s to hash and 0.52-0.59 s
    to read back and hash, on this thread, while later ranges still download. What is left when the last
    range lands is at most the ranges in flight. (Written past the cache, as the part-wise downloads do,
    the read-back comes from disk: 1 GiB unpaced then came down at 275-340 MB/s against 870-1,025 MB/s
    buffered, and 4 GiB at 320 against 620 MB/s; curl: 450-970 MB/s.)
    """

    def __init__(self, fd: int, plan: RangePlan) -> None:
        self._fd = fd
        self._plan = plan
        self._complete = bytearray(plan.count)  # one byte per range: at most 10,000
        self._cond = threading.Condition()
        self._stopped = False
        self._error: BaseException | None = None
        self._digest: str | None = None
        self._thread = threading.Thread(target=self._run, name="methodic-sha256-ranges", daemon=True)
        self._thread.start()

    def __repr__(self) -> str:
        return f"<_InOrderSha256 {sum(self._complete)}/{self._plan.count} ranges landed>"

    def completed(self, index: int) -> None:
        """Range ``index`` is on disk in full: the helper may hash it once the ranges before it are."""
        with self._cond:
            self._complete[index] = 1
            self._cond.notify()

    def hexdigest(self) -> str:
        """The file's sha256 once every range was marked complete (waits for the helper to finish)."""
        self._thread.join()
        if self._error is not None:
            raise OSError(f"reading the download back to hash it failed: {self._error}") from self._error
        if self._digest is None:
            raise RuntimeError("the hash was stopped before every range landed")
        return self._digest

    def stop(self) -> None:
        """Stop the helper without a result (a failed download); safe to call more than once."""
        with self._cond:
            self._stopped = True
            self._cond.notify()
        self._thread.join()

    def _run(self) -> None:
        hasher = hashlib.sha256()
        buffer = bytearray(_HASH_CHUNK)
        try:
            with memoryview(buffer) as view:
                for index in range(self._plan.count):
                    with self._cond:
                        while not self._complete[index] and not self._stopped:
                            self._cond.wait()
                        if self._stopped:
                            return
                    offset, length = self._plan.span(index)
                    end = offset + length
                    while offset < end:
                        n = _read_at(self._fd, view[: min(len(view), end - offset)], offset)
                        if n <= 0:
                            raise OSError(f"the file ended at {offset} of {self._plan.size} bytes")
                        hasher.update(view[:n])
                        offset += n
            self._digest = hasher.hexdigest()
        except BaseException as exc:  # reported by hexdigest(); nothing else waits on this thread
            self._error = exc


def _read_at(fd: int, view: memoryview, offset: int) -> int:
    """Read into ``view`` from ``offset`` without moving the file position (no allocation where preadv exists)."""
    if hasattr(os, "preadv"):
        return os.preadv(fd, [view], offset)
    data = os.pread(fd, len(view), offset)
    view[: len(data)] = data
    return len(data)


def download_ranges(
    client: httpx.Client,
    pool: TransferPool,
    url: str,
    dest: Path,
    *,
    size: int,
    expected_sha256: str,
    retry: RetryPolicy,
    range_size: int,
    refresh_url: Callable[[], str] | None = None,
    headers: Mapping[str, str] | None = None,
    progress: ProgressSink | None = None,
    directory: DirectoryHandle | None = None,
    stall: StallPolicy | None = None,
    fsync: bool = False,
    component: str | None = None,
    direct: DirectGetter | None = None,
    asset_id: str | None = None,
) -> UploadResult:
    """One file down in parallel ranged GETs into ``dest``, verified against its whole-file sha256 before the rename.

    The ranges are :func:`~methodic.transfer.bounds.planned_ranges` of ``range_size`` (whole MiB, at
    most 10,000; ``size`` is checked before anything is created or requested) and move on ``pool``
    (the manager's part pool). The first range goes alone until storage answers it: a ``206`` with the
    matching ``Content-Range`` lets the others go; a ``200`` (storage ignores ``Range``) makes the
    whole file one streamed GET instead (:func:`~methodic.transfer.get.download_file`), verified
    the same way. Each range is written at its offset into one preallocated temporary file (through the
    page cache, which the in-order hash reads back from: see :class:`_InOrderSha256`) and retried on
    its own; a retry asks only for the bytes of the range not yet written. The file is hashed in order
    while later ranges still download, and renamed into place only when size and sha256 match; on any
    failure the temporary file is removed. ``headers`` (the API key of a vetted gateway read) go with
    every request.
    """
    check_client(client)
    name = component or dest.name
    plan = planned_ranges(size, range_size, asset_id=asset_id or "?", component=name)

    def whole() -> UploadResult:
        return download_file(
            client,
            shared.url,
            dest,
            expected_size=plan.size,
            expected_sha256=expected_sha256,
            progress=progress,
            retry=retry,
            refresh_url=refresh_url,
            component=name,
            fsync=fsync,
            direct=direct,
            directory=directory,
            stall=stall,
            headers=headers,
        )

    shared = SharedUrl(url, refresh_url)
    if plan.count == 1:
        return whole()
    probe = _Probe()
    if directory is not None:
        fd, tmp_name = directory.create_temp()
    else:
        fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=".methodic-", suffix=".partial")
    direct_fd: int | None = None  # never past the cache here: the hash reads the ranges back (see _InOrderSha256)
    hasher: _InOrderSha256 | None = None

    def fetch(index: int) -> None:
        offset, length = plan.span(index)
        if index and not probe.wait():
            return  # the first range failed or came back whole: that answer decides
        reporter = ByteReporter(progress)
        end = offset + length - 1
        written = 0  # bytes of this range on disk, across attempts

        def check(status: int, content_range: str, start: int) -> None:
            if status == 200:
                probe.settle(False)
                raise _RangesIgnored
            if status != 206 or not covers(content_range, start, end - start + 1, plan.size):
                raise StorageError(
                    f"storage did not answer the range request for {name} (bytes {start}-{end}) with that range",
                    status_code=status,
                    component=name,
                )
            probe.settle(True)

        def receive(chunks: Callable[[], int], start: int, writer: RangeWriter, stalled: Callable[[int], None]) -> None:
            received = start - offset
            while n := chunks():
                if received + n > length:
                    raise IntegrityError(f"{name}: storage sent more than the {length} bytes asked for", component=name)
                received += n
                stalled(received - (start - offset))
                reporter.at(received)
            writer.flush()

        def send_direct(getter: DirectGetter, target: str, start: int) -> UploadResult | httpx.Response:
            nonlocal written
            wanted = {**(headers or {}), "Range": f"bytes={start}-{end}"}
            buffer = bytearray(DOWNLOAD_BUFFER)
            with getter.get(target, wanted) as response:
                if not response.is_success:
                    return response.error_response(MAX_ERROR_BODY)
                check(response.status_code, response.header("Content-Range"), start)
                with (
                    StallWatch(
                        stall, response.request, abort=response.abort, size=end - start + 1, grace=client.timeout.read
                    ) as watch,
                    memoryview(buffer) as view,
                    RangeWriter(fd, direct_fd, start, dest) as writer,
                ):

                    def chunk() -> int:
                        n = watch.stalled_read(response.readinto, buffer)
                        writer.write(view[:n])
                        return n

                    try:
                        receive(chunk, start, writer, watch.check)
                    finally:
                        written = writer.position - offset
            return finish()

        def send(target: str, attempt: int) -> UploadResult | httpx.Response:
            nonlocal written
            start = offset + written
            if start > end:
                return finish()
            if direct is not None and direct.eligible(target):
                return send_direct(direct, target, start)
            wanted = {**(headers or {}), "Range": f"bytes={start}-{end}"}
            with client.stream("GET", target, headers=wanted) as response:
                if not response.is_success:
                    return capped_copy(response)
                check(response.status_code, response.headers.get("Content-Range", ""), start)
                watch = StallWatch(stall, response.request, size=end - start + 1, grace=client.timeout.read)
                pieces = response.iter_bytes()
                with RangeWriter(fd, direct_fd, start, dest) as writer:

                    def chunk() -> int:
                        piece = next(pieces, b"")
                        writer.write(piece)
                        return len(piece)

                    try:
                        receive(chunk, start, writer, watch.check)
                    finally:
                        written = writer.position - offset
            return finish()

        def finish() -> UploadResult:
            if written != length:  # the connection ended early: retried, from where it stopped
                raise httpx.RemoteProtocolError(f"{name}: the range ended after {written} of {length} bytes")
            return UploadResult(sha256="", size=length)

        try:
            attempts(retry, f"{name} (bytes {offset}-{end})", shared.url, lambda: shared.refresh(shared.url), send)
        finally:
            probe.settle(False)  # the first range failed for good (or, settled already, nothing changes)
        assert hasher is not None
        hasher.completed(index)

    def discard() -> None:
        if hasher is not None:
            hasher.stop()
        close_quietly(direct_fd)
        if fd >= 0:
            close_quietly(fd)
        if directory is not None:
            directory.discard(tmp_name)
        else:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)

    try:
        preallocate(fd, plan.size)
        hasher = _InOrderSha256(fd, plan)
        started = time.perf_counter()
        failures = run_shared(pool, range(plan.count), fetch)
        ignored = any(isinstance(error, _RangesIgnored) for _, error in failures)
        if failures and not ignored:
            raise failures[0][1]
        if not ignored:
            digest = hasher.hexdigest()
            if digest != expected_sha256.lower():
                raise IntegrityError(f"{name}: sha256 {digest} does not match {expected_sha256}", component=name)
            close_quietly(direct_fd)
            direct_fd = None
            if fsync:
                os.fsync(fd)
            os.close(fd)
            fd = -1
            if directory is not None:
                directory.commit(tmp_name, dest.name)
            else:
                os.replace(tmp_name, dest)
            logger.debug(
                "downloaded %s in %d ranges of %d bytes: %d bytes in %.3fs",
                name,
                plan.count,
                plan.range_size,
                plan.size,
                time.perf_counter() - started,
            )
            return UploadResult(sha256=digest, size=plan.size)
    except BaseException:
        discard()
        raise
    discard()
    logger.debug("storage ignored the Range header for %s: downloading it in one GET", name)
    return whole()
