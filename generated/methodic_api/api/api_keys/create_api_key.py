from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.api_key import ApiKey
from ...models.api_key_create import ApiKeyCreate
from ...models.error import Error
from ...types import Response


def _get_kwargs(
    *,
    body: ApiKeyCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/api-keys",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ApiKey | Error | None:
    if response.status_code == 201:
        response_201 = ApiKey.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ApiKey | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ApiKeyCreate,
) -> Response[ApiKey | Error]:
    """Mint an API key of the caller's; the answer holds the secret (key), shown this once.

     A restriction narrows the key below its owner's authority, never above: a map from privilege verb
    (create, write, discuss, delete, trigger, stop, administer, read, audit) to the objects
    ({object_type: organization|experiment, object_id}) that verb is limited to; an empty list denies
    the verb. A restricted caller may mint only keys within its own restriction.

    Args:
        body (ApiKeyCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiKey | Error]
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
    body: ApiKeyCreate,
) -> ApiKey | Error | None:
    """Mint an API key of the caller's; the answer holds the secret (key), shown this once.

     A restriction narrows the key below its owner's authority, never above: a map from privilege verb
    (create, write, discuss, delete, trigger, stop, administer, read, audit) to the objects
    ({object_type: organization|experiment, object_id}) that verb is limited to; an empty list denies
    the verb. A restricted caller may mint only keys within its own restriction.

    Args:
        body (ApiKeyCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiKey | Error
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ApiKeyCreate,
) -> Response[ApiKey | Error]:
    """Mint an API key of the caller's; the answer holds the secret (key), shown this once.

     A restriction narrows the key below its owner's authority, never above: a map from privilege verb
    (create, write, discuss, delete, trigger, stop, administer, read, audit) to the objects
    ({object_type: organization|experiment, object_id}) that verb is limited to; an empty list denies
    the verb. A restricted caller may mint only keys within its own restriction.

    Args:
        body (ApiKeyCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiKey | Error]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ApiKeyCreate,
) -> ApiKey | Error | None:
    """Mint an API key of the caller's; the answer holds the secret (key), shown this once.

     A restriction narrows the key below its owner's authority, never above: a map from privilege verb
    (create, write, discuss, delete, trigger, stop, administer, read, audit) to the objects
    ({object_type: organization|experiment, object_id}) that verb is limited to; an empty list denies
    the verb. A restricted caller may mint only keys within its own restriction.

    Args:
        body (ApiKeyCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiKey | Error
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
