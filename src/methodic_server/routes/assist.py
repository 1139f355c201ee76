"""Reasoning-error reports, the failure-mode and operational-check catalogs, and the review queue."""

from __future__ import annotations

from typing import Any

from methodic_server.errors import bad_request
from methodic_server.routes.base import Answer, Ctx, Operation, Services, created_by, query_int


def query_bool(ctx: Ctx, name: str) -> bool | None:
    """A tri-state boolean query parameter: absent is None (the hosted client may send True/False)."""
    raw = ctx.query.get(name)
    if raw is None:
        return None
    if raw.lower() not in ("true", "false", "1", "0"):
        raise bad_request(f"{name} must be true or false")
    return raw.lower() in ("true", "1")


def operations(services: Services) -> list[Operation]:
    """Report, list and reclassify reasoning errors; read the catalogs; suggest (501); the review queue."""
    s = services.store

    def list_reasoning_errors(c: Ctx) -> Answer:
        query: dict[str, Any] = {
            "state": c.query.get("state"),
            "unmapped": query_bool(c, "unmapped"),
            "reviewed_by": c.query.get("reviewed_by"),
            "awaiting": c.query.get("awaiting"),
            "limit": query_int(c, "limit", 200, 1, 1000),
        }
        return 200, s.reasoning_errors.listed(c.key_kind, created_by(c), query)

    def list_review_queue(c: Ctx) -> Answer:
        query: dict[str, Any] = {
            "kind": c.query.get("kind"),
            "experiment_id": c.query.get("experiment_id"),
            "state": c.query.get("state"),
            "limit": query_int(c, "limit", 200, 1, 1000),
        }
        return 200, s.review_queue.items(c.key_kind, query)

    def suggest(c: Ctx) -> Answer:
        s.catalogs.suggest(c.body)  # always refuses: 400 for a bad body, else 501

    return [
        Operation(
            "report_reasoning_error",
            "POST",
            "/v1/reasoning-errors",
            lambda c: (201, s.reasoning_errors.report(c.body, c.key_kind, created_by(c))),
            takes_body=True,
        ),
        Operation("list_reasoning_errors", "GET", "/v1/reasoning-errors", list_reasoning_errors),
        Operation(
            "reclassify_reasoning_error",
            "POST",
            "/v1/reasoning-errors/{report_id}/reclassify",
            lambda c: (200, s.reasoning_errors.reclassify(c.params["report_id"], c.body, c.key_kind, created_by(c))),
            takes_body=True,
        ),
        Operation(
            "list_failure_modes",
            "GET",
            "/v1/failure-modes",
            lambda c: (200, s.catalogs.failure_modes(c.query.get("q"), c.query.get("family"), query_bool(c, "signal"))),
        ),
        Operation(
            "list_operational_checks",
            "GET",
            "/v1/operational-checks",
            lambda c: (200, s.catalogs.operational_checks(c.key_kind, c.query.get("q"), c.query.get("experiment_id"))),
        ),
        Operation("suggest_operational_checks", "POST", "/v1/operational-checks/suggest", suggest, takes_body=True),
        Operation("list_review_queue", "GET", "/v1/assist/review-queue", list_review_queue),
    ]
