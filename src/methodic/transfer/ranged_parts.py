"""A component stored in parts, down in parallel part-aligned ranges, verified by its part-wise checksum.

A component whose record has a ``part_size`` is fetched in part-aligned ranges, by default one part per
request, on the shared pool (:func:`methodic.transfer.parallel.run_shared`). ``range_size``
(``TransferConfig.download_range_size``) makes each range several whole parts, and a range as large as
the component makes it one GET: for stores where a ranged GET costs as much as a whole one (moto reads
the whole object for every range). Each range is written at its offset into one temporary file beside
the target (preallocated, so a full disk fails at once) and hashed part by part as it arrives: the part
digests give the component's part-wise checksum (:func:`methodic_contract.part_checksum`), so the whole
file is verified in the one read that downloads it, however the parts are grouped into requests. Only
when size and checksum match is the file renamed into place; on any failure the temporary file is
removed. Each range is retried on its own (connection errors, 408/429/5xx), and a refused URL is
refreshed once for all ranges. Ranges are written past the page cache where the filesystem allows it
(:mod:`methodic.transfer.directio`): nothing reads them back. Memory is bounded by workers times one
network chunk and one 1 MiB write buffer, whatever the range size.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from methodic._constants import LOGGER_NAME
from methodic.errors import IntegrityError, StorageError
from methodic.transfer.bounds import checked_layout
from methodic.transfer.directio import RangeWriter, close_quietly, reopen_direct
from methodic.transfer.get import DOWNLOAD_BUFFER
from methodic.transfer.parallel import run_shared
from methodic.transfer.ranged import SharedUrl, covers, preallocate
from methodic.transfer.retry import MAX_ERROR_BODY, ByteReporter, UploadResult, attempts, capped_copy, check_client
from methodic.transfer.stall import StallWatch
from methodic_contract import part_checksum, part_range

if TYPE_CHECKING:
    from methodic.transfer.config import RetryPolicy, StallPolicy
    from methodic.transfer.directget import DirectGetter
    from methodic.transfer.files import DirectoryHandle
    from methodic.transfer.pool import TransferPool
    from methodic.transfer.progress import ProgressSink

__all__ = ["download_in_parts"]

logger = logging.getLogger(f"{LOGGER_NAME}.uploads")


def download_in_parts(
    client: httpx.Client,
    pool: TransferPool,
    url: str,
    dest: Path,
    *,
    size: int,
    part_size: int,
    expected_checksum: str,
    retry: RetryPolicy,
    refresh_url: Callable[[], str] | None = None,
    progress: ProgressSink | None = None,
    directory: DirectoryHandle | None = None,
    stall: StallPolicy | None = None,
    fsync: bool = False,
    component: str | None = None,
    direct: DirectGetter | None = None,
    range_size: int | None = None,
    asset_id: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> UploadResult:
    """Fetch ``size`` bytes in part-aligned ranges in parallel into ``dest``, verified by the part-wise checksum.

    ``size`` and ``part_size`` must be within the contract's bounds (:mod:`methodic.transfer.bounds`), else
    :class:`~methodic.errors.PartLayoutError` is raised before anything is created or requested.

    Each range is one part, or with ``range_size`` that many bytes rounded up to whole parts. With
    ``direct``, eligible URLs are read over ``http.client`` into a reused buffer per range (the fast
    path of single downloads, :mod:`methodic.transfer.directget`); otherwise through ``client``.
    """
    check_client(client)
    name = component or dest.name
    # Before the temporary file, the digest list or any request: a hostile layout is refused, never followed.
    count = checked_layout(size, part_size, asset_id=asset_id or "?", component=name).count
    shared = SharedUrl(url, refresh_url)
    per_range = 1 if range_size is None else max(1, -(-range_size // part_size))
    digests: list[bytes | None] = [None] * count
    if directory is not None:
        fd, tmp_name = directory.create_temp()
    else:
        fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=".methodic-", suffix=".partial")

    def discard() -> None:
        if directory is not None:
            directory.discard(tmp_name)
        else:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)

    def fetch(first: int) -> None:
        last = min(count, first + per_range - 1)
        offset = part_range(size, part_size, first)[0]
        length = sum(part_range(size, part_size, n)[1] for n in range(first, last + 1))
        reporter = ByteReporter(progress)
        label = f"{name} (bytes {offset}-{offset + length - 1})"

        def send_direct(getter: DirectGetter, target: str) -> UploadResult | httpx.Response:
            hasher = _PartHasher(size, part_size, first, last)
            received = 0
            wanted = {**(headers or {}), "Range": f"bytes={offset}-{offset + length - 1}"}
            buffer = bytearray(DOWNLOAD_BUFFER)
            with getter.get(target, wanted) as response:
                if not response.is_success:
                    return response.error_response(MAX_ERROR_BODY)
                if response.status_code != 206 or not covers(response.header("Content-Range"), offset, length, size):
                    raise StorageError(
                        f"storage did not answer the range request for {label} with that range",
                        status_code=response.status_code,
                        component=name,
                    )
                with (
                    StallWatch(
                        stall, response.request, abort=response.abort, size=length, grace=client.timeout.read
                    ) as watch,
                    memoryview(buffer) as view,
                    RangeWriter(fd, direct_fd, offset, dest) as writer,
                ):
                    while True:
                        n = watch.stalled_read(response.readinto, buffer)
                        if not n:
                            break
                        if received + n > length:
                            raise IntegrityError(f"{label}: storage sent more than {length} bytes", component=name)
                        writer.write(view[:n])
                        hasher.update(view[:n])
                        received += n
                        watch.check(received)
                        reporter.at(received)
                    writer.flush()
            return finish(hasher, received)

        def finish(hasher: _PartHasher, received: int) -> UploadResult:
            if received != length:
                raise httpx.RemoteProtocolError(f"{label}: the range ended after {received} of {length} bytes")
            parts = hasher.digests()
            digests[first - 1 : last] = parts
            return UploadResult(sha256=part_checksum(parts), size=length)

        def send(target: str, attempt: int) -> UploadResult | httpx.Response:
            if direct is not None and direct.eligible(target):
                return send_direct(direct, target)
            hasher = _PartHasher(size, part_size, first, last)
            received = 0
            wanted = {**(headers or {}), "Range": f"bytes={offset}-{offset + length - 1}"}
            with client.stream("GET", target, headers=wanted) as response:
                if not response.is_success:
                    return capped_copy(response)
                if response.status_code != 206 or not covers(
                    response.headers.get("Content-Range", ""), offset, length, size
                ):
                    raise StorageError(
                        f"storage did not answer the range request for {label} with that range",
                        status_code=response.status_code,
                        component=name,
                    )
                watch = StallWatch(stall, response.request, size=length, grace=client.timeout.read)
                with RangeWriter(fd, direct_fd, offset, dest) as writer:
                    for chunk in response.iter_bytes():
                        if received + len(chunk) > length:
                            raise IntegrityError(f"{label}: storage sent more than {length} bytes", component=name)
                        writer.write(chunk)
                        hasher.update(chunk)
                        received += len(chunk)
                        watch.check(received)
                        reporter.at(received)
                    writer.flush()
            return finish(hasher, received)

        attempts(retry, label, shared.url, lambda: shared.refresh(shared.url), send)

    direct_fd: int | None = None
    try:
        preallocate(fd, size)
        direct_fd = reopen_direct(fd)  # whole chunks past the page cache, where the filesystem allows it
        started = time.perf_counter()
        failures = run_shared(pool, range(1, count + 1, per_range), fetch)
        if failures:
            raise failures[0][1]
        checksum = part_checksum(d for d in digests if d is not None)
        if checksum != expected_checksum.lower():
            raise IntegrityError(
                f"{name}: part-wise sha256 {checksum} does not match {expected_checksum}", component=name
            )
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
            "downloaded %s in %d ranges: %d bytes in %.3fs",
            name,
            -(-count // per_range),
            size,
            time.perf_counter() - started,
        )
        return UploadResult(sha256=checksum, size=size)
    except BaseException:
        close_quietly(direct_fd)
        if fd >= 0:
            close_quietly(fd)
        discard()
        raise


class _PartHasher:
    """The sha256 of each part a range covers (parts ``first``..``last``), fed the range's bytes in order."""

    def __init__(self, size: int, part_size: int, first: int, last: int) -> None:
        self._lengths = [part_range(size, part_size, n)[1] for n in range(first, last + 1)]
        self._done: list[bytes] = []
        self._hasher = hashlib.sha256()
        self._left = self._lengths[0]

    def __repr__(self) -> str:
        return f"<_PartHasher {len(self._done)}/{len(self._lengths)} parts>"

    def _next_part(self) -> None:
        while self._left == 0 and len(self._done) < len(self._lengths):
            self._done.append(self._hasher.digest())
            self._hasher = hashlib.sha256()
            if len(self._done) < len(self._lengths):
                self._left = self._lengths[len(self._done)]

    def update(self, data: bytes | memoryview) -> None:
        """Hash ``data``, starting the next part's digest at each part boundary (the caller caps the length)."""
        view = memoryview(data)
        while view:
            if len(self._done) == len(self._lengths):
                raise ValueError("more bytes than the range's parts hold")
            take = min(self._left, len(view))
            self._hasher.update(view[:take])
            view = view[take:]
            self._left -= take
            self._next_part()

    def digests(self) -> list[bytes]:
        """Every part's digest, once all the range's bytes have been fed."""
        self._next_part()
        return list(self._done)
