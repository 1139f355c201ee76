from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.bulk_finalize import BulkFinalize
from ...models.bulk_finalized import BulkFinalized
from ...models.error import Error
from ...types import Response


def _get_kwargs(
    *,
    body: BulkFinalize,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/assets/bulk-finalize",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> BulkFinalized | Error | None:
    if response.status_code == 200:
        response_200 = BulkFinalized.from_dict(response.json())

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

    if response.status_code == 501:
        response_501 = Error.from_dict(response.json())

        return response_501

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BulkFinalized | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: BulkFinalize,
) -> Response[BulkFinalized | Error]:
    """Finalize a batch of imported reports (imported_report assets) in one call; per-asset failures are
    listed.

     Each asset's upload is checked against storage (and against the sha256 declared at create) and
    flipped ready; one that fails stays pending and is listed in `failed` with the reason. The caller
    must be a member of each asset's organization (403). Extracting the reports' text needs the hosted
    extraction service (a text layer or vision-model OCR): the local server starts no extraction job
    (`extraction_job_id` is null) and marks each report `asset_config.extraction.status: unavailable`.
    `collections` (ids, or slugs of their names) must all be found first (404 otherwise); each report
    that becomes ready is added to each of them, and one that cannot be added is a `collection_warnings`
    row.

    Args:
        body (BulkFinalize):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BulkFinalized | Error]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: BulkFinalize,
) -> BulkFinalized | Error | None:
    """Finalize a batch of imported reports (imported_report assets) in one call; per-asset failures are
    listed.

     Each asset's upload is checked against storage (and against the sha256 declared at create) and
    flipped ready; one that fails stays pending and is listed in `failed` with the reason. The caller
    must be a member of each asset's organization (403). Extracting the reports' text needs the hosted
    extraction service (a text layer or vision-model OCR): the local server starts no extraction job
    (`extraction_job_id` is null) and marks each report `asset_config.extraction.status: unavailable`.
    `collections` (ids, or slugs of their names) must all be found first (404 otherwise); each report
    that becomes ready is added to each of them, and one that cannot be added is a `collection_warnings`
    row.

    Args:
        body (BulkFinalize):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BulkFinalized | Error
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: BulkFinalize,
) -> Response[BulkFinalized | Error]:
    """Finalize a batch of imported reports (imported_report assets) in one call; per-asset failures are
    listed.

     Each asset's upload is checked against storage (and against the sha256 declared at create) and
    flipped ready; one that fails stays pending and is listed in `failed` with the reason. The caller
    must be a member of each asset's organization (403). Extracting the reports' text needs the hosted
    extraction service (a text layer or vision-model OCR): the local server starts no extraction job
    (`extraction_job_id` is null) and marks each report `asset_config.extraction.status: unavailable`.
    `collections` (ids, or slugs of their names) must all be found first (404 otherwise); each report
    that becomes ready is added to each of them, and one that cannot be added is a `collection_warnings`
    row.

    Args:
        body (BulkFinalize):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BulkFinalized | Error]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: BulkFinalize,
) -> BulkFinalized | Error | None:
    """Finalize a batch of imported reports (imported_report assets) in one call; per-asset failures are
    listed.

     Each asset's upload is checked against storage (and against the sha256 declared at create) and
    flipped ready; one that fails stays pending and is listed in `failed` with the reason. The caller
    must be a member of each asset's organization (403). Extracting the reports' text needs the hosted
    extraction service (a text layer or vision-model OCR): the local server starts no extraction job
    (`extraction_job_id` is null) and marks each report `asset_config.extraction.status: unavailable`.
    `collections` (ids, or slugs of their names) must all be found first (404 otherwise); each report
    that becomes ready is added to each of them, and one that cannot be added is a `collection_warnings`
    row.

    Args:
        body (BulkFinalize):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BulkFinalized | Error
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
