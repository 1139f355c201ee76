"""``POST /v1/mcp/messages``: the MCP endpoint, an operation that answers in JSON-RPC (methodic_server.mcp)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from methodic_server.errors import ApiError
from methodic_server.routes.base import Operation

if TYPE_CHECKING:
    from methodic_server.api import Api

PATH = "/v1/mcp/messages"


def operation(api: Api) -> Operation:
    """The MCP operation: it authenticates itself, so a refused key still gets a JSON-RPC envelope."""
    from methodic_server.mcp import protocol

    def endpoint(request: Request, raw_body: bytes | None) -> Response:
        if request.method != "POST":
            return protocol.not_allowed(request.method)
        if raw_body is None:
            return protocol.too_large(api.options.max_body_bytes)
        return protocol.handle(api, request, raw_body)

    def not_a_rest_handler(ctx: Any) -> Any:
        raise ApiError(500, "internal_error", "the MCP operation answers through its endpoint")

    return Operation("mcp_messages", "POST", PATH, not_a_rest_handler, takes_body=True, public=True, endpoint=endpoint)
