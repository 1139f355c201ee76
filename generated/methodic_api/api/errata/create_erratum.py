from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.erratum_create import ErratumCreate
from ...models.erratum_created import ErratumCreated
from ...models.error import Error
from ...types import Response


def _get_kwargs(
    *,
    body: ErratumCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/errata",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErratumCreated | Error | None:
    if response.status_code == 201:
        response_201 = ErratumCreated.from_dict(response.json())

        return response_201

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

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErratumCreated | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ErratumCreate,
) -> Response[ErratumCreated | Error]:
    """Attach a correction (an errata_report asset) to one experiment, variation or asset.

     authored takes markdown or latex (kept as the correction's source; compiled to PDF only where a
    compiler is configured, which the local server has not); imported answers an upload_url for the PDF,
    which the client PUTs and then finalizes.

    Args:
        body (ErratumCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErratumCreated | Error]
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
    body: ErratumCreate,
) -> ErratumCreated | Error | None:
    """Attach a correction (an errata_report asset) to one experiment, variation or asset.

     authored takes markdown or latex (kept as the correction's source; compiled to PDF only where a
    compiler is configured, which the local server has not); imported answers an upload_url for the PDF,
    which the client PUTs and then finalizes.

    Args:
        body (ErratumCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErratumCreated | Error
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ErratumCreate,
) -> Response[ErratumCreated | Error]:
    """Attach a correction (an errata_report asset) to one experiment, variation or asset.

     authored takes markdown or latex (kept as the correction's source; compiled to PDF only where a
    compiler is configured, which the local server has not); imported answers an upload_url for the PDF,
    which the client PUTs and then finalizes.

    Args:
        body (ErratumCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErratumCreated | Error]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ErratumCreate,
) -> ErratumCreated | Error | None:
    """Attach a correction (an errata_report asset) to one experiment, variation or asset.

     authored takes markdown or latex (kept as the correction's source; compiled to PDF only where a
    compiler is configured, which the local server has not); imported answers an upload_url for the PDF,
    which the client PUTs and then finalizes.

    Args:
        body (ErratumCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErratumCreated | Error
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
