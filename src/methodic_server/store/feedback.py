"""Feedback and error reports: two submit-only sinks, each rate-limited per caller.

Feedback is prose (an impression, a gap, a feature request) and is kept as given. An error report is a
reproducible failure: the server sanitizes it (integer and UUID path segments become placeholders) and
fingerprints it itself from the error type, the message and the top stack frames with their volatile
parts (line and column numbers, Python's ``line N`` too, addresses, closure ids) removed, so the same
failure reported again counts as one more occurrence of one report.
The client's own fingerprint is kept, as advice only.

A caller that submits too fast is refused with 429 and a ``Retry-After``: a loop that reports its own
failure must not flood the sink. Nothing here is listed back through the API (review is an operator's).
"""

from __future__ import annotations

import hashlib
import re
import time
import uuid
from collections import deque
from typing import TYPE_CHECKING, Any

from methodic_server.errors import ApiError, bad_request
from methodic_server.store.documents import now_iso

if TYPE_CHECKING:
    from methodic_server.store import Store

CATEGORIES = ("feedback", "gap", "feature_request")
MAX_BODY_BYTES = 64 * 1024
TOP_FRAMES = 5
_LINE_COLUMN = re.compile(r":\d+(?::\d+)?\b|\bline \d+")  # `file:12:5` and Python's `line 12`
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
_CLOSURE = re.compile(r"\{\{closure\}\}#\d+")
_ID_SEGMENT = re.compile(r"^(?:\d+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$")


def normal_frames(stack: str) -> str:
    """The top frames of a stack without what changes between two runs of the same failure."""
    frames = [line for line in stack.splitlines() if line.strip()][:TOP_FRAMES]
    return "\n".join(_CLOSURE.sub("{{closure}}", _ADDRESS.sub("", _LINE_COLUMN.sub("", f))) for f in frames)


def fingerprint(error_type: str, message: str, stack: str | None) -> str:
    """The server's identity of a failure: SHA-256 of type, message and normalized top frames."""
    identity = f"{error_type}|{message}|{normal_frames(stack) if stack else ''}"
    return hashlib.sha256(identity.encode()).hexdigest()


def route_template(path: str) -> str:
    """A request path with id-like segments replaced, so reports of one route group together."""
    return "/".join("{id}" if _ID_SEGMENT.match(part) else part for part in path.split("/"))


class RateLimit:
    """At most ``limit`` submissions per caller in any ``window`` seconds (a sliding window, in memory)."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._seen: dict[str, deque[float]] = {}

    def admit(self, caller: str) -> None:
        """Count one submission, or raise 429 with the seconds until the window admits another."""
        now = time.monotonic()
        recent = self._seen.setdefault(caller, deque())
        while recent and now - recent[0] >= self.window:
            recent.popleft()
        if len(recent) >= self.limit:
            wait = max(1, int(self.window - (now - recent[0]) + 0.999))
            raise ApiError(
                429,
                "rate_limited",
                f"too many submissions: at most {self.limit} in {self.window:g} seconds; retry in {wait} s",
                details={"retry_after": wait},
            )
        recent.append(now)


class Feedback:
    """Store feedback and fingerprinted error reports."""

    def __init__(self, store: Store, *, limit: int = 30, window: float = 60.0) -> None:
        self.store = store
        self.docs = store.docs
        self.feedback_limit = RateLimit(limit, window)
        self.error_limit = RateLimit(limit, window)

    def submit(self, body: dict[str, Any], caller: str) -> dict[str, Any]:
        """Keep one piece of feedback; 400 for an unknown category or an empty body, 413 over 64 KiB."""
        category = body.get("category", "feedback")
        if category not in CATEGORIES:
            raise bad_request(f"category must be one of {', '.join(CATEGORIES)}")
        text = body.get("body_md")
        if not isinstance(text, str) or not text.strip():
            raise bad_request("body_md must be non-empty Markdown")
        if len(text.encode()) > MAX_BODY_BYTES:
            raise ApiError(413, "payload_too_large", f"body_md is over {MAX_BODY_BYTES // 1024} KiB")
        context = body.get("context")
        if context is not None and not isinstance(context, dict):
            raise bad_request("context must be an object of identifiers")
        with self.docs.transaction():
            self.feedback_limit.admit(caller)
            record = {
                "id": str(uuid.uuid4()),
                "category": category,
                "body_md": text,
                "context": context,
                "source": body.get("source", "sdk"),
                "submitted_by": caller,
                "created_at": now_iso(),
            }
            return self.docs.put("feedback", record["id"], record)

    def report_error(self, body: dict[str, Any], caller: str) -> dict[str, Any]:
        """Record one occurrence of a failure under the server's fingerprint; the report id is stable."""
        error_type, message, stack = body.get("error_type"), body.get("message"), body.get("stack")
        if not isinstance(error_type, str) or not error_type.strip():
            raise bad_request("error_type must name the error")
        if not isinstance(message, str):
            raise bad_request("message must be a string")
        status = body.get("response_status")
        if status is not None and not (isinstance(status, int) and 100 <= status <= 599):
            raise bad_request("response_status must be an HTTP status code")
        print_ = fingerprint(error_type, message, stack)
        occurrence = {
            "captured_at": body.get("captured_at"),
            "received_at": now_iso(),
            "source": body.get("source"),
            "client_fingerprint": body.get("fingerprint"),
            "request_method": body.get("request_method"),
            "request_path": route_template(body["request_path"]) if body.get("request_path") else None,
            "response_status": status,
            "reported_by": caller,
        }
        with self.docs.transaction():
            self.error_limit.admit(caller)
            report = self.docs.get("error_report", print_) or {
                "id": str(uuid.uuid4()),
                "fingerprint": print_,
                "error_type": error_type,
                "message": message,
                "stack": stack,
                "status": "new",
                "first_seen": occurrence["received_at"],
                "occurrences": [],
            }
            report["occurrences"].append(occurrence)
            report["last_seen"] = occurrence["received_at"]
            self.docs.put("error_report", print_, report)
        return {"id": report["id"], "fingerprint": print_, "occurrences": len(report["occurrences"])}
