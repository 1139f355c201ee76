from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.publication_finalize import PublicationFinalize
from ...models.publication_finalized import PublicationFinalized
from ...types import Response


def _get_kwargs(
    publication_id: str,
    *,
    body: PublicationFinalize,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/publications/{publication_id}/finalize".format(
            publication_id=quote(str(publication_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | PublicationFinalized | None:
    if response.status_code == 200:
        response_200 = PublicationFinalized.from_dict(response.json())

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

    if response.status_code == 501:
        response_501 = Error.from_dict(response.json())

        return response_501

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | PublicationFinalized]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    publication_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: PublicationFinalize,
) -> Response[Error | PublicationFinalized]:
    """Promote a draft publication in place (same id, so citations stay) to a registered public record.

    Args:
        publication_id (str):
        body (PublicationFinalize):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PublicationFinalized]
    """

    kwargs = _get_kwargs(
        publication_id=publication_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    publication_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: PublicationFinalize,
) -> Error | PublicationFinalized | None:
    """Promote a draft publication in place (same id, so citations stay) to a registered public record.

    Args:
        publication_id (str):
        body (PublicationFinalize):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PublicationFinalized
    """

    return sync_detailed(
        publication_id=publication_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    publication_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: PublicationFinalize,
) -> Response[Error | PublicationFinalized]:
    """Promote a draft publication in place (same id, so citations stay) to a registered public record.

    Args:
        publication_id (str):
        body (PublicationFinalize):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PublicationFinalized]
    """

    kwargs = _get_kwargs(
        publication_id=publication_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    publication_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: PublicationFinalize,
) -> Error | PublicationFinalized | None:
    """Promote a draft publication in place (same id, so citations stay) to a registered public record.

    Args:
        publication_id (str):
        body (PublicationFinalize):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PublicationFinalized
    """

    return (
        await asyncio_detailed(
            publication_id=publication_id,
            client=client,
            body=body,
        )
    ).parsed
