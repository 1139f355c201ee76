"""A real HTTP storage stand-in on 127.0.0.1: records PUT requests, serves GETs, can misbehave on demand."""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    size: int
    sha256: str
    body: bytes | None
    port: int = 0  # the client's port: one per connection


@dataclass
class StorageState:
    requests: list[Received] = field(default_factory=list)
    objects: dict[str, bytes] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    keep_bodies_up_to: int = 64 << 20
    # GET misbehaviour: how many upcoming GETs drop the connection after this many bytes
    drop_next_gets: int = 0
    drop_after: int = 1000
    # how many upcoming GETs close the connection after a complete response, without saying so
    silently_close_next_gets: int = 0
    # how many upcoming GETs send their headers, then stall for stall_seconds before the body
    stall_next_gets: int = 0
    # how many upcoming GETs stall for stall_seconds before sending anything
    stall_before_headers_next_gets: int = 0
    stall_seconds: float = 1.0
    # whether a GET with ``Range: bytes=a-b`` is answered 206 with that range (else 200, the whole object)
    serve_ranges: bool = True


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: StorageState

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_PUT(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        hasher = hashlib.sha256()
        keep = length <= self.state.keep_bodies_up_to
        parts: list[bytes] = []
        remaining = length
        while remaining:
            chunk = self.rfile.read(min(remaining, 1 << 20))
            if not chunk:
                break
            remaining -= len(chunk)
            hasher.update(chunk)
            if keep:
                parts.append(chunk)
        body = b"".join(parts) if keep else None
        self.state.requests.append(
            Received("PUT", self.path, dict(self.headers.items()), length - remaining, hasher.hexdigest(), body)
        )
        if body is not None:
            self.state.objects[self.path.split("?")[0]] = body
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self.state.requests.append(
            Received("GET", self.path, dict(self.headers.items()), 0, "", None, self.client_address[1])
        )
        if self.state.stall_before_headers_next_gets > 0:
            self.state.stall_before_headers_next_gets -= 1
            time.sleep(self.state.stall_seconds)
        # Which GET loses its connection is decided as it arrives, not after its headers went out: a GET that
        # arrives later must never take the drop meant for an earlier one whose thread was slower to get there.
        with self.state.lock:
            drop = self.state.drop_next_gets > 0
            if drop:
                self.state.drop_next_gets -= 1
        data = self.state.objects.get(self.path.split("?")[0])
        if data is None:
            body = b"<Error><Code>NoSuchKey</Code><Message>not here</Message></Error>"
            self.send_response(404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        wanted = re.fullmatch(r"bytes=(\d+)-(\d+)", self.headers.get("Range", "")) if self.state.serve_ranges else None
        if wanted is not None:
            start, end = int(wanted.group(1)), min(int(wanted.group(2)), len(data) - 1)
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
            data = data[start : end + 1]
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if drop:
            self.wfile.write(data[: self.state.drop_after])
            self.wfile.flush()
            self.close_connection = True
            return
        if self.state.stall_next_gets > 0:
            self.state.stall_next_gets -= 1
            self.wfile.flush()
            time.sleep(self.state.stall_seconds)
        self.wfile.write(data)
        if self.state.silently_close_next_gets > 0:
            self.state.silently_close_next_gets -= 1
            self.close_connection = True


@dataclass
class LocalStorage:
    """A running storage stand-in: its base URL, and the state tests read and steer."""

    url: str
    state: StorageState


@contextmanager
def local_storage_server() -> Iterator[LocalStorage]:
    """Run a storage stand-in on 127.0.0.1 for the block's duration."""
    state = StorageState()
    handler = type("Handler", (_Handler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield LocalStorage(f"http://127.0.0.1:{server.server_address[1]}", state)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
