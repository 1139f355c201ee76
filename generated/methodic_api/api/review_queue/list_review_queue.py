from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.review_queue import ReviewQueue
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    kind: str | Unset = UNSET,
    experiment_id: str | Unset = UNSET,
    state: str | Unset = UNSET,
    limit: int | Unset = 200,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["kind"] = kind

    params["experiment_id"] = experiment_id

    params["state"] = state

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/assist/review-queue",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | ReviewQueue | None:
    if response.status_code == 200:
        response_200 = ReviewQueue.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | ReviewQueue]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    kind: str | Unset = UNSET,
    experiment_id: str | Unset = UNSET,
    state: str | Unset = UNSET,
    limit: int | Unset = 200,
) -> Response[Error | ReviewQueue]:
    """What is waiting for a review decision; a superadmin gets the global queue, others the items of
    experiments they own.

    Args:
        kind (str | Unset):
        experiment_id (str | Unset):
        state (str | Unset):
        limit (int | Unset):  Default: 200.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ReviewQueue]
    """

    kwargs = _get_kwargs(
        kind=kind,
        experiment_id=experiment_id,
        state=state,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    kind: str | Unset = UNSET,
    experiment_id: str | Unset = UNSET,
    state: str | Unset = UNSET,
    limit: int | Unset = 200,
) -> Error | ReviewQueue | None:
    """What is waiting for a review decision; a superadmin gets the global queue, others the items of
    experiments they own.

    Args:
        kind (str | Unset):
        experiment_id (str | Unset):
        state (str | Unset):
        limit (int | Unset):  Default: 200.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ReviewQueue
    """

    return sync_detailed(
        client=client,
        kind=kind,
        experiment_id=experiment_id,
        state=state,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    kind: str | Unset = UNSET,
    experiment_id: str | Unset = UNSET,
    state: str | Unset = UNSET,
    limit: int | Unset = 200,
) -> Response[Error | ReviewQueue]:
    """What is waiting for a review decision; a superadmin gets the global queue, others the items of
    experiments they own.

    Args:
        kind (str | Unset):
        experiment_id (str | Unset):
        state (str | Unset):
        limit (int | Unset):  Default: 200.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ReviewQueue]
    """

    kwargs = _get_kwargs(
        kind=kind,
        experiment_id=experiment_id,
        state=state,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    kind: str | Unset = UNSET,
    experiment_id: str | Unset = UNSET,
    state: str | Unset = UNSET,
    limit: int | Unset = 200,
) -> Error | ReviewQueue | None:
    """What is waiting for a review decision; a superadmin gets the global queue, others the items of
    experiments they own.

    Args:
        kind (str | Unset):
        experiment_id (str | Unset):
        state (str | Unset):
        limit (int | Unset):  Default: 200.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ReviewQueue
    """

    return (
        await asyncio_detailed(
            client=client,
            kind=kind,
            experiment_id=experiment_id,
            state=state,
            limit=limit,
        )
    ).parsed
