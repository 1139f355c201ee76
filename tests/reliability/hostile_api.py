"""A small hostile HTTP server on 127.0.0.1 for client tests: endless bodies, gzip bombs, byte-by-byte drips."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import zlib
from collections.abc import Callable
from types import TracebackType

Behaviour = Callable[[socket.socket], None]


def _headers(status: str, extra: str = "") -> bytes:
    return f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nX-Request-Id: req_hostile\r\n{extra}\r\n".encode()


def endless_json(status: str) -> Behaviour:
    """A JSON body announced as 1 GiB, sent until the client hangs up."""

    def serve(conn: socket.socket) -> None:
        conn.sendall(_headers(status, f"Content-Length: {1 << 30}\r\n") + b'{"message": "')
        block = b"x" * 65536
        while True:
            conn.sendall(block)

    return serve


def gzip_bomb(expanded: int) -> Behaviour:
    """A small gzip body that expands to ``expanded`` bytes of JSON-ish text."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    body = compressor.compress(b"[" + b"0," * (expanded // 2)) + compressor.flush()

    def serve(conn: socket.socket) -> None:
        conn.sendall(_headers("200 OK", f"Content-Encoding: gzip\r\nContent-Length: {len(body)}\r\n") + body)

    return serve


def drip(interval: float) -> Behaviour:
    """Headers at once, then one byte of body every ``interval`` seconds, for ever."""

    def serve(conn: socket.socket) -> None:
        conn.sendall(_headers("200 OK", "Content-Length: 100000\r\n"))
        while True:
            conn.sendall(b" ")
            time.sleep(interval)

    return serve


class HostileServer:
    """Serves every connection with one behaviour; stops (and drops every connection) on exit."""

    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.stopping = threading.Event()
        self.connections: list[socket.socket] = []

    def __enter__(self) -> HostileServer:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with contextlib.suppress(OSError), conn:  # OSError: the client hung up
            conn.recv(65536)  # the request; its content does not matter
            self.behaviour(conn)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stopping.set()
        self.listener.close()
        for conn in self.connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


def steady(total: int, chunk: int, interval: float) -> Behaviour:
    """A slow but honest body: ``chunk`` bytes every ``interval`` seconds, ``total`` in all."""

    def serve(conn: socket.socket) -> None:
        conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {total}\r\n\r\n".encode())
        sent = 0
        while sent < total:
            piece = b"s" * min(chunk, total - sent)
            conn.sendall(piece)
            sent += len(piece)
            time.sleep(interval)

    return serve
