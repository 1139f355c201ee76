"""What researchers learn from an experiment: its running summary of findings, and its lessons.

A **finding** is the one-line "what is working, what is not" signal of a variation: the summary keeps one
per evidence variation, so recording again for that variation replaces it. The hosted service has an
evaluator that judges each finding (``validation``); the local server has none, so ``validation`` stays
null, and a dismissal is recorded beside whatever verdict there is, never instead of it.

A **lesson** is a corrected assumption, kept for later work on the experiment and its descendants.
Lessons are retired, never deleted, and a retired lesson is immutable (409 ``lesson_retired``).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from methodic_server.errors import ApiError, bad_request, conflict, not_found
from methodic_server.store.documents import now_iso
from methodic_server.store.scopes import known, owner_subject, scopes_of

if TYPE_CHECKING:
    from methodic_server.store import Store

FINDING_STATUSES = ("working", "partial", "not_working")
LESSON_ORIGINS = ("repeated_error", "researcher_correction", "self_identified", "manual")
LESSON_CATEGORIES = ("assumption", "methodology", "environment", "data", "other")
LESSON_STATUSES = ("active", "retired", "all")
#: The fields of a lesson's body, in the order its Markdown shows them.
BODY_FIELDS = (
    ("believed", "Believed"),
    ("correction", "Correction"),
    ("evidence", "Evidence"),
    ("instead", "Instead"),
    ("applies_to", "Applies to"),
    ("confidence", "Confidence"),
)


def _choice(value: Any, allowed: tuple[str, ...], name: str) -> str:
    if value not in allowed:
        raise bad_request(f"{name} must be one of {', '.join(allowed)}")
    return str(value)


def render_body(body: dict[str, Any]) -> str:
    """A lesson body's Markdown: one paragraph per known field, then any other field, in the order given."""
    known_names = {name for name, _ in BODY_FIELDS}
    parts = [f"**{label}:** {body[name]}" for name, label in BODY_FIELDS if body.get(name) not in (None, "")]
    parts += [f"**{name}:** {value}" for name, value in body.items() if name not in known_names and value]
    return "\n\n".join(parts)


class Findings:
    """The running summary of an experiment, keyed by the experiment id."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.docs = store.docs

    def summary(self, experiment_id: str) -> dict[str, Any]:
        """The running summary (``version`` 0 and no findings before the first one)."""
        return self.docs.get("running_summary", experiment_id) or {"version": 0, "updated_at": None, "findings": []}

    def record(self, experiment_id: str, body: dict[str, Any], recorded_by: str) -> dict[str, Any]:
        """Upsert the finding of ``evidence_variation``; the evidence must exist."""
        status = _choice(body.get("status"), FINDING_STATUSES, "status")
        with self.docs.transaction():
            self.store.experiments.get(experiment_id)
            variation = body["evidence_variation"]
            self.store.variations.get(experiment_id, variation)
            if body.get("evidence_run") is not None:
                self.store.runs.get(experiment_id, variation, body["evidence_run"])
            if body.get("source_asset_id") is not None:
                self.store.assets.get(body["source_asset_id"])
            summary = self.summary(experiment_id)
            finding = {
                "id": str(uuid.uuid4()),
                "status": status,
                "summary": body["summary"],
                "evidence_variation": variation,
                "evidence_run": body.get("evidence_run"),
                "source_asset_id": body.get("source_asset_id"),
                "recorded_at": now_iso(),
                "recorded_by": recorded_by,
                "validation": None,
                "dismissal": None,
            }
            kept = [f for f in summary["findings"] if f["evidence_variation"] != variation]
            self.store.events.record(
                "finding.recorded",
                "finding.record",
                "finding",
                finding["id"],
                experiment_id=experiment_id,
                payload={"status": status, "summary": finding["summary"], "evidence_variation": variation},
            )
            return self._save(experiment_id, summary, sorted([*kept, finding], key=lambda f: f["evidence_variation"]))

    def dismiss_validation(self, experiment_id: str, finding_id: str, reason: str, by: str) -> dict[str, Any]:
        """Record a researcher's dismissal of a finding's verdict; the verdict itself is kept."""
        with self.docs.transaction():
            self.store.experiments.get(experiment_id)
            summary = self.summary(experiment_id)
            finding = next((f for f in summary["findings"] if f["id"] == finding_id), None)
            if finding is None:
                raise not_found(f"finding {finding_id} of experiment {experiment_id} not found")
            finding["dismissal"] = {"reason": reason, "dismissed_at": now_iso(), "dismissed_by": by}
            return self._save(experiment_id, summary, summary["findings"])

    def _save(self, experiment_id: str, summary: dict[str, Any], findings: list[dict[str, Any]]) -> dict[str, Any]:
        saved = {"version": summary["version"] + 1, "updated_at": now_iso(), "findings": findings}
        return self.docs.put("running_summary", experiment_id, saved)


class Lessons:
    """Lessons, keyed ``<experiment_id>/<lesson_id>`` so an experiment's own are one prefix away."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.docs = store.docs

    def record(self, experiment_id: str, body: dict[str, Any], created_by: str) -> dict[str, Any]:
        """A new active lesson; it needs a body (fields) or, failing that, non-empty prose."""
        origin = _choice(body.get("origin"), LESSON_ORIGINS, "origin")
        category = _choice(body.get("category", "assumption"), LESSON_CATEGORIES, "category")
        fields = body.get("body")
        if fields is None and not str(body.get("body_md") or "").strip():
            raise bad_request("a lesson needs a body: pass body (preferred) or body_md")
        with self.docs.transaction():
            self.store.experiments.get(experiment_id)
            if body.get("variation") is not None:
                self.store.variations.get(experiment_id, body["variation"])
            stamp = now_iso()
            lesson = {
                "id": str(uuid.uuid4()),
                "experiment_id": experiment_id,
                "title": body["title"],
                "origin": origin,
                "category": category,
                "body": fields,
                "body_md": render_body(fields) if fields is not None else body["body_md"],
                "variation": body.get("variation"),
                "evidence": body.get("evidence"),
                "status": "active",
                "created_at": stamp,
                "created_by": created_by,
                "updated_at": stamp,
                "retired_at": None,
                "retire_reason": None,
                "superseded_by": None,
            }
            self.store.events.record(
                "lesson.recorded",
                "lesson.record",
                "lesson",
                lesson["id"],
                experiment_id=experiment_id,
                payload={"title": lesson["title"], "origin": origin, "category": category},
            )
            return self.docs.put("lesson", f"{experiment_id}/{lesson['id']}", lesson)

    def _own(self, experiment_id: str, lesson_id: str) -> dict[str, Any]:
        self.store.experiments.get(experiment_id)
        lesson = self.docs.get("lesson", f"{experiment_id}/{lesson_id}")
        if lesson is None:
            # an inherited lesson is changed at its home experiment, so it is not found here either
            raise not_found(f"lesson {lesson_id} of experiment {experiment_id} not found")
        return lesson

    @staticmethod
    def _refuse_retired(lesson: dict[str, Any]) -> None:
        if lesson["status"] == "retired":
            raise conflict(f"lesson {lesson['id']} is retired and cannot change", code="lesson_retired")

    def update(self, experiment_id: str, lesson_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Change the given fields; a new body re-renders the Markdown unless prose is given with it."""
        with self.docs.transaction():
            lesson = self._own(experiment_id, lesson_id)
            self._refuse_retired(lesson)
            if "category" in body:
                lesson["category"] = _choice(body["category"], LESSON_CATEGORIES, "category")
            if body.get("variation") is not None:
                self.store.variations.get(experiment_id, body["variation"])
            for name in ("title", "variation", "evidence", "body"):
                if name in body:
                    lesson[name] = body[name]
            if "body_md" in body:
                lesson["body_md"] = body["body_md"]
            elif "body" in body:
                lesson["body_md"] = render_body(body["body"])
            lesson["updated_at"] = now_iso()
            return self.docs.put("lesson", f"{experiment_id}/{lesson_id}", lesson)

    def retire(self, experiment_id: str, lesson_id: str, reason: str, superseded_by: str | None) -> dict[str, Any]:
        """Move a lesson from active to retired, with the reason and, optionally, the lesson that replaces it."""
        with self.docs.transaction():
            lesson = self._own(experiment_id, lesson_id)
            self._refuse_retired(lesson)
            if superseded_by is not None and not self._exists(superseded_by):
                raise bad_request(f"superseded_by names no lesson: {superseded_by}")
            if superseded_by == lesson_id:
                raise bad_request("a lesson cannot supersede itself")
            stamp = now_iso()
            lesson.update(
                status="retired", retired_at=stamp, retire_reason=reason, superseded_by=superseded_by, updated_at=stamp
            )
            return self.docs.put("lesson", f"{experiment_id}/{lesson_id}", lesson)

    def _exists(self, lesson_id: str) -> bool:
        return any(lesson["id"] == lesson_id for lesson in self.docs.all("lesson"))

    def of_experiment(
        self, experiment_id: str, status: str | None, category: str | None, include_ancestors: bool
    ) -> list[dict[str, Any]]:
        """The experiment's own lessons (by status), then its ancestors' active ones, newest first in each."""
        wanted = _choice(status or "active", LESSON_STATUSES, "status")
        with self.docs.lock:
            self.store.experiments.get(experiment_id)
            own = [
                lesson
                for lesson in self.docs.all("lesson", f"{experiment_id}/", newest_first=True)
                if wanted in ("all", lesson["status"])
            ]
            inherited: list[dict[str, Any]] = []
            if include_ancestors:
                for ancestor in self.store.experiments.lineage(experiment_id, "ancestors")["ancestors"]:
                    inherited += [
                        {**lesson, "inherited_from": ancestor["id"]}
                        for lesson in self.docs.all("lesson", f"{ancestor['id']}/", newest_first=True)
                        if lesson["status"] == "active"
                    ]
        return [lesson for lesson in own + inherited if category is None or lesson["category"] == category]

    def of_scope(
        self,
        key_kind: str,
        scope: str | None,
        status: str | None,
        category: str | None,
        origin: str | None,
        limit: int,
    ) -> dict[str, Any]:
        """Lessons of every experiment the caller can read in ``scope`` (a principal id), newest first."""
        wanted = _choice(status or "active", LESSON_STATUSES, "status")
        member_of = {str(s["id"]) for s in scopes_of(key_kind)}
        if scope is not None and scope not in member_of:
            if known(scope) is None:
                raise not_found(f"scope {scope} not found")
            raise ApiError(403, "forbidden", f"caller is not a member of {scope}")
        with self.docs.lock:
            experiments: dict[str, dict[str, Any]] = {}
            for exp in self.docs.all("experiment"):
                owner = owner_subject(exp.get("organization_id"))
                in_scope = owner == scope or exp.get("team_id") == scope if scope is not None else owner in member_of
                if in_scope:
                    experiments[exp["id"]] = exp
            lessons = [
                lesson
                for lesson in self.docs.all("lesson", newest_first=True)
                if lesson["experiment_id"] in experiments
                and wanted in ("all", lesson["status"])
                and (category is None or lesson["category"] == category)
                and (origin is None or lesson["origin"] == origin)
            ][:limit]
        contributing = dict.fromkeys(lesson["experiment_id"] for lesson in lessons)
        return {
            "lessons": lessons,
            "experiments": [{"id": e, "title": experiments[e].get("title")} for e in contributing],
        }
