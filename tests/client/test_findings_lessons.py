"""Findings and lessons through the SDK, over real HTTP to the local server, as the hosted client's callers use them."""

from __future__ import annotations

import json

import pytest

from methodic import Chronicle, errors
from tests.helpers import CONFIG


def test_a_researcher_records_findings_and_lessons_and_a_descendant_sees_them(client: Chronicle) -> None:
    parent = client.experiments.create(hypothesis_summary="wider is better", config_yaml=CONFIG)
    parent.commit()
    client.variations.commit(parent.id, 0, commit_without_hypothesis=True)

    summary = parent.record_finding(status="working", summary="+2 points over baseline", evidence_variation=0)
    assert summary.version == 1 and summary.findings[0].status == "working"
    finding = summary.findings[0]
    dismissed = client.experiments.dismiss_validation(parent.id, finding.id, reason="one seed only")
    assert dismissed.findings[0].dismissal is not None and dismissed.findings[0].dismissal["reason"] == "one seed only"

    lesson = parent.record_lesson(
        title="Check label noise before scaling data",
        origin="researcher_correction",
        body={"believed": "more data helps", "correction": "labels were noisy", "instead": "clean first"},
        category="data",
        variation=0,
    )
    assert lesson.status == "active" and lesson["category"] == "data"
    assert "labels were noisy" in (lesson.body_md or "")
    json.dumps(lesson)  # a result goes through json as it is

    refined = client.experiments.update_lesson(parent.id, lesson.id, title="Clean labels before adding data")
    assert refined.title == "Clean labels before adding data" and refined.body == lesson.body

    child = client.experiments.create(
        hypothesis_summary="deeper, on the cleaned set", config_yaml=CONFIG, parent_experiment_ids=[parent.id]
    )
    own = client.experiments.record_lesson(child.id, title="Fix the seed", origin="manual", body_md="seed 0 only")
    listed = child.list_lessons()
    assert [(x.id, x.inherited_from) for x in listed] == [(own.id, None), (lesson.id, parent.id)]
    assert [x.id for x in client.experiments.list_lessons(child.id, include_ancestors=False)] == [own.id]

    scope_wide = client.lessons.list(category="data")
    assert lesson.id in [x.id for x in scope_wide.lessons]
    assert parent.id in [e["id"] for e in scope_wide.experiments]

    retired = client.experiments.retire_lesson(parent.id, lesson.id, reason="obsolete", superseded_by=own.id)
    assert retired.status == "retired"
    assert [x.id for x in child.list_lessons()] == [own.id]  # only active lessons are inherited
    with pytest.raises(errors.ConflictError) as refused:
        client.experiments.update_lesson(parent.id, lesson.id, title="again")
    assert refused.value.code == "lesson_retired" and refused.value.status_code == 409


def test_bad_input_is_a_typed_error_that_names_the_problem(client: Chronicle) -> None:
    exp = client.experiments.create(hypothesis_summary="h", config_yaml=CONFIG)
    with pytest.raises(errors.BadRequestError, match="body"):
        client.experiments.record_lesson(exp.id, title="t", origin="manual")
    with pytest.raises(errors.BadRequestError, match="status"):
        client.experiments.record_finding(exp.id, status="great", summary="s", evidence_variation=0)
    with pytest.raises(errors.NotFoundError):
        client.experiments.record_finding(exp.id, status="working", summary="s", evidence_variation=7)
    with pytest.raises(errors.PermissionDeniedError):
        client.lessons.list(scope="org_elsewhere")


def test_assist_and_report_settings_through_the_handle(client: Chronicle) -> None:
    exp = client.experiments.create(hypothesis_summary="h", config_yaml=CONFIG)
    assert exp.training_support() == {"advice_md": "", "stub": True}
    with pytest.raises(errors.APIStatusError) as refused:
        exp.evaluation_support(text="it worked")
    assert (refused.value.status_code, refused.value.code) == (501, "evaluator_unavailable")
    settings = {"takeaways": {"mode": "template", "per_variation": True}}
    assert exp.set_report_settings(settings) is exp
    assert client.experiments.get(exp.id).experiment["report_settings"] == settings
    exp.commit()
    with pytest.raises(errors.ConflictError):
        client.reports.update_settings(exp.id, settings={})
