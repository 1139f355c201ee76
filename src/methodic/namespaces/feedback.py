"""``chronicle.feedback``: tell the platform's makers something, as prose or as a reproducible error.

Two sinks, by shape: :meth:`FeedbackNamespace.submit` for impressions, gaps and feature requests, and
:meth:`FeedbackNamespace.report_error` for a failing call, which is fingerprinted so that the same failure
reported many times is one report. Both are rate-limited per caller: over the rate the server answers
429 (APIStatusError with ``status_code`` 429) and says in ``Retry-After`` when to try again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from methodic_api.api.feedback import report_error, submit_feedback
from methodic_api.models.error_report import ErrorReport
from methodic_api.models.feedback_submit import FeedbackSubmit

from methodic._models import Record
from methodic._operations import wraps_operation
from methodic.namespaces._base import Namespace

#: What ``submit`` accepts as ``category``.
FEEDBACK_CATEGORIES = ("feedback", "gap", "feature_request")
#: How many stack lines make a failure's identity: failures diverge at the bottom of a stack, not the top.
_TOP_FRAMES = 5
_VOLATILE = (
    (re.compile(r":\d+(?::\d+)?\b"), ""),  # line and column suffixes
    (re.compile(r"0x[0-9a-fA-F]+"), ""),  # addresses
    (re.compile(r"\{\{closure\}\}#\d+"), "{{closure}}"),  # numbered closures
)


def error_fingerprint(error_type: str, message: str, stack: str | None) -> str:
    """The identity of a failure: SHA-256 of ``type|message|top frames`` with volatile parts removed.

    Stable across retries and small refactors, so reports of one failure group together. The server
    computes its own and treats this one as advice.
    """
    frames = []
    for line in (stack or "").splitlines():
        if line.strip():
            for pattern, replacement in _VOLATILE:
                line = pattern.sub(replacement, line)
            frames.append(line)
        if len(frames) == _TOP_FRAMES:
            break
    return hashlib.sha256(f"{error_type}|{message}|{chr(10).join(frames)}".encode()).hexdigest()


class FeedbackNamespace(Namespace):
    """Submit feedback or report an error; nothing is read back here (review is the operators')."""

    @wraps_operation("submit_feedback")
    def submit(
        self,
        body_md: str,
        category: str = "feedback",
        context: Mapping[str, Any] | None = None,
        source: str = "sdk",
    ) -> str:
        """Send feedback (Markdown, up to 64 KiB); returns its id.

        ``category``: ``feedback`` (an impression), ``gap`` (the surface could not express what you
        needed) or ``feature_request``; anything else is ValueError before any request. ``context`` holds
        identifiers only (``experiment_id``, ``sdk_method``, ...), never bodies or secrets. A failing call
        with a message and a stack is not feedback: :meth:`report_error` it.
        """
        if category not in FEEDBACK_CATEGORIES:
            raise ValueError(f"category must be one of {', '.join(FEEDBACK_CATEGORIES)}, not {category!r}")
        fields: dict[str, Any] = {"category": category, "body_md": body_md, "source": source}
        if context is not None:
            fields["context"] = dict(context)
        created = self._call(submit_feedback.sync_detailed, Record, body=FeedbackSubmit.from_dict(fields))
        return str(created["id"])

    @wraps_operation("report_error")
    def report_error(
        self,
        error_type: str,
        message: str,
        stack: str | None = None,
        request_method: str | None = None,
        request_path: str | None = None,
        response_status: int | None = None,
    ) -> None:
        """Report a reproducible error to the bug pipeline (fire and forget: the server answers 202).

        Stamped with the time now and a fingerprint (:func:`error_fingerprint`). When it came from an API
        call, give the method, the status and the route *template* as ``request_path``
        (``/v1/experiments/{id}``): the server only replaces obvious id segments itself.
        """
        fields: dict[str, Any] = {
            "source": "sdk",
            "error_type": error_type,
            "message": message,
            "captured_at": datetime.now(timezone.utc).isoformat(),
            "fingerprint": error_fingerprint(error_type, message, stack),
        }
        for name, value in (
            ("stack", stack),
            ("request_method", request_method),
            ("request_path", request_path),
            ("response_status", response_status),
        ):
            if value is not None:
                fields[name] = value
        self._call(report_error.sync_detailed, Record, body=ErrorReport.from_dict(fields))
