from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.operational_check_catalog import OperationalCheckCatalog
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    q: str | Unset = UNSET,
    experiment_id: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["q"] = q

    params["experiment_id"] = experiment_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/operational-checks",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | OperationalCheckCatalog | None:
    if response.status_code == 200:
        response_200 = OperationalCheckCatalog.from_dict(response.json())

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
) -> Response[Error | OperationalCheckCatalog]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    q: str | Unset = UNSET,
    experiment_id: str | Unset = UNSET,
) -> Response[Error | OperationalCheckCatalog]:
    """Active operational checks visible to the caller across experiment, team, organization and platform;
    the nearest scope wins a slug.

    Args:
        q (str | Unset):
        experiment_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | OperationalCheckCatalog]
    """

    kwargs = _get_kwargs(
        q=q,
        experiment_id=experiment_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    q: str | Unset = UNSET,
    experiment_id: str | Unset = UNSET,
) -> Error | OperationalCheckCatalog | None:
    """Active operational checks visible to the caller across experiment, team, organization and platform;
    the nearest scope wins a slug.

    Args:
        q (str | Unset):
        experiment_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | OperationalCheckCatalog
    """

    return sync_detailed(
        client=client,
        q=q,
        experiment_id=experiment_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    q: str | Unset = UNSET,
    experiment_id: str | Unset = UNSET,
) -> Response[Error | OperationalCheckCatalog]:
    """Active operational checks visible to the caller across experiment, team, organization and platform;
    the nearest scope wins a slug.

    Args:
        q (str | Unset):
        experiment_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | OperationalCheckCatalog]
    """

    kwargs = _get_kwargs(
        q=q,
        experiment_id=experiment_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    q: str | Unset = UNSET,
    experiment_id: str | Unset = UNSET,
) -> Error | OperationalCheckCatalog | None:
    """Active operational checks visible to the caller across experiment, team, organization and platform;
    the nearest scope wins a slug.

    Args:
        q (str | Unset):
        experiment_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | OperationalCheckCatalog
    """

    return (
        await asyncio_detailed(
            client=client,
            q=q,
            experiment_id=experiment_id,
        )
    ).parsed
