"""The caller's feed (with per-section seen pointers) and activity stream, both read from the event log."""

from __future__ import annotations

from typing import Any

from methodic_server.routes.assist import query_bool
from methodic_server.routes.base import Answer, Ctx, Operation, Services, created_by, query_int


def operations(services: Services) -> list[Operation]:
    """GET /v1/feed, POST /v1/feed/seen, GET /v1/activity."""
    s = services.store

    def list_feed(c: Ctx) -> Answer:
        query: dict[str, Any] = {
            name: c.query.get(name) for name in ("category", "recipient", "experiment", "kind", "severity", "order")
        }
        query.update(
            actionable=query_bool(c, "actionable"),
            open=query_bool(c, "open"),
            before=query_int(c, "before"),
            after_seq=query_int(c, "after_seq"),
            limit=query_int(c, "limit", 50, 1, 500),
        )
        rows, more, unseen = s.events.feed(c.key_kind, created_by(c), query)
        return 200, rows, {"X-Has-More": "true" if more else "false", "X-Unseen-Count": str(unseen)}

    def list_activity(c: Ctx) -> Answer:
        rows, more = s.events.activity(
            c.key_kind, created_by(c), c.query.get("before"), query_int(c, "limit", 50, 1, 500) or 50
        )
        return 200, rows, {"X-Has-More": "true" if more else "false"}

    return [
        Operation("list_feed", "GET", "/v1/feed", list_feed),
        Operation(
            "mark_feed_seen",
            "POST",
            "/v1/feed/seen",
            lambda c: (200, s.events.seen(created_by(c), c.body.get("section"), c.body.get("through_seq"))),
            takes_body=True,
        ),
        Operation("list_activity", "GET", "/v1/activity", list_activity),
    ]
