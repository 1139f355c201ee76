from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.access_revoked import AccessRevoked
from ...models.error import Error
from ...types import UNSET, Response


def _get_kwargs(
    asset_id: str,
    *,
    principal: str,
    action: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["principal"] = principal

    params["action"] = action

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v1/objects/asset/{asset_id}/acl".format(
            asset_id=quote(str(asset_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AccessRevoked | Error | None:
    if response.status_code == 200:
        response_200 = AccessRevoked.from_dict(response.json())

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
) -> Response[AccessRevoked | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    asset_id: str,
    *,
    client: AuthenticatedClient | Client,
    principal: str,
    action: str,
) -> Response[AccessRevoked | Error]:
    """Revoke one grant; removed is false when there was none.

    Args:
        asset_id (str):
        principal (str):
        action (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccessRevoked | Error]
    """

    kwargs = _get_kwargs(
        asset_id=asset_id,
        principal=principal,
        action=action,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    asset_id: str,
    *,
    client: AuthenticatedClient | Client,
    principal: str,
    action: str,
) -> AccessRevoked | Error | None:
    """Revoke one grant; removed is false when there was none.

    Args:
        asset_id (str):
        principal (str):
        action (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccessRevoked | Error
    """

    return sync_detailed(
        asset_id=asset_id,
        client=client,
        principal=principal,
        action=action,
    ).parsed


async def asyncio_detailed(
    asset_id: str,
    *,
    client: AuthenticatedClient | Client,
    principal: str,
    action: str,
) -> Response[AccessRevoked | Error]:
    """Revoke one grant; removed is false when there was none.

    Args:
        asset_id (str):
        principal (str):
        action (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccessRevoked | Error]
    """

    kwargs = _get_kwargs(
        asset_id=asset_id,
        principal=principal,
        action=action,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    asset_id: str,
    *,
    client: AuthenticatedClient | Client,
    principal: str,
    action: str,
) -> AccessRevoked | Error | None:
    """Revoke one grant; removed is false when there was none.

    Args:
        asset_id (str):
        principal (str):
        action (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccessRevoked | Error
    """

    return (
        await asyncio_detailed(
            asset_id=asset_id,
            client=client,
            principal=principal,
            action=action,
        )
    ).parsed
