"""A tiny recording HTTP proxy in front of a local Chronicle (API and storage), for request comparison.

API requests are recorded as (method, path, sorted query keys, sorted top-level JSON body keys);
storage requests (presigned URLs, rewritten in API responses to come through ``/__storage__``) as
("STORAGE", method, whether Authorization was sent). ``GET /__mark__/<label>`` labels what follows.
"""

from __future__ import annotations

import http.client
import json
import threading
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

STORAGE_PREFIX = "/__storage__"
MARK_PREFIX = "/__mark__/"
_HOP_HEADERS = {"host", "content-length", "connection", "transfer-encoding", "keep-alive", "accept-encoding"}


class RecordingProxy:
    def __init__(self, api_url: str, storage_url: str) -> None:
        self.api = urlsplit(api_url)
        self.storage_url = storage_url.rstrip("/")
        self.storage = urlsplit(storage_url)
        self.records: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        self.label = "-"
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                proxy.handle(self)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> RecordingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _read_body(self, req: BaseHTTPRequestHandler) -> bytes:
        if req.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(req.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    req.rfile.readline()
                    return body
                body += req.rfile.read(size)
                req.rfile.readline()
        return req.rfile.read(int(req.headers.get("Content-Length") or 0))

    def handle(self, req: BaseHTTPRequestHandler) -> None:
        body = self._read_body(req)
        parts = urlsplit(req.path)
        if parts.path.startswith(MARK_PREFIX):
            with self._lock:
                self.label = unquote(parts.path[len(MARK_PREFIX) :])
            self._reply(req, 204, [], b"")
            return
        keys: list[str] | str = []
        json_body = req.headers.get("Content-Type") == "application/json"
        if (body and not parts.path.startswith(STORAGE_PREFIX)) or json_body:
            try:
                parsed = json.loads(body)
                keys = sorted(parsed) if isinstance(parsed, dict) else f"<{type(parsed).__name__}>"
            except ValueError:
                keys = "<not json>"
        query = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
        if parts.path.startswith(STORAGE_PREFIX):
            target, path = self.storage, req.path[len(STORAGE_PREFIX) :]
            # The storage requests' query keys (a gateway multipart's ``uploads``, ``upload_id``, ``part_number``)
            # and JSON body keys (its complete's ``parts``) are part of the wire; a presigned URL's keys are the
            # same for both clients, since both PUT to the URL the server gave.
            entry: tuple[Any, ...] = (
                "STORAGE",
                req.command,
                "Authorization" in req.headers,
                tuple(query),
                tuple(keys) if isinstance(keys, list) else keys,
            )
        else:
            target, path = self.api, req.path
            entry = (req.command, parts.path, tuple(query), tuple(keys) if isinstance(keys, list) else keys)
        with self._lock:
            self.records[self.label].append(entry)
        conn = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
        headers = {k: v for k, v in req.headers.items() if k.lower() not in _HOP_HEADERS}
        headers["Content-Length"] = str(len(body))
        try:
            conn.request(
                req.command,
                path,
                body=body if body or req.command in ("POST", "PUT", "PATCH") else None,
                headers=headers,
            )
            resp = conn.getresponse()
            data = resp.read()
            out_headers = [(k, v) for k, v in resp.getheaders() if k.lower() not in _HOP_HEADERS]
            if target is self.api and self.storage_url.encode() in data:
                data = data.replace(self.storage_url.encode(), (self.url + STORAGE_PREFIX).encode())
            self._reply(req, resp.status, out_headers, data)
        finally:
            conn.close()

    @staticmethod
    def _reply(req: BaseHTTPRequestHandler, status: int, headers: list[tuple[str, str]], data: bytes) -> None:
        req.send_response(status)
        for k, v in headers:
            req.send_header(k, v)
        req.send_header("Content-Length", str(len(data)))
        req.end_headers()
        if req.command != "HEAD":
            req.wfile.write(data)
