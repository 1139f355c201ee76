from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.asset import Asset
from ...models.error import Error
from ...models.report_render import ReportRender
from ...types import UNSET, Response, Unset


def _get_kwargs(
    experiment_id: str,
    kind: str,
    *,
    body: ReportRender | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/experiments/{experiment_id}/reports/{kind}/render".format(
            experiment_id=quote(str(experiment_id), safe=""),
            kind=quote(str(kind), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Asset | Error | None:
    if response.status_code == 201:
        response_201 = Asset.from_dict(response.json())

        return response_201

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Asset | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    experiment_id: str,
    kind: str,
    *,
    client: AuthenticatedClient | Client,
    body: ReportRender | Unset = UNSET,
) -> Response[Asset | Error]:
    """Render the experiment's report of a kind (template mode from payload, freeform from tex_body, as its
    report settings say) and compile it where a compiler is configured.

     The local server renders the LaTeX source but has no compiler: the report's compile_status is
    failed, with a compile_log that says so, and its source stays readable.

    Args:
        experiment_id (str):
        kind (str):
        body (ReportRender | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Asset | Error]
    """

    kwargs = _get_kwargs(
        experiment_id=experiment_id,
        kind=kind,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    experiment_id: str,
    kind: str,
    *,
    client: AuthenticatedClient | Client,
    body: ReportRender | Unset = UNSET,
) -> Asset | Error | None:
    """Render the experiment's report of a kind (template mode from payload, freeform from tex_body, as its
    report settings say) and compile it where a compiler is configured.

     The local server renders the LaTeX source but has no compiler: the report's compile_status is
    failed, with a compile_log that says so, and its source stays readable.

    Args:
        experiment_id (str):
        kind (str):
        body (ReportRender | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Asset | Error
    """

    return sync_detailed(
        experiment_id=experiment_id,
        kind=kind,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    experiment_id: str,
    kind: str,
    *,
    client: AuthenticatedClient | Client,
    body: ReportRender | Unset = UNSET,
) -> Response[Asset | Error]:
    """Render the experiment's report of a kind (template mode from payload, freeform from tex_body, as its
    report settings say) and compile it where a compiler is configured.

     The local server renders the LaTeX source but has no compiler: the report's compile_status is
    failed, with a compile_log that says so, and its source stays readable.

    Args:
        experiment_id (str):
        kind (str):
        body (ReportRender | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Asset | Error]
    """

    kwargs = _get_kwargs(
        experiment_id=experiment_id,
        kind=kind,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    experiment_id: str,
    kind: str,
    *,
    client: AuthenticatedClient | Client,
    body: ReportRender | Unset = UNSET,
) -> Asset | Error | None:
    """Render the experiment's report of a kind (template mode from payload, freeform from tex_body, as its
    report settings say) and compile it where a compiler is configured.

     The local server renders the LaTeX source but has no compiler: the report's compile_status is
    failed, with a compile_log that says so, and its source stays readable.

    Args:
        experiment_id (str):
        kind (str):
        body (ReportRender | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Asset | Error
    """

    return (
        await asyncio_detailed(
            experiment_id=experiment_id,
            kind=kind,
            client=client,
            body=body,
        )
    ).parsed
