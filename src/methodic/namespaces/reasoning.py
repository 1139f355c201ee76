"""Reasoning-error reports, the catalogs they feed, and the review queue: none is scoped to one experiment.

- ``chronicle.reasoning_errors``: say how an AI reasoned (or executed) badly. Filing is cheap and
  immediate on purpose, so that reports keep coming; review follows.
- ``chronicle.failure_modes``: the curated, human-confirmed catalog of ways research reasoning goes
  wrong. Read it before recording a claim: it is what evaluation checks claims against.
- ``chronicle.operational_checks``: what to verify before acting, keyed on what a problem looks like.
- ``chronicle.review_queue``: what waits for a human's review decision (read-only: finalizing is a
  human act, so an agent that noticed something cannot also be the one that makes the platform believe it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from methodic_api.api.failure_modes import list_failure_modes
from methodic_api.api.operational_checks import list_operational_checks, suggest_operational_checks
from methodic_api.api.reasoning_errors import (
    list_reasoning_errors,
    reclassify_reasoning_error,
    report_reasoning_error,
)
from methodic_api.api.review_queue import list_review_queue
from methodic_api.models.operational_check_suggest import OperationalCheckSuggest
from methodic_api.models.reasoning_error_reclassify import ReasoningErrorReclassify
from methodic_api.models.reasoning_error_report import ReasoningErrorReport

from methodic._models import Record
from methodic._operations import wraps_operation
from methodic.namespaces._base import Namespace, opt


def _given(**fields: Any) -> dict[str, Any]:
    """A request body: the fields given, in the hosted client's order (None: not sent)."""
    return {name: value for name, value in fields.items() if value is not None}


class ReasoningErrorRecord(Record):
    """A reasoning-error report: ``kind`` (reasoning or operational), ``state`` and what was reported."""

    __slots__ = ()
    id: str
    kind: str | None
    state: str | None
    reasoning_error: str | None
    experiment_id: str | None
    failure_mode_id: str | None
    operational_check_id: str | None


class ReviewQueue(Record):
    """``review_queue.list``: ``queue["items"]`` (``.items()`` is the dict method), oldest first.

    Each item has its ``kind`` (``reasoning_error``, ``failure_mode`` or ``claim_check``), ``id``,
    ``experiment_id``, ``state``, ``summary`` and the full ``item``.
    """

    __slots__ = ()


class OperationalCheckSuggestion(Record):
    """``operational_checks.suggest``: the ``checks`` to verify, in order, and what matched ``unmatched``."""

    __slots__ = ()
    unmatched: str | None


class ReasoningErrorsNamespace(Namespace):
    """Report reasoning errors (yours or another agent's); list your reports; move one between kinds."""

    @wraps_operation("report_reasoning_error")
    def report(
        self,
        reasoning_error: str,
        *,
        kind: str = "reasoning",
        description: str | None = None,
        experiment_id: str | None = None,
        variation: int | None = None,
        claim_check_id: str | None = None,
        user_confirmed: bool = False,
        lesson_id: str | None = None,
        evidence: Mapping[str, Any] | None = None,
    ) -> ReasoningErrorRecord:
        """File a report; it is stored at once in state ``reported`` and review follows.

        ``kind``: ``reasoning`` (the inference was wrong) or ``operational`` (the execution was); when
        unsure, file it and :meth:`reclassify` later. ``user_confirmed``: the researcher confirmed it, the
        strongest signal there is (record the instance as a lesson too and pass ``lesson_id``). With
        ``experiment_id`` you need write access to it, and ``variation`` and ``lesson_id`` must be its
        (NotFoundError otherwise). ``evidence`` holds pointers only (run, report or session ids). Not for
        platform bugs (``feedback.report_error``) nor a wrong assumption about one experiment's data (a lesson).
        """
        body = _given(
            reasoning_error=reasoning_error,
            kind=None if kind == "reasoning" else kind,
            description=description,
            experiment_id=experiment_id,
            variation=variation,
            claim_check_id=claim_check_id,
            user_confirmed=True if user_confirmed else None,
            lesson_id=lesson_id,
            evidence=None if evidence is None else dict(evidence),
        )
        return self._call(
            report_reasoning_error.sync_detailed, ReasoningErrorRecord, body=ReasoningErrorReport.from_dict(body)
        )

    @wraps_operation("reclassify_reasoning_error")
    def reclassify(self, report_id: str, *, kind: str, reason: str) -> ReasoningErrorRecord:
        """Move your report to the other kind; the id stays (people hold it).

        Catalog mappings clear and it is reviewed again. ``reason`` is required: corrections are how
        misclassification gets measured.

        ConflictError when it already is that ``kind``; PermissionDeniedError for someone else's report.
        """
        body = ReasoningErrorReclassify(kind=kind, reason=reason)
        return self._call(
            reclassify_reasoning_error.sync_detailed, ReasoningErrorRecord, report_id=report_id, body=body
        )

    @wraps_operation("list_reasoning_errors")
    def list(
        self,
        *,
        state: str | None = None,
        unmapped: bool | None = None,
        reviewed_by: str | None = None,
        awaiting: str | None = None,
        limit: int | None = None,
    ) -> list[ReasoningErrorRecord]:
        """Your own reports, newest first (a superadmin's: everyone's); they are private to their reporter.

        ``state``: ``reported``, ``ai_validated``, ``ai_rejected``, ``human_confirmed`` or ``human_rejected``.
        ``unmapped``: only reports no catalog entry matches yet. ``reviewed_by`` / ``awaiting``: reports that
        have (or still lack) a confirmed review from ``user``, ``agent``, ``methodic_agent`` or
        ``methodic_human``; ``awaiting`` is a reviewer's pull.
        """
        return self._list(
            list_reasoning_errors.sync_detailed,
            ReasoningErrorRecord,
            state=opt(state),
            unmapped=opt(unmapped),
            reviewed_by=opt(reviewed_by),
            awaiting=opt(awaiting),
            limit=opt(limit),
        )


class FailureModesNamespace(Namespace):
    """The curated catalog of ways research reasoning goes wrong."""

    @wraps_operation("list_failure_modes")
    def list(self, *, q: str | None = None, family: str | None = None, signal: bool | None = None) -> list[Record]:
        """Active (human-confirmed) entries, by slug; a model-proposed entry is never served here.

        ``q``: a substring of the slug or title. ``family``: ``evidence``, ``causality``,
        ``generalization``, ``methodology``, ``process`` or ``other``. ``signal``: True for modes an
        evaluation can notice mechanically, False for those only prose reveals.
        """
        found = self._call(list_failure_modes.sync_detailed, Record, q=opt(q), family=opt(family), signal=opt(signal))
        return [Record(entry) for entry in found.get("failure_modes") or []]


class OperationalChecksNamespace(Namespace):
    """Runnable checks distilled from execution failures, found by what a problem looks like."""

    @wraps_operation("list_operational_checks")
    def list(self, *, q: str | None = None, experiment_id: str | None = None) -> list[Record]:
        """Active checks you can see across platform, organization, team and you (and ``experiment_id``'s own).

        The nearest scope wins a slug. ``q`` is free text matched against symptoms first, then titles:
        search by what the problem looks like, as you rarely know an entry's name.
        """
        found = self._call(list_operational_checks.sync_detailed, Record, q=opt(q), experiment_id=opt(experiment_id))
        return [Record(entry) for entry in found.get("operational_checks") or []]

    @wraps_operation("suggest_operational_checks")
    def suggest(self, prompt: str, *, experiment_id: str | None = None) -> OperationalCheckSuggestion:
        """Which checks apply to what you are about to do (``prompt``), in the order to verify them.

        An empty ``checks`` list is a real answer. Matching a plan to the catalog needs a language model:
        the local server has none and answers 501 (APIStatusError with ``status_code`` 501, code
        ``llm_unavailable``); use :meth:`list` with ``q`` there.
        """
        body = OperationalCheckSuggest.from_dict(_given(prompt=prompt, experiment_id=experiment_id))
        return self._call(suggest_operational_checks.sync_detailed, OperationalCheckSuggestion, body=body)


class ReviewQueueNamespace(Namespace):
    """What waits for a review decision; read-only, because deciding is a human's act."""

    @wraps_operation("list_review_queue")
    def list(
        self,
        *,
        kind: str | None = None,
        experiment_id: str | None = None,
        state: str | None = None,
        limit: int | None = None,
    ) -> ReviewQueue:
        """Items awaiting review, as ``queue["items"]``.

        A superadmin gets the global queue (reports filed with no experiment and every proposed catalog
        entry too); anyone else, the items of experiments they own.

        ``kind``: ``reasoning_error``, ``failure_mode`` or ``claim_check`` (all three when omitted);
        ``state``: the kind's own state.
        """
        return self._call(
            list_review_queue.sync_detailed,
            ReviewQueue,
            kind=opt(kind),
            experiment_id=opt(experiment_id),
            state=opt(state),
            limit=opt(limit),
        )
