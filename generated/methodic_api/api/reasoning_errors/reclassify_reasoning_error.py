from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.reasoning_error import ReasoningError
from ...models.reasoning_error_reclassify import ReasoningErrorReclassify
from ...types import Response


def _get_kwargs(
    report_id: str,
    *,
    body: ReasoningErrorReclassify,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/reasoning-errors/{report_id}/reclassify".format(
            report_id=quote(str(report_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | ReasoningError | None:
    if response.status_code == 200:
        response_200 = ReasoningError.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Error.from_dict(response.json())

        return response_409

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | ReasoningError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    report_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ReasoningErrorReclassify,
) -> Response[Error | ReasoningError]:
    """Move a report between reasoning and operational; same id, catalog mappings cleared, back to
    reported.

     Only the reporter (or a superadmin) may reclassify (403). `reason` is required. Asking for the kind
    the report already has is 409 `already_that_kind`.

    Args:
        report_id (str):
        body (ReasoningErrorReclassify):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ReasoningError]
    """

    kwargs = _get_kwargs(
        report_id=report_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    report_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ReasoningErrorReclassify,
) -> Error | ReasoningError | None:
    """Move a report between reasoning and operational; same id, catalog mappings cleared, back to
    reported.

     Only the reporter (or a superadmin) may reclassify (403). `reason` is required. Asking for the kind
    the report already has is 409 `already_that_kind`.

    Args:
        report_id (str):
        body (ReasoningErrorReclassify):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ReasoningError
    """

    return sync_detailed(
        report_id=report_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    report_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ReasoningErrorReclassify,
) -> Response[Error | ReasoningError]:
    """Move a report between reasoning and operational; same id, catalog mappings cleared, back to
    reported.

     Only the reporter (or a superadmin) may reclassify (403). `reason` is required. Asking for the kind
    the report already has is 409 `already_that_kind`.

    Args:
        report_id (str):
        body (ReasoningErrorReclassify):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ReasoningError]
    """

    kwargs = _get_kwargs(
        report_id=report_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    report_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ReasoningErrorReclassify,
) -> Error | ReasoningError | None:
    """Move a report between reasoning and operational; same id, catalog mappings cleared, back to
    reported.

     Only the reporter (or a superadmin) may reclassify (403). `reason` is required. Asking for the kind
    the report already has is 409 `already_that_kind`.

    Args:
        report_id (str):
        body (ReasoningErrorReclassify):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ReasoningError
    """

    return (
        await asyncio_detailed(
            report_id=report_id,
            client=client,
            body=body,
        )
    ).parsed
