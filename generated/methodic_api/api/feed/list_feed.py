from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.feed_event import FeedEvent
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    category: str | Unset = UNSET,
    actionable: bool | Unset = UNSET,
    open_: bool | Unset = UNSET,
    recipient: str | Unset = UNSET,
    experiment: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    severity: str | Unset = UNSET,
    after_seq: int | Unset = UNSET,
    before: int | Unset = UNSET,
    limit: int | Unset = 50,
    order: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["category"] = category

    params["actionable"] = actionable

    params["open"] = open_

    params["recipient"] = recipient

    params["experiment"] = experiment

    params["kind"] = kind

    params["severity"] = severity

    params["after_seq"] = after_seq

    params["before"] = before

    params["limit"] = limit

    params["order"] = order

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/feed",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | list[FeedEvent] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for componentsschemas_feed_event_list_item_data in _response_200:
            componentsschemas_feed_event_list_item = FeedEvent.from_dict(componentsschemas_feed_event_list_item_data)

            response_200.append(componentsschemas_feed_event_list_item)

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
) -> Response[Error | list[FeedEvent]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    category: str | Unset = UNSET,
    actionable: bool | Unset = UNSET,
    open_: bool | Unset = UNSET,
    recipient: str | Unset = UNSET,
    experiment: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    severity: str | Unset = UNSET,
    after_seq: int | Unset = UNSET,
    before: int | Unset = UNSET,
    limit: int | Unset = 50,
    order: str | Unset = UNSET,
) -> Response[Error | list[FeedEvent]]:
    """One page of the caller's event feed, newest first (a bare array); X-Has-More and X-Unseen-Count in
    headers.

     Page older with `before=<seq>` of the last event, or poll forward with `after_seq=<seq>` (then
    oldest first). `X-Unseen-Count` is the badge over every matching event: in the blocked and approvals
    sections the ones still open, in research and passive the ones past the caller's seen pointer of
    that section. Reading never moves the pointer.

    Args:
        category (str | Unset):
        actionable (bool | Unset):
        open_ (bool | Unset):
        recipient (str | Unset):
        experiment (str | Unset):
        kind (str | Unset):
        severity (str | Unset):
        after_seq (int | Unset):
        before (int | Unset):
        limit (int | Unset):  Default: 50.
        order (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[FeedEvent]]
    """

    kwargs = _get_kwargs(
        category=category,
        actionable=actionable,
        open_=open_,
        recipient=recipient,
        experiment=experiment,
        kind=kind,
        severity=severity,
        after_seq=after_seq,
        before=before,
        limit=limit,
        order=order,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    category: str | Unset = UNSET,
    actionable: bool | Unset = UNSET,
    open_: bool | Unset = UNSET,
    recipient: str | Unset = UNSET,
    experiment: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    severity: str | Unset = UNSET,
    after_seq: int | Unset = UNSET,
    before: int | Unset = UNSET,
    limit: int | Unset = 50,
    order: str | Unset = UNSET,
) -> Error | list[FeedEvent] | None:
    """One page of the caller's event feed, newest first (a bare array); X-Has-More and X-Unseen-Count in
    headers.

     Page older with `before=<seq>` of the last event, or poll forward with `after_seq=<seq>` (then
    oldest first). `X-Unseen-Count` is the badge over every matching event: in the blocked and approvals
    sections the ones still open, in research and passive the ones past the caller's seen pointer of
    that section. Reading never moves the pointer.

    Args:
        category (str | Unset):
        actionable (bool | Unset):
        open_ (bool | Unset):
        recipient (str | Unset):
        experiment (str | Unset):
        kind (str | Unset):
        severity (str | Unset):
        after_seq (int | Unset):
        before (int | Unset):
        limit (int | Unset):  Default: 50.
        order (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[FeedEvent]
    """

    return sync_detailed(
        client=client,
        category=category,
        actionable=actionable,
        open_=open_,
        recipient=recipient,
        experiment=experiment,
        kind=kind,
        severity=severity,
        after_seq=after_seq,
        before=before,
        limit=limit,
        order=order,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    category: str | Unset = UNSET,
    actionable: bool | Unset = UNSET,
    open_: bool | Unset = UNSET,
    recipient: str | Unset = UNSET,
    experiment: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    severity: str | Unset = UNSET,
    after_seq: int | Unset = UNSET,
    before: int | Unset = UNSET,
    limit: int | Unset = 50,
    order: str | Unset = UNSET,
) -> Response[Error | list[FeedEvent]]:
    """One page of the caller's event feed, newest first (a bare array); X-Has-More and X-Unseen-Count in
    headers.

     Page older with `before=<seq>` of the last event, or poll forward with `after_seq=<seq>` (then
    oldest first). `X-Unseen-Count` is the badge over every matching event: in the blocked and approvals
    sections the ones still open, in research and passive the ones past the caller's seen pointer of
    that section. Reading never moves the pointer.

    Args:
        category (str | Unset):
        actionable (bool | Unset):
        open_ (bool | Unset):
        recipient (str | Unset):
        experiment (str | Unset):
        kind (str | Unset):
        severity (str | Unset):
        after_seq (int | Unset):
        before (int | Unset):
        limit (int | Unset):  Default: 50.
        order (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[FeedEvent]]
    """

    kwargs = _get_kwargs(
        category=category,
        actionable=actionable,
        open_=open_,
        recipient=recipient,
        experiment=experiment,
        kind=kind,
        severity=severity,
        after_seq=after_seq,
        before=before,
        limit=limit,
        order=order,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    category: str | Unset = UNSET,
    actionable: bool | Unset = UNSET,
    open_: bool | Unset = UNSET,
    recipient: str | Unset = UNSET,
    experiment: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    severity: str | Unset = UNSET,
    after_seq: int | Unset = UNSET,
    before: int | Unset = UNSET,
    limit: int | Unset = 50,
    order: str | Unset = UNSET,
) -> Error | list[FeedEvent] | None:
    """One page of the caller's event feed, newest first (a bare array); X-Has-More and X-Unseen-Count in
    headers.

     Page older with `before=<seq>` of the last event, or poll forward with `after_seq=<seq>` (then
    oldest first). `X-Unseen-Count` is the badge over every matching event: in the blocked and approvals
    sections the ones still open, in research and passive the ones past the caller's seen pointer of
    that section. Reading never moves the pointer.

    Args:
        category (str | Unset):
        actionable (bool | Unset):
        open_ (bool | Unset):
        recipient (str | Unset):
        experiment (str | Unset):
        kind (str | Unset):
        severity (str | Unset):
        after_seq (int | Unset):
        before (int | Unset):
        limit (int | Unset):  Default: 50.
        order (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[FeedEvent]
    """

    return (
        await asyncio_detailed(
            client=client,
            category=category,
            actionable=actionable,
            open_=open_,
            recipient=recipient,
            experiment=experiment,
            kind=kind,
            severity=severity,
            after_seq=after_seq,
            before=before,
            limit=limit,
            order=order,
        )
    ).parsed
