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


def test_the_other_mcp_direct_skills_run_their_tool_sequences(mcp: McpClient, rest: Wire) -> None:
    """The rest of the MCP-direct skills whose operations the local server has, each in its order.

    chronicle-feed, chronicle-register-dataset, chronicle-share, delete-asset, delete-experiment,
    history-explorer, move-experiment, propose-experiment, rebind-variation-git, research-survey,
    retract-experiment and status; each result checked over REST where it changes something.
    """
    # propose-experiment: a prompt, a citation, the hypothesis report, the experiment committed
    created = mcp.ok(
        "create_experiment", title="Survey", hypothesis_summary="operators generalise", config_yaml="a: 1\n"
    )
    exp = created["experiment_id"]
    mcp.ok("create_research_prompt", prompt="Cheaper surrogates", experiment_id=exp)
    paper = mcp.ok("register_publication", bibtex=BIBTEX.replace("mcp.2024", "survey.2024"))["publication"]
    mcp.ok("link_asset", experiment_id=exp, asset_id=paper["id"], link="input")
    mcp.ok("write_report", experiment_id=exp, kind="hypothesis_report", title="Why", body="# Hypothesis\n")
    mcp.ok("commit_experiment", experiment_id=exp)
    assert rest.ok("GET", f"/v1/experiments/{exp}")["experiment"]["state"] == "committed"
    assert [p["research_prompt"]["prompt"] for p in rest.ok("GET", f"/v1/experiments/{exp}/research-prompts")] == [
        "Cheaper surrogates"
    ]

    # status, history-explorer, research-survey: reads
    assert exp in [e["id"] for e in mcp.ok("list_experiments")]
    assert mcp.ok("get_experiment", experiment_id=exp)["experiment"]["id"] == exp
    assert mcp.ok("get_lineage", experiment_id=exp) == rest.ok("GET", f"/v1/experiments/{exp}/lineage")
    assert mcp.ok("list_tentative_links", experiment_id=exp)["tentative_links"] == []
    assert mcp.ok("search", query="operators") == rest.ok("POST", "/v1/search", {"query": "operators"})

    # rebind-variation-git: an open variation's inputs and branch, then commit
    variation = mcp.ok("create_variation", experiment_id=exp, config_yaml="a: 2\n", hypothesis="h")["variation"]
    mcp.ok("set_variation_git_ref", experiment_id=exp, variation=variation, git_ref="variation/rebound")
    assert mcp.ok("list_variation_inputs", experiment_id=exp, variation=variation) == rest.ok(
        "GET", f"/v1/experiments/{exp}/variations/{variation}/inputs"
    )
    mcp.ok("commit_variation", experiment_id=exp, variation=variation)
    committed = rest.ok("GET", f"/v1/experiments/{exp}/variations/{variation}")
    assert (committed["state"], committed["git_ref"]) == ("committed", "variation/rebound")

    # chronicle-register-dataset: by reference, described, listed, found
    dataset = mcp.ok("register_dataset", uri="gs://bucket/fields/", name="fields", size_bytes=10)["asset"]
    mcp.ok("update_dataset_metadata", asset_id=dataset["id"], metadata={"description": "velocity fields"})
    assert dataset["id"] in [a["id"] for a in mcp.ok("list_datasets")]

    # chronicle-share: visibility, grants, a scope share, revoke
    scopes = mcp.ok("list_scopes")
    org = next(s["id"] for s in scopes["scopes"] if s["kind"] == "organization")
    mcp.ok("set_asset_visibility", asset_id=dataset["id"], visibility="public")
    mcp.ok("grant_asset_access", asset_id=dataset["id"], principal_id="team_local", action="write")
    mcp.ok("share_asset_with_scope", asset_id=dataset["id"], scope_id=org)
    mcp.ok("revoke_asset_access", asset_id=dataset["id"], principal_id="team_local", action="write")
    aces = mcp.ok("list_asset_access", asset_id=dataset["id"])["aces"]
    assert [(a["principal_id"], a["action"]) for a in aces if a["source"] == "grant"] == [(org, "read")]

    # chronicle-feed: read the lenses, acknowledge
    events = mcp.ok("feed")
    assert events == rest.ok("GET", "/v1/feed")
    mcp.ok("feed_seen", section="passive", through_seq=events[0]["seq"])

    # move-experiment, retract-experiment, delete-asset, delete-experiment
    draft = mcp.ok("create_experiment", hypothesis_summary="a draft", config_yaml="a: 1\n")["experiment_id"]
    moved = mcp.ok("move_experiment", experiment_id=draft, organization_id=org)
    assert moved["organization_id"] == org
    mcp.ok("retract_experiment", experiment_id=exp, reason="the metric was wrong")
    assert rest.ok("GET", f"/v1/experiments/{exp}")["experiment"]["retracted_at"]
    loose = rest.ok("POST", "/v1/assets", {"asset_type": "notes", "content": "x"})["asset"]["id"]
    mcp.ok("delete_asset", asset_id=loose)
    assert rest.error("GET", f"/v1/assets/{loose}")[0] == 404
    mcp.ok("delete_experiment", experiment_id=draft)
    assert rest.error("GET", f"/v1/experiments/{draft}")[0] == 404
