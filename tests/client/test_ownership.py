"""Moves, visibility and batch approval through the SDK over real HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from methodic import Chronicle, errors
from tests.helpers import CONFIG


def test_move_visibility_and_bulk_approval(client: Chronicle) -> None:
    exp = client.experiments.create(hypothesis_summary="h", config_yaml=CONFIG)
    assert exp.move(organization_id="org_local") is exp
    assert exp.data.organization_id == "org_local"
    with pytest.raises(errors.ConflictError):
        client.experiments.move(exp.id, organization_id="org_local")
    dataset = client.assets.create_inline(asset_type="dataset", content={"rows": 3})
    assert client.assets.move(dataset.id, organization_id="org_local", team_id="team_local").team_id == "team_local"
    assert client.assets.set_visibility(dataset.id, "public").visibility == "public"
    gated = client.assets.create_inline(asset_type="research_report", content={}, pending_reasons=["review_required"])
    result = client.assets.bulk_approve([gated.id, "missing"])
    assert (result.approved, result.failed) == (1, 1)
    assert [row["status"] for row in result.results] == ["approved", "error"]
    with pytest.raises(ValueError, match="exactly one"):
        client.assets.bulk_approve()
    with pytest.raises(errors.PermissionDeniedError):
        client.assets.move(dataset.id, organization_id="org_elsewhere")


def test_grants_through_the_sdk(client: Chronicle) -> None:
    dataset = client.assets.create_inline(asset_type="dataset", content={"rows": 1})
    client.assets.share_with_scope(dataset.id, "org_local")
    client.assets.grant_access(dataset.id, "everyone")
    aces = client.assets.list_access(dataset.id)["aces"]
    assert [(a["principal_id"], a["action"]) for a in aces][1:] == [("org_local", "read"), ("everyone", "read")]
    assert client.assets.revoke_access(dataset.id, "everyone", "read")["removed"] is True
    assert client.assets.revoke_access(dataset.id, "everyone", "read")["removed"] is False


def test_an_r2_upload_has_its_copy_and_a_moved_one_gets_it(client: Chronicle, tmp_path: Path) -> None:
    exp = client.experiments.create(hypothesis_summary="h", config_yaml=CONFIG)
    exp.commit()
    client.variations.commit(exp.id, 0, commit_without_hypothesis=True)
    run = client.run(exp.id, 0, 0)
    run.start()
    folder = tmp_path / "ckpt"
    folder.mkdir()
    (folder / "w.bin").write_bytes(b"w" * 1000)
    uploaded = run.upload_directory_async(folder, asset_type="checkpoint").wait()
    status = client.assets.r2_status(uploaded.id)
    assert (status["state"], status["gcs_state"]) == ("ready", "absent")
    assert client.assets.move_to_r2(uploaded.id)["state"] == "ready"
