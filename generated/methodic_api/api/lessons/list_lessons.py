from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.scope_lessons import ScopeLessons
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    scope: str | Unset = UNSET,
    status: str | Unset = UNSET,
    category: str | Unset = UNSET,
    origin: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["scope"] = scope

    params["status"] = status

    params["category"] = category

    params["origin"] = origin

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/lessons",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | ScopeLessons | None:
    if response.status_code == 200:
        response_200 = ScopeLessons.from_dict(response.json())

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

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | ScopeLessons]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    scope: str | Unset = UNSET,
    status: str | Unset = UNSET,
    category: str | Unset = UNSET,
    origin: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Response[Error | ScopeLessons]:
    """Every lesson of every experiment in a scope the caller can read (all readable scopes when none is
    named).

    Args:
        scope (str | Unset):
        status (str | Unset):
        category (str | Unset):
        origin (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ScopeLessons]
    """

    kwargs = _get_kwargs(
        scope=scope,
        status=status,
        category=category,
        origin=origin,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    scope: str | Unset = UNSET,
    status: str | Unset = UNSET,
    category: str | Unset = UNSET,
    origin: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Error | ScopeLessons | None:
    """Every lesson of every experiment in a scope the caller can read (all readable scopes when none is
    named).

    Args:
        scope (str | Unset):
        status (str | Unset):
        category (str | Unset):
        origin (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ScopeLessons
    """

    return sync_detailed(
        client=client,
        scope=scope,
        status=status,
        category=category,
        origin=origin,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    scope: str | Unset = UNSET,
    status: str | Unset = UNSET,
    category: str | Unset = UNSET,
    origin: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Response[Error | ScopeLessons]:
    """Every lesson of every experiment in a scope the caller can read (all readable scopes when none is
    named).

    Args:
        scope (str | Unset):
        status (str | Unset):
        category (str | Unset):
        origin (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ScopeLessons]
    """

    kwargs = _get_kwargs(
        scope=scope,
        status=status,
        category=category,
        origin=origin,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    scope: str | Unset = UNSET,
    status: str | Unset = UNSET,
    category: str | Unset = UNSET,
    origin: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Error | ScopeLessons | None:
    """Every lesson of every experiment in a scope the caller can read (all readable scopes when none is
    named).

    Args:
        scope (str | Unset):
        status (str | Unset):
        category (str | Unset):
        origin (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ScopeLessons
    """

    return (
        await asyncio_detailed(
            client=client,
            scope=scope,
            status=status,
            category=category,
            origin=origin,
            limit=limit,
        )
    ).parsed
