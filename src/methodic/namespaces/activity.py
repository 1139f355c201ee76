"""``chronicle.activity``: the audited actions on experiments you can read, newest first."""

from __future__ import annotations

from collections.abc import Iterator

from methodic_api.api.activity import list_activity

from methodic._models import Record
from methodic._operations import wraps_operation
from methodic.namespaces._base import Namespace, opt


class ActivityItem(Record):
    """One audited action, e.g. ``experiment.commit``, ``run.start`` or ``lesson.record``.

    ``action`` touched ``resource_type``/``resource_id``; ``actor_subject`` did it at ``timestamp``; ``id``
    and ``timestamp`` make the cursor.
    """

    __slots__ = ()
    id: int
    timestamp: str
    action: str
    resource_type: str | None
    resource_id: str | None
    actor_subject: str | None
    via: str | None
    status: str | None
    experiment_id: str | None


class ActivityPage(Record):
    """One page of ``activity.list``: ``.results`` and ``.next_page_token`` (``<timestamp>_<id>``; None at the end)."""

    __slots__ = ()
    next_page_token: str | None

    @property
    def results(self) -> list[ActivityItem]:
        """The actions of this page, newest first."""
        value = self.get("results")
        return [ActivityItem(item) for item in value if isinstance(item, dict)] if isinstance(value, list) else []


class ActivityNamespace(Namespace):
    """What happened on the experiments you can read: the stream behind "recent activity"."""

    @wraps_operation("list_activity")
    def list(self, *, limit: int | None = None, before: str | None = None) -> ActivityPage:
        """One page, newest first; pass ``.next_page_token`` back as ``before`` for the next, or use :meth:`iter`."""
        rows, headers = self._transport.call_list(
            list_activity.sync_detailed, ActivityItem, limit=opt(limit), before=opt(before)
        )
        more = str(headers.get("X-Has-More", "")).strip().lower() == "true"
        token = f"{rows[-1].timestamp}_{rows[-1].id}" if more and rows else None
        return ActivityPage(results=rows, next_page_token=token)

    def iter(self, *, limit: int | None = None) -> Iterator[ActivityItem]:
        """Every action, newest first, fetching pages of ``limit`` as needed."""
        before: str | None = None
        while True:
            page = self.list(limit=limit, before=before)
            yield from page.results
            if page.next_page_token is None:
                return
            before = page.next_page_token
