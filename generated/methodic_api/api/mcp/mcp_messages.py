from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...types import Response


def _get_kwargs(
    *,
    body: Any,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/mcp/messages",
    }

    _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | None:
    if response.status_code == 200:
        return None

    if response.status_code == 202:
        return None

    if response.status_code == 400:
        return None

    if response.status_code == 401:
        return None

    if response.status_code == 413:
        return None

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: Any,
) -> Response[Any]:
    """The MCP endpoint (Streamable HTTP, stateless JSON replies) for agents; one JSON-RPC 2.0 message per
    POST.

     `initialize`, `ping`, `tools/list` and `tools/call` are answered with a JSON-RPC response
    (application/json); a notification or a response is accepted with 202 and no body. No session id,
    Accept or protocol-version header is required; an `MCP-Protocol-Version` header, when sent, must
    name a supported version (2025-06-18, 2025-03-26, 2024-11-05). Every request id gets a JSON-RPC
    envelope whatever the HTTP status: a missing or unknown key is 401 with `WWW-Authenticate: Bearer`
    and a JSON-RPC error. The tools run the REST operations of this contract with the caller's key, so
    the same validation, scope and restriction rules apply; a tool's failure is a result with `isError`
    and the JSON `{error, code, status, request_id}`. GET and DELETE are 405 (no server-sent stream).

    Args:
        body (Any): One JSON-RPC 2.0 message, checked by the MCP endpoint itself (its errors are
            JSON-RPC errors, not this contract's Error body), so any JSON is accepted here.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: Any,
) -> Response[Any]:
    """The MCP endpoint (Streamable HTTP, stateless JSON replies) for agents; one JSON-RPC 2.0 message per
    POST.

     `initialize`, `ping`, `tools/list` and `tools/call` are answered with a JSON-RPC response
    (application/json); a notification or a response is accepted with 202 and no body. No session id,
    Accept or protocol-version header is required; an `MCP-Protocol-Version` header, when sent, must
    name a supported version (2025-06-18, 2025-03-26, 2024-11-05). Every request id gets a JSON-RPC
    envelope whatever the HTTP status: a missing or unknown key is 401 with `WWW-Authenticate: Bearer`
    and a JSON-RPC error. The tools run the REST operations of this contract with the caller's key, so
    the same validation, scope and restriction rules apply; a tool's failure is a result with `isError`
    and the JSON `{error, code, status, request_id}`. GET and DELETE are 405 (no server-sent stream).

    Args:
        body (Any): One JSON-RPC 2.0 message, checked by the MCP endpoint itself (its errors are
            JSON-RPC errors, not this contract's Error body), so any JSON is accepted here.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)
