"""``chronicle.feed``: the caller's event feed, with a seen pointer per section that only the caller moves.

Reading never advances the pointer: process the events you read, then acknowledge them with :meth:`seen`.
A crash between the two gives the events again instead of losing them (at least once).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from methodic_api.api.feed import list_feed, mark_feed_seen
from methodic_api.models.feed_seen import FeedSeen

from methodic._models import Record
from methodic._operations import wraps_operation
from methodic.namespaces._base import Namespace, opt


class FeedEvent(Record):
    """One feed event. ``seq`` is the cursor (for ``before``, ``after_seq`` and :meth:`FeedNamespace.seen`).

    ``category`` (``activity``, ``new_report``, ``report_approval``, ...) rolls up into ``section``
    (``blocked``, ``approvals``, ``research`` or ``passive``), the unit a seen pointer is kept for. An
    ``actionable`` event stays open until ``resolved_at`` is set. ``payload`` says what changed.
    """

    __slots__ = ()
    seq: int
    id: str
    category: str
    section: str | None
    kind: str
    created_at: str
    severity: str | None
    actionable: bool | None
    actor_subject: str | None
    resource_type: str | None
    resource_id: str | None
    experiment_id: str | None
    resolved_at: str | None
    score: float | None


class FeedPage(Record):
    """One page of ``feed.list``: ``.results``, ``.unseen_count`` and ``.next_page_token`` (None at the end).

    ``unseen_count`` is the badge over everything the filters match: in ``blocked`` and ``approvals`` what
    is still open (resolving clears it), in ``research`` and ``passive`` what is past your seen pointer.
    Pass ``next_page_token`` back as ``before`` for the next, older page.
    """

    __slots__ = ()
    unseen_count: int
    next_page_token: str | None

    @property
    def results(self) -> list[FeedEvent]:
        """The events of this page (newest first; oldest first when polling with ``after_seq``)."""
        value = self.get("results")
        return [FeedEvent(item) for item in value if isinstance(item, dict)] if isinstance(value, list) else []


#: One category or several (sent comma-separated).
Categories = str | list[str] | None


def _count(raw: str | None) -> int:
    try:
        return int(raw or 0)
    except ValueError:
        return 0


class FeedNamespace(Namespace):
    """The caller's unified feed: activity, reports awaiting approval, new reports, research items."""

    @wraps_operation("list_feed")
    def list(
        self,
        *,
        category: Categories = None,
        actionable: bool | None = None,
        open: bool | None = None,
        recipient: str | None = None,
        experiment: str | None = None,
        kind: str | None = None,
        severity: str | None = None,
        after_seq: int | None = None,
        before: int | None = None,
        limit: int | None = None,
        order: str | None = None,
    ) -> FeedPage:
        """One page of events, newest first; reading does not mark them seen (call :meth:`seen` after acting).

        ``category``: one or a list of ``activity``, ``new_report``, ``blocked``, ``report_approval``,
        ``experiment_invite``, ``organization_invite``, ``research``. ``actionable=True, open=True`` is the
        "needs you" lens; ``recipient="me"`` the inbox. Page back with ``before=<seq>`` or poll forward
        with ``after_seq=<seq>`` (oldest first then). ``order``: ``seq`` (default) or ``score``.
        """
        rows, headers = self._transport.call_list(
            list_feed.sync_detailed,
            FeedEvent,
            category=opt(",".join(category) if isinstance(category, list) else category),
            actionable=opt(actionable),
            open_=opt(open),
            recipient=opt(recipient),
            experiment=opt(experiment),
            kind=opt(kind),
            severity=opt(severity),
            after_seq=opt(after_seq),
            before=opt(before),
            limit=opt(limit),
            order=opt(order),
        )
        more = str(headers.get("X-Has-More", "")).strip().lower() == "true"
        token = str(rows[-1].seq) if more and rows else None
        return FeedPage(results=rows, unseen_count=_count(headers.get("X-Unseen-Count")), next_page_token=token)

    def iter(
        self,
        *,
        category: Categories = None,
        actionable: bool | None = None,
        open: bool | None = None,
        recipient: str | None = None,
        experiment: str | None = None,
        kind: str | None = None,
        severity: str | None = None,
        order: str | None = None,
        limit: int | None = None,
    ) -> Iterator[FeedEvent]:
        """Every matching event, newest first, fetching older pages as needed (``limit`` is the page size).

        Tailing forward is :meth:`list` with ``after_seq``, one call at a time.
        """
        filters: dict[str, Any] = {
            "category": category,
            "actionable": actionable,
            "open": open,
            "recipient": recipient,
            "experiment": experiment,
            "kind": kind,
            "severity": severity,
            "order": order,
            "limit": limit,
        }
        before: int | None = None
        while True:
            page = self.list(before=before, **filters)
            yield from page.results
            if page.next_page_token is None:
                return
            before = int(page.next_page_token)

    @wraps_operation("mark_feed_seen")
    def seen(self, *, section: str, through_seq: int) -> None:
        """Acknowledge ``section`` (``blocked``, ``approvals``, ``research`` or ``passive``) up to ``through_seq``.

        Call it only after you have durably handled the events. Monotonic: a lower seq changes nothing.
        BadRequestError for an unknown section or a seq past the newest event.
        """
        self._call(mark_feed_seen.sync_detailed, Record, body=FeedSeen(section=section, through_seq=through_seq))
