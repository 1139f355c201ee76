from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.failure_mode_catalog import FailureModeCatalog
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    q: str | Unset = UNSET,
    family: str | Unset = UNSET,
    signal: bool | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["q"] = q

    params["family"] = family

    params["signal"] = signal

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/failure-modes",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | FailureModeCatalog | None:
    if response.status_code == 200:
        response_200 = FailureModeCatalog.from_dict(response.json())

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
) -> Response[Error | FailureModeCatalog]:
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
    family: str | Unset = UNSET,
    signal: bool | Unset = UNSET,
) -> Response[Error | FailureModeCatalog]:
    """The active (human-confirmed) entries of the failure-mode catalog; proposed entries are never served
    here.

    Args:
        q (str | Unset):
        family (str | Unset):
        signal (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | FailureModeCatalog]
    """

    kwargs = _get_kwargs(
        q=q,
        family=family,
        signal=signal,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    q: str | Unset = UNSET,
    family: str | Unset = UNSET,
    signal: bool | Unset = UNSET,
) -> Error | FailureModeCatalog | None:
    """The active (human-confirmed) entries of the failure-mode catalog; proposed entries are never served
    here.

    Args:
        q (str | Unset):
        family (str | Unset):
        signal (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | FailureModeCatalog
    """

    return sync_detailed(
        client=client,
        q=q,
        family=family,
        signal=signal,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    q: str | Unset = UNSET,
    family: str | Unset = UNSET,
    signal: bool | Unset = UNSET,
) -> Response[Error | FailureModeCatalog]:
    """The active (human-confirmed) entries of the failure-mode catalog; proposed entries are never served
    here.

    Args:
        q (str | Unset):
        family (str | Unset):
        signal (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | FailureModeCatalog]
    """

    kwargs = _get_kwargs(
        q=q,
        family=family,
        signal=signal,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    q: str | Unset = UNSET,
    family: str | Unset = UNSET,
    signal: bool | Unset = UNSET,
) -> Error | FailureModeCatalog | None:
    """The active (human-confirmed) entries of the failure-mode catalog; proposed entries are never served
    here.

    Args:
        q (str | Unset):
        family (str | Unset):
        signal (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | FailureModeCatalog
    """

    return (
        await asyncio_detailed(
            client=client,
            q=q,
            family=family,
            signal=signal,
        )
    ).parsed
