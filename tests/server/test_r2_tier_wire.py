"""An asset's R2 copy over raw HTTP: status, a move that is ready at once, the gateway then serving its manifest."""

from __future__ import annotations

import httpx

from methodic_server import LocalChronicle
from tests.server.wire import Wire


def test_a_gcs_asset_moves_to_r2_and_the_gateway_serves_it() -> None:
    with LocalChronicle(validate_contract=True) as server:
        wire = Wire(server)
        try:
            exp = wire.committed()
            asset = wire.ready_asset(exp, b"weights" * 100)  # uploaded with presigned PUTs: the gcs route
            assert wire.error("GET", f"/v1/assets/{asset}/r2")[0] == 404
            assert "r2" not in wire.ok("GET", f"/v1/assets/{asset}")
            moved = wire.ok("PUT", f"/v1/assets/{asset}/r2")
            assert (moved["state"], moved["gcs_state"]) == ("ready", "present")
            assert wire.ok("PUT", f"/v1/assets/{asset}/r2") == moved  # again: already there
            assert wire.ok("GET", f"/v1/assets/{asset}/r2") == moved
            copy = wire.ok("GET", f"/v1/assets/{asset}")["r2"]
            manifest = httpx.get(copy["manifest_url"], headers={"Authorization": f"Bearer {server.api_key}"})
            assert manifest.json()["files"] == [{"path": "model.bin", "size": 700}]
            pending = wire.presigned(exp, ["late.bin"])["asset"]["id"]
            assert wire.error("PUT", f"/v1/assets/{pending}/r2")[0] == 409  # only a ready asset moves
            assert wire.error("PUT", "/v1/assets/nope/r2")[0] == 404
        finally:
            wire.close()
        assert server.contract_violations == []


def test_a_gcs_only_server_has_no_r2() -> None:
    with LocalChronicle(validate_contract=True, upload_route="gcs") as server:
        wire = Wire(server)
        try:
            asset = wire.ready_asset(wire.committed())
            code, error = wire.error("PUT", f"/v1/assets/{asset}/r2")
            assert (code, error["code"]) == (501, "r2_unavailable")
            assert wire.error("GET", f"/v1/assets/{asset}/r2")[0] == 404
        finally:
            wire.close()
