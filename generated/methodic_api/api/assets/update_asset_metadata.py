from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.asset import Asset
from ...models.asset_metadata_update import AssetMetadataUpdate
from ...models.error import Error
from ...types import Response


def _get_kwargs(
    asset_id: str,
    *,
    body: AssetMetadataUpdate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/assets/{asset_id}/metadata".format(
            asset_id=quote(str(asset_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Asset | Error | None:
    if response.status_code == 200:
        response_200 = Asset.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Asset | Error]:
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
    body: AssetMetadataUpdate,
) -> Response[Asset | Error]:
    """Replace a dataset's descriptive metadata document and/or its declared size (needs Write on the
    asset).

     The metadata document is the mutable annotation kept as `asset_config.metadata`; the content (uri,
    sha256, components) never changes. A dataset's document is validated (a non-empty `description`;
    `structural.precisions` among fp16, bf16, fp32 and fp64; counts non-negative integers; `properties`
    string to string, keys lower-cased, no `=`) and its catalog columns (n_dims, precisions, pde_family,
    geometry, license, data_format, num_samples, size_bytes) are recomputed. 403 outside the caller's
    scopes or on another user's personal asset; 404 for an unknown asset.

    Args:
        asset_id (str):
        body (AssetMetadataUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Asset | Error]
    """

    kwargs = _get_kwargs(
        asset_id=asset_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    asset_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: AssetMetadataUpdate,
) -> Asset | Error | None:
    """Replace a dataset's descriptive metadata document and/or its declared size (needs Write on the
    asset).

     The metadata document is the mutable annotation kept as `asset_config.metadata`; the content (uri,
    sha256, components) never changes. A dataset's document is validated (a non-empty `description`;
    `structural.precisions` among fp16, bf16, fp32 and fp64; counts non-negative integers; `properties`
    string to string, keys lower-cased, no `=`) and its catalog columns (n_dims, precisions, pde_family,
    geometry, license, data_format, num_samples, size_bytes) are recomputed. 403 outside the caller's
    scopes or on another user's personal asset; 404 for an unknown asset.

    Args:
        asset_id (str):
        body (AssetMetadataUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Asset | Error
    """

    return sync_detailed(
        asset_id=asset_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    asset_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: AssetMetadataUpdate,
) -> Response[Asset | Error]:
    """Replace a dataset's descriptive metadata document and/or its declared size (needs Write on the
    asset).

     The metadata document is the mutable annotation kept as `asset_config.metadata`; the content (uri,
    sha256, components) never changes. A dataset's document is validated (a non-empty `description`;
    `structural.precisions` among fp16, bf16, fp32 and fp64; counts non-negative integers; `properties`
    string to string, keys lower-cased, no `=`) and its catalog columns (n_dims, precisions, pde_family,
    geometry, license, data_format, num_samples, size_bytes) are recomputed. 403 outside the caller's
    scopes or on another user's personal asset; 404 for an unknown asset.

    Args:
        asset_id (str):
        body (AssetMetadataUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Asset | Error]
    """

    kwargs = _get_kwargs(
        asset_id=asset_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    asset_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: AssetMetadataUpdate,
) -> Asset | Error | None:
    """Replace a dataset's descriptive metadata document and/or its declared size (needs Write on the
    asset).

     The metadata document is the mutable annotation kept as `asset_config.metadata`; the content (uri,
    sha256, components) never changes. A dataset's document is validated (a non-empty `description`;
    `structural.precisions` among fp16, bf16, fp32 and fp64; counts non-negative integers; `properties`
    string to string, keys lower-cased, no `=`) and its catalog columns (n_dims, precisions, pde_family,
    geometry, license, data_format, num_samples, size_bytes) are recomputed. 403 outside the caller's
    scopes or on another user's personal asset; 404 for an unknown asset.

    Args:
        asset_id (str):
        body (AssetMetadataUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Asset | Error
    """

    return (
        await asyncio_detailed(
            asset_id=asset_id,
            client=client,
            body=body,
        )
    ).parsed
