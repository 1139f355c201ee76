"""Our own minimal MCP client for the tests: one JSON-RPC message per POST, no Accept, session or version header.

That is how the public stdio launcher relays each message; a native Streamable-HTTP client adds headers,
which the transport tests send explicitly.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import httpx

PATH = "/v1/mcp/messages"


class McpClient:
    """Posts JSON-RPC messages to a server's MCP endpoint with a bearer key."""

    def __init__(self, url: str, key: str | None) -> None:
        self.http = httpx.Client(base_url=url, timeout=30)
        self.key = key
        self.ids = itertools.count(1)

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def post(self, message: Any, **headers: str) -> httpx.Response:
        """POST one message as raw JSON with only Content-Type (and the key), plus ``headers``."""
        sent = {"Content-Type": "application/json", **headers}
        if self.key is not None:
            sent["Authorization"] = f"Bearer {self.key}"
        data = message if isinstance(message, bytes) else json.dumps(message).encode()
        request = self.http.build_request("POST", PATH, content=data, headers=sent)
        for name in ("accept", "accept-encoding", "user-agent"):  # the bare minimum on the wire
            request.headers.pop(name, None)
        return self.http.send(request)

    def request(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """The JSON-RPC envelope answering one request (whatever its HTTP status)."""
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": next(self.ids), "method": method}
        if params is not None:
            message["params"] = params
        response = self.post(message)
        assert response.headers["content-type"].startswith("application/json"), response.headers
        envelope: dict[str, Any] = response.json()
        assert envelope["jsonrpc"] == "2.0" and envelope["id"] == message["id"], envelope
        return envelope

    def call(self, name: str, /, **arguments: Any) -> tuple[Any, bool]:
        """A tool's JSON result (from content[0].text) and its isError flag."""
        envelope = self.request("tools/call", {"name": name, "arguments": arguments})
        result = envelope["result"]
        payload = json.loads(result["content"][0]["text"])
        assert result["content"][0]["type"] == "text"
        structured = result["structuredContent"]
        assert structured == (payload if isinstance(payload, dict) else {"result": payload})
        return payload, bool(result["isError"])

    def ok(self, name: str, /, **arguments: Any) -> Any:
        """A tool's JSON result; AssertionError when it failed."""
        payload, is_error = self.call(name, **arguments)
        assert not is_error, payload
        return payload

    def fails(self, name: str, /, **arguments: Any) -> dict[str, Any]:
        """A tool's error JSON; AssertionError when it succeeded."""
        payload, is_error = self.call(name, **arguments)
        assert is_error, payload
        assert {"error", "code", "status", "request_id"} <= set(payload), payload
        return dict(payload)
