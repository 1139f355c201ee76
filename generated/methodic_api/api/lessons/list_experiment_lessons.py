from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.experiment_lessons import ExperimentLessons
from ...types import UNSET, Response, Unset


def _get_kwargs(
    experiment_id: str,
    *,
    status: str | Unset = UNSET,
    category: str | Unset = UNSET,
    include_ancestors: bool | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["status"] = status

    params["category"] = category

    params["include_ancestors"] = include_ancestors

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/experiments/{experiment_id}/lessons".format(
            experiment_id=quote(str(experiment_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | ExperimentLessons | None:
    if response.status_code == 200:
        response_200 = ExperimentLessons.from_dict(response.json())

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
) -> Response[Error | ExperimentLessons]:
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
    status: str | Unset = UNSET,
    category: str | Unset = UNSET,
    include_ancestors: bool | Unset = UNSET,
) -> Response[Error | ExperimentLessons]:
    """The experiment's lessons; with include_ancestors=true also its ancestors' active lessons, each
    stamped inherited_from (the published client asks for them by default and leaves the parameter out
    to say no).

    Args:
        experiment_id (str):
        status (str | Unset):
        category (str | Unset):
        include_ancestors (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ExperimentLessons]
    """

    kwargs = _get_kwargs(
        experiment_id=experiment_id,
        status=status,
        category=category,
        include_ancestors=include_ancestors,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    experiment_id: str,
    *,
    client: AuthenticatedClient | Client,
    status: str | Unset = UNSET,
    category: str | Unset = UNSET,
    include_ancestors: bool | Unset = UNSET,
) -> Error | ExperimentLessons | None:
    """The experiment's lessons; with include_ancestors=true also its ancestors' active lessons, each
    stamped inherited_from (the published client asks for them by default and leaves the parameter out
    to say no).

    Args:
        experiment_id (str):
        status (str | Unset):
        category (str | Unset):
        include_ancestors (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ExperimentLessons
    """

    return sync_detailed(
        experiment_id=experiment_id,
        client=client,
        status=status,
        category=category,
        include_ancestors=include_ancestors,
    ).parsed


async def asyncio_detailed(
    experiment_id: str,
    *,
    client: AuthenticatedClient | Client,
    status: str | Unset = UNSET,
    category: str | Unset = UNSET,
    include_ancestors: bool | Unset = UNSET,
) -> Response[Error | ExperimentLessons]:
    """The experiment's lessons; with include_ancestors=true also its ancestors' active lessons, each
    stamped inherited_from (the published client asks for them by default and leaves the parameter out
    to say no).

    Args:
        experiment_id (str):
        status (str | Unset):
        category (str | Unset):
        include_ancestors (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ExperimentLessons]
    """

    kwargs = _get_kwargs(
        experiment_id=experiment_id,
        status=status,
        category=category,
        include_ancestors=include_ancestors,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    experiment_id: str,
    *,
    client: AuthenticatedClient | Client,
    status: str | Unset = UNSET,
    category: str | Unset = UNSET,
    include_ancestors: bool | Unset = UNSET,
) -> Error | ExperimentLessons | None:
    """The experiment's lessons; with include_ancestors=true also its ancestors' active lessons, each
    stamped inherited_from (the published client asks for them by default and leaves the parameter out
    to say no).

    Args:
        experiment_id (str):
        status (str | Unset):
        category (str | Unset):
        include_ancestors (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ExperimentLessons
    """

    return (
        await asyncio_detailed(
            experiment_id=experiment_id,
            client=client,
            status=status,
            category=category,
            include_ancestors=include_ancestors,
        )
    ).parsed
