"""Feedback and error reports: submit-only, rate-limited per caller (429 with Retry-After)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from methodic_server.errors import ApiError, error_body
from methodic_server.routes.base import Answer, Operation, Services, created_by


def _limited(status: int, work: Callable[[], dict[str, Any]]) -> Answer:
    """Answer ``work()``, or 429 with the seconds to wait in ``Retry-After`` when the caller is over its rate."""
    try:
        return status, work()
    except ApiError as exc:
        if exc.status != 429:
            raise
        wait = str((exc.details or {}).get("retry_after", 1))
        return 429, error_body(exc.code, exc.message, "", exc.details), {"Retry-After": wait}


def operations(services: Services) -> list[Operation]:
    """POST /v1/feedback, POST /v1/errors."""
    s = services.store
    return [
        Operation(
            "submit_feedback",
            "POST",
            "/v1/feedback",
            lambda c: _limited(201, lambda: s.feedback.submit(c.body, created_by(c))),
            takes_body=True,
        ),
        Operation(
            "report_error",
            "POST",
            "/v1/errors",
            lambda c: _limited(202, lambda: s.feedback.report_error(c.body, created_by(c))),
            takes_body=True,
        ),
    ]
