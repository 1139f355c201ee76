"""Findings and lessons: what researchers record about an experiment, the scope-wide lesson list, and assist.

The research-assist calls: a claim check needs an evaluator (an LLM call) that the local server does not have,
so it answers 501 ``evaluator_unavailable``; training support has no advice on the hosted service either, and
answers the same empty advice marked ``stub``.
"""

from __future__ import annotations

from methodic_server.errors import ApiError
from methodic_server.routes.base import (
    EXPERIMENT,
    Answer,
    Ctx,
    Operation,
    Services,
    created_by,
    query_flag,
    query_int,
)


def operations(services: Services) -> list[Operation]:
    """Record and dismiss findings; record, list, update and retire lessons; list a scope's lessons."""
    s = services.store
    lesson = EXPERIMENT + "/lessons/{lesson_id}"

    def list_experiment_lessons(c: Ctx) -> Answer:
        # off unless asked: the hosted client asks by default and leaves the parameter out to say no
        found = s.lessons.of_experiment(
            c.params["experiment_id"],
            c.query.get("status"),
            c.query.get("category"),
            query_flag(c, "include_ancestors"),
        )
        return 200, {"lessons": found}

    def list_lessons(c: Ctx) -> Answer:
        return 200, s.lessons.of_scope(
            c.key_kind,
            c.query.get("scope"),
            c.query.get("status"),
            c.query.get("category"),
            c.query.get("origin"),
            query_int(c, "limit", 200, 1, 1000) or 200,
        )

    def check_claims(c: Ctx) -> Answer:
        s.experiments.get(c.params["experiment_id"])
        raise ApiError(
            501,
            "evaluator_unavailable",
            "a claim check is judged by the hosted service's evaluator (an LLM call); the local server has none",
        )

    def training_support(c: Ctx) -> Answer:
        s.experiments.get(c.params["experiment_id"])
        return 200, {"advice_md": "", "stub": True}

    def report_settings(c: Ctx) -> Answer:
        return 200, s.experiments.set_report_settings(c.params["experiment_id"], c.body["settings"])

    return [
        Operation("check_claims", "POST", EXPERIMENT + "/claim-checks", check_claims, takes_body=True),
        Operation(
            "get_training_support",
            "POST",
            EXPERIMENT + "/training-support",
            training_support,
            takes_body=True,
            worker="read",
        ),
        Operation("update_report_settings", "PUT", EXPERIMENT + "/report-settings", report_settings, takes_body=True),
        Operation(
            "record_finding",
            "POST",
            EXPERIMENT + "/findings",
            lambda c: (200, s.findings.record(c.params["experiment_id"], c.body, created_by(c))),
            takes_body=True,
        ),
        Operation(
            "dismiss_finding_validation",
            "PUT",
            EXPERIMENT + "/findings/{finding_id}/dismiss-validation",
            lambda c: (
                200,
                s.findings.dismiss_validation(
                    c.params["experiment_id"], c.params["finding_id"], c.body["reason"], created_by(c)
                ),
            ),
            takes_body=True,
        ),
        Operation(
            "record_lesson",
            "POST",
            EXPERIMENT + "/lessons",
            lambda c: (201, s.lessons.record(c.params["experiment_id"], c.body, created_by(c))),
            takes_body=True,
        ),
        Operation("list_experiment_lessons", "GET", EXPERIMENT + "/lessons", list_experiment_lessons, worker="read"),
        Operation(
            "update_lesson",
            "PUT",
            lesson,
            lambda c: (200, s.lessons.update(c.params["experiment_id"], c.params["lesson_id"], c.body)),
            takes_body=True,
        ),
        Operation(
            "retire_lesson",
            "PUT",
            lesson + "/retire",
            lambda c: (
                200,
                s.lessons.retire(
                    c.params["experiment_id"], c.params["lesson_id"], c.body["reason"], c.body.get("superseded_by")
                ),
            ),
            takes_body=True,
        ),
        # a worker key reads its own experiment only, so the scope-wide list is not for it
        Operation("list_lessons", "GET", "/v1/lessons", list_lessons),
    ]
