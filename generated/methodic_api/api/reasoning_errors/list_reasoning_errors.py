from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.reasoning_error import ReasoningError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    state: str | Unset = UNSET,
    unmapped: bool | Unset = UNSET,
    reviewed_by: str | Unset = UNSET,
    awaiting: str | Unset = UNSET,
    limit: int | Unset = 200,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["state"] = state

    params["unmapped"] = unmapped

    params["reviewed_by"] = reviewed_by

    params["awaiting"] = awaiting

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/reasoning-errors",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | list[ReasoningError] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for componentsschemas_reasoning_error_list_item_data in _response_200:
            componentsschemas_reasoning_error_list_item = ReasoningError.from_dict(
                componentsschemas_reasoning_error_list_item_data
            )

            response_200.append(componentsschemas_reasoning_error_list_item)

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
) -> Response[Error | list[ReasoningError]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    state: str | Unset = UNSET,
    unmapped: bool | Unset = UNSET,
    reviewed_by: str | Unset = UNSET,
    awaiting: str | Unset = UNSET,
    limit: int | Unset = 200,
) -> Response[Error | list[ReasoningError]]:
    """The caller's own reasoning-error reports, newest first (a superadmin sees every report); a bare
    array.

    Args:
        state (str | Unset):
        unmapped (bool | Unset):
        reviewed_by (str | Unset):
        awaiting (str | Unset):
        limit (int | Unset):  Default: 200.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[ReasoningError]]
    """

    kwargs = _get_kwargs(
        state=state,
        unmapped=unmapped,
        reviewed_by=reviewed_by,
        awaiting=awaiting,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    state: str | Unset = UNSET,
    unmapped: bool | Unset = UNSET,
    reviewed_by: str | Unset = UNSET,
    awaiting: str | Unset = UNSET,
    limit: int | Unset = 200,
) -> Error | list[ReasoningError] | None:
    """The caller's own reasoning-error reports, newest first (a superadmin sees every report); a bare
    array.

    Args:
        state (str | Unset):
        unmapped (bool | Unset):
        reviewed_by (str | Unset):
        awaiting (str | Unset):
        limit (int | Unset):  Default: 200.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[ReasoningError]
    """

    return sync_detailed(
        client=client,
        state=state,
        unmapped=unmapped,
        reviewed_by=reviewed_by,
        awaiting=awaiting,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    state: str | Unset = UNSET,
    unmapped: bool | Unset = UNSET,
    reviewed_by: str | Unset = UNSET,
    awaiting: str | Unset = UNSET,
    limit: int | Unset = 200,
) -> Response[Error | list[ReasoningError]]:
    """The caller's own reasoning-error reports, newest first (a superadmin sees every report); a bare
    array.

    Args:
        state (str | Unset):
        unmapped (bool | Unset):
        reviewed_by (str | Unset):
        awaiting (str | Unset):
        limit (int | Unset):  Default: 200.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[ReasoningError]]
    """

    kwargs = _get_kwargs(
        state=state,
        unmapped=unmapped,
        reviewed_by=reviewed_by,
        awaiting=awaiting,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    state: str | Unset = UNSET,
    unmapped: bool | Unset = UNSET,
    reviewed_by: str | Unset = UNSET,
    awaiting: str | Unset = UNSET,
    limit: int | Unset = 200,
) -> Error | list[ReasoningError] | None:
    """The caller's own reasoning-error reports, newest first (a superadmin sees every report); a bare
    array.

    Args:
        state (str | Unset):
        unmapped (bool | Unset):
        reviewed_by (str | Unset):
        awaiting (str | Unset):
        limit (int | Unset):  Default: 200.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[ReasoningError]
    """

    return (
        await asyncio_detailed(
            client=client,
            state=state,
            unmapped=unmapped,
            reviewed_by=reviewed_by,
            awaiting=awaiting,
            limit=limit,
        )
    ).parsed
