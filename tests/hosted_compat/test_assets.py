"""Assets as hosted-SDK code calls them (evidence §1.1 #3/#6, §2.3 ``chronicle.assets``, §3.4), over real HTTP."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from methodic import Chronicle, errors
from tests.helpers import CONFIG

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'


def test_create_inline_result_indexes_both_ways(client: Chronicle) -> None:
    exp = client.experiments.create(hypothesis_summary="h", config_yaml=CONFIG)
    # R write-report: result["asset"]["id"]; an older skill: asset.id
    result = client.assets.create_inline(
        asset_type="research_report",
        content="# Findings\n\nWarmup helps.",
        content_type="text/markdown",
        name="findings",
        output_of={"experiment_id": exp.id},
    )
    assert result["asset"]["id"] == result.id == result.asset.id
    assert result["asset"]["state"] == "ready" and result.state == "ready"
    assert "asset" in result and "id" not in result  # the wire envelope, as the hosted client returns it
    assert client.assets.get(result["asset"]["id"])["content"] == "# Findings\n\nWarmup helps."


def test_create_with_presigned_takes_the_hosted_arguments(client: Chronicle, tmp_path: Path) -> None:
    figure = tmp_path / "loss.svg"
    figure.write_bytes(SVG)
    # R write-report / chronicle-dataset: name, components, content_type, organization_id, team_id, visibility
    info = client.assets.create_with_presigned(
        asset_type="image",
        name="loss curve",
        components=["loss.svg"],
        content_type="image/svg+xml",
        organization_id="org_local",
        team_id="team_local",
        visibility="org_public",
    )
    assert info.asset.organization_id == "org_local" and info.asset.visibility == "org_public"
    assert info.asset.pending_reasons == ["upload_in_progress"]
    client.assets.upload_component(info.upload_urls["loss.svg"], str(figure), "image/svg+xml")  # positional, as in R
    ready = client.assets.finalize(info.asset_id)
    assert ready.state == "ready" and ready.pending_reasons == []
    # the component keeps the content type its upload was sent with
    assert ready.components[0]["content_type"] == "image/svg+xml"
    stored = client.assets.get(info.asset_id)
    assert (stored["name"], stored["content_type"], stored["team_id"]) == ("loss curve", "image/svg+xml", "team_local")
    assert stored["organization_id"] == "org_local" and stored["visibility"] == "org_public"
    assert [a.id for a in client.assets.list(asset_type="image")] == [info.asset_id]


def test_asset_scopes_are_checked(client: Chronicle) -> None:
    personal = client.experiments.create(hypothesis_summary="mine", config_yaml=CONFIG)
    with pytest.raises(errors.BadRequestError) as mismatch:
        client.assets.create_inline(
            asset_type="note", content="x", output_of={"experiment_id": personal.id}, organization_id="org_local"
        )
    assert mismatch.value.code == "asset_org_mismatch"
    with pytest.raises(errors.PermissionDeniedError, match="not a member of org_elsewhere"):
        client.assets.create_with_presigned(asset_type="x", components=["a"], organization_id="org_elsewhere")
    with pytest.raises(errors.BadRequestError, match="visibility"):
        client.assets.create_inline(asset_type="note", content="x", visibility="everyone")
    lab = client.experiments.create(hypothesis_summary="lab", config_yaml=CONFIG, organization_id="org_local")
    output = client.assets.create_inline(asset_type="note", content="x", output_of={"experiment_id": lab.id})
    assert output.organization_id == "org_local"  # an output inherits its experiment's organization


def test_presign_results_index_by_component(client: Chronicle, tmp_path: Path) -> None:
    (tmp_path / "a.svg").write_bytes(SVG)
    (tmp_path / "b.txt").write_bytes(b"notes")
    info = client.assets.create_with_presigned(asset_type="image", components=["a.svg", "b.txt"])
    for name in ("a.svg", "b.txt"):
        client.assets.upload_component(info.upload_urls[name], tmp_path / name)
    client.assets.finalize(info.asset_id)
    # H review-imports: urls = assets.presign(id, operation="read", components=[c]); urls[c]["url"]
    urls = client.assets.presign(info.asset_id, operation="read", components=["a.svg"])
    assert httpx.get(urls["a.svg"]["url"]).content == SVG
    both = client.assets.presign(info.asset_id, operation="read")
    assert sorted(both.keys()) == ["a.svg", "b.txt"] and "b.txt" in both
    assert {name: httpx.get(entry["url"]).content for name, entry in both.items()}["b.txt"] == b"notes"
    assert "asset_id" not in both and both.urls["a.svg"] == both["a.svg"]["url"]  # only components are keys
    assert "signature" not in repr(both) and "X-" not in repr(both)
    with pytest.raises(KeyError):
        both["c.bin"]


def test_review_gate_keeps_an_inline_asset_out_of_ready_until_approved(client: Chronicle) -> None:
    exp = client.experiments.create(hypothesis_summary="h", config_yaml=CONFIG)
    # R distill: POST /v1/assets with pending_reasons, then PUT .../approve
    draft = client.assets.create_inline(
        asset_type="takeaways_report",
        content={"title": "Takeaways", "markdown_summary": "warmup helps"},
        pending_reasons=["review_required"],
        output_of={"experiment_id": exp.id},
    )
    assert draft["asset"]["state"] == "pending" and draft.pending_reasons == ["review_required"]
    later = client.experiments.create(hypothesis_summary="uses it")
    with pytest.raises(errors.ConflictError, match="only ready assets"):
        later.link_input(draft.id)
    assert client.search.query("warmup", filters={"asset_types": ["takeaways_report"]}).results == []

    approved = client.assets.approve(draft.id)
    assert approved.state == "ready" and approved.pending_reasons == [] and approved.finalized_at is not None
    assert [hit.document_id for hit in client.search.query("warmup").results if hit.asset_type] == [draft.id]
    with pytest.raises(errors.ConflictError, match="not awaiting review") as twice:
        client.assets.approve(draft.id)
    assert twice.value.code == "not_awaiting_review"
    later.link_input(draft.id)

    other = client.assets.create_inline(asset_type="research_report", content="x", pending_reasons=["review_required"])
    rejected = client.assets.reject(other.id, reason="cites the wrong run")
    assert rejected.state == "abandoned"
    assert rejected.asset_config is not None and rejected.asset_config["review"]["reason"] == "cites the wrong run"
    with pytest.raises(errors.ConflictError):
        client.assets.reject(other.id, reason="again")
    with pytest.raises(errors.ConflictError):
        client.assets.approve(client.assets.create_inline(asset_type="note", content="plain").id)


def test_review_gate_outlasts_finalize_of_a_presigned_asset(client: Chronicle, tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4 tiny")
    info = client.assets.create_with_presigned(
        asset_type="imported_report",
        name="report.pdf",
        components=["report.pdf"],
        content_type="application/pdf",
        pending_reasons=["review_required"],
        organization_id="org_local",  # imported reports belong to an organization
    )
    with pytest.raises(errors.ConflictError) as early:
        client.assets.finalize(info.asset_id)  # nothing uploaded yet
    assert early.value.code == "components_missing"
    client.assets.upload_component(info.upload_urls["report.pdf"], tmp_path / "report.pdf", "application/pdf")
    finalized = client.assets.finalize(info.asset_id)
    assert finalized.state == "pending" and finalized.pending_reasons == ["review_required"]
    assert finalized.components[0]["size_bytes"] == len(b"%PDF-1.4 tiny")
    assert client.assets.finalize(info.asset_id).state == "pending"  # finalize stays idempotent
    approved = client.assets.approve(info.asset_id)
    assert approved.state == "ready" and approved.components[0]["content_type"] == "application/pdf"

    # approved before its upload finished: still pending until finalize
    early_ok = client.assets.create_with_presigned(
        asset_type="imported_report",
        components=["report.pdf"],
        pending_reasons=["review_required"],
        organization_id="org_local",
    )
    assert client.assets.approve(early_ok.asset_id).pending_reasons == ["upload_in_progress"]
    client.assets.upload_component(early_ok.upload_urls["report.pdf"], tmp_path / "report.pdf")
    assert client.assets.finalize(early_ok.asset_id).state == "ready"
