"""upload_asset as the public launcher drives it (presign: PUT with only Content-Type, bodyless finalize); inline."""

from __future__ import annotations

import base64
import hashlib

import httpx

from methodic_server import LocalChronicle
from tests.mcp.jsonrpc import McpClient
from tests.server.wire import Wire


def launcher_upload(mcp_server: LocalChronicle, result: dict[str, object], data: bytes, content_type: str) -> None:
    """PUT the bytes to upload_url with only Content-Type (no key), then finalize with no body, as the launcher does."""
    url = str(result["upload_url"])
    assert not url.startswith(mcp_server.url + "/v1"), "upload_url must be a storage URL, not an API path"
    with httpx.Client(timeout=30) as bare:
        request = bare.build_request("PUT", url, content=data, headers={"Content-Type": content_type})
        for name in ("accept", "accept-encoding", "user-agent"):
            request.headers.pop(name, None)
        assert "authorization" not in request.headers
        assert bare.send(request).is_success
    with httpx.Client(base_url=mcp_server.url, timeout=30) as api:
        finalized = api.put(
            f"/v1/assets/{result['asset_id']}/finalize", headers={"Authorization": f"Bearer {mcp_server.api_key}"}
        )
    assert finalized.status_code == 200, finalized.text


def test_presign_mode_output_lands_ready_with_its_sha256_and_linked(
    mcp_server: LocalChronicle, mcp: McpClient, rest: Wire
) -> None:
    exp_id = rest.committed()
    data = b"loss,0.5\n" * 1000
    result = mcp.ok(
        "upload_asset",
        experiment_id=exp_id,
        filename="metrics.csv",
        content_type="text/csv",
        asset_type="metrics",
        link="output",
        variation=0,
        run=0,
    )
    assert result["state"] == "pending" and result["experiment_id"] == exp_id and result["next_step"]
    launcher_upload(mcp_server, result, data, "text/csv")
    asset = rest.ok("GET", f"/v1/assets/{result['asset_id']}")
    assert asset["state"] == "ready" and asset["sha256"] == hashlib.sha256(data).hexdigest()
    outputs = rest.ok("GET", f"/v1/experiments/{exp_id}/variations/0/runs/0/outputs")
    assert [o["id"] for o in outputs] == [result["asset_id"]]


def test_presign_mode_input_link_is_recorded_and_made_at_finalize(
    mcp_server: LocalChronicle, mcp: McpClient, rest: Wire
) -> None:
    exp_id = str(rest.experiment()["experiment_id"])
    data = b"\x00\x01dataset bytes"
    result = mcp.ok("upload_asset", experiment_id=exp_id, filename="train.bin", asset_type="dataset", link="input")
    assert rest.ok("GET", f"/v1/experiments/{exp_id}/inputs") == []  # pending: not linked yet
    launcher_upload(mcp_server, result, data, "application/octet-stream")
    inputs = rest.ok("GET", f"/v1/experiments/{exp_id}/inputs")
    assert [a["id"] for a in inputs] == [result["asset_id"]]
    assert inputs[0]["sha256"] == hashlib.sha256(data).hexdigest()


def test_link_none_needs_scope_and_then_ends_unlinked(mcp_server: LocalChronicle, mcp: McpClient, rest: Wire) -> None:
    exp_id = str(rest.experiment()["experiment_id"])
    refused = mcp.fails("upload_asset", experiment_id=exp_id, filename="code.tar", link="none")
    assert refused["status"] == 400 and "scope" in refused["error"]
    result = mcp.ok("upload_asset", experiment_id=exp_id, filename="code.tar", asset_type="code", scope="user")
    launcher_upload(mcp_server, result, b"tar", "application/x-tar")
    assert rest.ok("GET", f"/v1/assets/{result['asset_id']}")["state"] == "ready"
    assert rest.ok("GET", f"/v1/experiments/{exp_id}/inputs") == []
    assert rest.ok("GET", f"/v1/experiments/{exp_id}/outputs") == []


def test_inline_upload_is_ready_at_once_and_over_2_mib_is_refused(mcp: McpClient, rest: Wire) -> None:
    exp_id = rest.committed()
    data = bytes(range(256)) * 16
    result = mcp.ok(
        "upload_image",
        experiment_id=exp_id,
        filename="plot.png",
        content_type="image/png",
        link="output",
        base64_content=base64.b64encode(data).decode(),
    )
    assert result["state"] == "ready" and "upload_url" not in result and result["uploaded_bytes"] == len(data)
    asset = rest.ok("GET", f"/v1/assets/{result['asset_id']}")
    assert asset["asset_type"] == "image" and asset["sha256"] == hashlib.sha256(data).hexdigest()
    too_big = base64.b64encode(b"x" * (2 * 1024 * 1024 + 1)).decode()
    refused = mcp.fails("upload_asset", experiment_id=exp_id, filename="big.bin", link="output", base64_content=too_big)
    assert refused["status"] == 400 and "2 MiB" in refused["error"]
    garbled = mcp.fails("upload_asset", experiment_id=exp_id, filename="x", link="output", base64_content="***")
    assert garbled["status"] == 400


def test_an_input_link_the_experiment_no_longer_takes_is_refused_before_anything_is_made(
    mcp: McpClient, rest: Wire
) -> None:
    exp_id = rest.committed()  # committed: its inputs are frozen
    before = rest.ok("GET", "/v1/assets", params={"asset_type": "frozen-check"})
    refused = mcp.fails("upload_asset", experiment_id=exp_id, filename="d.bin", asset_type="frozen-check", link="input")
    assert (refused["status"], refused["code"]) == (409, "conflict") and "frozen" in refused["error"]
    assert rest.ok("GET", "/v1/assets", params={"asset_type": "frozen-check"}) == before == []
