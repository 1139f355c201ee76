"""Reasoning errors, catalogs and the review queue through the SDK over real HTTP."""

from __future__ import annotations

import pytest

from methodic import Chronicle, errors
from methodic_server import LocalChronicle
from tests.helpers import CONFIG


def test_report_list_reclassify_and_the_review_queue(client: Chronicle) -> None:
    exp = client.experiments.create(hypothesis_summary="h", config_yaml=CONFIG)
    exp.commit()
    lesson = client.experiments.record_lesson(exp.id, title="one seed", origin="researcher_correction", body_md="b")
    report = client.reasoning_errors.report(
        "Claimed a win from one seed",
        description="n=1",
        experiment_id=exp.id,
        variation=0,
        user_confirmed=True,
        lesson_id=lesson.id,
        evidence={"run": 0},
    )
    assert (report.kind, report.state, report.experiment_id) == ("reasoning", "reported", exp.id)
    assert [r.id for r in client.reasoning_errors.list(awaiting="methodic_human")] == [report.id]
    assert client.reasoning_errors.list(state="human_confirmed") == []
    assert [r.id for r in client.reasoning_errors.list(unmapped=True, limit=5)] == [report.id]

    moved = client.reasoning_errors.reclassify(report.id, kind="operational", reason="the run broke")
    assert (moved.id, moved.kind, moved.state) == (report.id, "operational", "reported")
    with pytest.raises(errors.ConflictError):
        client.reasoning_errors.reclassify(report.id, kind="operational", reason="again")
    with pytest.raises(errors.NotFoundError):
        client.reasoning_errors.report("x", experiment_id=exp.id, variation=7)

    queue = client.review_queue.list(kind="reasoning_error", experiment_id=exp.id)
    assert [(i["kind"], i["id"]) for i in queue["items"]] == [("reasoning_error", report.id)]


def test_catalogs_read_what_curators_added_and_suggest_says_why_it_cannot(
    client: Chronicle, server: LocalChronicle
) -> None:
    server.curate_failure_mode(
        {"slug": "one-seed", "title": "A win from one seed", "family": "evidence", "signal": True}
    )
    server.curate_failure_mode({"slug": "maybe", "title": "Proposed only", "family": "other"}, status="proposed")
    assert [m["slug"] for m in client.failure_modes.list()] == ["one-seed"]
    assert client.failure_modes.list(family="causality") == []
    assert [m["slug"] for m in client.failure_modes.list(q="seed", signal=True)] == ["one-seed"]

    server.curate_operational_check(
        {"slug": "quota", "title": "GPU quota", "symptoms": ["job stuck in pending"], "steps": ["check quota"]}
    )
    checks = client.operational_checks.list(q="stuck")
    assert [c["slug"] for c in checks] == ["quota"] and checks[0]["steps"] == ["check quota"]
    with pytest.raises(errors.APIStatusError) as refused:
        client.operational_checks.suggest("upload 2 TB of checkpoints")
    assert refused.value.status_code == 501 and refused.value.code == "llm_unavailable"
