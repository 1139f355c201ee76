from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.asset import Asset
from ...models.error import Error
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    asset_type: str | Unset = UNSET,
    experiment_id: str | Unset = UNSET,
    variation: int | Unset = UNSET,
    run: int | Unset = UNSET,
    state: str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: str | Unset = UNSET,
    n_dims: int | Unset = UNSET,
    min_dims: int | Unset = UNSET,
    max_dims: int | Unset = UNSET,
    precision: str | Unset = UNSET,
    pde_family: str | Unset = UNSET,
    geometry: str | Unset = UNSET,
    license_: str | Unset = UNSET,
    data_format: str | Unset = UNSET,
    min_size: int | Unset = UNSET,
    max_size: int | Unset = UNSET,
    order_by: str | Unset = UNSET,
    owner: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["asset_type"] = asset_type

    params["experiment_id"] = experiment_id

    params["variation"] = variation

    params["run"] = run

    params["state"] = state

    params["limit"] = limit

    params["cursor"] = cursor

    params["n_dims"] = n_dims

    params["min_dims"] = min_dims

    params["max_dims"] = max_dims

    params["precision"] = precision

    params["pde_family"] = pde_family

    params["geometry"] = geometry

    params["license"] = license_

    params["data_format"] = data_format

    params["min_size"] = min_size

    params["max_size"] = max_size

    params["order_by"] = order_by

    params["owner"] = owner

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/assets",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | list[Asset] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for componentsschemas_asset_list_item_data in _response_200:
            componentsschemas_asset_list_item = Asset.from_dict(componentsschemas_asset_list_item_data)

            response_200.append(componentsschemas_asset_list_item)

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | list[Asset]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    asset_type: str | Unset = UNSET,
    experiment_id: str | Unset = UNSET,
    variation: int | Unset = UNSET,
    run: int | Unset = UNSET,
    state: str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: str | Unset = UNSET,
    n_dims: int | Unset = UNSET,
    min_dims: int | Unset = UNSET,
    max_dims: int | Unset = UNSET,
    precision: str | Unset = UNSET,
    pde_family: str | Unset = UNSET,
    geometry: str | Unset = UNSET,
    license_: str | Unset = UNSET,
    data_format: str | Unset = UNSET,
    min_size: int | Unset = UNSET,
    max_size: int | Unset = UNSET,
    order_by: str | Unset = UNSET,
    owner: str | Unset = UNSET,
) -> Response[Error | list[Asset]]:
    """Assets the caller can read, newest first (a bare array); `X-Has-More` and `X-Next-Cursor` page it.

    Args:
        asset_type (str | Unset):
        experiment_id (str | Unset):
        variation (int | Unset):
        run (int | Unset):
        state (str | Unset):
        limit (int | Unset):  Default: 100.
        cursor (str | Unset):
        n_dims (int | Unset):
        min_dims (int | Unset):
        max_dims (int | Unset):
        precision (str | Unset):
        pde_family (str | Unset):
        geometry (str | Unset):
        license_ (str | Unset):
        data_format (str | Unset):
        min_size (int | Unset):
        max_size (int | Unset):
        order_by (str | Unset):
        owner (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[Asset]]
    """

    kwargs = _get_kwargs(
        asset_type=asset_type,
        experiment_id=experiment_id,
        variation=variation,
        run=run,
        state=state,
        limit=limit,
        cursor=cursor,
        n_dims=n_dims,
        min_dims=min_dims,
        max_dims=max_dims,
        precision=precision,
        pde_family=pde_family,
        geometry=geometry,
        license_=license_,
        data_format=data_format,
        min_size=min_size,
        max_size=max_size,
        order_by=order_by,
        owner=owner,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    asset_type: str | Unset = UNSET,
    experiment_id: str | Unset = UNSET,
    variation: int | Unset = UNSET,
    run: int | Unset = UNSET,
    state: str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: str | Unset = UNSET,
    n_dims: int | Unset = UNSET,
    min_dims: int | Unset = UNSET,
    max_dims: int | Unset = UNSET,
    precision: str | Unset = UNSET,
    pde_family: str | Unset = UNSET,
    geometry: str | Unset = UNSET,
    license_: str | Unset = UNSET,
    data_format: str | Unset = UNSET,
    min_size: int | Unset = UNSET,
    max_size: int | Unset = UNSET,
    order_by: str | Unset = UNSET,
    owner: str | Unset = UNSET,
) -> Error | list[Asset] | None:
    """Assets the caller can read, newest first (a bare array); `X-Has-More` and `X-Next-Cursor` page it.

    Args:
        asset_type (str | Unset):
        experiment_id (str | Unset):
        variation (int | Unset):
        run (int | Unset):
        state (str | Unset):
        limit (int | Unset):  Default: 100.
        cursor (str | Unset):
        n_dims (int | Unset):
        min_dims (int | Unset):
        max_dims (int | Unset):
        precision (str | Unset):
        pde_family (str | Unset):
        geometry (str | Unset):
        license_ (str | Unset):
        data_format (str | Unset):
        min_size (int | Unset):
        max_size (int | Unset):
        order_by (str | Unset):
        owner (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[Asset]
    """

    return sync_detailed(
        client=client,
        asset_type=asset_type,
        experiment_id=experiment_id,
        variation=variation,
        run=run,
        state=state,
        limit=limit,
        cursor=cursor,
        n_dims=n_dims,
        min_dims=min_dims,
        max_dims=max_dims,
        precision=precision,
        pde_family=pde_family,
        geometry=geometry,
        license_=license_,
        data_format=data_format,
        min_size=min_size,
        max_size=max_size,
        order_by=order_by,
        owner=owner,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    asset_type: str | Unset = UNSET,
    experiment_id: str | Unset = UNSET,
    variation: int | Unset = UNSET,
    run: int | Unset = UNSET,
    state: str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: str | Unset = UNSET,
    n_dims: int | Unset = UNSET,
    min_dims: int | Unset = UNSET,
    max_dims: int | Unset = UNSET,
    precision: str | Unset = UNSET,
    pde_family: str | Unset = UNSET,
    geometry: str | Unset = UNSET,
    license_: str | Unset = UNSET,
    data_format: str | Unset = UNSET,
    min_size: int | Unset = UNSET,
    max_size: int | Unset = UNSET,
    order_by: str | Unset = UNSET,
    owner: str | Unset = UNSET,
) -> Response[Error | list[Asset]]:
    """Assets the caller can read, newest first (a bare array); `X-Has-More` and `X-Next-Cursor` page it.

    Args:
        asset_type (str | Unset):
        experiment_id (str | Unset):
        variation (int | Unset):
        run (int | Unset):
        state (str | Unset):
        limit (int | Unset):  Default: 100.
        cursor (str | Unset):
        n_dims (int | Unset):
        min_dims (int | Unset):
        max_dims (int | Unset):
        precision (str | Unset):
        pde_family (str | Unset):
        geometry (str | Unset):
        license_ (str | Unset):
        data_format (str | Unset):
        min_size (int | Unset):
        max_size (int | Unset):
        order_by (str | Unset):
        owner (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[Asset]]
    """

    kwargs = _get_kwargs(
        asset_type=asset_type,
        experiment_id=experiment_id,
        variation=variation,
        run=run,
        state=state,
        limit=limit,
        cursor=cursor,
        n_dims=n_dims,
        min_dims=min_dims,
        max_dims=max_dims,
        precision=precision,
        pde_family=pde_family,
        geometry=geometry,
        license_=license_,
        data_format=data_format,
        min_size=min_size,
        max_size=max_size,
        order_by=order_by,
        owner=owner,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    asset_type: str | Unset = UNSET,
    experiment_id: str | Unset = UNSET,
    variation: int | Unset = UNSET,
    run: int | Unset = UNSET,
    state: str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: str | Unset = UNSET,
    n_dims: int | Unset = UNSET,
    min_dims: int | Unset = UNSET,
    max_dims: int | Unset = UNSET,
    precision: str | Unset = UNSET,
    pde_family: str | Unset = UNSET,
    geometry: str | Unset = UNSET,
    license_: str | Unset = UNSET,
    data_format: str | Unset = UNSET,
    min_size: int | Unset = UNSET,
    max_size: int | Unset = UNSET,
    order_by: str | Unset = UNSET,
    owner: str | Unset = UNSET,
) -> Error | list[Asset] | None:
    """Assets the caller can read, newest first (a bare array); `X-Has-More` and `X-Next-Cursor` page it.

    Args:
        asset_type (str | Unset):
        experiment_id (str | Unset):
        variation (int | Unset):
        run (int | Unset):
        state (str | Unset):
        limit (int | Unset):  Default: 100.
        cursor (str | Unset):
        n_dims (int | Unset):
        min_dims (int | Unset):
        max_dims (int | Unset):
        precision (str | Unset):
        pde_family (str | Unset):
        geometry (str | Unset):
        license_ (str | Unset):
        data_format (str | Unset):
        min_size (int | Unset):
        max_size (int | Unset):
        order_by (str | Unset):
        owner (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[Asset]
    """

    return (
        await asyncio_detailed(
            client=client,
            asset_type=asset_type,
            experiment_id=experiment_id,
            variation=variation,
            run=run,
            state=state,
            limit=limit,
            cursor=cursor,
            n_dims=n_dims,
            min_dims=min_dims,
            max_dims=max_dims,
            precision=precision,
            pde_family=pde_family,
            geometry=geometry,
            license_=license_,
            data_format=data_format,
            min_size=min_size,
            max_size=max_size,
            order_by=order_by,
            owner=owner,
        )
    ).parsed
