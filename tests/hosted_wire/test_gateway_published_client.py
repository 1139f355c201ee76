"""The PUBLISHED client's own r2 code against our storage gateway: multipart up, finalize, R2 manifest down.

The driver (``_hosted_gateway.py``) runs in the client's venv against a LocalChronicle on the r2 route with
a small ``max_part_bytes``: a file larger than that goes up in parts through the gateway (the client's
``_upload_r2``), a small one in a single PUT, both finalized with the client's sha256s (which the server
checks), and each comes back down through the asset's ``r2`` manifest, byte-identical. And across clients:
our SDK downloads, through the r2 manifest in parallel ranges, a file the published client uploaded in
parts; the published client downloads a file our SDK uploaded; both byte-identical.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import httpx

from methodic import Chronicle
from methodic_server import LocalChronicle
from tests.hosted_wire._venv import HostedClient
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


class StorageLog(httpx.HTTPTransport):
    """Our SDK's storage requests, as they go out (path, whether the key went along, Range, status)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, bool, str | None, int]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        self.seen.append(
            (request.url.path, "authorization" in request.headers, request.headers.get("Range"), response.status_code)
        )
        return response


def test_each_client_downloads_what_the_other_uploaded_byte_identical(hosted: HostedClient, tmp_path: Path) -> None:
    part = 1 << 20
    size = 3 * part + 777  # four parts of the gateway's max_part_bytes, the last one short
    with LocalChronicle(validate_contract=True, max_part_bytes=part) as server:
        wire = Wire(server)
        exp = wire.committed()
        wire.start(exp)
        env = {"CHRONICLE_SERVER_URL": server.url, "CHRONICLE_API_KEY": server.api_key}
        theirs, ours = tmp_path / "theirs.bin", tmp_path / "ours.bin"
        theirs.write_bytes(os.urandom(size))
        ours.write_bytes(os.urandom(size))

        def run(*args: str) -> dict[str, Any]:
            (record,) = hosted.run("_hosted_transfer.py", *args, env=env)
            assert record["ok"], record
            return record

        # theirs up (multipart through the gateway), ours down: the r2 manifest, then 1 MiB ranges with the key
        their_id = run("upload", exp, str(theirs))["asset_id"]
        assert wire.ok("GET", f"/v1/assets/{their_id}")["r2"]["state"] == "ready"
        log = StorageLog()
        with Chronicle(server.url, server.api_key, download_range_size=part, storage_transport=log) as chronicle:
            (path,) = chronicle.assets.download(their_id, tmp_path / "ours-of-theirs", progress=False)
        assert path.read_bytes() == theirs.read_bytes()
        assert log.seen[0][0].endswith(f"/manifests/{their_id}.json") and all(key for _, key, _, _ in log.seen)
        assert sorted(r for _, _, r, status in log.seen[1:] if status == 206) == sorted(
            f"bytes={i * part}-{min((i + 1) * part, size) - 1}" for i in range(4)
        )
        with Chronicle(server.url, server.api_key, download_range_size=part) as chronicle:  # the default fast path
            (path,) = chronicle.assets.download(their_id, tmp_path / "fast", progress=False)
        assert path.read_bytes() == theirs.read_bytes()

        # ours up, theirs down
        with Chronicle(server.url, server.api_key) as chronicle:
            our_id = chronicle.run(exp, 0, 0).upload_file(ours, "model")
            has_copy = bool(chronicle.assets.get(our_id).get("r2"))
        got = run("download", exp, our_id, str(tmp_path / "theirs-of-ours"))
        assert got["files"] == {"ours.bin": hashlib.sha256(ours.read_bytes()).hexdigest()}
        assert got["r2_downloads"] == (1 if has_copy else 0)
        wire.close()
        assert server.contract_violations == []
