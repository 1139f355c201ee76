"""Reasoning-error reports, the catalogs they feed, and the queue of what waits for review.

A **report** says how an AI reasoned badly (``reasoning``) or executed badly (``operational``). Filing is
cheap and immediate; it starts ``reported``. On the hosted service a model validates it next
(``ai_validated`` / ``ai_rejected``) and a human decides (``human_confirmed`` / ``human_rejected``). The
local server has no model, so a report stays ``reported`` (and in the review queue) until a review is
recorded. Reports are private to their reporter (a superadmin sees all): they carry experiment context in
free text. Reclassifying keeps the id, clears both catalog mappings and sends the report back to
``reported``, because a mapping made for one kind says nothing about the other.

The **failure-mode catalog** serves only ``active`` (human-confirmed) entries; a ``proposed`` entry waits
in the review queue. **Operational checks** are scoped (platform, organization, team, user, experiment);
a read widens across every scope the caller can see and the nearest scope wins a slug. Picking the checks
that apply to a free-text plan needs a language model, which the local server does not have: 501.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, NoReturn

from methodic_server.errors import ApiError, bad_request, conflict, not_found
from methodic_server.store.documents import now_iso
from methodic_server.store.scopes import owner_subject, scopes_of

if TYPE_CHECKING:
    from methodic_server.store import Store

KINDS = ("reasoning", "operational")
STATES = ("reported", "ai_validated", "ai_rejected", "human_confirmed", "human_rejected")
#: Who a review comes from; only ``methodic_human`` admits a report to what anything global draws on.
REVIEWER_CLASSES = ("user", "agent", "methodic_agent", "methodic_human")
FAMILIES = ("evidence", "causality", "generalization", "methodology", "process", "other")
QUEUE_KINDS = ("reasoning_error", "failure_mode", "claim_check")
#: Nearest first: a check of the experiment beats one of the user, team, organization or platform.
CHECK_SCOPES = ("experiment", "user", "team", "organization", "platform")
#: A report is waiting for review in these states (a decided one has left the queue).
UNDECIDED = ("reported", "ai_validated", "ai_rejected")


def _choice(value: Any, allowed: tuple[str, ...], name: str) -> str:
    if value not in allowed:
        raise bad_request(f"{name} must be one of {', '.join(allowed)}")
    return str(value)


class ReasoningErrors:
    """Reports keyed by id; the catalogs and the review queue read them."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.docs = store.docs

    def report(self, body: dict[str, Any], key_kind: str, reporter: str) -> dict[str, Any]:
        """Store a report in state ``reported``; every reference in it must resolve."""
        kind = _choice(body.get("kind", "reasoning"), KINDS, "kind")
        if not str(body.get("reasoning_error") or "").strip():
            raise bad_request("reasoning_error must say what went wrong")
        experiment_id = body.get("experiment_id")
        with self.docs.transaction():
            if experiment_id is not None:
                experiment_id = self.store.experiments.resolve(str(experiment_id))
                self._require_owner(key_kind, experiment_id)
                if body.get("variation") is not None:
                    self.store.variations.get(experiment_id, body["variation"])
            elif body.get("variation") is not None:
                raise bad_request("variation needs experiment_id")
            if body.get("lesson_id") is not None:
                self._require_lesson(str(body["lesson_id"]), experiment_id)
            stamp = now_iso()
            report = {
                "id": str(uuid.uuid4()),
                "kind": kind,
                "state": "reported",
                "reasoning_error": body["reasoning_error"],
                "description": body.get("description"),
                "experiment_id": experiment_id,
                "variation": body.get("variation"),
                "claim_check_id": body.get("claim_check_id"),
                "user_confirmed": bool(body.get("user_confirmed")),
                "lesson_id": body.get("lesson_id"),
                "evidence": body.get("evidence"),
                "failure_mode_id": None,
                "operational_check_id": None,
                "reviews": [],
                "reclassifications": [],
                "reported_by": reporter,
                "created_at": stamp,
                "updated_at": stamp,
            }
            return self.docs.put("reasoning_error", report["id"], report)

    def _require_owner(self, key_kind: str, experiment_id: str) -> None:
        """Write on the experiment: the caller belongs to the scope that owns it (a superadmin always)."""
        owner = owner_subject(self.store.experiments.get(experiment_id).get("organization_id"))
        if key_kind != "admin" and owner not in {str(s["id"]) for s in scopes_of(key_kind)}:
            raise ApiError(403, "forbidden", f"caller may not write to experiment {experiment_id}")

    def _require_lesson(self, lesson_id: str, experiment_id: str | None) -> None:
        prefix = f"{experiment_id}/" if experiment_id is not None else ""
        if not any(lesson["id"] == lesson_id for lesson in self.docs.all("lesson", prefix)):
            where = f" of experiment {experiment_id}" if experiment_id is not None else ""
            raise not_found(f"lesson {lesson_id}{where} not found")

    def reclassify(self, report_id: str, body: dict[str, Any], key_kind: str, caller: str) -> dict[str, Any]:
        """Move a report to the other kind, keeping its id; it re-enters review with no catalog mapping."""
        kind = _choice(body.get("kind"), KINDS, "kind")
        reason = str(body.get("reason") or "").strip()
        if not reason:
            raise bad_request("reason is required: corrections are how misclassification is measured")
        with self.docs.transaction():
            report = self.docs.get("reasoning_error", report_id)
            if report is None:
                raise not_found(f"reasoning-error report {report_id} not found")
            if key_kind != "admin" and report["reported_by"] != caller:
                raise ApiError(403, "forbidden", f"report {report_id} belongs to another reporter")
            if report["kind"] == kind:
                raise conflict(f"report {report_id} is already {kind}", code="already_that_kind")
            stamp = now_iso()
            report["reclassifications"].append(
                {"from": report["kind"], "to": kind, "reason": reason, "by": caller, "at": stamp}
            )
            report.update(
                kind=kind, state="reported", failure_mode_id=None, operational_check_id=None, updated_at=stamp
            )
            return self.docs.put("reasoning_error", report_id, report)

    def listed(self, key_kind: str, caller: str, query: dict[str, Any]) -> list[dict[str, Any]]:
        """The caller's reports (a superadmin's: all), newest first, filtered."""
        state = query.get("state")
        if state is not None:
            _choice(state, STATES, "state")
        reviewed_by, awaiting = query.get("reviewed_by"), query.get("awaiting")
        for name, value in (("reviewed_by", reviewed_by), ("awaiting", awaiting)):
            if value is not None:
                _choice(value, REVIEWER_CLASSES, name)
        unmapped = query.get("unmapped")
        with self.docs.lock:
            reports = self.docs.all("reasoning_error", newest_first=True)
        found = [
            r
            for r in reports
            if (key_kind == "admin" or r["reported_by"] == caller)
            and (state is None or r["state"] == state)
            and (unmapped is None or (r["failure_mode_id"] is None and r["operational_check_id"] is None) == unmapped)
            and (reviewed_by is None or any(v["by_class"] == reviewed_by and v["confirmed"] for v in r["reviews"]))
            and (awaiting is None or not any(v["by_class"] == awaiting for v in r["reviews"]))
        ]
        return found[: int(query["limit"])]


class Catalogs:
    """The failure-mode catalog and the operational checks; entries are added by curators, not by this API."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.docs = store.docs

    def add_failure_mode(self, entry: dict[str, Any], *, status: str = "proposed") -> dict[str, Any]:
        """Add a catalog entry (``proposed`` until a human confirms it, then ``active``)."""
        _choice(entry.get("family"), FAMILIES, "family")
        _choice(status, ("proposed", "active", "retired"), "status")
        with self.docs.transaction():
            record = {
                "id": str(uuid.uuid4()),
                "slug": entry["slug"],
                "title": entry["title"],
                "family": entry["family"],
                "signal": bool(entry.get("signal")),
                "description": entry.get("description"),
                "status": status,
                "experiment_id": entry.get("experiment_id"),
                "created_at": now_iso(),
            }
            return self.docs.put("failure_mode", record["id"], record)

    def add_operational_check(self, entry: dict[str, Any]) -> dict[str, Any]:
        """Add an active check at a scope (``platform``, or a scope or experiment id with ``scope_id``)."""
        scope = _choice(entry.get("scope", "platform"), CHECK_SCOPES, "scope")
        if (scope == "platform") != (entry.get("scope_id") is None):
            raise bad_request("scope_id names the user, team, organization or experiment; platform has none")
        with self.docs.transaction():
            record = {
                "id": str(uuid.uuid4()),
                "slug": entry["slug"],
                "title": entry["title"],
                "symptoms": list(entry.get("symptoms") or []),
                "steps": list(entry.get("steps") or []),
                "scope": scope,
                "scope_id": entry.get("scope_id"),
                "status": "active",
                "created_at": now_iso(),
            }
            return self.docs.put("operational_check", record["id"], record)

    def failure_modes(self, q: str | None, family: str | None, signal: bool | None) -> dict[str, Any]:
        """Active entries only, by slug; ``q`` is a case-insensitive substring of the slug or title."""
        if family is not None:
            _choice(family, FAMILIES, "family")
        needle = (q or "").casefold()
        with self.docs.lock:
            entries = self.docs.all("failure_mode")
        found = [
            e
            for e in entries
            if e["status"] == "active"
            and (family is None or e["family"] == family)
            and (signal is None or e["signal"] == signal)
            and (needle in e["slug"].casefold() or needle in e["title"].casefold())
        ]
        return {"failure_modes": sorted(found, key=lambda e: e["slug"])}

    def operational_checks(self, key_kind: str, q: str | None, experiment_id: str | None) -> dict[str, Any]:
        """Checks of every scope the caller sees, nearest scope first per slug; symptom matches lead."""
        member_of = {str(s["id"]) for s in scopes_of(key_kind)}
        with self.docs.lock:
            if experiment_id is not None:
                experiment_id = self.store.experiments.resolve(experiment_id)
            entries = self.docs.all("operational_check")
        visible = [
            e
            for e in entries
            if e["status"] == "active"
            and (
                e["scope"] == "platform"
                or (e["scope"] == "experiment" and e["scope_id"] == experiment_id)
                or (e["scope"] != "experiment" and (key_kind == "admin" or e["scope_id"] in member_of))
            )
        ]
        nearest: dict[str, dict[str, Any]] = {}
        for entry in sorted(visible, key=lambda e: CHECK_SCOPES.index(e["scope"])):
            nearest.setdefault(entry["slug"], entry)
        if not q:
            return {"operational_checks": sorted(nearest.values(), key=lambda e: e["slug"])}
        words = [w for w in q.casefold().split() if w]

        def hits(texts: list[str]) -> int:
            return sum(1 for w in words if any(w in t.casefold() for t in texts))

        ranked = []
        for entry in nearest.values():
            symptom, named = hits(entry["symptoms"]), hits([entry["slug"], entry["title"]])
            if symptom or named:
                ranked.append((-symptom, -named, entry["slug"], entry))
        return {"operational_checks": [entry for *_, entry in sorted(ranked, key=lambda r: r[:3])]}

    def suggest(self, body: dict[str, Any]) -> NoReturn:
        """Refuse honestly: choosing the checks that apply to a plan needs a language model."""
        if not str(body.get("prompt") or "").strip():
            raise bad_request("prompt must describe what you are about to do")
        if body.get("experiment_id") is not None:
            self.store.experiments.resolve(str(body["experiment_id"]))
        raise ApiError(
            501,
            "llm_unavailable",
            "operational_checks.suggest needs a language model to match a plan to the catalog, and the local "
            "server has none; list the catalog with operational_checks.list(q=...) instead",
        )


class ReviewQueue:
    """What waits for a review decision: undecided reports and proposed catalog entries."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.docs = store.docs

    def items(self, key_kind: str, query: dict[str, Any]) -> dict[str, Any]:
        """A superadmin's global queue, or the items of experiments the caller owns; oldest first."""
        kind = query.get("kind")
        if kind is not None:
            _choice(kind, QUEUE_KINDS, "kind")
        member_of = {str(s["id"]) for s in scopes_of(key_kind)}
        with self.docs.lock:
            experiment_id = query.get("experiment_id")
            if experiment_id is not None:
                experiment_id = self.store.experiments.resolve(experiment_id)
            owned = {
                e["id"]
                for e in self.docs.all("experiment")
                if key_kind == "admin" or owner_subject(e.get("organization_id")) in member_of
            }
            reports = self.docs.all("reasoning_error")
            modes = self.docs.all("failure_mode")
        queue: list[dict[str, Any]] = []
        if kind in (None, "reasoning_error"):
            queue += [
                {
                    "kind": "reasoning_error",
                    "id": r["id"],
                    "experiment_id": r["experiment_id"],
                    "state": r["state"],
                    "created_at": r["created_at"],
                    "summary": r["reasoning_error"],
                    "item": r,
                }
                for r in reports
                if r["state"] in UNDECIDED
            ]
        if kind in (None, "failure_mode"):
            queue += [
                {
                    "kind": "failure_mode",
                    "id": m["id"],
                    "experiment_id": m["experiment_id"],
                    "state": m["status"],
                    "created_at": m["created_at"],
                    "summary": m["title"],
                    "item": m,
                }
                for m in modes
                if m["status"] == "proposed"
            ]
        # claim checks are the hosted evaluator's; the local server runs no evaluation, so it has none to queue
        visible = [
            i
            for i in queue
            if (key_kind == "admin" or i["experiment_id"] in owned)
            and (experiment_id is None or i["experiment_id"] == experiment_id)
            and (query.get("state") is None or i["state"] == query["state"])
        ]
        visible.sort(key=lambda i: str(i["created_at"]))
        return {"items": visible[: int(query["limit"])]}

    def decide(self, kind: str, item_id: str, *, confirm: bool, by: str, reason: str | None = None) -> dict[str, Any]:
        """Record a review decision (the admin bridge's part; no client route makes one).

        A report gets a review of class ``by``. Only a platform decision moves its state: ``methodic_agent``
        (a model) to ``ai_validated`` / ``ai_rejected``, ``methodic_human`` to ``human_confirmed`` /
        ``human_rejected``, which takes it out of the queue. A proposed failure mode confirmed by a human
        becomes ``active`` (served by the catalog), rejected ``retired``.
        """
        _choice(kind, ("reasoning_error", "failure_mode"), "kind")
        with self.docs.transaction():
            if kind == "failure_mode":
                mode = self.docs.get("failure_mode", item_id)
                if mode is None:
                    raise not_found(f"failure mode {item_id} not found")
                if mode["status"] != "proposed":
                    raise conflict(f"failure mode {item_id} is {mode['status']}, not awaiting review")
                mode["status"] = "active" if confirm else "retired"
                return self.docs.put("failure_mode", item_id, mode)
            by_class = _choice(by, REVIEWER_CLASSES, "by")
            report = self.docs.get("reasoning_error", item_id)
            if report is None:
                raise not_found(f"reasoning-error report {item_id} not found")
            if report["state"] not in UNDECIDED:
                raise conflict(f"report {item_id} is {report['state']}: a human has decided it")
            stamp = now_iso()
            report["reviews"].append({"by_class": by_class, "confirmed": confirm, "reason": reason, "at": stamp})
            if by_class == "methodic_agent":
                report["state"] = "ai_validated" if confirm else "ai_rejected"
            elif by_class == "methodic_human":
                report["state"] = "human_confirmed" if confirm else "human_rejected"
            report["updated_at"] = stamp
            return self.docs.put("reasoning_error", item_id, report)
