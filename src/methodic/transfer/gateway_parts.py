"""The storage gateway's multipart wire (the hosted ``r2`` route): five requests on one component's upload URL.

When Chronicle answers a create with ``upload: {via: "r2", max_part_bytes}``, each component's upload URL
belongs to the storage gateway and takes the API key. A file above ``max_part_bytes`` goes in parts on
that URL itself, R2's (and S3's) protocol::

    POST   url?uploads=                          -> {upload_id}
    PUT    url?upload_id=U&part_number=N  bytes  -> {part_number, etag}
    GET    url?upload_id=U                       -> {parts: [{part_number, etag, size}]}   (extension)
    POST   url?upload_id=U  {parts: [{part_number, etag}]}
    DELETE url?upload_id=U                       (abort: storage frees the parts)

Listing the parts storage holds is not part of the hosted protocol; our local gateway answers it, and
:meth:`GatewayParts.list` says ``None`` ("cannot tell") for a gateway that does not, so a resume does
without it. Each request is retried like any storage request (connection errors, timeouts, 408, 429,
5xx, with backoff and ``Retry-After``); a full storage fails at once. An answer is read up to
:data:`MAX_ANSWER_BYTES` and within the read timeout: one that never ends fails (a longer one is refused, a
dripping one times out) without filling the memory. Start is the one request that is
not idempotent: a start whose answer was lost leaves an upload nobody knows, which the gateway's idle
sweep aborts (storage reserves nothing for it). This module only speaks the wire; which parts to send,
and what the tracker records, is :mod:`methodic.transfer.multipart`'s job.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from methodic.errors import NotFoundError, StorageError
from methodic.transfer.config import RetryPolicy
from methodic.transfer.retry import UploadResult, answer_seconds, attempts, read_answer

#: Error codes with which a gateway says the upload itself is gone (aborted, swept, never started).
UPLOAD_GONE_CODES = frozenset({"no_such_upload", "NoSuchUpload"})
#: Statuses with which a gateway says it cannot list an upload's parts (the listing is our extension).
NO_LISTING_STATUS = frozenset({400, 404, 405, 501})
#: The longest answer read from the gateway (a listing of 10,000 parts is about 1 MB); a longer one is refused.
MAX_ANSWER_BYTES = 4 << 20
#: The longest upload id or ETag taken from the gateway (S3's and R2's are a few dozen characters): each is
#: recorded in the tracker and sent back at complete, 10,000 times for a big file.
MAX_ID_LENGTH = 1024


@dataclass(frozen=True)
class GatewayPart:
    """A part the gateway holds: number, ETag and (when it says) size."""

    part_number: int
    etag: str
    size: int | None


def _with_query(url: str, query: Mapping[str, str | int]) -> str:
    """``url`` with ``query`` appended, keeping any query it has (a gateway may sign its URLs)."""
    return f"{url}{'&' if '?' in url else '?'}{urlencode(query)}"


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (ValueError, RecursionError):  # RecursionError: nested deeper than Python parses
        return None


class _Answer(Exception):
    """Carries a successful response out of :func:`attempts` (which returns only upload results)."""


class GatewayParts:
    """One component's multipart upload on a gateway upload URL, with the API key's header.

    ``http`` is the storage client (it holds no credentials of its own); ``headers`` carries the key for
    this URL only (vetted by the API layer: https, Chronicle's host, or loopback).
    """

    def __init__(
        self,
        http: httpx.Client,
        url: str,
        headers: Mapping[str, str],
        retry: RetryPolicy,
        *,
        component: str,
        content_type: str = "application/octet-stream",
    ) -> None:
        self.http = http
        self.url = url
        self.headers = dict(headers)
        self.retry = retry
        self.component = component
        self.content_type = content_type

    def __repr__(self) -> str:  # never the URL (a secret) nor the key
        return f"<GatewayParts {self.component!r}>"

    def _request(
        self,
        method: str,
        query: Mapping[str, str | int],
        *,
        label: str,
        content: bytes | Iterable[bytes] | None = None,
        body: Any = None,
        content_type: str | None = None,
        length: int | None = None,
        ok: Callable[[httpx.Response], bool] = lambda r: r.is_success,
    ) -> httpx.Response:
        """Send one request with retries; returns the response ``ok`` accepts (else a typed error)."""
        answered: list[httpx.Response] = []
        headers = dict(self.headers)
        if content_type is not None:
            headers["Content-Type"] = content_type
        if length is not None:  # a streamed body goes with its length, never chunked (storage refuses chunked)
            headers["Content-Length"] = str(length)

        def send(target: str, attempt: int) -> UploadResult | httpx.Response:
            if body is not None:
                sent: bytes | Iterable[bytes] | None = json.dumps(body).encode()
                sent_headers = {**headers, "Content-Type": "application/json"}
            else:
                sent, sent_headers = content, headers
            # Streamed, and read only up to MAX_ANSWER_BYTES within the read timeout: a gateway whose answer
            # never ends (or drips) must neither fill the memory nor hold the upload for ever.
            with self.http.stream(method, target, content=sent, headers=sent_headers) as response:
                text, whole = read_answer(response, MAX_ANSWER_BYTES, answer_seconds(self.http))
            copy = httpx.Response(
                response.status_code, headers=response.headers, content=text, request=response.request
            )
            if not ok(copy):
                return copy
            if not whole:
                raise StorageError(
                    f"the storage gateway's answer to {label} was longer than {MAX_ANSWER_BYTES} bytes",
                    status_code=response.status_code,
                    component=self.component,
                )
            answered.append(copy)
            return UploadResult(sha256="", size=0)

        attempts(self.retry, label, _with_query(self.url, query), None, send)
        return answered[-1]

    def start(self) -> str:
        """Start a multipart upload; its ``upload_id`` (a StorageError if the gateway gives none)."""
        response = self._request(
            "POST", {"uploads": ""}, label=f"{self.component} (start)", content=b"", content_type=self.content_type
        )
        answer = _json(response)
        upload_id = answer.get("upload_id") if isinstance(answer, Mapping) else None
        if not isinstance(upload_id, str) or not upload_id or len(upload_id) > MAX_ID_LENGTH:
            raise StorageError(
                f"the storage gateway started {self.component} without an upload id", component=self.component
            )
        return upload_id

    def put(self, upload_id: str, number: int, data: Iterable[bytes], length: int) -> str:
        """PUT one part of ``length`` bytes (``data`` may be iterated once per attempt); its ETag.

        The ETag is the answer's ``etag``, else the ``ETag`` header.
        """
        response = self._request(
            "PUT",
            {"upload_id": upload_id, "part_number": number},
            label=f"{self.component} (part {number})",
            content=data,
            content_type="application/octet-stream",
            length=length,
        )
        answer = _json(response)
        etag = answer.get("etag") if isinstance(answer, Mapping) else None
        if not isinstance(etag, str) or not etag:
            etag = response.headers.get("ETag", "")
        etag = etag.strip().strip('"')
        if not etag or len(etag) > MAX_ID_LENGTH:
            raise StorageError(
                f"the storage gateway acknowledged {self.component} part {number} without an ETag"
                + (f" of at most {MAX_ID_LENGTH} characters" if etag else ""),
                component=self.component,
            )
        return etag

    def list(self, upload_id: str) -> dict[int, GatewayPart] | None:
        """The parts the gateway holds, or None when it cannot list them. NotFoundError: the upload is gone."""

        def listed_or_said_no(response: httpx.Response) -> bool:
            return response.is_success or response.status_code in NO_LISTING_STATUS

        response = self._request(
            "GET", {"upload_id": upload_id}, label=f"{self.component} (list parts)", ok=listed_or_said_no
        )
        answer = _json(response)
        if not response.is_success:
            code = answer.get("code") if isinstance(answer, Mapping) else None
            if response.status_code == 404 and code in UPLOAD_GONE_CODES:
                raise NotFoundError(
                    f"the storage gateway no longer knows the upload of {self.component}", status_code=404, code=code
                )
            return None
        parts = answer.get("parts") if isinstance(answer, Mapping) else None
        if not isinstance(parts, list):
            return None
        held: dict[int, GatewayPart] = {}
        for entry in parts:
            if not isinstance(entry, Mapping):
                continue
            number, etag, size = entry.get("part_number"), entry.get("etag"), entry.get("size")
            if isinstance(number, int) and not isinstance(number, bool) and isinstance(etag, str):
                if len(etag) > MAX_ID_LENGTH:
                    continue  # no storage gives such an ETag: not a part it holds
                held[number] = GatewayPart(
                    number,
                    etag.strip().strip('"'),
                    size if isinstance(size, int) and not isinstance(size, bool) else None,
                )
        return held

    def complete(self, upload_id: str, parts: Sequence[tuple[int, str]]) -> Mapping[str, Any]:
        """Assemble the component from ``(part_number, etag)`` in order; the gateway's answer (may be empty)."""
        response = self._request(
            "POST",
            {"upload_id": upload_id},
            label=f"{self.component} (complete)",
            body={"parts": [{"part_number": n, "etag": e} for n, e in parts]},
        )
        answer = _json(response)
        return answer if isinstance(answer, Mapping) else {}

    def abort(self, upload_id: str) -> None:
        """Abort the upload (storage frees its parts); an upload already gone counts as aborted."""

        def gone_too(response: httpx.Response) -> bool:
            return response.is_success or response.status_code == 404

        self._request("DELETE", {"upload_id": upload_id}, label=f"{self.component} (abort)", ok=gone_too)
