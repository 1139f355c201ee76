"""Moving one component to or from a presigned storage URL: streamed, hashed, retried, never the bearer token.

Uploads stream the file in 1 MiB chunks from a generator with an explicit ``Content-Length``
(measured: ~2.3 GB/s on loopback; ``content=bytes`` is quadratic and chunked encoding is slower and
refused by S3), hashing each chunk as it is sent: the storage side is the slower end of an
upload, so inline hashing costs little (measured: a helper thread made uploads ~20% slower on
2 cores). Downloads are the other way round: the client does the heavy work (receive, write,
hash), so they read with ``http.client`` into a small pool of reused ``DOWNLOAD_BUFFER`` buffers
(:mod:`methodic.transfer.directget`) and hash on a helper thread (:mod:`methodic.transfer.hashing`), overlapping
~0.6 s of CPU per GiB with the I/O. The buffers are 128 KiB so that a block is still in the CPU
cache when the helper hashes it: measured on a 2-core VM, 1 GiB to disk, ~0.8-1.0 GB/s with
128 KiB buffers, ~0.5 GB/s with 1 MiB, ~0.4-0.6 GB/s through httpx (curl: ~0.75-0.95 GB/s).

Storage PUT and GET are idempotent, so both are retried on connection errors, timeouts, 408, 429
and 5xx with capped exponential backoff and full jitter (a ``Retry-After`` the server sends is
honoured, up to ``max_delay``); a 403 (expired or refused signature) asks ``refresh_url`` for a
fresh URL once per attempt. A full storage (507 Insufficient Storage, or the error code
``insufficient_storage`` whatever the status) is not transient: it fails at once with
:class:`~methodic.errors.StorageFullError`, "storage is full", without a retry.

Downloads land in a temporary file in the target directory and are
renamed into place only after size and sha256 check out, so a killed process never leaves a
partial file under the real name. They are fsynced only on request (``fsync=True``): measured, it
costs more than the transfer itself, and a file damaged by a power loss fails its checksum on the
next verified download.

Errors and debug logs name the storage host and path, never the query string (the signature).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

import httpx

from methodic._constants import LOGGER_NAME
from methodic._redact import redact_text, redact_url
from methodic.errors import FileChangedError, IntegrityError, StorageError, StorageFullError
from methodic.transfer.config import RetryPolicy, StallPolicy
from methodic.transfer.directget import DirectGetter, DirectResponse
from methodic.transfer.files import DirectoryHandle
from methodic.transfer.hashing import PipelinedSha256

if TYPE_CHECKING:
    from methodic.transfer.progress import ProgressSink

__all__ = [
    "CHUNK_SIZE",
    "DOWNLOAD_BUFFER",
    "RETRYABLE_STATUS",
    "STORAGE_FULL_CODES",
    "UploadResult",
    "answer_seconds",
    "attempts",
    "download_file",
    "get_json",
    "open_regular",
    "progress_reporter",
    "read_answer",
    "upload_file",
]

logger = logging.getLogger(f"{LOGGER_NAME}.uploads")

CHUNK_SIZE = 1 << 20
DOWNLOAD_BUFFER = 128 << 10
RETRYABLE_STATUS = frozenset({408, 429, *range(500, 600)})
#: The status of a full storage (WebDAV's 507 Insufficient Storage): never retried.
STORAGE_FULL_STATUS = 507
#: Error codes that say storage is full, whatever the status (ours, MinIO's): never retried.
STORAGE_FULL_CODES = frozenset({"insufficient_storage", "XMinioStorageFull"})
_MAX_ERROR_BODY = 64 * 1024
T = TypeVar("T")
_XML_FIELD = re.compile(r"<(Code|Message)>([^<]{0,500})</\1>")


@dataclass(frozen=True)
class UploadResult:
    """What moved: byte count and sha256 hex digest."""

    sha256: str
    size: int


def _check_client(client: httpx.Client) -> None:
    if "authorization" in client.headers or client.auth is not None:
        raise ValueError(
            "the storage client must not carry an Authorization header or auth: presigned URLs are their own"
            " auth, and the bearer token must never reach a storage host"
        )


class _Reporter:
    """Reports bytes to the sink at most once per byte across attempts (a high-water mark)."""

    def __init__(self, sink: ProgressSink | None) -> None:
        self.sink = sink
        self.reported = 0

    def at(self, position: int) -> None:
        if self.sink is not None and position > self.reported:
            self.sink.on_bytes(position - self.reported)
            self.reported = position


class _FileChanged(Exception):
    """The file changed size while it was being sent (raised inside the body generator)."""


def open_regular(path: Path) -> BinaryIO:
    """Open for reading without blocking, and only a regular file (a FIFO put in its place would hang ``open``)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _FileChanged(f"{path} is no longer a regular file")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _file_chunks(path: Path, size: int, hasher: hashlib._Hash, reporter: _Reporter) -> Iterator[bytes]:
    """The whole file, which must be ``size`` bytes, in chunks, hashed as they go."""
    sent = 0
    with open_regular(path) as f:
        while True:
            chunk = f.read(CHUNK_SIZE)
            if not chunk:
                break
            sent += len(chunk)
            if sent > size:
                raise _FileChanged(f"{path} grew while it was being uploaded (expected {size} bytes)")
            hasher.update(chunk)
            yield chunk
            reporter.at(sent)
    if sent != size:
        raise _FileChanged(f"{path} changed size while it was being uploaded ({size} → {sent} bytes)")


def _error_details(response: httpx.Response) -> tuple[str | None, str]:
    """The storage error code and a short message, from S3-style XML, JSON, or plain text."""
    text = response.text[:_MAX_ERROR_BODY]
    code: str | None = None
    message: str | None = None
    fields = dict(_XML_FIELD.findall(text))
    if fields:
        code, message = fields.get("Code"), fields.get("Message")
    else:
        with contextlib.suppress(ValueError, RecursionError):  # RecursionError: nested deeper than Python parses
            body = json.loads(text)
            if isinstance(body, dict):
                code = body.get("code") if isinstance(body.get("code"), str) else None
                message = str(body.get("message") or body.get("error") or "") or None
    if message is None and not fields and not text.lstrip().startswith(("<", "{")):
        message = text[:200].strip() or None
    return code, (message or response.reason_phrase)


def _sent_secret(response: httpx.Response) -> str:
    """The credential the request carried (a storage gateway's URLs take the API key), to scrub from its error."""
    credential = response.request.headers.get("Authorization", "")
    return credential.split(None, 1)[-1] if credential else ""


def _details_without_secret(response: httpx.Response) -> tuple[str | None, str]:
    """:func:`_error_details`, with the request's own credential scrubbed: a server may echo it in its answer."""
    code, detail = _error_details(response)
    secret = _sent_secret(response)
    return (None if code is None else redact_text(code, secret)), redact_text(detail, secret)


def _storage_error(response: httpx.Response, component: str) -> StorageError:
    code, detail = _details_without_secret(response)
    where = redact_url(str(response.request.url))
    hint = " (the presigned URL expired or was refused)" if response.status_code == 403 else ""
    return StorageError(
        f"storage answered {response.status_code}{hint} for {component} ({where}): {detail}",
        status_code=response.status_code,
        code=code,
        component=component,
    )


def storage_full(status_code: int | None, code: str | None) -> bool:
    """Whether an answer says storage is full (507, or an ``insufficient_storage`` code): not worth a retry."""
    return status_code == STORAGE_FULL_STATUS or code in STORAGE_FULL_CODES


def _storage_full_error(response: httpx.Response, component: str) -> StorageFullError:
    code, detail = _details_without_secret(response)
    where = redact_url(str(response.request.url))
    return StorageFullError(
        f"storage is full: it answered {response.status_code}{f' ({code})' if code else ''} for {component}"
        f" ({where}): {detail}. Not retried: free space on the storage, then try again (an upload through"
        " a tracker finishes with `methodic uploads resume`)",
        status_code=response.status_code,
        code=code,
        component=component,
    )


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def attempts(
    retry: RetryPolicy,
    component: str,
    url: str,
    refresh_url: Callable[[], str] | None,
    send: Callable[[str, int], T | httpx.Response],
) -> T:
    """Run ``send`` until it returns a result, retrying what is retryable and refreshing refused URLs."""
    last_error: StorageError | None = None
    delay: float | None = None
    refreshed = False
    for attempt in range(retry.max_attempts):
        if attempt:
            wait = retry.delay(attempt) if delay is None else min(delay, retry.max_delay)
            logger.debug("retrying %s (attempt %d) in %.2fs after: %s", component, attempt + 1, wait, last_error)
            if wait > 0:
                retry.sleep(wait)
        delay = None
        try:
            outcome = send(url, attempt + 1)
        except httpx.TransportError as exc:  # connection refused/reset/dropped, timeouts, protocol errors
            last_error = StorageError(
                f"{type(exc).__name__} while transferring {component} ({redact_url(url)}): {redact_text(str(exc))}",
                component=component,
            )
            continue
        if not isinstance(outcome, httpx.Response):
            return outcome
        error = _storage_error(outcome, component)
        if storage_full(outcome.status_code, error.code):  # not transient: no retry, and said plainly
            raise _storage_full_error(outcome, component)
        if (
            outcome.status_code == 403
            and refresh_url is not None
            and not refreshed
            and attempt + 1 < retry.max_attempts
        ):
            refreshed = True  # once: a fresh URL refused again is the storage's answer, not an expiry
            last_error = error
            logger.debug("storage refused the URL for %s (attempt %d); asking for a fresh one", component, attempt + 1)
            url = refresh_url()
            delay = 0.0  # a fresh signature needs no backoff
            continue
        if outcome.status_code in RETRYABLE_STATUS:
            last_error = error
            delay = _retry_after(outcome)
            continue
        raise error
    assert last_error is not None
    raise StorageError(
        f"giving up on {component} after {retry.max_attempts} attempts: {last_error}",
        status_code=last_error.status_code,
        code=last_error.code,
        component=component,
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
    headers: Mapping[str, str] | None = None,
) -> UploadResult:
    """PUT ``path`` to a presigned URL, streamed in 1 MiB chunks; returns the sha256 and size of what was sent.

    The body is never held in memory and never sent chunked: ``Content-Length`` is the file's size.
    Retries follow ``retry``; a 403 calls ``refresh_url`` for a fresh URL (without it, a 403 raises).
    A file that changes size mid-upload raises :class:`~methodic.errors.FileChangedError`. Each byte is reported to
    ``progress`` once, however many attempts it takes. ``headers`` go with every attempt (the storage gateway's
    URLs take the API key's header; a presigned URL needs none).
    """
    _check_client(client)
    retry = retry or RetryPolicy()
    path = Path(path)
    name = component or path.name
    size = path.stat().st_size
    reporter = _Reporter(progress)

    def send(target: str, attempt: int) -> UploadResult | httpx.Response:
        hasher = hashlib.sha256()
        started = time.perf_counter()
        sent_headers = {**(headers or {}), "Content-Length": str(size), "Content-Type": content_type}
        try:
            # Streamed: at most _MAX_ERROR_BODY bytes of the answer are read (a storage answering a PUT with an
            # endless body must not fill the memory); a short success body is read whole, keeping the connection.
            with client.stream(
                "PUT", target, content=_file_chunks(path, size, hasher, reporter), headers=sent_headers
            ) as response:
                if not response.is_success:
                    return _capped_copy(response, answer_seconds(client))
                read_answer(response, _MAX_ERROR_BODY, answer_seconds(client))
        except _FileChanged as exc:
            raise FileChangedError(name, str(path), str(exc)) from None
        elapsed = time.perf_counter() - started
        logger.debug("uploaded %s: %d bytes in %.3fs (attempt %d)", name, size, elapsed, attempt)
        return UploadResult(sha256=hasher.hexdigest(), size=size)

    return attempts(retry, name, url, refresh_url, send)


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
    _check_client(client)
    retry = retry or RetryPolicy()
    dest = Path(dest)
    name = component or dest.name
    reporter = _Reporter(progress)
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
                return _capped_copy(response)
            watch = _StallWatch(stall, response.request, size=_size_of(response, expected_size), grace=grace)
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
            _StallWatch(
                policy, response.request, abort=response.abort, size=_size_of(response, expected_size), grace=grace
            ) as watch,
        ):
            if not response.is_success:
                return response.error_response(_MAX_ERROR_BODY)
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
    _check_client(client)
    retry = retry or RetryPolicy()

    def send(target: str, attempt: int) -> list[Any] | httpx.Response:
        with client.stream("GET", target, headers=headers) as response:
            if not response.is_success:
                return _capped_copy(response)
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


class _StallWatch:
    """Notices a download that still moves but far too slowly to ever finish (a server dripping bytes).

    Per-read timeouts only catch silence. This checks progress per window: inline on every chunk, and,
    for a reader blocked filling a whole buffer, from a watcher thread that aborts the connection. Given the
    ``size`` of the GET, it also holds the whole GET to a deadline: ``grace`` seconds (the client's
    ``timeout``) plus the time the policy's floor rate needs for ``size`` bytes (see :class:`StallPolicy`).
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

    def __enter__(self) -> _StallWatch:
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


def _size_of(response: httpx.Response | DirectResponse, expected: int | None) -> int | None:
    """The bytes a GET should bring: the expected size, else the answer's Content-Length (None if neither)."""
    if expected is not None:
        return expected
    value = response.headers.get("Content-Length", "") if isinstance(response, httpx.Response) else ""
    if not isinstance(response, httpx.Response):
        value = response.header("Content-Length")
    return int(value) if value.isdigit() and len(value) <= 20 else None


def read_answer(response: httpx.Response, limit: int, seconds: float | None = None) -> tuple[bytes, bool]:
    """At most ``limit`` bytes of a streamed answer's body, and whether that was the whole body.

    Only what fits is read: a body that never ends costs ``limit`` bytes of memory, not all of it. A body
    still arriving ``seconds`` after its first byte (a server dripping it: each read returns in time, so no
    read timeout fires) raises ``httpx.ReadTimeout``, retried like any other timeout.
    """
    body = bytearray()
    deadline = None if seconds is None else time.monotonic() + seconds
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > limit:
            return bytes(body[:limit]), False
        if deadline is not None and time.monotonic() > deadline:
            raise httpx.ReadTimeout(f"the answer was still arriving after {seconds:.0f}s", request=response.request)
    return bytes(body), True


def answer_seconds(client: httpx.Client) -> float | None:
    """How long an answer's body may take to arrive: the client's read timeout (None: no limit)."""
    return client.timeout.read


def _capped_copy(response: httpx.Response, seconds: float | None = None) -> httpx.Response:
    """A copy of an error response with at most ``_MAX_ERROR_BODY`` bytes of its body (enough for code and message)."""
    body, _ = read_answer(response, _MAX_ERROR_BODY, seconds)
    return httpx.Response(response.status_code, headers=response.headers, content=body, request=response.request)


# The ranged downloader (methodic.transfer.ranged) moves bytes the same way: same retries, errors, stall rule.
capped_copy = _capped_copy
check_client = _check_client


def progress_reporter(sink: ProgressSink | None) -> _Reporter:
    """Reports bytes to ``sink`` once each, however many attempts they take."""
    return _Reporter(sink)


def stall_watch(
    policy: StallPolicy | None,
    request: httpx.Request,
    abort: Callable[[], None] | None = None,
    *,
    size: int | None = None,
    grace: float | None = None,
) -> _StallWatch:
    """A stall check for a streamed response: ``check(received)`` per chunk; with ``abort``, also a watcher thread.

    With ``size`` (the bytes this GET should bring), the whole GET also has a deadline (see :class:`StallPolicy`).
    """
    return _StallWatch(policy, request, abort, size=size, grace=grace)
