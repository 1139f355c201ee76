"""The SDK parts of the public agent skills, run against the local server as a skill would run them.

Each test follows one skill of the public skills repository (methodic-research/skills): the calls its
SKILL.md makes with the SDK, or names as the SDK equivalent of its MCP tools, in its order, with values a
skill would pass. Parts that need another service are left out and named (W&B metrics, a DOI lookup).
The table in docs/guides/hosted.md records which skills run end to end; keep them in step.
"""

from __future__ import annotations

from pathlib import Path

from methodic import Chronicle
from tests.helpers import CONFIG

PAPER = (
    "@article{doe2024, title={Operator Learning for Turbulence}, author={Doe, Jane}, year={2024},"
    " doi={10.5555/skills.2024}}"
)


def _committed(client: Chronicle) -> str:
    exp = client.experiments.create(hypothesis_summary="wider probes resolve the boundary layer", config_yaml=CONFIG)
    exp.commit()
    client.variations.commit(exp.id, 0, commit_without_hypothesis=True)
    return exp.id


def test_chronicle_feed_reads_the_lenses_and_acks_after_acting(client: Chronicle) -> None:
    """skills/chronicle-feed: the needs-you lens, what happened, then the pointer, only after acting."""
    experiment_id = _committed(client)
    report = client.assets.create_inline(
        asset_type="research_report",
        content={"summary": "s"},
        output_of={"experiment_id": experiment_id},
        pending_reasons=["review_required"],
    )
    needs_you = client.feed.list(actionable=True, open=True)
    assert [e.resource_id for e in needs_you.results] == [report.id] and needs_you.unseen_count == 1
    happened = list(client.feed.iter(category="activity"))
    assert [e.kind for e in happened][-2:] == ["experiment.committed", "experiment.created"]
    assert client.feed.list(recipient="me").results == []
    client.assets.approve(report.id)  # the follow-up the skill offers: approve the report
    assert client.feed.list(actionable=True, open=True).results == []
    newest = max(e.seq for e in happened)
    client.feed.seen(section="passive", through_seq=newest)
    after = client.feed.list(category="activity")
    assert after.unseen_count == 1 and after.results[0].kind == "report.approved"  # only what came after the ack


def test_research_lessons(client: Chronicle) -> None:
    """skills/research-lessons: list first, refine a match, else record; retire a wrong one."""
    experiment_id = _committed(client)
    assert client.experiments.list_lessons(experiment_id) == []
    lesson = client.experiments.record_lesson(
        experiment_id,
        title="Never trust post-4200 eval loss on dataset X",
        body_md="believed: the loss is comparable; correction: the eval set changed at step 4200",
        origin="researcher_correction",
        category="data",
        variation=0,
        evidence={"run": 0, "session_shard": "shard-1"},
    )
    assert f"recorded lesson: {lesson['title']} ({lesson['id']})".startswith("recorded lesson: Never trust")
    existing = client.experiments.list_lessons(experiment_id)
    client.experiments.update_lesson(experiment_id, existing[0]["id"], body_md="a sharper body")
    newer = client.experiments.record_lesson(experiment_id, title="Use dataset v5", body_md="b", origin="manual")
    retired = client.experiments.retire_lesson(
        experiment_id, lesson["id"], reason="mask orientation fixed in dataset v5", superseded_by=newer["id"]
    )
    assert retired["status"] == "retired"


def test_distill_records_a_review_gated_report_and_one_finding_per_variation(client: Chronicle) -> None:
    """skills/distill (its W&B metrics step left out): read variations, register the report gated, record findings."""
    experiment_id = _committed(client)
    exp = client._transport.get(f"/experiments/{experiment_id}")
    variations = [v for v in exp.get("variations", []) if not v.get("retracted_at")]
    assert [v["variation"] for v in variations] == [0]
    result = client.assets.create_inline(
        asset_type="takeaways_report",
        name="Wider probes",
        content={"title": "Wider probes", "markdown_summary": "## Summary\nit worked"},
        content_type="application/json",
        output_of={"experiment_id": experiment_id},
        pending_reasons=["review_required"],
    )
    asset_id = result["asset"]["id"]
    assert result["asset"]["state"] == "pending"
    for v_index in (v["variation"] for v in variations):
        client.experiments.record_finding(
            experiment_id,
            status="working",
            summary="+2 points over the baseline",
            evidence_variation=v_index,
            source_asset_id=asset_id,
        )
    assert client.experiment(experiment_id).record_finding(status="partial", summary="s", evidence_variation=0)


def test_write_report_reads_outputs_through_the_raw_transport_and_writes_a_report(client: Chronicle) -> None:
    """skills/write-report (its W&B fetch left out): find the run's outputs, write the report as an output."""
    experiment_id = _committed(client)
    run = client.run(experiment_id, 0, 0)
    run.start(wandb_entity="e", wandb_project="p", wandb_run_id="r1")
    outputs = client._transport.get(f"/experiments/{experiment_id}/outputs")
    ptr = next(a for a in outputs if a.get("asset_type") == "wandb_run" and a.get("run") == 0)
    assert (ptr.get("asset_config") or {})["run_id"] == "r1"
    report = client.assets.create_inline(
        asset_type="research_report",
        name="Run 0",
        content="# Run 0\nThe loss fell.",
        content_type="text/markdown",
        output_of={"experiment_id": experiment_id, "variation": 0},
    )
    assert report["asset"]["state"] == "ready"


def test_publications_register_cite_and_finalize(client: Chronicle) -> None:
    """skills/publications (SDK equivalents; a DOI the server does not hold needs Crossref, left out)."""
    experiment_id = _committed(client)
    made = client.publications.register(bibtex=PAPER)
    again = client.publications.register(doi="10.5555/skills.2024")
    assert again["existing"] is True and again["publication"]["id"] == made["publication"]["id"]
    client.experiments.link_inputs(experiment_id, [made["publication"]["id"]])  # a citation after commit
    asked = client.publications.register(bibtex=PAPER.replace("doi={10.5555/skills.2024}", "note={preprint}"))
    assert asked["status"] == "needs_resolution" and asked["candidates"]
    draft = client.publications.register(bibtex=PAPER.replace("skills.2024", "draft"), draft=True)
    final = client.publications.finalize(draft["publication"]["id"], bibtex=PAPER.replace("skills.2024", "final"))
    assert final["publication"]["id"] == draft["publication"]["id"]
    assert client.publications.search("operator learning")


def test_tags_find_or_create_and_filter_search(client: Chronicle) -> None:
    """skills/tags (SDK equivalents)."""
    experiment_id = _committed(client)
    asset = client.assets.create_inline(
        asset_type="research_report",
        content="boundary layer turbulence notes",
        output_of={"experiment_id": experiment_id},
    )
    tagged = client.tags.tag_asset(asset["asset"]["id"], tag="turbulence")
    client.tags.tag_experiment(experiment_id, tag="negative-result")
    assert [t["name"] for t in client.tags.asset_tags(asset["asset"]["id"])] == ["turbulence"]
    assert client.tags.objects(tagged["tag"]["id"])
    hits = client.search.query("boundary layer", filters={"tags": ["turbulence"]})
    assert asset["asset"]["id"] in [r["document_id"] for r in hits.results]
    client.tags.untag_asset(asset["asset"]["id"], tagged["tag"]["id"])
    assert client.tags.asset_tags(asset["asset"]["id"]) == []


def test_collections_group_boost_and_scope_search(client: Chronicle) -> None:
    """skills/collections (SDK equivalents)."""
    experiment_id = _committed(client)
    asset = client.assets.create_inline(asset_type="research_report", content="turbulence onset in pipes")
    col = client.collections.create("Turbulence", description="onset studies")
    client.collections.add(col["id"], asset_ids=[asset["asset"]["id"]], experiment_ids=[experiment_id])
    client.collections.associate(experiment_id, [col["id"]])
    hits = client.search.query("turbulence onset", scope={"collections": [col["id"]]})
    assert asset["asset"]["id"] in [r["document_id"] for r in hits.results]


def test_chronicle_dataset_registers_uploads_links_and_loads(client: Chronicle, tmp_path: Path) -> None:
    """skills/chronicle-dataset: register by reference, upload with provenance, link, load, register + finalize."""
    experiment_id = _committed(client)
    variation = client.variations.create(experiment_id, config_yaml=CONFIG).variation
    metadata = {
        "schema_version": 1,
        "description": "Forced isotropic turbulence, $Re_\\lambda \\approx 240$.",
        "pde": {"family": "navier_stokes"},
        "domain": {"geometry": "periodic_box", "spatial_dims": 3, "resolution": [256, 256, 256]},
        "properties": {"forcing": "kolmogorov"},
    }
    asset = client.datasets.register_by_reference(
        "gs://customer-bucket/turbulence/fit256/",
        name="forced-isotropic-turbulence-256",
        metadata=metadata,
        size_bytes=13_314_398_208,
        visibility="org",
    )
    client.datasets.link(asset["id"], experiment_id, variation=variation)
    client.datasets.update_metadata(asset["id"], metadata=metadata, size_bytes=13_314_398_208)

    path = tmp_path / "field"
    path.mkdir()
    (path / "u.npy").write_bytes(b"\x93NUMPY" + b"0" * 4096)
    ref = client.datasets.upload(
        path,
        name="field",
        asset_type="dataset",
        content_type="application/octet-stream",
        source="generated by tools/make_field.py",
        provenance={"shape": [128, 128], "rows": 4096},
        link_experiment=experiment_id,
        link_variation=variation,
        propagate_acl=True,
    )
    assert ref.provenance["components"][0]["sha256"]
    dest = client.datasets.load(ref.asset_id, tmp_path / "data")
    assert (Path(dest) / "u.npy").read_bytes().startswith(b"\x93NUMPY")
    assert client.datasets.provenance(ref.asset_id)

    local_paths = {"shard-0000.npz": tmp_path / "s0.npz", "shard-0001.npz": tmp_path / "s1.npz"}
    for name, local in local_paths.items():
        local.write_bytes(name.encode() * 100)
    info = client.datasets.register(components=list(local_paths), name="big-dataset", provenance={"rows": 10})
    for comp, url in info.upload_urls.items():
        client.assets.upload_component(url, local_paths[comp], "application/octet-stream")
    client.assets.finalize(info.asset_id)
    client.datasets.link(info.asset_id, experiment_id, variation=variation)
