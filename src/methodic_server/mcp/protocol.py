"""JSON-RPC 2.0 over one POST, as MCP's Streamable HTTP transport has it, answered statelessly with JSON.

No session, no server-sent stream: each POST carries one message and gets one JSON reply (a request) or
202 with no body (a notification or a response). Every request id is answered with a JSON-RPC envelope,
whatever the HTTP status, so a relaying client (the public launcher) always has something to relay.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from methodic_contract import REQUEST_ID_HEADER
from methodic_server.errors import ApiError
from methodic_server.mcp.tools import Session, find, tools

if TYPE_CHECKING:
    from methodic_server.api import Api

logger = logging.getLogger("methodic_server")

#: The protocol revisions this endpoint speaks, newest first.
PROTOCOL_VERSIONS = ("2025-06-18", "2025-03-26", "2024-11-05")
VERSION_HEADER = "mcp-protocol-version"

PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS, INTERNAL_ERROR = -32700, -32600, -32601, -32602, -32603
#: Not JSON-RPC's own: the key was missing or unknown.
UNAUTHORIZED = -32001

INSTRUCTIONS = (
    "This is a local Chronicle (methodic's development server). Its tools are the REST operations of the "
    "Chronicle API: experiments, variations and runs, assets and their review gate, lineage, search, findings, "
    "lessons, research prompts, publications, tags, collections and errata. Tool results are JSON in "
    "content[0].text (and structuredContent); a failure has isError and {error, code, status, request_id}. "
    "Tools that need a hosted service (datasets, feed, tasks, GitHub, W&B) answer isError saying so."
)


def _request_id() -> dict[str, str]:
    return {REQUEST_ID_HEADER: f"req_{uuid.uuid4().hex[:20]}"}


def _json(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    every = {**_request_id(), **(headers or {})}
    return Response(json.dumps(payload), status_code=status, media_type="application/json", headers=every)


def error(
    message_id: Any, code: int, message: str, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """A JSON-RPC error envelope for ``message_id`` (None when the message had none or could not be read)."""
    body = {"jsonrpc": "2.0", "id": message_id, "error": {"code": code, "message": message}}
    return _json(body, status, headers)


def not_allowed(method: str) -> Response:
    """405 for a GET (this endpoint opens no server-sent stream) or a DELETE (there is no session to end)."""
    return error(None, INVALID_REQUEST, f"{method} is not supported: POST one JSON-RPC message", 405, {"Allow": "POST"})


def too_large(limit: int) -> Response:
    """413 for a message over the server's body limit (unread, so its id is unknown); the connection closes."""
    message = f"the message exceeds {limit} bytes; upload big files in presign mode (omit base64_content)"
    return error(None, INVALID_REQUEST, message, 413, {"Connection": "close"})


def handle(api: Api, request: Request, raw_body: bytes) -> Response:
    """Answer one POSTed JSON-RPC message (runs in a worker thread: tools call the store)."""
    try:
        message = json.loads(raw_body)
    except (ValueError, RecursionError):
        return error(None, PARSE_ERROR, "parse error: the body is not one JSON value", 400)
    if not isinstance(message, dict) or message.get("jsonrpc") != "2.0":
        hint = (
            "one message per POST, not a batch"
            if isinstance(message, list)
            else 'a JSON-RPC 2.0 object ("jsonrpc": "2.0")'
        )
        return error(
            message.get("id") if isinstance(message, dict) else None, INVALID_REQUEST, f"invalid request: {hint}", 400
        )
    message_id = message.get("id")
    is_request = "method" in message and message_id is not None  # MCP ids are never null
    try:
        caller = api.authenticate(request.headers.get("authorization"))
    except ApiError as exc:
        return error(message_id, UNAUTHORIZED, exc.message, 401, {"WWW-Authenticate": 'Bearer realm="chronicle"'})
    version = request.headers.get(VERSION_HEADER)
    if version is not None and version not in PROTOCOL_VERSIONS:
        return error(
            message_id,
            INVALID_REQUEST,
            f"unsupported MCP-Protocol-Version {version!r}; this server speaks {list(PROTOCOL_VERSIONS)}",
            400,
        )
    if not is_request:
        if "method" not in message and "result" not in message and "error" not in message:
            return error(message_id, INVALID_REQUEST, "invalid request: no method", 400)
        return Response(status_code=202, headers=_request_id())  # a notification or a response: nothing to answer
    method = message["method"]
    params = message.get("params")
    if params is None:
        params = {}
    if not isinstance(params, dict):
        return error(message_id, INVALID_PARAMS, "params must be an object")
    if method == "initialize":
        result: Any = _initialize(params)
    elif method == "ping":
        result = {}
    elif method == "tools/list":
        result = {"tools": [tool.listing() for tool in tools().values()]}
    elif method == "tools/call":
        name, arguments = params.get("name"), params.get("arguments")
        if arguments is None:
            arguments = {}
        tool = find(name) if isinstance(name, str) else None
        if tool is None:
            return error(message_id, INVALID_PARAMS, f"unknown tool: {name!r}")
        if not isinstance(arguments, dict):
            return error(message_id, INVALID_PARAMS, "arguments must be an object")
        result = _call(api, caller, tool.name, arguments)
    else:
        return error(message_id, METHOD_NOT_FOUND, f"method not found: {method!r}")
    headers = {"MCP-Protocol-Version": version} if version else None
    return _json({"jsonrpc": "2.0", "id": message_id, "result": result}, headers=headers)


def _initialize(params: dict[str, Any]) -> dict[str, Any]:
    asked = params.get("protocolVersion")
    version = asked if asked in PROTOCOL_VERSIONS else PROTOCOL_VERSIONS[0]
    return {
        "protocolVersion": version,
        "capabilities": {"tools": {"listChanged": False}},
        "serverInfo": {"name": "chronicle-local", "title": "Local Chronicle (methodic)", "version": _version()},
        "instructions": INSTRUCTIONS,
    }


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("methodic-sdk")
    except PackageNotFoundError:
        return "0"


def _call(api: Api, caller: Any, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """A tool's result: its JSON as text and as structuredContent; a failure as isError with the error's JSON."""
    request_id = f"req_{uuid.uuid4().hex[:20]}"
    tool = tools()[name]
    try:
        payload = tool.run(Session(api, caller), arguments)
        is_error = False
    except ApiError as exc:
        payload = {"error": exc.message, "code": exc.code, "status": exc.status, "request_id": request_id}
        if exc.details:
            payload["details"] = exc.details
        is_error = True
    except Exception as exc:
        logger.exception("unhandled error in MCP tool %s", name)
        payload = {
            "error": f"internal error: {type(exc).__name__}",
            "code": "internal_error",
            "status": 500,
            "request_id": request_id,
        }
        is_error = True
    structured = payload if isinstance(payload, dict) else {"result": payload}
    return {
        "content": [{"type": "text", "text": json.dumps(payload)}],
        "structuredContent": structured,
        "isError": is_error,
    }
