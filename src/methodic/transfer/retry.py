"""One storage request under the retry policy: what every PUT and GET shares, whichever way the bytes go.

Storage PUT and GET are idempotent, so both are retried (:func:`attempts`) on connection errors,
timeouts, 408, 429 and 5xx with capped exponential backoff and full jitter (a ``Retry-After`` the
server sends is honoured, up to ``max_delay``); a 403 (expired or refused signature) asks
``refresh_url`` for a fresh URL, once. A full storage (507 Insufficient Storage, or the error code
``insufficient_storage`` whatever the status) is not transient: it fails at once with
:class:`~methodic.errors.StorageFullError`, "storage is full", without a retry.

The retry loop is kept apart from the PUT (:mod:`methodic.transfer.put`), the GETs
(:mod:`methodic.transfer.get`, :mod:`methodic.transfer.ranged_whole`, :mod:`methodic.transfer.ranged_parts`)
and the gateway's parts (:mod:`methodic.transfer.gateway_parts`) so that all of them give up, refresh and
classify errors alike. The trade-off: each caller hands it a ``send`` closure that returns either its
result or the failed ``httpx.Response``, rather than raising, so that the loop alone decides what is
worth another attempt.

The rules that come with it: the storage client never carries the bearer token (:func:`check_client`);
progress counts each byte once however many attempts it takes (:class:`ByteReporter`); an error answer
is read only up to :data:`MAX_ERROR_BODY` bytes and within the read timeout (:func:`read_answer`), so
a hostile storage cannot fill the memory or hold a worker; errors name the storage host and path,
never the query string (the signature).
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, TypeVar

import httpx

from methodic._constants import LOGGER_NAME
from methodic._redact import redact_text, redact_url
from methodic.errors import StorageError, StorageFullError
from methodic.transfer.config import RetryPolicy

if TYPE_CHECKING:
    from methodic.transfer.progress import ProgressSink

__all__ = [
    "MAX_ERROR_BODY",
    "RETRYABLE_STATUS",
    "STORAGE_FULL_CODES",
    "STORAGE_FULL_STATUS",
    "ByteReporter",
    "UploadResult",
    "answer_seconds",
    "attempts",
    "capped_copy",
    "check_client",
    "read_answer",
    "storage_full",
]

logger = logging.getLogger(f"{LOGGER_NAME}.uploads")

RETRYABLE_STATUS = frozenset({408, 429, *range(500, 600)})
#: The status of a full storage (WebDAV's 507 Insufficient Storage): never retried.
STORAGE_FULL_STATUS = 507
#: Error codes that say storage is full, whatever the status (ours, MinIO's): never retried.
STORAGE_FULL_CODES = frozenset({"insufficient_storage", "XMinioStorageFull"})
#: The most of an answer's body ever read: enough for an error's code and message, never a hostile endless body.
MAX_ERROR_BODY = 64 * 1024
T = TypeVar("T")
_XML_FIELD = re.compile(r"<(Code|Message)>([^<]{0,500})</\1>")


@dataclass(frozen=True)
class UploadResult:
    """What moved: byte count and sha256 hex digest."""

    sha256: str
    size: int


def check_client(client: httpx.Client) -> None:
    """Refuse a storage client that carries auth: presigned URLs are their own, and the bearer token stays home."""
    if "authorization" in client.headers or client.auth is not None:
        raise ValueError(
            "the storage client must not carry an Authorization header or auth: presigned URLs are their own"
            " auth, and the bearer token must never reach a storage host"
        )


class ByteReporter:
    """Reports bytes to the sink at most once per byte across attempts (a high-water mark).

    A retried transfer starts again from its first byte; only what goes past the furthest point any
    attempt reached is reported, so a progress bar never counts a byte twice.
    """

    def __init__(self, sink: ProgressSink | None) -> None:
        self.sink = sink
        self.reported = 0

    def at(self, position: int) -> None:
        """Report what no attempt reported before, now that this one has moved ``position`` bytes."""
        if self.sink is not None and position > self.reported:
            self.sink.on_bytes(position - self.reported)
            self.reported = position


def _error_details(response: httpx.Response) -> tuple[str | None, str]:
    """The storage error code and a short message, from S3-style XML, JSON, or plain text."""
    text = response.text[:MAX_ERROR_BODY]
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


def capped_copy(response: httpx.Response, seconds: float | None = None) -> httpx.Response:
    """A copy of an error response with at most :data:`MAX_ERROR_BODY` bytes of its body (enough for code and message).

    What a ``send`` returns to :func:`attempts` for a failed answer: read now, while its stream is open.
    """
    body, _ = read_answer(response, MAX_ERROR_BODY, seconds)
    return httpx.Response(response.status_code, headers=response.headers, content=body, request=response.request)
