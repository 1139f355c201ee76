"""The PUBLISHED client's own r2 code against our storage gateway: multipart up, finalize, R2 manifest down.

The driver (``_hosted_gateway.py``) runs in the client's venv against a LocalChronicle on the r2 route with
a small ``max_part_bytes``: a file larger than that goes up in parts through the gateway (the client's
``_upload_r2``), a small one in a single PUT, both finalized with the client's sha256s (which the server
checks), and each comes back down through the asset's ``r2`` manifest, byte-identical.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx

from methodic_server import LocalChronicle
from tests.hosted_wire.conftest import HostedClient
from tests.server.wire import Wire

PART = 64 * 1024
BIG = 5 * PART + 12_345  # six parts, the last one shorter


def test_published_client_uploads_in_parts_and_downloads_through_the_gateway(
    hosted: HostedClient, tmp_path: Path
) -> None:
    with LocalChronicle(validate_contract=True, max_part_bytes=PART) as server:
        wire = Wire(server)
        exp = wire.committed()
        wire.start(exp)
        records = hosted.run(
            "_hosted_gateway.py",
            str(tmp_path),
            exp,
            str(BIG),
            env={"CHRONICLE_SERVER_URL": server.url, "CHRONICLE_API_KEY": server.api_key},
        )
        steps = {r["name"]: r for r in records}
        failed = [r for r in records if not r.get("ok", True)]
        assert not failed, failed
        calls = steps["__calls__"]

        # the client's own multipart sequence through the gateway: start, six parts, complete (x2 big files)
        requests = [tuple(map(str, (m, ",".join(k)))) for m, k in calls["r2_requests"]]
        assert requests.count(("POST", "uploads")) == 2
        assert requests.count(("PUT", "part_number,upload_id")) == 12
        assert requests.count(("POST", "upload_id")) == 2
        assert requests.count(("PUT", "")) == 2  # small.bin and optimizer/state.pt: one PUT each
        assert ("DELETE", "upload_id") not in requests  # nothing aborted

        # finalized with the client's whole-file sha256s; the r2 copy is what it downloaded from
        big = wire.ok("GET", f"/v1/assets/{steps['upload_file(big)']['asset_id']}")
        assert big["state"] == "ready" and big["upload_via"] == "r2" and big["r2"]["state"] == "ready"
        assert big["sha256"] == hashlib.sha256((tmp_path / "src" / "big.bin").read_bytes()).hexdigest()
        assert big["components"][0]["size_bytes"] == BIG
        ckpt = wire.ok("GET", f"/v1/assets/{steps['register_and_upload_async(checkpoint)']['asset_id']}")
        assert ckpt["state"] == "ready" and {c["name"] for c in ckpt["components"]} == {
            "model.bin",
            "optimizer/state.pt",
        }
        for name in ("big", "small", "checkpoint"):
            assert steps[f"download_asset({name})"]["files_match"], steps[f"download_asset({name})"]
        assert calls["r2_downloads"] == 3 and calls["r2_download_errors"] == []
        assert steps["tracker sha256s"]["match"]

        # the parts' bytes were freed once assembled: only the completed uploads' small records remain
        leftovers = [p for p in (server.data_dir / "objects-multipart").rglob("*") if p.is_file()]
        assert all(p.name.endswith(".done") for p in leftovers), leftovers
        wire.close()
        assert server.contract_violations == []


def test_published_client_on_the_gcs_route_never_touches_the_gateway(hosted: HostedClient, tmp_path: Path) -> None:
    with LocalChronicle(validate_contract=True, upload_route="gcs", max_single_put_bytes=None) as server:
        wire = Wire(server)
        exp = wire.committed()
        wire.start(exp)
        assert httpx.get(server.url + "/v1/public/client-config").json() == {"scribe_url": None}
        records = hosted.run(
            "_hosted_gateway.py",
            str(tmp_path),
            exp,
            str(BIG),
            env={"CHRONICLE_SERVER_URL": server.url, "CHRONICLE_API_KEY": server.api_key},
        )
        failed = [r for r in records if not r.get("ok", True)]
        assert not failed, failed
        calls = next(r for r in records if r["name"] == "__calls__")
        assert calls["r2_requests"] == [] and calls["r2_downloads"] == 0
        for name in ("big", "small", "checkpoint"):
            assert next(r for r in records if r["name"] == f"download_asset({name})")["files_match"]
        wire.close()
        assert server.contract_violations == []
