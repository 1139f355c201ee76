"""Findings and lessons over raw HTTP: the hosted wire's shapes and the rules the published client documents."""

from __future__ import annotations

import pytest

from methodic_server import LocalChronicle
from tests.helpers import module_server
from tests.server.wire import Wire

server = module_server()  # one contract-checked server for this module's tests


def test_one_finding_per_evidence_variation_and_a_dismissal_beside_the_verdict(wire: Wire) -> None:
    exp = wire.committed()
    path = f"/v1/experiments/{exp}/findings"
    first = wire.ok("POST", path, {"status": "working", "summary": "better", "evidence_variation": 0}, status=200)
    assert first["version"] == 1 and [f["summary"] for f in first["findings"]] == ["better"]
    assert first["findings"][0]["validation"] is None  # no evaluator runs locally, and none is pretended
    wire.ok("POST", f"/v1/experiments/{exp}/variations", {"config_yaml": "lr: 1\n"})
    wire.ok("POST", path, {"status": "partial", "summary": "mixed", "evidence_variation": 1})
    replacing = {"status": "not_working", "summary": "worse after all", "evidence_variation": 0, "evidence_run": 0}
    again = wire.ok("POST", path, replacing)
    assert again["version"] == 3
    assert [(f["evidence_variation"], f["status"]) for f in again["findings"]] == [(0, "not_working"), (1, "partial")]
    finding = again["findings"][0]["id"]
    dismissed = wire.ok(
        "PUT", f"/v1/experiments/{exp}/findings/{finding}/dismiss-validation", {"reason": "the metric is noisy"}
    )
    assert dismissed["findings"][0]["dismissal"]["reason"] == "the metric is noisy"
    assert dismissed["findings"][0]["status"] == "not_working"  # the finding itself is kept as it was


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"status": "great", "summary": "s", "evidence_variation": 0}, 400),
        ({"status": "working", "summary": "", "evidence_variation": 0}, 400),
        ({"status": "working", "summary": "s"}, 400),
        ({"status": "working", "summary": "s", "evidence_variation": 9}, 404),
        ({"status": "working", "summary": "s", "evidence_variation": 0, "evidence_run": 9}, 404),
        ({"status": "working", "summary": "s", "evidence_variation": 0, "source_asset_id": "nope"}, 404),
    ],
)
def test_a_finding_names_real_evidence(wire: Wire, body: dict[str, object], status: int) -> None:
    exp = wire.committed()
    assert wire.error("POST", f"/v1/experiments/{exp}/findings", body)[0] == status
    assert wire.error("PUT", f"/v1/experiments/{exp}/findings/nope/dismiss-validation", {"reason": "r"})[0] == 404


def test_lessons_record_refine_retire_and_stay_immutable_once_retired(wire: Wire) -> None:
    exp = wire.committed()
    base = f"/v1/experiments/{exp}/lessons"
    body = {"believed": "more data helps", "correction": "it was label noise", "instead": "clean first"}
    lesson = wire.ok("POST", base, {"title": "Clean labels", "origin": "researcher_correction", "body": body}, 201)
    assert lesson["status"] == "active" and lesson["category"] == "assumption"
    assert "**Believed:** more data helps" in lesson["body_md"] and "**Instead:** clean first" in lesson["body_md"]
    prose = wire.ok("POST", base, {"title": "Seeds", "origin": "manual", "body_md": "fix the seed", "category": "data"})
    assert prose["body"] is None and prose["body_md"] == "fix the seed"

    changed = wire.ok("PUT", f"{base}/{lesson['id']}", {"body": {**body, "instead": "dedupe first"}})
    assert changed["title"] == "Clean labels" and "**Instead:** dedupe first" in changed["body_md"]
    retired = wire.ok("PUT", f"{base}/{lesson['id']}/retire", {"reason": "superseded", "superseded_by": prose["id"]})
    assert (retired["status"], retired["superseded_by"]) == ("retired", prose["id"])
    code, error = wire.error("PUT", f"{base}/{lesson['id']}", {"title": "again"})
    assert (code, error["code"]) == (409, "lesson_retired")
    assert wire.error("PUT", f"{base}/{lesson['id']}/retire", {"reason": "twice"})[1]["code"] == "lesson_retired"

    assert [x["id"] for x in wire.ok("GET", base)["lessons"]] == [prose["id"]]  # active by default
    assert [x["id"] for x in wire.ok("GET", base, params={"status": "retired"})["lessons"]] == [lesson["id"]]
    assert len(wire.ok("GET", base, params={"status": "all"})["lessons"]) == 2
    assert [x["id"] for x in wire.ok("GET", base, params={"category": "data"})["lessons"]] == [prose["id"]]


@pytest.mark.parametrize(
    "body",
    [
        {"title": "t", "origin": "manual"},  # no body and no prose
        {"title": "t", "origin": "manual", "body_md": "   "},
        {"title": "t", "origin": "guess", "body_md": "x"},
        {"title": "t", "origin": "manual", "body_md": "x", "category": "vibes"},
        {"title": "", "origin": "manual", "body_md": "x"},
    ],
)
def test_a_lesson_needs_a_body_and_known_names(wire: Wire, body: dict[str, object]) -> None:
    exp = wire.committed()
    assert wire.error("POST", f"/v1/experiments/{exp}/lessons", body)[0] == 400


def test_descendants_inherit_active_lessons_and_change_them_only_at_home(wire: Wire) -> None:
    parent = wire.committed()
    child = wire.experiment(parent_experiment_ids=[parent])["experiment_id"]
    kept = wire.ok("POST", f"/v1/experiments/{parent}/lessons", {"title": "a", "origin": "manual", "body_md": "x"})
    gone = wire.ok("POST", f"/v1/experiments/{parent}/lessons", {"title": "b", "origin": "manual", "body_md": "y"})
    wire.ok("PUT", f"/v1/experiments/{parent}/lessons/{gone['id']}/retire", {"reason": "wrong"})
    own = wire.ok("POST", f"/v1/experiments/{child}/lessons", {"title": "c", "origin": "manual", "body_md": "z"})

    listed = wire.ok("GET", f"/v1/experiments/{child}/lessons", params={"include_ancestors": "true"})["lessons"]
    assert [(x["id"], x.get("inherited_from")) for x in listed] == [(own["id"], None), (kept["id"], parent)]
    for params in ({}, {"include_ancestors": "false"}):  # without the parameter, the experiment's own only
        alone = wire.ok("GET", f"/v1/experiments/{child}/lessons", params=params)["lessons"]
        assert [x["id"] for x in alone] == [own["id"]]
    # an inherited lesson is retired at its home experiment, not through a descendant
    assert wire.error("PUT", f"/v1/experiments/{child}/lessons/{kept['id']}/retire", {"reason": "r"})[0] == 404


def test_the_scope_wide_list_names_its_experiments_and_refuses_other_scopes(wire: Wire) -> None:
    exp = wire.committed(title="Scope-wide lessons")
    body = {"title": "t", "origin": "self_identified", "body_md": "x"}
    lesson = wire.ok("POST", f"/v1/experiments/{exp}/lessons", body)
    page = wire.ok("GET", "/v1/lessons", params={"origin": "self_identified", "limit": 1000})
    assert lesson["id"] in [x["id"] for x in page["lessons"]]
    assert {"id": exp, "title": "Scope-wide lessons"} in page["experiments"]
    assert len(wire.ok("GET", "/v1/lessons", params={"scope": "user_local", "limit": 1})["lessons"]) == 1
    assert wire.ok("GET", "/v1/lessons", params={"scope": "org_local"})["lessons"] == []  # none owned by it
    assert wire.error("GET", "/v1/lessons", params={"scope": "org_elsewhere"})[0] == 403
    assert wire.error("GET", "/v1/lessons", params={"scope": "org_nowhere"})[0] == 404
    assert wire.error("GET", "/v1/lessons", params={"limit": 0})[0] == 400
    assert wire.error("GET", "/v1/lessons", params={"status": "gone"})[0] == 400


def test_a_worker_key_reads_its_own_experiments_lessons_and_writes_none(wire: Wire, server: LocalChronicle) -> None:
    exp = wire.committed()
    wire.ok("POST", f"/v1/experiments/{exp}/lessons", {"title": "t", "origin": "manual", "body_md": "x"})
    other = wire.committed()
    worker = Wire(server, server.mint_worker_key(exp, 0, 0))
    try:
        assert len(worker.ok("GET", f"/v1/experiments/{exp}/lessons")["lessons"]) == 1
        assert worker.error("GET", f"/v1/experiments/{other}/lessons")[0] == 403
        assert worker.error("GET", "/v1/lessons")[0] == 403
        body = {"title": "t", "origin": "manual", "body_md": "x"}
        assert worker.error("POST", f"/v1/experiments/{exp}/lessons", body)[0] == 403
        finding = {"status": "working", "summary": "s", "evidence_variation": 0}
        assert worker.error("POST", f"/v1/experiments/{exp}/findings", finding)[0] == 403
    finally:
        worker.close()


def test_assist_calls_say_what_the_local_server_can_and_cannot_do(wire: Wire) -> None:
    exp = wire.committed()
    body = {"claims": [{"summary": "s", "status": "working", "evidence_variation": 0}], "text": "t"}
    code, error = wire.error("POST", f"/v1/experiments/{exp}/claim-checks", body)
    assert (code, error["code"]) == (501, "evaluator_unavailable") and "LLM" in error["message"]
    assert wire.error("POST", "/v1/experiments/nope/claim-checks", body)[0] == 404
    # the hosted service has no training advice yet either: the same empty answer, marked as such
    assert wire.ok("POST", f"/v1/experiments/{exp}/training-support", {}) == {"advice_md": "", "stub": True}


def test_report_settings_are_kept_and_freeze_at_commit(wire: Wire) -> None:
    exp = wire.experiment()["experiment_id"]
    settings = {"hypothesis": {"mode": "freeform", "freeform_prompt": "one page"}}
    assert (
        wire.ok("PUT", f"/v1/experiments/{exp}/report-settings", {"settings": settings})["report_settings"] == settings
    )
    assert wire.ok("GET", f"/v1/experiments/{exp}")["experiment"]["report_settings"] == settings
    wire.commit_if_open(exp)
    code, error = wire.error("PUT", f"/v1/experiments/{exp}/report-settings", {"settings": {}})
    assert code == 409 and "frozen" in error["message"]
