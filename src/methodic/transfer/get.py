"""One component down from one presigned URL into its file, atomically: verified first, then renamed into place.

Downloads are the uploads' opposite (:mod:`methodic.transfer.put`): the client does the heavy work
(receive, write, hash), so they read with ``http.client`` into a small pool of reused
``DOWNLOAD_BUFFER`` buffers (:mod:`methodic.transfer.directget`) and hash on a helper thread
(:mod:`methodic.transfer.hashing`), overlapping ~0.6 s of CPU per GiB with the I/O. The buffers are
128 KiB so that a block is still in the CPU cache when the helper hashes it: measured on a 2-core VM,
1 GiB to disk, ~0.8-1.0 GB/s with 128 KiB buffers, ~0.5 GB/s with 1 MiB, ~0.4-0.6 GB/s through httpx
(curl: ~0.75-0.95 GB/s).

A download lands in a temporary file in the target directory and is renamed into place only after
size and sha256 check out, so a killed process never leaves a partial file under the real name. It is
fsynced only on request (``fsync=True``): measured, that costs more than the transfer itself, and a
file damaged by a power loss fails its checksum on the next verified download. Retries, refused URLs
and error bodies follow :mod:`methodic.transfer.retry`; a dripping server, :mod:`methodic.transfer.stall`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import httpx

from methodic._constants import LOGGER_NAME
from methodic.errors import IntegrityError
from methodic.transfer.config import RetryPolicy, StallPolicy
from methodic.transfer.directget import DirectGetter, DirectResponse
from methodic.transfer.hashing import PipelinedSha256
from methodic.transfer.retry import (
    MAX_ERROR_BODY,
    ByteReporter,
    UploadResult,
    answer_seconds,
    attempts,
    capped_copy,
    check_client,
)
from methodic.transfer.stall import StallWatch

if TYPE_CHECKING:
    from methodic.transfer.files import DirectoryHandle
    from methodic.transfer.progress import ProgressSink

__all__ = ["DOWNLOAD_BUFFER", "download_file", "get_json"]

logger = logging.getLogger(f"{LOGGER_NAME}.uploads")

DOWNLOAD_BUFFER = 128 << 10


def download_file(
    client: httpx.Client,
    url: str,
    dest: Path,
    *,
    expected_size: int | None = None,
    expected_sha256: str | None = None,
    progress: ProgressSink | None = None,
    retry: RetryPolicy | None = None,
    refresh_url: Callable[[], str] | None = None,
    component: str | None = None,
    fsync: bool = False,
    direct: DirectGetter | None = None,
    directory: DirectoryHandle | None = None,
    stall: StallPolicy | None = None,
    headers: Mapping[str, str] | None = None,
) -> UploadResult:
    """GET a presigned URL into ``dest`` atomically: temp file beside it, verify size and sha256, rename.

    ``headers`` go with every request: the API key's, for a storage gateway's R2 read that requires it
    (the caller vetted the URL; presigned URLs take none).

    A transfer that moves fewer than ``stall.min_bytes`` in ``stall.window`` seconds is a stall (a
    ``ReadTimeout``, retried like one), however steadily it drips; a slow one that keeps moving is not. Each
    GET of a known size must also end within the client's timeout plus the time the floor rate needs for
    its bytes (:meth:`StallPolicy.seconds_for`): a 40-byte body dripped at 1 byte/s stops after ~3 s at
    ``timeout=3``, not after 39 s.
    With ``directory`` (the open folder ``dest`` lands in), the temporary file is created, renamed and
    removed relative to that descriptor, so a folder swapped for a symlink meanwhile is never followed.

    The temporary file is ``.methodic-XXXX.partial`` in ``dest``'s directory and is
    removed on any failure. A size or checksum mismatch raises :class:`IntegrityError`; a local
    write error (a full disk, say) raises ``OSError`` naming ``dest``; neither is retried. A dropped
    connection or a retryable status restarts the download (progress counts each byte once).
    With ``direct``, eligible URLs are fetched over ``http.client`` instead of ``client`` (see
    :mod:`methodic.transfer.directget`); the retry policy, checks and errors are the same.
    """
    check_client(client)
    retry = retry or RetryPolicy()
    dest = Path(dest)
    name = component or dest.name
    reporter = ByteReporter(progress)
    grace = answer_seconds(client)

    def check_size(received: int) -> None:
        if expected_size is not None and received > expected_size:
            raise IntegrityError(f"{name}: storage sent more than the expected {expected_size} bytes", component=name)

    def write(out: BinaryIO, data: bytes | memoryview) -> None:
        try:
            out.write(data)
        except OSError as exc:
            raise OSError(exc.errno, f"cannot write {dest}: {exc.strerror}") from None

    def receive_httpx(target: str, out: BinaryIO, hasher: PipelinedSha256) -> int | httpx.Response:
        received = 0
        with client.stream("GET", target, headers=headers) as response:
            if not response.is_success:
                return capped_copy(response)
            watch = StallWatch(stall, response.request, size=_size_of(response, expected_size), grace=grace)
            # The bytes as they arrive: no chunk_size, so httpx does not re-chunk (copy) them.
            for chunk in response.iter_bytes():
                received += len(chunk)
                watch.check(received)
                check_size(received)
                write(out, chunk)
                hasher.update(chunk)
                reporter.at(received)
        return received

    def receive_direct(
        getter: DirectGetter, target: str, out: BinaryIO, hasher: PipelinedSha256
    ) -> int | httpx.Response:
        received = 0
        # Progress shows here one filled buffer at a time: never ask for less than a buffer per window.
        policy = None if stall is None else StallPolicy(stall.window, max(stall.min_bytes, DOWNLOAD_BUFFER))
        with (
            getter.get(target, dict(headers) if headers else None) as response,
            StallWatch(
                policy, response.request, abort=response.abort, size=_size_of(response, expected_size), grace=grace
            ) as watch,
        ):
            if not response.is_success:
                return response.error_response(MAX_ERROR_BODY)
            while True:
                buffer = hasher.buffer()
                n = watch.stalled_read(response.readinto, buffer)
                if not n:
                    hasher.give_back(buffer)
                    break
                received += n
                watch.check(received)
                check_size(received)
                with memoryview(buffer) as view:
                    write(out, view[:n])
                hasher.update_buffer(buffer, n)  # hashed on the helper thread while the next block arrives
                reporter.at(received)
        return received

    def send(target: str, attempt: int) -> UploadResult | httpx.Response:
        hasher = PipelinedSha256(batch_bytes=DOWNLOAD_BUFFER)
        started = time.perf_counter()
        # A short name of its own: ``.{dest.name}...`` pushed a 240-255 character name past NAME_MAX.
        if directory is not None:
            fd, tmp_name = directory.create_temp()
        else:
            fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=".methodic-", suffix=".partial")
        tmp = Path(tmp_name)

        def discard() -> None:
            if directory is not None:
                directory.discard(tmp_name)
            else:
                tmp.unlink(missing_ok=True)

        try:
            with os.fdopen(fd, "wb") as out:
                if direct is not None and direct.eligible(target):
                    outcome = receive_direct(direct, target, out, hasher)
                else:
                    outcome = receive_httpx(target, out, hasher)
                if isinstance(outcome, httpx.Response):
                    hasher.close()
                    discard()
                    return outcome
                if fsync:
                    out.flush()
                    os.fsync(out.fileno())
            received = outcome
            digest = hasher.hexdigest()
            if expected_size is not None and received != expected_size:
                raise IntegrityError(f"{name}: got {received} bytes, expected {expected_size}", component=name)
            if expected_sha256 is not None and digest != expected_sha256.lower():
                raise IntegrityError(f"{name}: sha256 {digest} does not match {expected_sha256}", component=name)
            if directory is not None:
                directory.commit(tmp_name, dest.name)
            else:
                os.replace(tmp, dest)
            elapsed = time.perf_counter() - started
            logger.debug("downloaded %s: %d bytes in %.3fs (attempt %d)", name, received, elapsed, attempt)
            return UploadResult(sha256=digest, size=received)
        except BaseException:
            hasher.close()
            with contextlib.suppress(OSError):
                discard()
            raise

    return attempts(retry, name, url, refresh_url, send)


def get_json(
    client: httpx.Client,
    url: str,
    *,
    what: str,
    retry: RetryPolicy | None = None,
    headers: Mapping[str, str] | None = None,
    limit: int = 4 << 20,
) -> Any:
    """A small JSON document from storage (an R2 copy's manifest): retried like a download, at most ``limit`` bytes.

    A body larger than ``limit`` or one that is not JSON raises :class:`~methodic.errors.IntegrityError`
    (not retried: the same storage gives the same answer); errors name ``what``, never the URL's query.
    """
    check_client(client)
    retry = retry or RetryPolicy()

    def send(target: str, attempt: int) -> list[Any] | httpx.Response:
        with client.stream("GET", target, headers=headers) as response:
            if not response.is_success:
                return capped_copy(response)
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > limit:
                    raise IntegrityError(f"{what}: storage sent more than {limit} bytes", component=what)
        try:
            return [json.loads(bytes(body))]  # wrapped: a JSON ``null`` is a document too
        except (ValueError, RecursionError):
            raise IntegrityError(f"{what}: storage answered with a body that is not JSON", component=what) from None

    return attempts(retry, what, url, None, send)[0]


def _size_of(response: httpx.Response | DirectResponse, expected: int | None) -> int | None:
    """The bytes a GET should bring: the expected size, else the answer's Content-Length (None if neither)."""
    if expected is not None:
        return expected
    value = response.headers.get("Content-Length", "") if isinstance(response, httpx.Response) else ""
    if not isinstance(response, httpx.Response):
        value = response.header("Content-Length")
    return int(value) if value.isdigit() and len(value) <= 20 else None
