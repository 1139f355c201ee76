from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.lineage_promoted import LineagePromoted
from ...types import Response


def _get_kwargs(
    experiment_id: str,
    parent_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/experiments/{experiment_id}/lineage/{parent_id}/promote".format(
            experiment_id=quote(str(experiment_id), safe=""),
            parent_id=quote(str(parent_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | LineagePromoted | None:
    if response.status_code == 200:
        response_200 = LineagePromoted.from_dict(response.json())

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
) -> Response[Error | LineagePromoted]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    experiment_id: str,
    parent_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Error | LineagePromoted]:
    """Promote a tentative parent link to lineage; the parent must have committed (409 while it is open);
    idempotent.

    Args:
        experiment_id (str):
        parent_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | LineagePromoted]
    """

    kwargs = _get_kwargs(
        experiment_id=experiment_id,
        parent_id=parent_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    experiment_id: str,
    parent_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Error | LineagePromoted | None:
    """Promote a tentative parent link to lineage; the parent must have committed (409 while it is open);
    idempotent.

    Args:
        experiment_id (str):
        parent_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | LineagePromoted
    """

    return sync_detailed(
        experiment_id=experiment_id,
        parent_id=parent_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    experiment_id: str,
    parent_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Error | LineagePromoted]:
    """Promote a tentative parent link to lineage; the parent must have committed (409 while it is open);
    idempotent.

    Args:
        experiment_id (str):
        parent_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | LineagePromoted]
    """

    kwargs = _get_kwargs(
        experiment_id=experiment_id,
        parent_id=parent_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    experiment_id: str,
    parent_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Error | LineagePromoted | None:
    """Promote a tentative parent link to lineage; the parent must have committed (409 while it is open);
    idempotent.

    Args:
        experiment_id (str):
        parent_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | LineagePromoted
    """

    return (
        await asyncio_detailed(
            experiment_id=experiment_id,
            parent_id=parent_id,
            client=client,
        )
    ).parsed
