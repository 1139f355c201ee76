from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.experiment_record_with_settings import ExperimentRecordWithSettings
from ...models.report_settings_update import ReportSettingsUpdate
from ...types import Response


def _get_kwargs(
    experiment_id: str,
    *,
    body: ReportSettingsUpdate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/experiments/{experiment_id}/report-settings".format(
            experiment_id=quote(str(experiment_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | ExperimentRecordWithSettings | None:
    if response.status_code == 200:
        response_200 = ExperimentRecordWithSettings.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | ExperimentRecordWithSettings]:
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
    body: ReportSettingsUpdate,
) -> Response[Error | ExperimentRecordWithSettings]:
    """Replace the experiment's report settings (how its hypothesis, takeaways and research reports are
    made); frozen at commit (409).

    Args:
        experiment_id (str):
        body (ReportSettingsUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ExperimentRecordWithSettings]
    """

    kwargs = _get_kwargs(
        experiment_id=experiment_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    experiment_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ReportSettingsUpdate,
) -> Error | ExperimentRecordWithSettings | None:
    """Replace the experiment's report settings (how its hypothesis, takeaways and research reports are
    made); frozen at commit (409).

    Args:
        experiment_id (str):
        body (ReportSettingsUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ExperimentRecordWithSettings
    """

    return sync_detailed(
        experiment_id=experiment_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    experiment_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ReportSettingsUpdate,
) -> Response[Error | ExperimentRecordWithSettings]:
    """Replace the experiment's report settings (how its hypothesis, takeaways and research reports are
    made); frozen at commit (409).

    Args:
        experiment_id (str):
        body (ReportSettingsUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ExperimentRecordWithSettings]
    """

    kwargs = _get_kwargs(
        experiment_id=experiment_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    experiment_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ReportSettingsUpdate,
) -> Error | ExperimentRecordWithSettings | None:
    """Replace the experiment's report settings (how its hypothesis, takeaways and research reports are
    made); frozen at commit (409).

    Args:
        experiment_id (str):
        body (ReportSettingsUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ExperimentRecordWithSettings
    """

    return (
        await asyncio_detailed(
            experiment_id=experiment_id,
            client=client,
            body=body,
        )
    ).parsed
