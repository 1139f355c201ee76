from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.experiment_summary import ExperimentSummary
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: str | Unset = UNSET,
    created_by: str | Unset = UNSET,
    limit: int | Unset = 100,
    before: str | Unset = UNSET,
    owner: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["status"] = status

    params["created_by"] = created_by

    params["limit"] = limit

    params["before"] = before

    params["owner"] = owner

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/experiments",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | list[ExperimentSummary] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for componentsschemas_experiment_summary_list_item_data in _response_200:
            componentsschemas_experiment_summary_list_item = ExperimentSummary.from_dict(
                componentsschemas_experiment_summary_list_item_data
            )

            response_200.append(componentsschemas_experiment_summary_list_item)

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | list[ExperimentSummary]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    status: str | Unset = UNSET,
    created_by: str | Unset = UNSET,
    limit: int | Unset = 100,
    before: str | Unset = UNSET,
    owner: str | Unset = UNSET,
) -> Response[Error | list[ExperimentSummary]]:
    """Experiments the caller can read, newest first, one page at a time (a bare array).

     Page with `limit` and `before=<created_at>_<id>` of the last row of the previous page. `X-Has-More:
    true` when a further page exists.

    Args:
        status (str | Unset):
        created_by (str | Unset):
        limit (int | Unset):  Default: 100.
        before (str | Unset):
        owner (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[ExperimentSummary]]
    """

    kwargs = _get_kwargs(
        status=status,
        created_by=created_by,
        limit=limit,
        before=before,
        owner=owner,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    status: str | Unset = UNSET,
    created_by: str | Unset = UNSET,
    limit: int | Unset = 100,
    before: str | Unset = UNSET,
    owner: str | Unset = UNSET,
) -> Error | list[ExperimentSummary] | None:
    """Experiments the caller can read, newest first, one page at a time (a bare array).

     Page with `limit` and `before=<created_at>_<id>` of the last row of the previous page. `X-Has-More:
    true` when a further page exists.

    Args:
        status (str | Unset):
        created_by (str | Unset):
        limit (int | Unset):  Default: 100.
        before (str | Unset):
        owner (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[ExperimentSummary]
    """

    return sync_detailed(
        client=client,
        status=status,
        created_by=created_by,
        limit=limit,
        before=before,
        owner=owner,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    status: str | Unset = UNSET,
    created_by: str | Unset = UNSET,
    limit: int | Unset = 100,
    before: str | Unset = UNSET,
    owner: str | Unset = UNSET,
) -> Response[Error | list[ExperimentSummary]]:
    """Experiments the caller can read, newest first, one page at a time (a bare array).

     Page with `limit` and `before=<created_at>_<id>` of the last row of the previous page. `X-Has-More:
    true` when a further page exists.

    Args:
        status (str | Unset):
        created_by (str | Unset):
        limit (int | Unset):  Default: 100.
        before (str | Unset):
        owner (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[ExperimentSummary]]
    """

    kwargs = _get_kwargs(
        status=status,
        created_by=created_by,
        limit=limit,
        before=before,
        owner=owner,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    status: str | Unset = UNSET,
    created_by: str | Unset = UNSET,
    limit: int | Unset = 100,
    before: str | Unset = UNSET,
    owner: str | Unset = UNSET,
) -> Error | list[ExperimentSummary] | None:
    """Experiments the caller can read, newest first, one page at a time (a bare array).

     Page with `limit` and `before=<created_at>_<id>` of the last row of the previous page. `X-Has-More:
    true` when a further page exists.

    Args:
        status (str | Unset):
        created_by (str | Unset):
        limit (int | Unset):  Default: 100.
        before (str | Unset):
        owner (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[ExperimentSummary]
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            created_by=created_by,
            limit=limit,
            before=before,
            owner=owner,
        )
    ).parsed
