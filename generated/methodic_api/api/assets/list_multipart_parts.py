from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.multipart_parts import MultipartParts
from ...types import UNSET, Response


def _get_kwargs(
    asset_id: str,
    *,
    component: str,
    upload_id: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["component"] = component

    params["upload_id"] = upload_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/assets/{asset_id}/multipart/parts".format(
            asset_id=quote(str(asset_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | MultipartParts | None:
    if response.status_code == 200:
        response_200 = MultipartParts.from_dict(response.json())

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
) -> Response[Error | MultipartParts]:
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
    component: str,
    upload_id: str,
) -> Response[Error | MultipartParts]:
    """Ours only: the parts storage holds for a multipart upload (S3's ListParts); 404 `no_such_upload` if
    it is gone.

    Args:
        asset_id (str):
        component (str):
        upload_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | MultipartParts]
    """

    kwargs = _get_kwargs(
        asset_id=asset_id,
        component=component,
        upload_id=upload_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    asset_id: str,
    *,
    client: AuthenticatedClient | Client,
    component: str,
    upload_id: str,
) -> Error | MultipartParts | None:
    """Ours only: the parts storage holds for a multipart upload (S3's ListParts); 404 `no_such_upload` if
    it is gone.

    Args:
        asset_id (str):
        component (str):
        upload_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | MultipartParts
    """

    return sync_detailed(
        asset_id=asset_id,
        client=client,
        component=component,
        upload_id=upload_id,
    ).parsed


async def asyncio_detailed(
    asset_id: str,
    *,
    client: AuthenticatedClient | Client,
    component: str,
    upload_id: str,
) -> Response[Error | MultipartParts]:
    """Ours only: the parts storage holds for a multipart upload (S3's ListParts); 404 `no_such_upload` if
    it is gone.

    Args:
        asset_id (str):
        component (str):
        upload_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | MultipartParts]
    """

    kwargs = _get_kwargs(
        asset_id=asset_id,
        component=component,
        upload_id=upload_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    asset_id: str,
    *,
    client: AuthenticatedClient | Client,
    component: str,
    upload_id: str,
) -> Error | MultipartParts | None:
    """Ours only: the parts storage holds for a multipart upload (S3's ListParts); 404 `no_such_upload` if
    it is gone.

    Args:
        asset_id (str):
        component (str):
        upload_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | MultipartParts
    """

    return (
        await asyncio_detailed(
            asset_id=asset_id,
            client=client,
            component=component,
            upload_id=upload_id,
        )
    ).parsed
