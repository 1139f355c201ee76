"""The raw transport (``chronicle._transport.get(...)``) stays under the API's prefix (issue 28, finding 6).

A server URL may carry a path prefix (``http://host/prefix``, a reverse proxy's mount). Dot segments in a
raw path used to be resolved after joining, so ``/v1/../../x`` went to ``/x`` with the bearer key.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from methodic import Chronicle
from methodic.errors import UnsafePathError


class _Recorder(BaseHTTPRequestHandler):
    seen: list[tuple[str, str | None]]

    def _answer(self) -> None:
        self.seen.append((self.path, self.headers.get("Authorization")))
        body = json.dumps({"scopes": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[tuple[str, str | None]]]]:
    """A real HTTP server recording every request path and its Authorization header; its URL with a prefix."""
    seen: list[tuple[str, str | None]] = []
    handler = type("Recorder", (_Recorder,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/prefix", seen
    finally:
        server.shutdown()
        server.server_close()


ESCAPES = [
    "/v1/../../x",
    "/../x",
    "/v1/./../../x",
    "/experiments/../../../x",
    "/v1/%2e%2e/%2E%2E/x",
    "/v1/experiments/..%2f..%2f..%2fx",
    "/v1/experiments/.%2E/x",
    "/v1/..\\..\\x",
    "/v1/experiments/x/..",
    "/v1/..?a=b",
]


@pytest.mark.parametrize("path", ESCAPES)
def test_dot_segments_are_refused_before_anything_is_sent(
    recorder: tuple[str, list[tuple[str, str | None]]], path: str
) -> None:
    url, seen = recorder
    with Chronicle(url, "sk_secret_key") as chronicle:
        for call in (chronicle._transport.get, chronicle._transport.delete):
            with pytest.raises(UnsafePathError, match="dot segment"):
                call(path)
        with pytest.raises(ValueError):  # what these refusals were before they had a type
            chronicle._transport.post(path, json={})
    assert seen == []  # the key went nowhere, inside the prefix or outside it


def test_ordinary_raw_paths_stay_under_the_prefix_with_the_key(
    recorder: tuple[str, list[tuple[str, str | None]]],
) -> None:
    url, seen = recorder
    with Chronicle(url, "sk_secret_key") as chronicle:
        chronicle._transport.get("/me/scopes")
        chronicle._transport.get("/v1/me/scopes", params={"q": "../x"})  # a query is not a path
        chronicle._transport.get("/experiments/a.b..c/outputs")  # dots inside a segment are a name
    assert [path for path, _ in seen] == [
        "/prefix/v1/me/scopes",
        "/prefix/v1/me/scopes?q=..%2Fx",
        "/prefix/v1/experiments/a.b..c/outputs",
    ]
    assert all(auth == "Bearer sk_secret_key" for _, auth in seen)
