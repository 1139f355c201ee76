"""The dev server serves the unversioned legacy paths beside /v1, deprecated (evidence §0 conventions, §5.2.1)."""

from __future__ import annotations

import httpx

from methodic_server import LocalChronicle
from tests.helpers import CONFIG


def test_unversioned_paths_are_the_same_operations_marked_deprecated(server: LocalChronicle) -> None:
    headers = {"Authorization": f"Bearer {server.api_key}"}
    with httpx.Client(base_url=server.url, headers=headers) as http:
        created = http.post("/experiments", json={"hypothesis_summary": "legacy caller", "config_yaml": CONFIG})
        assert created.status_code == 201
        assert created.headers["Deprecation"] == "true"
        assert created.headers["Link"] == '</v1/experiments>; rel="successor-version"'
        exp_id = created.json()["experiment"]["id"]

        legacy = http.get(f"/experiments/{exp_id}")
        canonical = http.get(f"/v1/experiments/{exp_id}")
        assert legacy.json() == canonical.json()
        assert "Deprecation" not in canonical.headers
        assert legacy.headers["Link"] == f'</v1/experiments/{exp_id}>; rel="successor-version"'

        # R delete-asset's older copy: PUT /assets/{id}/deprecate; every area is served (assets, search, me)
        asset = http.post("/assets", json={"asset_type": "note", "content": "legacy"}).json()["asset"]
        flagged = http.put(f"/assets/{asset['id']}/deprecate", json={"reason": "old"})
        assert flagged.status_code == 200 and flagged.json()["deprecated"] is True
        assert http.get("/me/scopes").json()["scopes"][0]["kind"] == "user"
        assert http.post("/search", json={"query": "legacy"}).headers["Deprecation"] == "true"
        assert http.get(f"/experiments/{exp_id}/outputs", params={"x": "1"}).status_code == 200

        # errors on a legacy path: the same typed body, the same validation, still marked deprecated
        missing = http.get("/experiments/no-such-id")
        assert missing.status_code == 404 and missing.json()["code"] == "not_found"
        assert missing.headers["Deprecation"] == "true" and missing.headers["X-Request-Id"]
        invalid = http.post("/experiments", json={"title": "no summary"})
        assert invalid.status_code == 400 and "hypothesis_summary" in invalid.json()["message"]
        assert httpx.get(server.url + "/experiments").status_code == 401  # auth applies as on /v1

        # paths outside the contract's areas stay unknown
        assert http.get("/nothing-here").status_code == 404
        assert "Deprecation" not in http.get("/nothing-here").headers
        assert http.get("/openapi.yaml").status_code == 200
