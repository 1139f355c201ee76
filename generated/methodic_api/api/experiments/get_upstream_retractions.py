from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.upstream_retractions import UpstreamRetractions
from ...types import UNSET, Response, Unset


def _get_kwargs(
    experiment_id: str,
    *,
    depth: int | Unset = UNSET,
    since: str | Unset = UNSET,
    full_chain: bool | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["depth"] = depth

    params["since"] = since

    params["full_chain"] = full_chain

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/experiments/{experiment_id}/upstream-retractions".format(
            experiment_id=quote(str(experiment_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | UpstreamRetractions | None:
    if response.status_code == 200:
        response_200 = UpstreamRetractions.from_dict(response.json())

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
) -> Response[Error | UpstreamRetractions]:
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
    depth: int | Unset = UNSET,
    since: str | Unset = UNSET,
    full_chain: bool | Unset = UNSET,
) -> Response[Error | UpstreamRetractions]:
    """Retracted ancestors (and retracted variations of ancestors), nearest first.

    Args:
        experiment_id (str):
        depth (int | Unset):
        since (str | Unset):
        full_chain (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | UpstreamRetractions]
    """

    kwargs = _get_kwargs(
        experiment_id=experiment_id,
        depth=depth,
        since=since,
        full_chain=full_chain,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    experiment_id: str,
    *,
    client: AuthenticatedClient | Client,
    depth: int | Unset = UNSET,
    since: str | Unset = UNSET,
    full_chain: bool | Unset = UNSET,
) -> Error | UpstreamRetractions | None:
    """Retracted ancestors (and retracted variations of ancestors), nearest first.

    Args:
        experiment_id (str):
        depth (int | Unset):
        since (str | Unset):
        full_chain (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | UpstreamRetractions
    """

    return sync_detailed(
        experiment_id=experiment_id,
        client=client,
        depth=depth,
        since=since,
        full_chain=full_chain,
    ).parsed


async def asyncio_detailed(
    experiment_id: str,
    *,
    client: AuthenticatedClient | Client,
    depth: int | Unset = UNSET,
    since: str | Unset = UNSET,
    full_chain: bool | Unset = UNSET,
) -> Response[Error | UpstreamRetractions]:
    """Retracted ancestors (and retracted variations of ancestors), nearest first.

    Args:
        experiment_id (str):
        depth (int | Unset):
        since (str | Unset):
        full_chain (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | UpstreamRetractions]
    """

    kwargs = _get_kwargs(
        experiment_id=experiment_id,
        depth=depth,
        since=since,
        full_chain=full_chain,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    experiment_id: str,
    *,
    client: AuthenticatedClient | Client,
    depth: int | Unset = UNSET,
    since: str | Unset = UNSET,
    full_chain: bool | Unset = UNSET,
) -> Error | UpstreamRetractions | None:
    """Retracted ancestors (and retracted variations of ancestors), nearest first.

    Args:
        experiment_id (str):
        depth (int | Unset):
        since (str | Unset):
        full_chain (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | UpstreamRetractions
    """

    return (
        await asyncio_detailed(
            experiment_id=experiment_id,
            client=client,
            depth=depth,
            since=since,
            full_chain=full_chain,
        )
    ).parsed
