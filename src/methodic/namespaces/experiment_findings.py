"""``chronicle.experiments``' findings and lessons: the running summary, the evaluator, research lessons.

A part of :class:`~methodic.namespaces.experiments.ExperimentsNamespace` (which inherits it), apart because
it is its own sub-area of the API: what an experiment learned, as opposed to its lifecycle and lineage.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any

from methodic_api.api.experiments import check_claims, dismiss_finding_validation, get_training_support, record_finding
from methodic_api.api.lessons import list_experiment_lessons, record_lesson, retire_lesson, update_lesson
from methodic_api.models.claim_check_request import ClaimCheckRequest
from methodic_api.models.dismiss_validation import DismissValidation
from methodic_api.models.finding_record import FindingRecord
from methodic_api.models.lesson_record import LessonRecord
from methodic_api.models.lesson_retire import LessonRetire
from methodic_api.models.lesson_update import LessonUpdate
from methodic_api.models.training_support_request import TrainingSupportRequest
from methodic_api.types import UNSET

from methodic._models import Record
from methodic._operations import wraps_operation
from methodic.namespaces._base import Namespace, opt
from methodic.types import Lesson, RunningSummary


class ExperimentFindings(Namespace):
    """Record and judge findings, ask the evaluator, record and curate lessons; every method takes an experiment."""

    @wraps_operation("record_finding")
    def record_finding(
        self,
        experiment_id: str,
        *,
        status: str,
        summary: str,
        evidence_variation: int,
        evidence_run: int | None = None,
        source_asset_id: str | None = None,
    ) -> RunningSummary:
        """Record what is working (``"working"``, ``"partial"`` or ``"not_working"``) on the running summary.

        The summary keeps one finding per ``evidence_variation``: recording again for that variation
        replaces its finding, so refine it as reports land. Judge ``status`` by the metrics, not by whether
        the run succeeded. Returns the updated summary (``.version``, ``.findings``).
        """
        body = _given(
            status=status,
            summary=summary,
            evidence_variation=evidence_variation,
            evidence_run=evidence_run,
            source_asset_id=source_asset_id,
        )
        return self._call(
            record_finding.sync_detailed,
            RunningSummary,
            experiment_id=experiment_id,
            body=FindingRecord.from_dict(body),
        )

    @wraps_operation("check_claims")
    def evaluation_support(
        self,
        experiment_id: str,
        *,
        claims: builtins.list[Mapping[str, Any]] | None = None,
        text: str | None = None,
        scope_variations: builtins.list[int] | None = None,
        finding_id: str | None = None,
    ) -> Record:
        """Have the platform's evaluator judge findings or a write-up before you record them.

        ``claims`` are shaped like :meth:`record_finding`'s arguments; ``text`` is a whole write-up.
        Advisory: nothing is blocked. The answer is the stored claim check (``verdict``, ``unverifiable``,
        ...). It takes an LLM call on the hosted service; the local server answers 501
        ``evaluator_unavailable``.
        """
        payload = _given(
            claims=[dict(claim) for claim in claims] if claims else None,
            text=text,
            scope_variations=scope_variations,
            finding_id=finding_id,
        )
        return self._call(
            check_claims.sync_detailed, Record, experiment_id=experiment_id, body=ClaimCheckRequest.from_dict(payload)
        )

    @wraps_operation("get_training_support")
    def training_support(self, experiment_id: str) -> Record:
        """Advice before queueing a training run (``advice_md``); today there is none (``stub`` true).

        Call it where you commit or queue a variation: the advice will arrive there without a change.
        """
        body = TrainingSupportRequest()
        return self._call(get_training_support.sync_detailed, Record, experiment_id=experiment_id, body=body)

    @wraps_operation("dismiss_finding_validation")
    def dismiss_validation(self, experiment_id: str, finding_id: str, *, reason: str) -> RunningSummary:
        """Overrule a finding's evaluation verdict with a reason: the verdict is kept, the dismissal beside it."""
        return self._call(
            dismiss_finding_validation.sync_detailed,
            RunningSummary,
            experiment_id=experiment_id,
            finding_id=finding_id,
            body=DismissValidation(reason=reason),
        )

    @wraps_operation("record_lesson")
    def record_lesson(
        self,
        experiment_id: str,
        *,
        title: str,
        origin: str,
        body: Mapping[str, Any] | None = None,
        body_md: str | None = None,
        category: str | None = None,
        variation: int | None = None,
        evidence: Mapping[str, Any] | None = None,
    ) -> Lesson:
        """Record a research lesson: an assumption that turned out wrong, and what to do instead.

        ``body`` holds the fields (``believed``, ``correction``, ``evidence``, ``instead``, optionally
        ``applies_to`` and ``confidence``) and is preferred; ``body_md`` is prose used when there is no
        ``body``. ``origin``: ``repeated_error``, ``researcher_correction``, ``self_identified`` or
        ``manual``; ``category`` (default ``assumption``): ``methodology``, ``environment``, ``data`` or
        ``other``. List the lessons first and refine one with :meth:`update_lesson` rather than repeat it.
        """
        payload = _given(
            title=title,
            origin=origin,
            body=_plain(body),
            body_md=body_md,
            category=category,
            variation=variation,
            evidence=_plain(evidence),
        )
        return self._call(
            record_lesson.sync_detailed, Lesson, experiment_id=experiment_id, body=LessonRecord.from_dict(payload)
        )

    @wraps_operation("list_experiment_lessons")
    def list_lessons(
        self,
        experiment_id: str,
        *,
        status: str | None = None,
        category: str | None = None,
        include_ancestors: bool = True,
    ) -> builtins.list[Lesson]:
        """The experiment's lessons (``status``: ``active`` by default, ``retired`` or ``all``).

        With ``include_ancestors`` (the default) the active lessons of its ancestors follow, each with
        ``inherited_from`` naming the ancestor: check conclusions and new variations against all of them.
        """
        found = self._call(
            list_experiment_lessons.sync_detailed,
            Record,
            experiment_id=experiment_id,
            status=opt(status),
            category=opt(category),
            # sent only when on, as the hosted client does: the server leaves ancestors out unless asked
            include_ancestors=True if include_ancestors else UNSET,
        )
        lessons = found.get("lessons")
        return [Lesson(item) for item in lessons if isinstance(item, Mapping)] if isinstance(lessons, list) else []

    @wraps_operation("update_lesson")
    def update_lesson(
        self,
        experiment_id: str,
        lesson_id: str,
        *,
        title: str | None = None,
        body: Mapping[str, Any] | None = None,
        body_md: str | None = None,
        category: str | None = None,
        variation: int | None = None,
        evidence: Mapping[str, Any] | None = None,
    ) -> Lesson:
        """Refine a lesson in place: fields not given stay as they are (ConflictError once it is retired).

        Send the whole ``body`` when sharpening one of its fields: its Markdown is rendered again from it.
        """
        payload = _given(
            title=title,
            body=_plain(body),
            body_md=body_md,
            category=category,
            variation=variation,
            evidence=_plain(evidence),
        )
        return self._call(
            update_lesson.sync_detailed,
            Lesson,
            experiment_id=experiment_id,
            lesson_id=lesson_id,
            body=LessonUpdate.from_dict(payload),
        )

    @wraps_operation("retire_lesson")
    def retire_lesson(
        self, experiment_id: str, lesson_id: str, *, reason: str, superseded_by: str | None = None
    ) -> Lesson:
        """Retire a lesson of this experiment that turned out wrong or obsolete (lessons are never deleted).

        An inherited lesson is retired at its own experiment.
        """
        return self._call(
            retire_lesson.sync_detailed,
            Lesson,
            experiment_id=experiment_id,
            lesson_id=lesson_id,
            body=LessonRetire(reason=reason, superseded_by=opt(superseded_by)),
        )


def _given(**fields: Any) -> dict[str, Any]:
    """The request body: the fields given, in the hosted client's order (None: not sent)."""
    return {name: value for name, value in fields.items() if value is not None}


def _plain(value: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A free-form JSON object as a plain dict (None: not sent)."""
    return None if value is None else dict(value)
