"""Presigned GETs over the standard library's ``http.client``, for bulk download throughput.

Why a second HTTP client: httpx parses response bodies in pure Python (h11), so every 64 KiB read
is copied twice and walks several layers of calls. On a CPU-bound download (a fast link, few cores,
sha256 of every byte) that is the bottleneck. Measured on a 2-core VM, 1 GiB to disk with sha256
on a helper thread: ~0.4-0.6 GB/s through httpx, ~0.8-1.0 GB/s through ``http.client`` reading
with ``readinto`` into reused 128 KiB buffers (curl, which does not hash: ~0.75-0.95 GB/s).

So storage downloads take this path only when it is safe to: the storage client has no custom
transport, the URL is http(s), and no proxy from the environment applies to it; anything else goes
through httpx. TLS uses the process's one context (:mod:`methodic._tls`: httpx's defaults, certifi or
``SSL_CERT_FILE``/``SSL_CERT_DIR``), the request carries no credentials (a presigned URL is its own auth)
unless the caller passes the ``Authorization`` header of a storage gateway read it vetted (R2 copies that
require the API key; it goes to that URL only, never follows a redirect), and every failure is raised
as the httpx exception the httpx path would raise, so both paths share one retry policy.
Connections are kept alive per thread (a thread takes its host's idle connection, so no two
threads ever share one), dropped after any error, and closed by :meth:`DirectGetter.close_idle`.
"""

from __future__ import annotations

import contextlib
import http.client
import re
import socket
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import httpx

from methodic._tls import default_ssl_context

_Key = tuple[str, str, int]
_QUERY = re.compile(r"\?\S*")


def _safe(exc: BaseException) -> str:
    """An exception's text without anything after a ``?`` (http.client quotes request targets in some errors)."""
    return _QUERY.sub("?<redacted>", str(exc))


class DirectResponse:
    """The status and headers of a GET, and ``readinto`` for its body."""

    def __init__(
        self, response: http.client.HTTPResponse, request: httpx.Request, conn: http.client.HTTPConnection
    ) -> None:
        self._response = response
        self.request = request
        self._conn = conn
        self.status_code = response.status
        self.is_success = 200 <= response.status < 300
        self.finished = False

    def header(self, name: str) -> str:
        """A response header ("" when absent)."""
        return self._response.getheader(name) or ""

    def readinto(self, buffer: bytearray) -> int:
        """Fill ``buffer`` with the next body bytes; 0 at the end. A truncated body raises ``httpx.ReadError``."""
        try:
            n = self._response.readinto(buffer)
        except TimeoutError as exc:
            raise httpx.ReadTimeout(f"storage read timed out: {_safe(exc)}", request=self.request) from exc
        except (OSError, http.client.HTTPException) as exc:
            raise httpx.ReadError(
                f"{type(exc).__name__} while reading the body: {_safe(exc)}", request=self.request
            ) from exc
        # http.client returns 0 (not an error) when the socket closes early; ``length`` then says what is missing.
        if n == 0 and not self._response.chunked and self._response.length:
            raise httpx.RemoteProtocolError(
                f"the connection closed {self._response.length} bytes before the end of the body", request=self.request
            )
        if n == 0:
            self.finished = True
        return n

    def abort(self) -> None:
        """End the transfer from another thread: a blocked ``readinto`` returns or raises at once."""
        sock = self._conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def error_response(self, limit: int) -> httpx.Response:
        """The response as an ``httpx.Response`` with at most ``limit`` bytes of body (for error handling)."""
        try:
            body = self._response.read(limit)
        except (OSError, http.client.HTTPException):
            body = b""
        self.finished = self._response.isclosed()
        return httpx.Response(self.status_code, headers=self._response.getheaders(), content=body, request=self.request)


class DirectGetter:
    """Opens presigned GETs over ``http.client``, keeping one idle connection per host and thread."""

    def __init__(self, *, timeout: float, user_agent: str) -> None:
        self.timeout = timeout
        self.user_agent = user_agent
        self._local = threading.local()
        self._lock = threading.Lock()
        self._pools: list[tuple[threading.Thread, dict[_Key, http.client.HTTPConnection]]] = []

    def eligible(self, url: str) -> bool:
        """Whether ``url`` can take this path: http(s), and no environment proxy applies to its host."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return False
        proxies = urllib.request.getproxies()
        if not any(proxies.get(k) for k in (parts.scheme, "all")):
            return True
        return bool(urllib.request.proxy_bypass(parts.hostname))

    @contextmanager
    def get(self, url: str, headers: dict[str, str] | None = None) -> Iterator[DirectResponse]:
        """GET ``url`` (with extra ``headers``, e.g. a ``Range``); yields once the status and headers arrived.

        Connect and read errors raise httpx errors.
        """
        parts = urlsplit(url)
        request = httpx.Request("GET", url, headers=headers)
        key = (parts.scheme, parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
        conn, reused = self._checkout(key)
        keep = False
        try:
            try:
                response = self._send(conn, request)
            except httpx.TransportError as exc:
                if not reused or isinstance(exc, httpx.TimeoutException):
                    raise  # a slow server gets no second request here: the retry policy decides
                conn.close()  # an idle keep-alive connection the server had closed: one fresh try
                conn, reused = self._connect(key), False
                response = self._send(conn, request)
            direct = DirectResponse(response, request, conn)
            yield direct
            keep = direct.finished and not response.will_close
        finally:
            if keep:
                self._checkin(key, conn)
            else:
                conn.close()

    def close_idle(self) -> None:
        """Close every idle kept-alive connection, in every thread (those in use are left alone)."""
        with self._lock:
            idle = [conn for _, pool in self._pools for conn in pool.values()]
            for _, pool in self._pools:
                pool.clear()
            self._pools = [(thread, pool) for thread, pool in self._pools if thread.is_alive()]  # no growth
        for conn in idle:
            conn.close()

    # -- internals ----------------------------------------------------------------------------------
    def _send(self, conn: http.client.HTTPConnection, request: httpx.Request) -> http.client.HTTPResponse:
        target = request.url.raw_path.decode("ascii")  # percent-encoded, as httpx would send it
        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "identity"}
        for name in ("Range", "Authorization"):  # the key only when the caller passed it (a vetted gateway read)
            if name in request.headers:
                headers[name] = request.headers[name]
        try:
            if conn.sock is None:
                conn.connect()
        except TimeoutError as exc:
            raise httpx.ConnectTimeout(f"connecting to storage timed out: {_safe(exc)}", request=request) from exc
        except OSError as exc:
            raise httpx.ConnectError(f"cannot connect to storage: {_safe(exc)}", request=request) from exc
        try:
            conn.request("GET", target, headers=headers)
            return conn.getresponse()
        except TimeoutError as exc:
            raise httpx.ReadTimeout(f"storage did not answer in time: {_safe(exc)}", request=request) from exc
        except (OSError, http.client.HTTPException) as exc:
            raise httpx.RemoteProtocolError(
                f"{type(exc).__name__} from storage: {_safe(exc)}", request=request
            ) from exc

    def _pool(self) -> dict[_Key, http.client.HTTPConnection]:
        pool: dict[_Key, http.client.HTTPConnection] | None = getattr(self._local, "pool", None)
        if pool is None:
            pool = self._local.pool = {}
            with self._lock:
                self._pools.append((threading.current_thread(), pool))
        return pool

    def _checkout(self, key: _Key) -> tuple[http.client.HTTPConnection, bool]:
        pool = self._pool()
        with self._lock:
            conn = pool.pop(key, None)
        return (conn, True) if conn is not None else (self._connect(key), False)

    def _checkin(self, key: _Key, conn: http.client.HTTPConnection) -> None:
        pool = self._pool()
        with self._lock:
            old = pool.pop(key, None)
            pool[key] = conn
        if old is not None:
            old.close()

    def _connect(self, key: _Key) -> http.client.HTTPConnection:
        scheme, host, port = key
        if scheme == "https":
            return http.client.HTTPSConnection(host, port, timeout=self.timeout, context=default_ssl_context())
        return http.client.HTTPConnection(host, port, timeout=self.timeout)
