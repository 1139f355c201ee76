"""Moves into an organization, asset visibility and batch approval over raw HTTP."""

from __future__ import annotations

import pytest

from tests.helpers import module_server
from tests.server.wire import Wire

ORG, TEAM = "org_local", "team_local"


server = module_server()  # one contract-checked server for this module's tests


def _report(wire: Wire, **fields: object) -> str:
    body = {"asset_type": "research_report", "content": {"n": 1}} | fields
    return str(wire.ok("POST", "/v1/assets", body, status=201)["asset"]["id"])


def test_a_personal_experiment_moves_with_its_outputs_once(wire: Wire) -> None:
    exp = wire.committed()
    output = _report(wire, output_of={"experiment_id": exp})
    moved = wire.ok("POST", f"/v1/experiments/{exp}/move", {"organization_id": ORG, "team_id": TEAM})
    assert (moved["organization_id"], moved["team_id"], moved["visibility"]) == (ORG, TEAM, "organization")
    assert wire.ok("GET", f"/v1/assets/{output}")["organization_id"] == ORG  # its outputs followed it
    code, error = wire.error("POST", f"/v1/experiments/{exp}/move", {"organization_id": ORG})
    assert (code, error["code"]) == (409, "already_owned_by_organization")


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"organization_id": "org_elsewhere"}, 403),  # not a member
        ({"organization_id": "org_nowhere"}, 400),
        ({"organization_id": ORG, "team_id": "team_nowhere"}, 400),
        ({"organization_id": ORG, "visibility": "everyone-ish"}, 400),
        ({}, 400),
    ],
)
def test_a_move_needs_a_scope_the_caller_belongs_to(wire: Wire, body: dict[str, object], status: int) -> None:
    exp = wire.committed()
    assert wire.error("POST", f"/v1/experiments/{exp}/move", body)[0] == status
    assert wire.ok("GET", f"/v1/experiments/{exp}")["experiment"]["organization_id"] is None  # nothing changed


def test_an_asset_moves_alone_unless_it_is_an_output_and_its_visibility_changes_in_place(wire: Wire) -> None:
    dataset = _report(wire)
    moved = wire.ok("POST", f"/v1/assets/{dataset}/move", {"organization_id": ORG, "visibility": "private"})
    assert (moved["organization_id"], moved["visibility"]) == (ORG, "private")
    shared = wire.ok("PUT", f"/v1/assets/{dataset}/visibility", {"visibility": "public"})
    assert (shared["organization_id"], shared["visibility"]) == (ORG, "public")
    assert wire.error("PUT", f"/v1/assets/{dataset}/visibility", {"visibility": "nobody"})[0] == 400
    output = _report(wire, output_of={"experiment_id": wire.committed()})
    code, error = wire.error("POST", f"/v1/assets/{output}/move", {"organization_id": ORG})
    assert (code, error["code"]) == (409, "owned_by_experiment")


def test_bulk_approval_reports_each_asset_and_never_fails_the_batch(wire: Wire) -> None:
    gated = [_report(wire, pending_reasons=["review_required"]) for _ in range(2)]
    plain = _report(wire)
    answer = wire.ok("POST", "/v1/assets/bulk-approve", {"asset_ids": [*gated, plain, "nope"]})
    assert (answer["approved"], answer["failed"]) == (2, 2)
    rows = {row["asset_id"]: row for row in answer["results"]}
    assert rows[gated[0]]["status"] == "approved" and rows[gated[0]]["finalized"] is True
    assert rows[plain]["status"] == "error" and rows["nope"]["status"] == "error"
    assert wire.ok("GET", f"/v1/assets/{gated[1]}")["state"] == "ready"
    waiting = _report(wire, pending_reasons=["review_required"])
    everything = wire.ok("POST", "/v1/assets/bulk-approve", {"all_in_scope": True})
    assert waiting in [row["asset_id"] for row in everything["results"] if row["status"] == "approved"]
    for body in ({}, {"asset_ids": [plain], "all_in_scope": True}):
        assert wire.error("POST", "/v1/assets/bulk-approve", body)[0] == 400
