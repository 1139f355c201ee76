"""Moves, visibility and batch approval through the SDK over real HTTP."""

from __future__ import annotations

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
