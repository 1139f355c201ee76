from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.reasoning_error import ReasoningError
from ...models.reasoning_error_report import ReasoningErrorReport
from ...types import Response


def _get_kwargs(
    *,
    body: ReasoningErrorReport,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/reasoning-errors",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | ReasoningError | None:
    if response.status_code == 201:
        response_201 = ReasoningError.from_dict(response.json())

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

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | ReasoningError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ReasoningErrorReport,
) -> Response[Error | ReasoningError]:
    """File a report of a way an AI reasoned badly about research; it starts in state reported, awaiting
    review.

     `kind` is reasoning (the default) or operational (400 for anything else). With `experiment_id` the
    caller needs Write on that experiment; `variation` and `lesson_id` must then name a variation and a
    lesson of it. Validation by a model happens behind the report on the hosted service; the local
    server has no model, so a report stays `reported` until a human reviews it.

    Args:
        body (ReasoningErrorReport):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ReasoningError]
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
    body: ReasoningErrorReport,
) -> Error | ReasoningError | None:
    """File a report of a way an AI reasoned badly about research; it starts in state reported, awaiting
    review.

     `kind` is reasoning (the default) or operational (400 for anything else). With `experiment_id` the
    caller needs Write on that experiment; `variation` and `lesson_id` must then name a variation and a
    lesson of it. Validation by a model happens behind the report on the hosted service; the local
    server has no model, so a report stays `reported` until a human reviews it.

    Args:
        body (ReasoningErrorReport):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ReasoningError
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ReasoningErrorReport,
) -> Response[Error | ReasoningError]:
    """File a report of a way an AI reasoned badly about research; it starts in state reported, awaiting
    review.

     `kind` is reasoning (the default) or operational (400 for anything else). With `experiment_id` the
    caller needs Write on that experiment; `variation` and `lesson_id` must then name a variation and a
    lesson of it. Validation by a model happens behind the report on the hosted service; the local
    server has no model, so a report stays `reported` until a human reviews it.

    Args:
        body (ReasoningErrorReport):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ReasoningError]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ReasoningErrorReport,
) -> Error | ReasoningError | None:
    """File a report of a way an AI reasoned badly about research; it starts in state reported, awaiting
    review.

     `kind` is reasoning (the default) or operational (400 for anything else). With `experiment_id` the
    caller needs Write on that experiment; `variation` and `lesson_id` must then name a variation and a
    lesson of it. Validation by a model happens behind the report on the hosted service; the local
    server has no model, so a report stays `reported` until a human reviews it.

    Args:
        body (ReasoningErrorReport):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ReasoningError
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
