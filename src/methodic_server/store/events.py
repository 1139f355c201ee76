"""The event log behind the feed and the activity stream: what happened, in the order it happened.

The stores record an event at the point a thing happens (an experiment created, committed or concluded, a
run started or finished, an asset ready, a finding or lesson recorded, a report awaiting approval), inside
the same transaction, so an event exists exactly when its change does. Each event gets ``seq``, one
counter for the whole log: the feed pages and acknowledges on it.

Both readers are bounded like the experiment list: an event about an experiment is seen by whoever can
read that experiment (its owner's members; a superadmin sees all), so a deleted experiment's events go
with it. The feed adds per-caller, per-section *seen* pointers that only the caller moves (reading never
does), so an agent that crashes between reading and acknowledging gets the events again.
"""

from __future__ import annotations

import uuid
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from methodic_server.errors import bad_request
from methodic_server.store.documents import now_iso, parse_iso
from methodic_server.store.scopes import owner_subject, scopes_of

if TYPE_CHECKING:
    from methodic_server.store import Store

#: Who is acting in this request (set by the API around each handler); events name it as their actor.
#: Outside a request (the heartbeat watchdog) the actor is the server itself.
ACTOR: ContextVar[str] = ContextVar("methodic_server_actor", default="system")

#: Each feed category and the section (the unit a seen pointer is kept for) it rolls up into.
SECTION_OF = {
    "activity": "passive",
    "new_report": "passive",
    "blocked": "blocked",
    "report_approval": "approvals",
    "experiment_invite": "approvals",
    "organization_invite": "approvals",
    "research": "research",
}
SECTIONS = ("blocked", "approvals", "research", "passive")
#: Sections whose count is of what is still open (resolving an item clears it, not reading or acking it).
ACTION_SECTIONS = ("blocked", "approvals")
#: Categories of audited actions, the ones the activity stream shows (not invitations or recommendations).
AUDITED = ("activity", "new_report")


class Events:
    """Record events; read them as the feed (with seen pointers) or as the activity stream."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.docs = store.docs
        last = self.docs.db.execute("SELECT key FROM docs WHERE kind = 'event' ORDER BY seq DESC LIMIT 1").fetchone()
        self._seq = int(last[0]) if last else 0

    def record(
        self,
        kind: str,
        action: str,
        resource_type: str,
        resource_id: str,
        *,
        experiment_id: str | None = None,
        category: str = "activity",
        severity: str = "info",
        actionable: bool = False,
        payload: dict[str, Any] | None = None,
        actor: str | None = None,
    ) -> dict[str, Any]:
        """Append one event; call it inside the transaction that makes the change it reports.

        ``actor`` defaults to the caller of the current request (``system`` outside one).
        """
        with self.docs.lock:  # a watchdog verdict may be applied by a read outside any transaction
            self._seq += 1
            event = {
                "seq": self._seq,
                "id": str(uuid.uuid4()),
                "category": category,
                "section": SECTION_OF[category],
                "kind": kind,
                "action": action,
                "created_at": now_iso(),
                "via": "api",
                "audience": "experiment" if experiment_id is not None else "actor",
                "actionable": actionable,
                "severity": severity,
                "payload": payload or {},
                "actor_subject": actor or ACTOR.get(),
                "resource_type": resource_type,
                "resource_id": resource_id,
                "experiment_id": experiment_id,
                "recipient_principal_id": None,
                "resolved_at": None,
                "resolved_by": None,
                "resolving_seq": None,
                "score": None,
            }
            return self.docs.put("event", f"{self._seq:012d}", event)

    def resolve(self, resource_id: str, category: str) -> None:
        """Close the open actionable events of ``category`` about ``resource_id`` (e.g. a report once reviewed).

        Call it right after recording the event that resolves them: that event's seq is their ``resolving_seq``.
        """
        for event in self.docs.all("event"):
            if event["resource_id"] == resource_id and event["category"] == category and event["resolved_at"] is None:
                event.update(resolved_at=now_iso(), resolved_by=ACTOR.get(), resolving_seq=self._seq)
                self.docs.put("event", f"{event['seq']:012d}", event)

    def _visible(self, key_kind: str, subject: str) -> list[dict[str, Any]]:
        """Every event the caller may see, oldest first (call under the lock)."""
        member_of = {str(s["id"]) for s in scopes_of(key_kind)}
        readable = {
            e["id"]
            for e in self.docs.all("experiment")
            if key_kind == "admin" or owner_subject(e.get("organization_id")) in member_of
        }
        return [
            event
            for event in self.docs.all("event")
            if (
                event["experiment_id"] in readable
                if event["experiment_id"] is not None
                else event["actor_subject"] == subject
            )
            and event["recipient_principal_id"] in (None, subject)
        ]

    def pointer(self, subject: str, section: str) -> int:
        """The highest seq the caller has acknowledged in ``section`` (0 before any)."""
        saved = self.docs.get("feed_pointer", f"{subject}/{section}")
        return int(saved["through_seq"]) if saved else 0

    def feed(self, key_kind: str, subject: str, query: dict[str, Any]) -> tuple[list[dict[str, Any]], bool, int]:
        """One page of the feed, whether more follow, and its badge count.

        The count is over every event the filters match: in ``blocked`` and ``approvals`` the ones still
        open, in ``research`` and ``passive`` the ones past the caller's pointer of that section.
        """
        categories = [c.strip() for c in str(query.get("category") or "").split(",") if c.strip()]
        unknown = [c for c in categories if c not in SECTION_OF]
        if unknown:
            raise bad_request(f"unknown feed category {unknown[0]!r}; one of {', '.join(SECTION_OF)}")
        order = query.get("order") or "seq"
        if order not in ("seq", "score"):
            raise bad_request("order must be seq or score")
        if query.get("recipient") not in (None, "me"):
            raise bad_request("recipient must be me")
        before, after = query.get("before"), query.get("after_seq")
        if before is not None and after is not None:
            raise bad_request("before pages back and after_seq polls forward: give one of them")
        with self.docs.lock:
            matched = [
                e
                for e in self._visible(key_kind, subject)
                if (not categories or e["category"] in categories)
                and (query.get("actionable") is None or e["actionable"] == query["actionable"])
                and (not query.get("open") or (e["actionable"] and e["resolved_at"] is None))
                and (query.get("recipient") is None or e["recipient_principal_id"] == subject)
                and (query.get("experiment") is None or e["experiment_id"] == query["experiment"])
                and (query.get("kind") is None or e["kind"] == query["kind"])
                and (query.get("severity") is None or e["severity"] == query["severity"])
            ]
            pointers = {section: self.pointer(subject, section) for section in SECTIONS}
        # the sections that ask for action count what is still open; the others what is past the pointer
        unseen = sum(
            1
            for e in matched
            if (
                (e["actionable"] and e["resolved_at"] is None)
                if e["section"] in ACTION_SECTIONS
                else e["seq"] > pointers[e["section"]]
            )
        )
        if after is not None:
            rows = [e for e in matched if e["seq"] > after]  # oldest first: a tail reads forward
        else:
            rows = [e for e in reversed(matched) if before is None or e["seq"] < before]
            if order == "score":
                rows.sort(
                    key=lambda e: (e["score"] if e["score"] is not None else float("-inf"), e["seq"]), reverse=True
                )
        limit = int(query["limit"])
        return rows[:limit], len(rows) > limit, unseen

    def seen(self, subject: str, section: Any, through_seq: Any) -> dict[str, Any]:
        """Move the caller's pointer of ``section`` up to ``through_seq``; never down."""
        if section not in SECTIONS:
            raise bad_request(f"section must be one of {', '.join(SECTIONS)}")
        if not isinstance(through_seq, int) or isinstance(through_seq, bool) or through_seq < 0:
            raise bad_request("through_seq must be a non-negative integer")
        with self.docs.transaction():
            if through_seq > self._seq:
                raise bad_request(f"through_seq {through_seq} is past the newest event ({self._seq})")
            current = self.pointer(subject, section)
            pointer = {"section": section, "through_seq": max(current, through_seq)}
            if pointer["through_seq"] != current:
                self.docs.put("feed_pointer", f"{subject}/{section}", pointer)
            return pointer

    def activity(
        self, key_kind: str, subject: str, before: str | None, limit: int
    ) -> tuple[list[dict[str, Any]], bool]:
        """One page of the audited actions the caller may see, newest first, and whether more follow."""
        last = None
        if before is not None:
            stamp, sep, raw = before.rpartition("_")
            if not sep or not raw.isdigit():
                raise bad_request("before must be <timestamp>_<id> of the previous page's last row")
            try:
                parse_iso(stamp)
            except ValueError as exc:
                raise bad_request(f"before: {stamp!r} is not an RFC 3339 timestamp") from exc
            last = int(raw)
        with self.docs.lock:
            rows = [
                {
                    "id": e["seq"],
                    "timestamp": e["created_at"],
                    "action": e["action"],
                    "resource_type": e["resource_type"],
                    "resource_id": e["resource_id"],
                    "actor_subject": e["actor_subject"],
                    "via": e["via"],
                    "status": e["payload"].get("status"),
                    "experiment_id": e["experiment_id"],
                }
                for e in reversed(self._visible(key_kind, subject))
                if e["category"] in AUDITED and (last is None or e["seq"] < last)
            ]
        return rows[:limit], len(rows) > limit
