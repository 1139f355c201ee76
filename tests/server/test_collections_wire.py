"""Collections over raw HTTP: ownership, membership, existence-filtered listings, and search within them."""

from __future__ import annotations

from typing import Any

from methodic_server import LocalChronicle
from tests.helpers import module_server
from tests.server.wire import Wire

server = module_server()  # one contract-checked server for this module's tests


def _note(wire: Wire, text: str, **fields: Any) -> str:
    body = {"asset_type": "research_report", "name": text, "content": text, **fields}
    return str(wire.ok("POST", "/v1/assets", body, status=201)["asset"]["id"])


def test_create_get_and_list_by_scope_and_name(wire: Wire) -> None:
    made = wire.ok("POST", "/v1/collections", {"name": "Structural loads", "description": "d"}, status=201)
    assert (made["scope_id"], made["archived"], made["member_asset_count"]) == ("user_local", False, 0)
    in_org = wire.ok("POST", "/v1/collections", {"name": "Org loads", "scope_id": "org_local"}, status=201)
    assert wire.ok("GET", f"/v1/collections/{made['id']}")["name"] == "Structural loads"
    mine = [c["id"] for c in wire.ok("GET", "/v1/collections", params={"q": "LOADS"})]
    assert made["id"] in mine and in_org["id"] not in mine
    org = [
        c["id"] for c in wire.ok("GET", "/v1/collections", params={"scope_id": "org_local", "include_archived": "true"})
    ]
    assert org == [in_org["id"]]
    assert wire.ok("GET", "/v1/collections", params={"q": "no such name"}) == []
    assert wire.error("POST", "/v1/collections", {"name": " "})[0] == 400
    assert wire.error("POST", "/v1/collections", {"name": "x", "scope_id": "org_elsewhere"})[0] == 403
    assert wire.error("GET", "/v1/collections", params={"include_archived": "maybe"})[0] == 400
    assert wire.error("GET", "/v1/collections/no-such-collection")[0] == 404


def test_members_are_added_once_skipped_when_missing_and_removed(wire: Wire) -> None:
    col = wire.ok("POST", "/v1/collections", {"name": "Hydrodynamics"}, status=201)["id"]
    paper, report = _note(wire, "wave loads paper"), _note(wire, "wave loads report")
    exp = wire.experiment(title="Wave study")
    body = {"asset_ids": [paper, report, "no-such-asset"], "experiment_ids": [exp["experiment"]["slug"]]}
    added = wire.ok("POST", f"/v1/collections/{col}/members", body)
    assert added["added"] == 3 and added["warnings"] == ["asset no-such-asset not found: skipped"]
    again = wire.ok("POST", f"/v1/collections/{col}/members", {"asset_ids": [paper], "reindex_mode": "eager"})
    assert again == {"added": 0, "warnings": []}
    members = wire.ok("GET", f"/v1/collections/{col}/members")
    assert {m["asset_id"] for m in members["assets"]} == {paper, report}
    assert [m["experiment_id"] for m in members["experiments"]] == [exp["experiment_id"]]
    got = wire.ok("GET", f"/v1/collections/{col}")
    assert (got["member_asset_count"], got["member_experiment_count"]) == (2, 1)

    # a deleted member disappears from listings and counts
    wire.ok("DELETE", f"/v1/assets/{report}")
    assert wire.ok("GET", f"/v1/collections/{col}")["member_asset_count"] == 1
    removed = wire.ok(
        "DELETE", f"/v1/collections/{col}/members", {"asset_ids": [paper], "experiment_ids": [exp["experiment_id"]]}
    )
    assert removed == {"removed": 2}
    assert wire.ok("GET", f"/v1/collections/{col}/members") == {"assets": [], "experiments": []}
    status, error = wire.error("POST", f"/v1/collections/{col}/members", {"asset_ids": [paper], "reindex_mode": "soon"})
    assert status == 400 and "reindex_mode" in error["message"]
    assert wire.error("POST", f"/v1/collections/{col}/members", {"asset_ids": "not-a-list"})[0] == 400
    assert wire.error("POST", "/v1/collections/no-such/members", {"asset_ids": [paper]})[0] == 404


def test_search_within_a_collection_is_a_hard_filter(wire: Wire) -> None:
    inside = _note(wire, "turbulence onset measurements")
    _note(wire, "turbulence onset speculation")
    member_exp = wire.committed(title="Turbulence onset sweep")
    output = wire.ok(
        "POST",
        "/v1/assets",
        {
            "asset_type": "research_report",
            "content": "turbulence onset results",
            "output_of": {"experiment_id": member_exp, "variation": 0, "run": 0},
        },
        status=201,
    )["asset"]["id"]
    col = wire.ok("POST", "/v1/collections", {"name": "Onset"}, status=201)["id"]
    wire.ok("POST", f"/v1/collections/{col}/members", {"asset_ids": [inside], "experiment_ids": [member_exp]})

    def found(**extra: Any) -> set[str]:
        page = wire.ok("POST", "/v1/search", {"query": "turbulence onset", **extra})
        return {r["document_id"] for r in page["results"]}

    everything = found()
    assert {inside, member_exp, output} < everything
    assert found(scope={"collections": [col]}) == {inside, member_exp, output}
    outsider = wire.committed(title="Turbulence onset elsewhere")
    assert found(scope={"collections": [col], "experiments": [outsider]}) == {inside, member_exp, output, outsider}
    assert wire.error("POST", "/v1/search", {"query": "x", "scope": {"collections": ["no-such"]}})[0] == 404


def test_associated_collections_boost_and_an_empty_scope_keeps_to_the_context(wire: Wire) -> None:
    paper = _note(wire, "boundary layer transition paper")
    stranger = _note(wire, "boundary layer transition rumour")
    exp = wire.committed(title="Flat plate")
    col = wire.ok("POST", "/v1/collections", {"name": "Transition"}, status=201)["id"]
    wire.ok("POST", f"/v1/collections/{col}/members", {"asset_ids": [paper]})
    linked = wire.ok("POST", f"/v1/experiments/{exp}/collections", {"collection_ids": [col, "no-such"]})
    assert linked["associated"] == 1 and len(linked["warnings"]) == 1 and "no-such" in linked["warnings"][0]
    assert wire.ok("POST", f"/v1/experiments/{exp}/collections", {"collection_ids": [col]})["associated"] == 0

    body = {"query": "boundary layer transition", "experiment_context": [exp]}
    boosts = {r["document_id"]: r["lineage_boost"] for r in wire.ok("POST", "/v1/search", body)["results"]}
    assert boosts[paper] is True and boosts[stranger] is False
    scoped = wire.ok("POST", "/v1/search", {**body, "scope": {"collections": [], "experiments": []}})
    assert {r["document_id"] for r in scoped["results"]} == {paper}
    assert wire.error("POST", "/v1/experiments/no-such/collections", {"collection_ids": [col]})[0] == 404


def test_another_scopes_collection_and_worker_keys_are_refused(server: LocalChronicle, wire: Wire) -> None:
    admin = Wire(server, server.mint_admin_key())
    try:
        theirs = admin.ok("POST", "/v1/collections", {"name": "Theirs", "scope_id": "org_elsewhere"}, status=201)["id"]
        exp = admin.experiment(title="Anything")["experiment_id"]
    finally:
        admin.close()
    for method, path, body in (
        ("GET", f"/v1/collections/{theirs}", None),
        ("GET", f"/v1/collections/{theirs}/members", None),
        ("POST", f"/v1/collections/{theirs}/members", {"asset_ids": []}),
        ("DELETE", f"/v1/collections/{theirs}/members", {"asset_ids": []}),
    ):
        status, error = wire.error(method, path, body)
        assert (status, error["code"]) == (403, "forbidden"), (method, path)
    assert wire.error("POST", "/v1/search", {"query": "x", "scope": {"collections": [theirs]}})[0] == 403
    mine = wire.ok("POST", "/v1/collections", {"name": "Mine"}, status=201)["id"]
    worker = Wire(server, server.mint_worker_key(exp, 0, 0))
    try:
        assert worker.error("GET", f"/v1/collections/{mine}")[0] == 403
        assert worker.error("POST", "/v1/collections", {"name": "w"})[0] == 403
    finally:
        worker.close()
