from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.error_report import ErrorReport
from ...models.error_report_accepted import ErrorReportAccepted
from ...types import Response


def _get_kwargs(
    *,
    body: ErrorReport,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/errors",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | ErrorReportAccepted | None:
    if response.status_code == 202:
        response_202 = ErrorReportAccepted.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | ErrorReportAccepted]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ErrorReport,
) -> Response[Error | ErrorReportAccepted]:
    """Report a reproducible error; fingerprinted by the server and deduplicated (202, fire and forget).

     The server sanitizes the request path (UUID and integer segments become placeholders) and computes
    its own fingerprint from the error type, the message and the normalized top five stack frames; the
    client's fingerprint is advisory. A report with a known fingerprint counts as one more occurrence of
    it.

    Args:
        body (ErrorReport):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ErrorReportAccepted]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: ErrorReport,
) -> Error | ErrorReportAccepted | None:
    """Report a reproducible error; fingerprinted by the server and deduplicated (202, fire and forget).

     The server sanitizes the request path (UUID and integer segments become placeholders) and computes
    its own fingerprint from the error type, the message and the normalized top five stack frames; the
    client's fingerprint is advisory. A report with a known fingerprint counts as one more occurrence of
    it.

    Args:
        body (ErrorReport):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ErrorReportAccepted
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ErrorReport,
) -> Response[Error | ErrorReportAccepted]:
    """Report a reproducible error; fingerprinted by the server and deduplicated (202, fire and forget).

     The server sanitizes the request path (UUID and integer segments become placeholders) and computes
    its own fingerprint from the error type, the message and the normalized top five stack frames; the
    client's fingerprint is advisory. A report with a known fingerprint counts as one more occurrence of
    it.

    Args:
        body (ErrorReport):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ErrorReportAccepted]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ErrorReport,
) -> Error | ErrorReportAccepted | None:
    """Report a reproducible error; fingerprinted by the server and deduplicated (202, fire and forget).

     The server sanitizes the request path (UUID and integer segments become placeholders) and computes
    its own fingerprint from the error type, the message and the normalized top five stack frames; the
    client's fingerprint is advisory. A report with a known fingerprint counts as one more occurrence of
    it.

    Args:
        body (ErrorReport):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ErrorReportAccepted
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
