"""The storage service: presigned PUT/GET of asset components, on its own port, like a cloud bucket.

Built on the standard library's threading HTTP server because it is the fastest thing on this
machine (measured: 1.4 GB/s with ``curl -T`` against 0.7 GB/s for uvicorn), so benchmarks measure
the client, not the server. Bodies stream between socket and disk in 1 MiB pieces: memory does not
grow with object size. Rules, as real cloud storage enforces them: a bad or expired signature is
403, an Authorization header next to a signature is 400, a PUT without Content-Length is 411.

Hardening for shared dev boxes and CI: a connection that sends nothing for ``idle_timeout`` seconds
(default :data:`DEFAULT_IDLE_TIMEOUT`) is closed, and at most ``max_connections`` (default
:data:`DEFAULT_MAX_CONNECTIONS`) requests are served at once, one thread each. Between requests a
keep-alive connection holds neither a thread nor a slot: it waits in :class:`_Parking` (one selector
thread), at most ``max_idle_connections`` of them (the longest idle is closed beyond that), so idle
clients cannot starve active ones. A request that finds every slot taken waits up to
:data:`BUSY_WAIT` seconds for one, then is answered 503 and closed. A body that meets a full disk
(ENOSPC, EDQUOT) is answered 507 ``insufficient_storage``, its temporary removed. An upload is
written to a ``.upload-*`` temporary file, hashed, then renamed into place together with its recorded
checksum under one lock; temporaries of aborted uploads are removed at once, and those a crash or
restart left behind are removed at start-up. Every object path is resolved and must lie under the
object root.

Large components go up in parts through the storage gateway on this port (:mod:`methodic_server.gateway`,
the hosted platform's r2 route); its multipart uploads live in the tree this service owns
(:attr:`StorageService.uploads`), so deleting an asset here drops them too. Two knobs make the service
behave like a cloud bucket: ``max_single_put_bytes`` (a larger presigned PUT is refused with 400
``EntityTooLarge``, as S3 refuses one over 5 GiB) and ``per_connection_bytes_per_second`` (every request
body and response body, the gateway's included, is paced to that rate per connection, as one TCP stream
to cloud storage is).
"""

from __future__ import annotations

import collections
import contextlib
import errno
import hashlib
import io
import json
import os
import re
import selectors
import shutil
import socket
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote

from methodic_contract import REQUEST_ID_HEADER, part_checksum
from methodic_server.errors import bad_request, error_body
from methodic_server.gateway_uploads import GatewayUploads
from methodic_server.signing import object_path, presign, verify

BUFFER = 1 << 20
#: Seconds a storage connection may stay silent (between requests or inside a body) before it is closed.
DEFAULT_IDLE_TIMEOUT = 60.0
#: Storage requests served at once (one thread each); a request waits up to BUSY_WAIT for a slot, then gets 503.
DEFAULT_MAX_CONNECTIONS = 64
#: Seconds a request waits for a free slot before it is answered 503.
BUSY_WAIT = 2.0
#: Prefix of upload temporaries, in the object tree and the checksum tree.
TEMP_PREFIX = ".upload-"
#: Errors that mean the disk (or the owner's quota) is full.
NO_SPACE = (errno.ENOSPC, errno.EDQUOT)
_BUSY_BODY = json.dumps(error_body("busy", "too many storage connections; retry", "req_storage_busy")).encode()
_BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\n"
    b"Content-Length: %d\r\n\r\n%s" % (len(_BUSY_BODY), _BUSY_BODY)
)

#: One ``bytes=a-b`` range; a number of more than 18 digits is no range this server serves (416): it is
#: past any object's size, and past 4,300 digits ``int()`` would raise.
_RANGE = re.compile(r"bytes=([0-9]{0,18})-([0-9]{0,18})")


def _short_digits(value: str) -> bool:
    """Whether ``value`` is a non-negative integer in at most 18 ASCII digits (``int()`` of it cannot fail)."""
    return len(value) <= 18 and value.isascii() and value.isdigit()


class UnsafePath(ValueError):
    """An object path that would resolve outside the object root."""


class StorageFaults:
    """Failures to inject into the storage service (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._fail_count = 0
        self._fail_status: int | None = 500
        self.expire_urls = False
        #: Seconds each PUT and GET waits before it is served: storage slower than the trainer.
        self.delay = 0.0
        #: Writing a body fails with ENOSPC once this many of its bytes were received (None: the disk has room).
        self.no_space_after: int | None = None
        #: GETs answer the whole object (200) whatever ``Range`` asks, as storage that does not serve ranges.
        self.ignore_ranges = False

    def fail_next(self, count: int, status: int | None) -> None:
        """The next ``count`` requests fail with ``status``, or drop the connection when status is None."""
        with self._lock:
            self._fail_count, self._fail_status = count, status

    def take(self) -> tuple[bool, int | None]:
        """Whether this request must fail, and how."""
        with self._lock:
            if self._fail_count <= 0:
                return False, None
            self._fail_count -= 1
            return True, self._fail_status

    def reset(self) -> None:
        """No more faults."""
        with self._lock:
            self._fail_count = 0
            self.expire_urls = False
            self.delay = 0.0
            self.no_space_after = None
            self.ignore_ranges = False


class _Pace:
    """Paces one request's body to ``rate`` bytes per second (None: as fast as it goes)."""

    def __init__(self, rate: int | None) -> None:
        self.rate = rate
        self.started = time.monotonic()
        self.moved = 0

    def step(self, n: int) -> None:
        """``n`` more bytes moved: sleep until the rate allows them."""
        if not self.rate:
            return
        self.moved += n
        ahead = self.moved / self.rate - (time.monotonic() - self.started)
        if ahead > 0:
            time.sleep(ahead)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default backlog of 5 drops SYNs (1 s retransmits) as soon as a few clients connect at once
    request_queue_size = 128
    service: StorageService
    slots: threading.BoundedSemaphore
    parking: _Parking

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that vanished mid-request (killed, reset) is routine for storage: no traceback on stderr."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def process_request(self, request: Any, client_address: Any) -> None:
        """A new connection waits parked, with no thread, until it sends its first request."""
        self.parking.park(request, client_address)

    def serve_connection(self, request: Any, client_address: Any) -> None:
        """A thread's body (it holds a slot): serve what the connection sent, then park it or close it."""
        keep = False
        try:
            serve: Any = self.RequestHandlerClass  # _Handler, or the gateway's subclass of it
            handler = serve(request, client_address, self)
            keep = bool(getattr(handler, "keep_alive", False))
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.parking.release_slot()
            if keep:
                self.parking.park(request, client_address)
            else:
                self.shutdown_request(request)

    def server_close(self) -> None:
        """Stop listening, then close every parked connection."""
        super().server_close()
        parking = getattr(self, "parking", None)  # None when binding failed: the constructor closes at once
        if parking is not None:
            parking.close()


class _Parking:
    """Keep-alive connections between requests: one selector thread watches them; they hold no slot nor thread.

    A parked connection that sends a request is handed to a new thread once a slot is free (it waits
    up to :data:`BUSY_WAIT` seconds for one, then is answered 503). One idle for ``idle_timeout``
    seconds is closed, and so is the longest idle beyond ``max_idle`` of them.
    """

    def __init__(self, server: _Server, idle_timeout: float, max_idle: int) -> None:
        self.server = server
        self.idle_timeout = idle_timeout
        self.max_idle = max_idle
        self.selector = selectors.DefaultSelector()
        self._wake_read, self._wake_write = socket.socketpair()
        self._wake_read.setblocking(False)
        self._wake_write.setblocking(False)
        self.selector.register(self._wake_read, selectors.EVENT_READ)
        self._lock = threading.Lock()
        self._incoming: list[tuple[Any, Any]] = []
        #: Parked connections, oldest first: socket → (address, parked since).
        self._parked: dict[Any, tuple[Any, float]] = {}
        #: Connections that sent a request and wait for a slot: (socket, address, since).
        self._ready: collections.deque[tuple[Any, Any, float]] = collections.deque()
        self._waiting = False
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="methodic-storage-parking", daemon=True)

    def start(self) -> None:
        """Start watching."""
        self._thread.start()

    def park(self, request: Any, client_address: Any) -> None:
        """Watch a connection until it sends its next request (or stays idle too long)."""
        with self._lock:
            if self._stopped:
                self.server.shutdown_request(request)
                return
            self._incoming.append((request, client_address))
        self._wake()

    def release_slot(self) -> None:
        """A request ended: its slot is free (a waiting request may take it)."""
        self.server.slots.release()
        if self._waiting:
            self._wake()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_write.send(b"x")

    def _run(self) -> None:
        while not self._stopped:
            events = self.selector.select(0.05 if self._ready else 0.5)
            now = time.monotonic()
            for key, _ in events:
                if key.fileobj is self._wake_read:
                    with contextlib.suppress(OSError):
                        while self._wake_read.recv(4096):
                            pass
                    continue
                self.selector.unregister(key.fileobj)
                address, _ = self._parked.pop(key.fileobj)
                self._ready.append((key.fileobj, address, now))
            with self._lock:
                incoming, self._incoming = self._incoming, []
            for request, address in incoming:
                try:
                    self.selector.register(request, selectors.EVENT_READ)
                except (ValueError, OSError):
                    self.server.shutdown_request(request)
                    continue
                self._parked[request] = (address, now)
            self._dispatch(now)
            self._close_idle(now)

    def _dispatch(self, now: float) -> None:
        while self._ready and self.server.slots.acquire(blocking=False):
            request, address, _ = self._ready.popleft()
            try:
                threading.Thread(target=self.server.serve_connection, args=(request, address), daemon=True).start()
            except RuntimeError:  # no thread to be had: as if busy
                self.server.slots.release()
                self._refuse(request)
        while self._ready and now - self._ready[0][2] > BUSY_WAIT:
            self._refuse(self._ready.popleft()[0])
        self._waiting = bool(self._ready)

    def _refuse(self, request: Any) -> None:
        with contextlib.suppress(OSError):
            request.settimeout(1.0)
            request.sendall(_BUSY)
        self.server.shutdown_request(request)

    def _close_idle(self, now: float) -> None:
        for request, (_, since) in list(self._parked.items()):
            if now - since <= self.idle_timeout and len(self._parked) <= self.max_idle:
                break  # oldest first: the rest are younger
            self.selector.unregister(request)
            del self._parked[request]
            self.server.shutdown_request(request)

    def close(self) -> None:
        """Stop watching and close every parked or waiting connection."""
        with self._lock:
            self._stopped = True
        self._wake()
        if self._thread.is_alive():
            self._thread.join(5)
        with self._lock:
            leftovers = [r for r, _ in self._incoming] + list(self._parked) + [r for r, _, _ in self._ready]
            self._incoming, self._parked = [], {}
            self._ready.clear()
        for request in leftovers:
            self.server.shutdown_request(request)
        self.selector.close()
        self._wake_read.close()
        self._wake_write.close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    # TCP_NODELAY: an answer's headers and its body are two sends; with Nagle the body waited for the ACK
    # of the headers, which the client delays by ~40 ms: every gateway part's answer took 40 ms more.
    disable_nagle_algorithm = True

    def setup(self) -> None:
        """Apply the idle timeout to the socket: a silent client gets TimeoutError and its thread ends."""
        super().setup()
        self.connection.settimeout(self.server.service.idle_timeout)
        self.keep_alive = False
        self.body_read = 0

    def handle(self) -> None:
        """Serve the requests the connection has sent; then it waits parked (:attr:`keep_alive`), not here."""
        self.close_connection = True
        self.handle_one_request()
        while not self.close_connection:
            if not self._pending():
                self.keep_alive = True
                return
            self.body_read = 0  # a pipelined request: its own body's count (what a 507 drains)
            self.handle_one_request()

    def _pending(self) -> bool:
        """Whether the next request's bytes are already here (pipelined): serve it in this thread."""
        if not isinstance(self.rfile, io.BufferedReader):
            return False
        self.connection.settimeout(0)
        try:
            return bool(self.rfile.peek(1))
        except OSError:
            return False
        finally:
            self.connection.settimeout(self.server.service.idle_timeout)

    def _read_into(self, view: memoryview) -> int:
        """Read body bytes into ``view``, counting them (what is left of the body is drained after a 507)."""
        n: int = self.rfile.readinto(view) or 0
        self.body_read += n
        return n

    def _refuse_no_space(self, length: int) -> None:
        """507 ``insufficient_storage``, then read (and drop) the rest of the body so the client hears it."""
        self._send_error(
            507,
            "insufficient_storage",
            "storage has no space left on its disk for this upload; free some space, then retry",
            close=True,
        )
        remaining = length - self.body_read
        buffer = memoryview(bytearray(BUFFER))
        with contextlib.suppress(OSError):
            self.wfile.flush()
            while remaining > 0:
                n = self.rfile.readinto(buffer[: min(BUFFER, remaining)])
                if not n:
                    break
                remaining -= n

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the API server logs requests; storage would drown them."""

    # -- helpers --------------------------------------------------------------------------------------
    def _send_error(self, status: int, code: str, message: str, *, close: bool = False) -> None:
        request_id = f"req_{uuid.uuid4().hex[:16]}"
        body = json.dumps(error_body(code, message, request_id)).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header(REQUEST_ID_HEADER, request_id)
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    def _authorise(self, method: str) -> Path | None:
        """Check the signature and the auth rules; return the object's file path, or answer and return None."""
        raw_path, _, query = self.path.partition("?")
        params = {k: v[0] for k, v in parse_qs(query).items()}
        has_body = method == "PUT"
        if self.headers.get("Authorization"):
            self._send_error(
                400, "two_auth_methods", "a presigned URL must not be sent with an Authorization header", close=has_body
            )
            return None
        if not re.fullmatch(r"/objects/[^/]+(/[^/]+)+", raw_path) or "signature" not in params:
            self._send_error(403, "signature_invalid", "not a presigned URL", close=has_body)
            return None
        problem = verify(
            self.server.service.secret,
            params.get("method", ""),
            raw_path,
            params.get("expires", ""),
            params["signature"],
        )
        if problem is None and params.get("method") != method and not (method == "HEAD" and params["method"] == "GET"):
            problem = "signature_invalid"
        if problem is not None:
            message = "the URL has expired" if problem == "signature_expired" else "the signature does not match"
            self._send_error(403, problem, message, close=has_body)
            return None
        parts = [unquote(p) for p in raw_path.split("/")[2:]]
        try:
            if any(p in ("", ".", "..") or "/" in p for p in parts):
                raise UnsafePath(raw_path)
            return self.server.service.locate(*parts)
        except UnsafePath:
            self._send_error(400, "bad_path", "invalid object path", close=has_body)
            return None

    def _injected_fault(self) -> bool:
        if self.server.service.faults.delay:
            time.sleep(self.server.service.faults.delay)
        fail, status = self.server.service.faults.take()
        if not fail:
            return False
        if status is None:
            if self.command == "PUT":
                with contextlib.suppress(OSError):
                    self.rfile.read(min(int(self.headers.get("Content-Length") or 0), 64 * 1024))
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return True
        self._send_error(status, "injected_fault", f"injected storage failure ({status})", close=self.command == "PUT")
        return True

    # -- methods --------------------------------------------------------------------------------------
    def do_PUT(self) -> None:
        """Store the body at the object path (idempotent, atomic)."""
        length_header = self.headers.get("Content-Length")
        if length_header is None or self.headers.get("Transfer-Encoding"):
            self._send_error(411, "length_required", "a PUT needs a Content-Length header", close=True)
            return
        if not _short_digits(length_header):
            # int() would raise (no response at all) on "abc", and "-1" would wait forever for a body
            self._send_error(400, "bad_content_length", "Content-Length must be a non-negative integer", close=True)
            return
        target = self._authorise("PUT")
        if target is None or self._injected_fault():
            return
        length = int(length_header)
        limit = self.server.service.max_single_put_bytes
        if limit is not None and length > limit:
            self._send_error(
                400,
                "EntityTooLarge",
                f"Your proposed upload exceeds the maximum allowed size ({length} > {limit} bytes)",
                close=True,
            )
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX)
        digest = hashlib.sha256()
        try:
            with os.fdopen(fd, "wb") as out:
                self._receive(length, out, digest)
            # Like a cloud bucket's ETag: the checksum is recorded as the object is written, so finalize
            # never has to read the object back.
            content_type = " ".join(self.headers.get("Content-Type", "").split())[:200] or None
            self.server.service.commit(tmp, target, length, digest.hexdigest(), content_type)
        except BaseException as exc:
            # an aborted upload (client gone, idle timeout, shutdown) must not leave its temporary behind
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            self.close_connection = True
            if _no_space(exc):
                self._refuse_no_space(length)
                return
            if isinstance(exc, (OSError, ConnectionError)):
                return
            raise
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.send_header(REQUEST_ID_HEADER, f"req_{uuid.uuid4().hex[:16]}")
        self.end_headers()

    def _receive(self, length: int, out: Any, digest: Any) -> None:
        """Copy ``length`` body bytes to ``out``, hashing them, paced to the per-connection rate."""
        remaining = length
        buffer = memoryview(bytearray(BUFFER))
        step = self._counted(digest)
        while remaining:
            n = self._read_into(buffer[: min(BUFFER, remaining)])
            if not n:
                raise ConnectionError("client closed the connection mid-body")
            out.write(buffer[:n])
            step(buffer[:n])
            remaining -= n

    def _counted(self, digest: Any) -> Callable[[memoryview], None]:
        """What each received piece goes through: the digest, the byte count, the connection's pace."""
        pace = _Pace(self.server.service.per_connection_bytes_per_second)
        faults = self.server.service.faults
        seen = 0

        def step(piece: memoryview) -> None:
            nonlocal seen
            seen += len(piece)
            if faults.no_space_after is not None and seen > faults.no_space_after:
                raise OSError(errno.ENOSPC, "No space left on device (injected)")
            digest.update(piece)
            self.server.service.count_received(len(piece))
            pace.step(len(piece))

        return step

    def do_GET(self) -> None:
        """Stream the object, or the requested byte range of it."""
        self._read(head=False)

    def do_HEAD(self) -> None:
        """The object's size."""
        self._read(head=True)

    def _read(self, *, head: bool) -> None:
        target = self._authorise("GET")
        if target is None or self._injected_fault():
            return
        if not target.is_file():
            self._send_error(404, "not_found", "no such object")
            return
        size = target.stat().st_size
        start, end = 0, size - 1
        status = 200
        range_header = None if self.server.service.faults.ignore_ranges else self.headers.get("Range")
        if range_header:
            match = _RANGE.fullmatch(range_header.strip())
            if not match or (not match.group(1) and not match.group(2)):
                self._send_error(416, "bad_range", "unsupported Range header")
                return
            if match.group(1):
                start = int(match.group(1))
                end = int(match.group(2)) if match.group(2) else size - 1
            else:
                start = max(size - int(match.group(2)), 0)
            end = min(end, size - 1)
            if start > end or start >= size:
                self._send_error(416, "bad_range", f"range not satisfiable for {size} bytes")
                return
            status = 206
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header(REQUEST_ID_HEADER, f"req_{uuid.uuid4().hex[:16]}")
        self.end_headers()
        if head or end < start:
            return
        rate = self.server.service.per_connection_bytes_per_second
        with target.open("rb") as f:
            self.wfile.flush()
            try:
                if not rate:
                    self.connection.sendfile(f, offset=start, count=end - start + 1)
                    return
                pace, position = _Pace(rate), start
                while position <= end:
                    sent = self.connection.sendfile(f, offset=position, count=min(BUFFER, end - position + 1))
                    if not sent:
                        break
                    position += sent
                    pace.step(sent)
            except OSError:
                self.close_connection = True


class StorageService:
    """The storage host: a threaded HTTP server on its own port, objects under ``root``."""

    def __init__(
        self,
        root: Path,
        secret: bytes,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        max_idle_connections: int | None = None,
        max_single_put_bytes: int | None = None,
        per_connection_bytes_per_second: int | None = None,
        handler: type[_Handler] | None = None,
    ) -> None:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        # resolved once, so that every object path can be checked to resolve under it
        self.root = root.resolve()
        self.checksums = self.root.parent / f"{self.root.name}-checksums"
        self.checksums.mkdir(mode=0o700, exist_ok=True)
        #: The storage gateway's multipart uploads (:mod:`methodic_server.gateway_uploads`), kept beside the objects.
        self.uploads = GatewayUploads(self.root.parent / f"{self.root.name}-multipart")
        #: A presigned PUT larger than this is refused with 400 EntityTooLarge (None: no limit).
        self.max_single_put_bytes = max_single_put_bytes
        #: Every request and response body is paced to this many bytes per second (None: unpaced).
        self.per_connection_bytes_per_second = per_connection_bytes_per_second
        #: Body bytes received by PUTs since start (what a resume really sent, for tests and benchmarks).
        self.bytes_received = 0
        self._counter_lock = threading.Lock()
        self.secret = secret
        self.idle_timeout = idle_timeout
        self.faults = StorageFaults()
        #: Held while an upload's checksum is recorded and its file renamed, and while both are read back.
        self.lock = threading.Lock()
        self.remove_temporaries()
        # ``handler``: a subclass serving more routes on this port (the storage gateway: methodic_server.gateway)
        self._server = _Server((host, port), handler or _Handler)
        self._server.service = self
        self._server.slots = threading.BoundedSemaphore(max_connections)
        # idle keep-alive connections cost a descriptor each, no thread: four per slot by default
        idle = 4 * max_connections if max_idle_connections is None else max_idle_connections
        self._server.parking = _Parking(self._server, idle_timeout, idle)
        self._thread: threading.Thread | None = None
        host_name, port_number = self._server.server_address[:2]
        self.base_url = f"http://{host_name!s}:{port_number}"
        self.port = int(port_number)

    def start(self) -> StorageService:
        """Serve in a background thread."""
        self._server.parking.start()
        self._thread = threading.Thread(target=self._server.serve_forever, name="methodic-storage", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)

    def presign(self, method: str, asset_id: str, component: str, ttl: float) -> tuple[str, int]:
        """A presigned URL for one component (already expired while that fault is on)."""
        return presign(
            self.base_url, self.secret, method, object_path(asset_id, component), 0 if self.faults.expire_urls else ttl
        )

    def count_received(self, n: int) -> None:
        """Add ``n`` body bytes to :attr:`bytes_received`."""
        with self._counter_lock:
            self.bytes_received += n

    def abort_uploads(self, asset_id: str) -> None:
        """Abort the asset's unfinished gateway multipart uploads and free their bytes (it takes no more)."""
        self.uploads.release(asset_id)

    def locate(self, *parts: str) -> Path:
        """The resolved path of an object (or an asset's directory); UnsafePath unless it lies under the root."""
        path = self.root.joinpath(*parts).resolve()
        if path == self.root or not path.is_relative_to(self.root):
            raise UnsafePath("/".join(parts))
        return path

    def remove_temporaries(self) -> None:
        """Delete upload temporaries left by a crash or a restart during an upload."""
        for tree in (self.root, self.checksums):
            for leftover in tree.rglob(TEMP_PREFIX + "*"):
                with contextlib.suppress(OSError):
                    leftover.unlink()

    def commit(self, tmp: str, target: Path, size: int, sha256: str, content_type: str | None = None) -> None:
        """Put an uploaded temporary in place and record its size, checksum and Content-Type, as one step.

        Both happen under :attr:`lock`, so concurrent PUTs of one object cannot leave the record of one
        upload next to the bytes of another.
        """
        record = self.checksum_path(target)
        record.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, record_tmp = tempfile.mkstemp(dir=record.parent, prefix=TEMP_PREFIX)
        try:
            with os.fdopen(fd, "w") as out:
                out.write(format_record(size, sha256, None, content_type))
            with self.lock:
                os.replace(record_tmp, record)
                os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(record_tmp)
            raise

    def stat(self, asset_id: str, component: str, part_size: int | None = None) -> tuple[int, str, str | None] | None:
        """(size, checksum, content type) of a stored component, or None when missing (400 for a path outside the root).

        The checksum is the sha256 of its bytes, or with ``part_size`` its part-wise checksum. The content
        type is the one its PUT was sent with (None if it sent none, for one assembled from parts, or for
        an object stored before this was recorded).
        """
        try:
            path = self.locate(asset_id, *component.split("/"))
        except UnsafePath as exc:
            raise bad_request(f"component {component!r} is not a valid object path") from exc
        try:
            with self.lock:  # the record and the file it describes, as one commit left them
                f = path.open("rb")
                recorded = self.checksum_path(path)
                text = recorded.read_text() if recorded.is_file() else ""
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None
        with f:
            size = os.fstat(f.fileno()).st_size
            recorded_size, sha, layout, content_type = parse_record(text)
            if recorded_size == str(size) and sha and layout == ("-" if part_size is None else str(part_size)):
                return size, sha, content_type
            # No record (an object stored before records existed), or one of another layout: read it back.
            return size, read_checksum(f, part_size), content_type

    def checksum_path(self, target: Path) -> Path:
        """Where the size and sha256 recorded while ``target`` was uploaded live (outside the object tree)."""
        return self.checksums / target.relative_to(self.root)

    def delete(self, asset_id: str) -> None:
        """Remove every stored component of an asset."""
        try:
            directory = self.locate(asset_id)
        except UnsafePath:
            return  # nothing of ours lives outside the root
        shutil.rmtree(directory, ignore_errors=True)
        shutil.rmtree(self.checksums / directory.relative_to(self.root), ignore_errors=True)
        self.uploads.delete(asset_id)


def _no_space(exc: BaseException) -> bool:
    """Whether a failed write means the disk (or the owner's quota) is full."""
    return isinstance(exc, OSError) and not isinstance(exc, ConnectionError) and exc.errno in NO_SPACE


def format_record(size: int, checksum: str, part_size: int | None, content_type: str | None) -> str:
    """The one-line record kept beside a stored object: size, checksum, layout (``-`` or the part size), type."""
    return f"{size} {checksum} {'-' if part_size is None else part_size} {content_type or ''}".rstrip()


def parse_record(text: str) -> tuple[str, str, str, str | None]:
    """(size, checksum, layout, content type) from a record; older two- and three-field records still parse.

    Records written before layouts existed had ``size sha256 [content type]``: a third field that is
    neither ``-`` nor a number is a content type, and the layout is a single PUT's.
    """
    fields = text.strip().split(" ", 3)
    size, checksum = [*fields, "", ""][:2]
    rest = fields[2:]
    if rest and (rest[0] == "-" or rest[0].isdigit()):
        layout, content_type = rest[0], (rest[1] if len(rest) > 1 else None)
    else:
        layout, content_type = "-", " ".join(rest) or None
    return size, checksum, layout, content_type or None


def read_checksum(f: Any, part_size: int | None) -> str:
    """The sha256 of a readable binary file, or with ``part_size`` its part-wise checksum, in one read."""
    if part_size is None:
        digest = hashlib.sha256()
        while block := f.read(BUFFER):
            digest.update(block)
        return digest.hexdigest()
    digests = []
    while True:
        part, remaining = hashlib.sha256(), part_size
        while remaining and (block := f.read(min(BUFFER, remaining))):
            part.update(block)
            remaining -= len(block)
        if remaining == part_size:
            break
        digests.append(part.digest())
        if remaining:
            break
    return part_checksum(digests)
