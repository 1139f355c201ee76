"""Moving one component to or from a presigned storage URL: streamed, hashed, retried, never the bearer token.

Uploads stream the file in 1 MiB chunks from a generator with an explicit ``Content-Length``
(measured: ~2.3 GB/s on loopback; ``content=bytes`` is quadratic and chunked encoding is slower and
refused by S3), hashing each chunk as it is sent. Storage PUT and GET are idempotent, so both are
retried on connection errors, 408, 429 and 5xx with capped exponential backoff and full jitter; a
403 (expired or refused signature) asks for a fresh URL. Downloads land in a temporary file in the
target directory and are renamed into place only after size and sha256 check out, so a killed
process never leaves a partial file under the real name. (They are not fsynced: that would cost
more than the transfer itself, and a file damaged by a power loss fails its checksum on the next
verified download.)
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from methodic._constants import LOGGER_NAME
from methodic._redact import redact_url
from methodic.errors import ChronicleError
from methodic.progress import ProgressSink

logger = logging.getLogger(f"{LOGGER_NAME}.transfer")

CHUNK_SIZE = 1 << 20
RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})


class StorageError(ChronicleError):
    """A storage request failed for good. The message names the host and path, never the signature."""

    def __init__(self, message: str, *, status_code: int | None = None, component: str | None = None) -> None:
        self.status_code = status_code
        self.component = component
        self.message = message
        super().__init__(message)


class IntegrityError(StorageError):
    """Downloaded bytes do not match the size or sha256 the server recorded."""


@dataclass(frozen=True)
class RetryPolicy:
    """How storage requests are retried: ``max_attempts`` in all, backoff capped at ``max_delay``."""

    max_attempts: int = 5
    base_delay: float = 0.2
    max_delay: float = 8.0
    sleep: Callable[[float], None] = time.sleep

    def delay(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(max_delay, base_delay * 2**attempt)]."""
        return random.uniform(0, min(self.max_delay, self.base_delay * (2**attempt)))


@dataclass(frozen=True)
class TransferResult:
    """What moved: byte count and sha256 hex digest."""

    size: int
    sha256: str


def _check_client(client: httpx.Client) -> None:
    if "authorization" in client.headers:
        raise ValueError("the storage client must not carry an Authorization header: presigned URLs are their own auth")


class _Reporter:
    """Reports bytes to the sink at most once per byte across attempts (a high-water mark)."""

    def __init__(self, sink: ProgressSink | None) -> None:
        self.sink = sink
        self.reported = 0

    def at(self, position: int) -> None:
        if self.sink is not None and position > self.reported:
            self.sink.on_bytes(position - self.reported)
            self.reported = position


def _file_chunks(path: Path, size: int, hasher: hashlib._Hash, reporter: _Reporter) -> Iterator[bytes]:
    sent = 0
    with path.open("rb") as f:
        while True:
            chunk = f.read(CHUNK_SIZE)
            if not chunk:
                break
            sent += len(chunk)
            if sent > size:
                raise StorageError(f"{path} grew while it was being uploaded")
            hasher.update(chunk)
            yield chunk
            reporter.at(sent)
    if sent != size:
        raise StorageError(f"{path} changed size while it was being uploaded ({size} → {sent} bytes)")


def _storage_error(response: httpx.Response, component: str) -> StorageError:
    try:
        body = response.json()
        detail = body.get("message") if isinstance(body, dict) else None
    except ValueError:
        detail = None
    detail = detail or response.text[:200].strip() or response.reason_phrase
    where = redact_url(str(response.request.url))
    return StorageError(
        f"storage answered {response.status_code} for {component} ({where}): {detail}",
        status_code=response.status_code,
        component=component,
    )


def _attempts(
    retry: RetryPolicy,
    component: str,
    url: str,
    refresh_url: Callable[[], str] | None,
    send: Callable[[str], TransferResult | httpx.Response],
) -> TransferResult:
    """Run ``send`` until it returns a result, retrying what is retryable and refreshing refused URLs."""
    last_error: BaseException | None = None
    for attempt in range(retry.max_attempts):
        if attempt:
            delay = retry.delay(attempt)
            logger.debug("retrying %s (attempt %d) in %.2fs after: %s", component, attempt + 1, delay, last_error)
            retry.sleep(delay)
        try:
            outcome = send(url)
        except (httpx.TransportError, httpx.TimeoutException) as exc:
            last_error = StorageError(
                f"{type(exc).__name__} while transferring {component}: {exc}", component=component
            )
            continue
        if isinstance(outcome, TransferResult):
            return outcome
        error = _storage_error(outcome, component)
        if outcome.status_code == 403 and refresh_url is not None:
            last_error = error
            url = refresh_url()
            continue
        if outcome.status_code in RETRYABLE_STATUS:
            last_error = error
            continue
        raise error
    assert last_error is not None
    raise StorageError(
        f"giving up on {component} after {retry.max_attempts} attempts: {last_error}", component=component
    )


def upload_file(
    client: httpx.Client,
    url: str,
    path: Path,
    *,
    content_type: str = "application/octet-stream",
    progress: ProgressSink | None = None,
    retry: RetryPolicy | None = None,
    refresh_url: Callable[[], str] | None = None,
    component: str | None = None,
) -> TransferResult:
    """PUT ``path`` to a presigned URL; returns the size and sha256 of what was sent."""
    _check_client(client)
    retry = retry or RetryPolicy()
    name = component or path.name
    size = path.stat().st_size
    reporter = _Reporter(progress)

    def send(target: str) -> TransferResult | httpx.Response:
        hasher = hashlib.sha256()
        started = time.perf_counter()
        headers = {"Content-Length": str(size), "Content-Type": content_type}
        response = client.put(target, content=_file_chunks(path, size, hasher, reporter), headers=headers)
        if response.is_success:
            elapsed = time.perf_counter() - started
            logger.debug("uploaded %s: %d bytes in %.2fs", name, size, elapsed)
            return TransferResult(size=size, sha256=hasher.hexdigest())
        return response

    return _attempts(retry, name, url, refresh_url, send)


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
) -> TransferResult:
    """GET a presigned URL into ``dest`` atomically (temp file, verify size and sha256, rename)."""
    _check_client(client)
    retry = retry or RetryPolicy()
    name = component or dest.name
    reporter = _Reporter(progress)

    def send(target: str) -> TransferResult | httpx.Response:
        hasher = hashlib.sha256()
        fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".methodic-partial")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out, client.stream("GET", target) as response:
                if not response.is_success:
                    response.read()
                    tmp.unlink(missing_ok=True)
                    return response
                received = 0
                # The bytes as they arrive: no chunk_size, so httpx does not re-chunk (copy) them.
                for chunk in response.iter_bytes():
                    out.write(chunk)
                    hasher.update(chunk)
                    received += len(chunk)
                    reporter.at(received)
            digest = hasher.hexdigest()
            if expected_size is not None and received != expected_size:
                raise IntegrityError(f"{name}: got {received} bytes, expected {expected_size}", component=name)
            if expected_sha256 is not None and digest != expected_sha256:
                raise IntegrityError(f"{name}: sha256 {digest} does not match {expected_sha256}", component=name)
            os.replace(tmp, dest)
            return TransferResult(size=received, sha256=digest)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise

    return _attempts(retry, name, url, refresh_url, send)
