"""Tool sequences of MCP-direct agent skills, end to end against the local server, checked over REST."""

from __future__ import annotations

import base64
import hashlib

from tests.mcp.jsonrpc import McpClient
from tests.server.wire import Wire


def test_propose_run_record_and_report_as_an_agent_does(mcp: McpClient, rest: Wire) -> None:
    """propose-experiment, then a variation, an output, a finding, a lesson and a report, all through MCP."""
    mcp.request("initialize", {"protocolVersion": "2025-06-18"})
    created = mcp.ok(
        "create_experiment", title="Warmup", hypothesis_summary="warmup helps", config_yaml="lr: 0.1\n", rationale="r"
    )
    exp = created["experiment_id"]
    mcp.ok("commit_experiment", experiment_id=exp)
    proposed = mcp.ok("propose_variation", experiment_id=exp, config_yaml="lr: 0.2\n", hypothesis="faster")
    index = proposed["variation"]["variation"]
    curve = b"step,loss\n1,0.9\n2,0.5\n"
    uploaded = mcp.ok(
        "upload_asset",
        experiment_id=exp,
        filename="curve.csv",
        content_type="text/csv",
        asset_type="metrics",
        link="output",
        variation=index,
        run=0,
        base64_content=base64.b64encode(curve).decode(),
    )
    outputs = mcp.ok("list_outputs", experiment_id=exp, variation=index, run=0)
    assert [o["id"] for o in outputs] == [uploaded["asset_id"]]
    assert outputs[0]["sha256"] == hashlib.sha256(curve).hexdigest()
    finding = mcp.ok("record_finding", experiment_id=exp, status="working", summary="faster", evidence_variation=index)
    lesson = mcp.ok("record_lesson", experiment_id=exp, title="Warm up", origin="manual", body_md="always")
    report = mcp.ok("write_report", experiment_id=exp, kind="research_report", title="Warmup", body="# Findings\n")
    experiment = rest.ok("GET", f"/v1/experiments/{exp}")
    assert experiment["experiment"]["state"] == "committed"
    assert rest.ok("GET", f"/v1/experiments/{exp}/variations/{index}")["state"] == "committed"
    assert finding["findings"][0]["summary"] == "faster"
    lessons = rest.ok("GET", f"/v1/experiments/{exp}/lessons")["lessons"]
    assert [x["id"] for x in lessons] == [lesson["id"]]
    assert report["asset"]["id"] in [a["id"] for a in rest.ok("GET", f"/v1/experiments/{exp}/outputs")]
    found = mcp.ok("search", query="Warmup")
    assert found == rest.ok("POST", "/v1/search", {"query": "Warmup"})


def test_review_imports_as_an_agent_does(mcp: McpClient, rest: Wire) -> None:
    """review-imports: load each gated asset, approve one, reject another; REST sees the gate's outcome."""
    exp = rest.committed()
    gated = [
        rest.ok(
            "POST",
            "/v1/assets",
            {
                "asset_type": "research_report",
                "content": f"r{i}",
                "pending_reasons": ["review_required"],
                "output_of": {"experiment_id": exp},
            },
        )["asset"]["id"]
        for i in range(2)
    ]
    for asset_id in gated:
        assert mcp.ok("review_import", asset_id=asset_id)["state"] == "pending"
    assert mcp.ok("approve_asset", asset_id=gated[0])["state"] == "ready"
    mcp.ok("reject_asset", asset_id=gated[1], reason="duplicate")
    assert rest.ok("GET", f"/v1/assets/{gated[0]}")["state"] == "ready"
    assert rest.ok("GET", f"/v1/assets/{gated[1]}")["state"] != "ready"


BIBTEX = "@article{doe2024, title={Operator Learning}, author={Doe, Jane}, year={2024}, doi={10.5555/mcp.2024}}"


def test_publications_skill_registers_and_cites_through_mcp(mcp: McpClient, rest: Wire) -> None:
    """publications: register (BibTeX here: a DOI the server does not hold needs Crossref), then cite."""
    exp = rest.committed()
    made = mcp.ok("register_publication", bibtex=BIBTEX)
    again = mcp.ok("register_publication", doi="10.5555/mcp.2024")
    assert again["existing"] is True and again["publication"]["id"] == made["publication"]["id"]
    mcp.ok("link_asset", experiment_id=exp, asset_id=made["publication"]["id"], link="input")  # after commit
    inputs = rest.ok("GET", f"/v1/experiments/{exp}/inputs")
    assert made["publication"]["id"] in [a["id"] for a in inputs]


def test_tags_and_collections_skills_through_mcp(mcp: McpClient, rest: Wire) -> None:
    """tags: tag by name, filter a search; collections: create with members, associate, search within."""
    exp = rest.committed()
    notes = rest.ok("POST", "/v1/assets", {"asset_type": "research_report", "content": "turbulence onset notes"})
    asset = notes["asset"]["id"]
    mcp.ok("tag", asset_id=asset, tag="turbulence")
    mcp.ok("tag", experiment_id=exp, tag="negative-result")
    by_tag = mcp.ok("search", query="turbulence onset", filters={"tags": ["turbulence"]})
    assert asset in [r["document_id"] for r in by_tag["results"]]
    col = mcp.ok("create_collection", name="Turbulence")
    mcp.ok("collection_add", collection_id=col["id"], asset_ids=[asset], experiment_ids=[exp])
    mcp.ok("collection_associate", experiment_id=exp, collection_ids=[col["id"]])
    within = mcp.ok("search", query="turbulence onset", scope={"collections": [col["id"]]})
    assert asset in [r["document_id"] for r in within["results"]]
    assert within == rest.ok("POST", "/v1/search", {"query": "turbulence onset", "scope": {"collections": [col["id"]]}})
