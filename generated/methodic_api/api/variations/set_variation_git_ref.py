from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.variation import Variation
from ...models.variation_git_ref import VariationGitRef
from ...types import Response


def _get_kwargs(
    experiment_id: str,
    variation: int,
    *,
    body: VariationGitRef,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/experiments/{experiment_id}/variations/{variation}/git-ref".format(
            experiment_id=quote(str(experiment_id), safe=""),
            variation=quote(str(variation), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | Variation | None:
    if response.status_code == 200:
        response_200 = Variation.from_dict(response.json())

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

    if response.status_code == 501:
        response_501 = Error.from_dict(response.json())

        return response_501

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | Variation]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    experiment_id: str,
    variation: int,
    *,
    client: AuthenticatedClient | Client,
    body: VariationGitRef,
) -> Response[Error | Variation]:
    """Bind a branch to an open variation (its SHA is pinned at commit); 409 once committed, 400 for the
    protected agent/* branches.

    Args:
        experiment_id (str):
        variation (int):
        body (VariationGitRef):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Variation]
    """

    kwargs = _get_kwargs(
        experiment_id=experiment_id,
        variation=variation,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    experiment_id: str,
    variation: int,
    *,
    client: AuthenticatedClient | Client,
    body: VariationGitRef,
) -> Error | Variation | None:
    """Bind a branch to an open variation (its SHA is pinned at commit); 409 once committed, 400 for the
    protected agent/* branches.

    Args:
        experiment_id (str):
        variation (int):
        body (VariationGitRef):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Variation
    """

    return sync_detailed(
        experiment_id=experiment_id,
        variation=variation,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    experiment_id: str,
    variation: int,
    *,
    client: AuthenticatedClient | Client,
    body: VariationGitRef,
) -> Response[Error | Variation]:
    """Bind a branch to an open variation (its SHA is pinned at commit); 409 once committed, 400 for the
    protected agent/* branches.

    Args:
        experiment_id (str):
        variation (int):
        body (VariationGitRef):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Variation]
    """

    kwargs = _get_kwargs(
        experiment_id=experiment_id,
        variation=variation,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    experiment_id: str,
    variation: int,
    *,
    client: AuthenticatedClient | Client,
    body: VariationGitRef,
) -> Error | Variation | None:
    """Bind a branch to an open variation (its SHA is pinned at commit); 409 once committed, 400 for the
    protected agent/* branches.

    Args:
        experiment_id (str):
        variation (int):
        body (VariationGitRef):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Variation
    """

    return (
        await asyncio_detailed(
            experiment_id=experiment_id,
            variation=variation,
            client=client,
            body=body,
        )
    ).parsed
