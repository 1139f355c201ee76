"""Bounds on what the API may send back: body size (decompressed), and the time a whole call may take.

A hostile or broken server must not be able to exhaust memory or hold a call forever. httpx's own
timeouts are per read, so a server dripping one byte a second keeps a call alive indefinitely, and it
buffers whatever body arrives, decompressing it first (a 1 MiB gzip bomb becomes 1 GiB). This
transport wraps the real one: it decodes gzip and deflate itself with a bound on the *output*, stops a
body at ``max_body_bytes`` (an error body is just cut at ``max_error_bytes``: its code and message come
first), and ends any call whose body is still arriving after ``deadline`` seconds.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterator

import httpx

#: An error body is cut here: the code and message are at its start.
MAX_ERROR_BYTES = 64 * 1024


class ResponseTooLarge(Exception):
    """The body outgrew the limit (the transport maps this to a contract-mismatch error)."""


class UnsupportedEncoding(Exception):
    """The server compressed the body with something it was not offered."""


def _decoder(encoding: str) -> zlib._Decompress | None:
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(zlib.MAX_WBITS | 16)
    if encoding == "deflate":
        return zlib.decompressobj()
    raise UnsupportedEncoding(f"the server sent a body encoded as {encoding!r}, which was not asked for")


class _BoundedStream(httpx.SyncByteStream):
    def __init__(
        self,
        raw: httpx.SyncByteStream,
        decoder: zlib._Decompress | None,
        limit: int,
        truncate: bool,
        deadline_at: float,
        request: httpx.Request,
    ) -> None:
        self._raw = raw
        self._decoder = decoder
        self._limit = limit
        self._truncate = truncate
        self._deadline_at = deadline_at
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        total = 0
        for chunk in self._raw:
            if time.monotonic() > self._deadline_at:
                raise httpx.ReadTimeout("the response was still arriving at the call's deadline", request=self._request)
            pending = chunk
            while pending:
                if self._decoder is None:
                    data, pending = pending, b""
                else:
                    data = self._decoder.decompress(pending, self._limit - total + 1)
                    pending = self._decoder.unconsumed_tail
                total += len(data)
                if total > self._limit:
                    if self._truncate:
                        yield data[: len(data) - (total - self._limit)]
                        return
                    raise ResponseTooLarge(f"the response body is larger than {self._limit} bytes")
                if data:
                    yield data
                elif pending:  # the decoder wants more input before it can produce output
                    break
        if self._decoder is not None:
            rest = self._decoder.flush()
            if total + len(rest) > self._limit and not self._truncate:
                raise ResponseTooLarge(f"the response body is larger than {self._limit} bytes")
            if rest:
                yield rest[: max(0, self._limit - total)]

    def close(self) -> None:
        self._raw.close()


class BoundedTransport(httpx.BaseTransport):
    """Wraps a transport so no response body exceeds its limits and no call outlives its deadline."""

    def __init__(self, inner: httpx.BaseTransport, *, max_body_bytes: int, deadline: float) -> None:
        self._inner = inner
        self.max_body_bytes = max_body_bytes
        self.deadline = deadline

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send, then hand back the response with a bounded, already-decoded body."""
        deadline_at = time.monotonic() + self.deadline
        response = self._inner.handle_request(request)
        assert isinstance(response.stream, httpx.SyncByteStream)
        try:
            decoder = _decoder(response.headers.get("content-encoding", "").strip().lower())
        except UnsupportedEncoding:
            response.close()
            raise
        dropped = ("content-encoding", "content-length")  # the body handed on is decoded, its length unknown
        headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in dropped]
        is_error = response.status_code >= 400
        stream = _BoundedStream(
            response.stream,
            decoder,
            min(MAX_ERROR_BYTES, self.max_body_bytes) if is_error else self.max_body_bytes,
            is_error,
            deadline_at,
            request,
        )
        return httpx.Response(
            response.status_code, headers=headers, stream=stream, extensions=response.extensions, request=request
        )

    def close(self) -> None:
        """Close the wrapped transport."""
        self._inner.close()
