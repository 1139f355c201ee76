"""The feed and the activity stream over raw HTTP: real events, newest first, cursors, seen pointers."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from methodic_server import LocalChronicle
from tests.server.wire import Wire


@pytest.fixture
def server() -> Iterator[LocalChronicle]:
    # one server per test: the feed is global to the caller, and the counts below are exact
    with LocalChronicle(validate_contract=True) as running:
        yield running
        assert running.contract_violations == []


def feed(wire: Wire, **params: Any) -> tuple[list[dict[str, Any]], httpx.Headers]:
    response = wire.http.get("/v1/feed", params=params)
    assert response.status_code == 200, response.text
    return response.json(), response.headers


def test_the_feed_has_the_events_of_an_experiments_life_newest_first(wire: Wire) -> None:
    exp = wire.committed()
    wire.ok("POST", f"/v1/experiments/{exp}/findings", {"status": "working", "summary": "s", "evidence_variation": 0})
    wire.ok("POST", f"/v1/experiments/{exp}/lessons", {"title": "t", "origin": "manual", "body_md": "b"})
    wire.ok("POST", f"/v1/experiments/{exp}/conclude", {})
    events, headers = feed(wire)
    kinds = [e["kind"] for e in events]
    assert kinds[:5] == [
        "experiment.concluded",
        "lesson.recorded",
        "finding.recorded",
        "experiment.committed",
        "experiment.created",
    ]
    assert [e["seq"] for e in events] == sorted((e["seq"] for e in events), reverse=True)
    assert {e["experiment_id"] for e in events} == {exp}
    finding = events[2]
    assert (finding["category"], finding["section"], finding["actor_subject"]) == ("activity", "passive", "local-user")
    assert finding["payload"]["status"] == "working" and finding["severity"] == "info"
    assert headers["X-Has-More"] == "false" and headers["X-Unseen-Count"] == str(len(events))


def test_paging_back_by_seq_and_polling_forward_from_one(wire: Wire) -> None:
    for _ in range(3):
        wire.experiment()
    page, headers = feed(wire, limit=2)
    assert len(page) == 2 and headers["X-Has-More"] == "true"
    rest, headers = feed(wire, limit=2, before=page[-1]["seq"])
    assert headers["X-Has-More"] == "false" and [e["seq"] for e in rest] == [page[-1]["seq"] - 1]
    newer = wire.experiment()
    tail, _ = feed(wire, after_seq=page[0]["seq"])
    assert [e["resource_id"] for e in tail] == [newer["experiment_id"]]
    assert wire.error("GET", "/v1/feed", params={"before": 5, "after_seq": 1})[0] == 400


def test_seen_moves_only_forward_and_drives_the_unseen_count(wire: Wire) -> None:
    wire.experiment()
    wire.experiment()
    events, headers = feed(wire)
    assert headers["X-Unseen-Count"] == "2"
    assert (
        wire.ok("POST", "/v1/feed/seen", {"section": "passive", "through_seq": events[1]["seq"]})["through_seq"]
        == events[1]["seq"]
    )
    assert feed(wire)[1]["X-Unseen-Count"] == "1"
    # reading never moves the pointer, and a lower seq is a no-op
    assert feed(wire)[1]["X-Unseen-Count"] == "1"
    assert wire.ok("POST", "/v1/feed/seen", {"section": "passive", "through_seq": 0})["through_seq"] == events[1]["seq"]
    wire.ok("POST", "/v1/feed/seen", {"section": "passive", "through_seq": events[0]["seq"]})
    assert feed(wire)[1]["X-Unseen-Count"] == "0"
    assert wire.error("POST", "/v1/feed/seen", {"section": "inbox", "through_seq": 1})[0] == 400
    assert wire.error("POST", "/v1/feed/seen", {"section": "passive", "through_seq": events[0]["seq"] + 100})[0] == 400
    # another caller's pointer is its own
    other = Wire(wire.server, wire.server.mint_admin_key())
    try:
        assert other.http.get("/v1/feed").headers["X-Unseen-Count"] == "2"
    finally:
        other.close()


def test_a_report_awaiting_approval_is_actionable_until_it_is_reviewed(wire: Wire) -> None:
    exp = wire.committed()
    body = {"asset_type": "research_report", "content": {"n": 1}, "pending_reasons": ["review_required"]}
    asset = wire.ok("POST", "/v1/assets", {**body, "output_of": {"experiment_id": exp}})["asset"]
    needs_you, headers = feed(wire, actionable="true", open="true")
    assert [e["resource_id"] for e in needs_you] == [asset["id"]] and headers["X-Unseen-Count"] == "1"
    assert needs_you[0]["category"] == "report_approval" and needs_you[0]["section"] == "approvals"
    # an approval is counted while it is open: acknowledging it does not clear the badge, resolving it does
    wire.ok("POST", "/v1/feed/seen", {"section": "approvals", "through_seq": needs_you[0]["seq"]})
    assert feed(wire, category="report_approval")[1]["X-Unseen-Count"] == "1"
    wire.ok("PUT", f"/v1/assets/{asset['id']}/approve", {})
    assert feed(wire, actionable="true", open="true")[0] == []
    closed = feed(wire, category="report_approval")[0][0]
    assert closed["resolved_at"] is not None and closed["resolving_seq"] is not None
    reports = feed(wire, category="new_report")[0]
    assert [(e["kind"], e["resource_id"]) for e in reports] == [("asset.ready", asset["id"])]


def test_feed_filters_and_refusals(wire: Wire) -> None:
    exp = wire.committed()
    wire.start(exp)
    wire.ok("POST", f"/v1/experiments/{exp}/variations/0/runs/0/fail", {"reason": "crash: boom"})
    assert [e["kind"] for e in feed(wire, severity="error")[0]] == ["run.failed"]
    assert {e["kind"] for e in feed(wire, kind="run.running")[0]} == {"run.running"}
    assert {e["experiment_id"] for e in feed(wire, experiment=exp)[0]} == {exp}
    assert feed(wire, recipient="me")[0] == []  # nothing is addressed to anyone locally
    assert feed(wire, category="activity,research", order="score")[0]
    for params in ({"category": "gossip"}, {"order": "random"}, {"recipient": "you"}, {"open": "maybe"}):
        assert wire.error("GET", "/v1/feed", params=params)[0] == 400


def test_activity_is_the_audited_actions_newest_first_with_a_timestamp_cursor(wire: Wire) -> None:
    exp = wire.committed()
    wire.ok("POST", f"/v1/experiments/{exp}/lessons", {"title": "t", "origin": "manual", "body_md": "b"})
    response = wire.http.get("/v1/activity", params={"limit": 2})
    rows = response.json()
    assert response.headers["X-Has-More"] == "true"
    assert [r["action"] for r in rows] == ["lesson.record", "experiment.commit"]
    assert rows[0]["actor_subject"] == "local-user" and rows[0]["experiment_id"] == exp
    cursor = f"{rows[-1]['timestamp']}_{rows[-1]['id']}"
    rest = wire.http.get("/v1/activity", params={"before": cursor})
    assert [r["action"] for r in rest.json()] == ["experiment.create"] and rest.headers["X-Has-More"] == "false"
    assert wire.error("GET", "/v1/activity", params={"before": "yesterday"})[0] == 400


def test_a_deleted_experiment_takes_its_events_with_it(wire: Wire) -> None:
    exp = wire.experiment()["experiment_id"]
    wire.ok("DELETE", f"/v1/experiments/{exp}")
    assert exp not in [e["experiment_id"] for e in feed(wire)[0]]
    assert exp not in [r["experiment_id"] for r in wire.ok("GET", "/v1/activity")]


def test_a_retraction_and_the_watchdogs_verdicts_are_events() -> None:
    with LocalChronicle(validate_contract=True, heartbeat_timeout=0.2, lost_timeout=0.2) as server:
        wire = Wire(server)
        try:
            exp = wire.committed()
            wire.start(exp)
            time.sleep(0.5)  # past both timeouts: the run is failed_lost on its next read
            assert wire.ok("GET", f"/v1/experiments/{exp}/variations/0/runs/0/status")["state"] == "failed_lost"
            wire.ok("PUT", f"/v1/experiments/{exp}/retract", {"reason": "leak"})
            newest = feed(wire)[0]
            assert newest[0]["kind"] == "experiment.retracted" and newest[0]["payload"]["reason"] == "leak"
            lost = newest[1]
            assert (lost["kind"], lost["severity"], lost["actor_subject"]) == ("run.failed", "error", "system")
            assert lost["payload"]["status"] == "failed_lost"
        finally:
            wire.close()
        assert server.contract_violations == []
