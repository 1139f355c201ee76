from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.lineage import Lineage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    experiment_id: str,
    *,
    direction: str | Unset = UNSET,
    depth: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["direction"] = direction

    params["depth"] = depth

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/experiments/{experiment_id}/lineage".format(
            experiment_id=quote(str(experiment_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | Lineage | None:
    if response.status_code == 200:
        response_200 = Lineage.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | Lineage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    experiment_id: str,
    *,
    client: AuthenticatedClient | Client,
    direction: str | Unset = UNSET,
    depth: int | Unset = UNSET,
) -> Response[Error | Lineage]:
    """Ancestors and descendants through explicit parent links, each a full experiment.

    Args:
        experiment_id (str):
        direction (str | Unset):
        depth (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Lineage]
    """

    kwargs = _get_kwargs(
        experiment_id=experiment_id,
        direction=direction,
        depth=depth,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    experiment_id: str,
    *,
    client: AuthenticatedClient | Client,
    direction: str | Unset = UNSET,
    depth: int | Unset = UNSET,
) -> Error | Lineage | None:
    """Ancestors and descendants through explicit parent links, each a full experiment.

    Args:
        experiment_id (str):
        direction (str | Unset):
        depth (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Lineage
    """

    return sync_detailed(
        experiment_id=experiment_id,
        client=client,
        direction=direction,
        depth=depth,
    ).parsed


async def asyncio_detailed(
    experiment_id: str,
    *,
    client: AuthenticatedClient | Client,
    direction: str | Unset = UNSET,
    depth: int | Unset = UNSET,
) -> Response[Error | Lineage]:
    """Ancestors and descendants through explicit parent links, each a full experiment.

    Args:
        experiment_id (str):
        direction (str | Unset):
        depth (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Lineage]
    """

    kwargs = _get_kwargs(
        experiment_id=experiment_id,
        direction=direction,
        depth=depth,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    experiment_id: str,
    *,
    client: AuthenticatedClient | Client,
    direction: str | Unset = UNSET,
    depth: int | Unset = UNSET,
) -> Error | Lineage | None:
    """Ancestors and descendants through explicit parent links, each a full experiment.

    Args:
        experiment_id (str):
        direction (str | Unset):
        depth (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Lineage
    """

    return (
        await asyncio_detailed(
            experiment_id=experiment_id,
            client=client,
            direction=direction,
            depth=depth,
        )
    ).parsed
