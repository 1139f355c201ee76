from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.collection import Collection
from ...models.error import Error
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    scope_id: str | Unset = UNSET,
    q: str | Unset = UNSET,
    include_archived: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["scope_id"] = scope_id

    params["q"] = q

    params["include_archived"] = include_archived

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/collections",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | list[Collection] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for componentsschemas_collection_list_item_data in _response_200:
            componentsschemas_collection_list_item = Collection.from_dict(componentsschemas_collection_list_item_data)

            response_200.append(componentsschemas_collection_list_item)

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

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | list[Collection]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    scope_id: str | Unset = UNSET,
    q: str | Unset = UNSET,
    include_archived: str | Unset = UNSET,
) -> Response[Error | list[Collection]]:
    """A scope's collections, newest first; q is a case-insensitive substring of the name (a bare array).

    Args:
        scope_id (str | Unset):
        q (str | Unset):
        include_archived (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[Collection]]
    """

    kwargs = _get_kwargs(
        scope_id=scope_id,
        q=q,
        include_archived=include_archived,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    scope_id: str | Unset = UNSET,
    q: str | Unset = UNSET,
    include_archived: str | Unset = UNSET,
) -> Error | list[Collection] | None:
    """A scope's collections, newest first; q is a case-insensitive substring of the name (a bare array).

    Args:
        scope_id (str | Unset):
        q (str | Unset):
        include_archived (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[Collection]
    """

    return sync_detailed(
        client=client,
        scope_id=scope_id,
        q=q,
        include_archived=include_archived,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    scope_id: str | Unset = UNSET,
    q: str | Unset = UNSET,
    include_archived: str | Unset = UNSET,
) -> Response[Error | list[Collection]]:
    """A scope's collections, newest first; q is a case-insensitive substring of the name (a bare array).

    Args:
        scope_id (str | Unset):
        q (str | Unset):
        include_archived (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[Collection]]
    """

    kwargs = _get_kwargs(
        scope_id=scope_id,
        q=q,
        include_archived=include_archived,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    scope_id: str | Unset = UNSET,
    q: str | Unset = UNSET,
    include_archived: str | Unset = UNSET,
) -> Error | list[Collection] | None:
    """A scope's collections, newest first; q is a case-insensitive substring of the name (a bare array).

    Args:
        scope_id (str | Unset):
        q (str | Unset):
        include_archived (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[Collection]
    """

    return (
        await asyncio_detailed(
            client=client,
            scope_id=scope_id,
            q=q,
            include_archived=include_archived,
        )
    ).parsed
