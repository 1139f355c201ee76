"""The storage gateway (the r2 upload route and R2 reads) over real HTTP: every operation, its refusals, the sweep."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from methodic_server import LocalChronicle
from tests.server.wire import Wire

PART = 1000


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _data(size: int, seed: int = 1) -> bytes:
    return bytes((i * 31 + seed) % 251 for i in range(size))


class Gw:
    """Raw HTTP against one server's gateway: a key, and the upload steps the tests share."""

    def __init__(self, server: LocalChronicle, wire: Wire) -> None:
        self.server, self.wire = server, wire
        self.http = httpx.Client(headers={"Authorization": f"Bearer {server.api_key}"}, timeout=30)
        self.exp = wire.committed()
        wire.start(self.exp)

    def create(self, components: list[str] | None = None, **fields: Any) -> tuple[str, dict[str, str]]:
        """A presigned checkpoint of run 0/0 on the r2 route: its id and its upload URLs by component."""
        created = self.wire.presigned(self.exp, components, upload_targets=["r2", "gcs"], **fields)
        assert created["upload"] == {"via": "r2", "max_part_bytes": PART}, created["upload"]
        names = components or [fields["name"]]
        return created["asset"]["id"], dict(zip(names, (u["url"] for u in created["upload_urls"]), strict=True))

    def start(self, url: str, **kw: Any) -> str:
        response = self.http.post(url, params={"uploads": ""}, **kw)
        assert response.status_code == 200, response.text
        return str(response.json()["upload_id"])

    def part(self, url: str, upload_id: str, number: int, data: bytes, **kw: Any) -> httpx.Response:
        return self.http.put(url, params={"upload_id": upload_id, "part_number": number}, content=data, **kw)

    def send_parts(self, url: str, data: bytes, upload_id: str | None = None) -> tuple[str, list[dict[str, Any]]]:
        """Start (unless given) and send ``data`` in parts of PART; the upload id and the part list."""
        upload_id = upload_id or self.start(url)
        parts = []
        for number, offset in enumerate(range(0, len(data), PART), start=1):
            response = self.part(url, upload_id, number, data[offset : offset + PART])
            assert response.status_code == 200, response.text
            answer = response.json()
            assert answer == {"part_number": number, "etag": _sha(data[offset : offset + PART])}
            parts.append({"part_number": number, "etag": answer["etag"]})
        return upload_id, parts

    def complete(self, url: str, upload_id: str, parts: list[dict[str, Any]], **kw: Any) -> httpx.Response:
        return self.http.post(url, params={"upload_id": upload_id}, json={"parts": parts}, **kw)

    def finalize(self, asset_id: str, files: dict[str, bytes]) -> httpx.Response:
        body = {"files": [{"path": p, "sha256": _sha(d)} for p, d in sorted(files.items())]}
        return self.wire.http.put(f"/v1/assets/{asset_id}/finalize", json=body)

    def gateway_uploads(self) -> list[Path]:
        """The gateway's multipart uploads on disk (in progress: directories; completed: .done records)."""
        return sorted((self.server.data_dir / "objects-multipart").glob("*/gateway-*"))


@pytest.fixture
def server() -> Iterator[LocalChronicle]:
    with LocalChronicle(validate_contract=True, max_part_bytes=PART) as srv:
        yield srv
        assert srv.contract_violations == [], srv.contract_violations


@pytest.fixture
def gw(server: LocalChronicle, wire: Wire) -> Iterator[Gw]:
    client = Gw(server, wire)
    yield client
    client.http.close()


def _error(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = dict(response.json())
    assert code is None or body["code"] == code, body
    return body


# -- the route knob -------------------------------------------------------------------------------------------


def test_r2_only_for_a_client_that_asks_and_the_presign_keeps_the_assets_route(gw: Gw, wire: Wire) -> None:
    asset_id, urls = gw.create(["a.bin", "dir/b c.bin"])
    assert urls["dir/b c.bin"] == f"{gw.server.gateway_url}/v1/uploads/{asset_id}/dir/b%20c.bin"
    assert urlsplit(gw.server.gateway_url or "").netloc == urlsplit(gw.server.storage_url).netloc
    for targets in (["gcs"], None):
        fields = {} if targets is None else {"upload_targets": targets}
        created = wire.presigned(gw.exp, ["a.bin"], **fields)
        assert created["upload"] == {"via": "gcs", "max_part_bytes": None}
        assert "/objects/" in created["upload_urls"][0]["url"] and created["urls_expire_at"]
        again = wire.ok("POST", f"/v1/assets/{created['asset']['id']}/presign", {"operation": "upload"})
        assert again["upload"]["via"] == "gcs" and "signature=" in again["presigned_urls"]["a.bin"]["url"]
    again = wire.ok("POST", f"/v1/assets/{asset_id}/presign", {"operation": "upload", "components": ["a.bin"]})
    assert again == {
        "presigned_urls": {"a.bin": {"url": urls["a.bin"]}},
        "upload": {"via": "r2", "max_part_bytes": PART},
    }
    assert httpx.get(gw.server.url + "/v1/public/client-config").json() == {"scribe_url": gw.server.gateway_url}


def test_the_gcs_route_knob_answers_gcs_and_names_no_gateway() -> None:
    with LocalChronicle(validate_contract=True, upload_route="gcs") as server:
        wire = Wire(server)
        exp = wire.committed()
        wire.start(exp)
        created = wire.presigned(exp, ["a.bin"], upload_targets=["r2", "gcs"])
        assert created["upload"] == {"via": "gcs", "max_part_bytes": None}
        assert httpx.put(created["upload_urls"][0]["url"], content=b"x").status_code == 200
        assert httpx.get(server.url + "/v1/public/client-config").json() == {"scribe_url": None}
        ready = wire.ok("PUT", f"/v1/assets/{created['asset']['id']}/finalize", {"files": []})
        assert "r2" not in wire.ok("GET", f"/v1/assets/{ready['id']}")
        wire.close()
        assert server.contract_violations == []
    with pytest.raises(ValueError, match="upload_route"):
        LocalChronicle(upload_route="s3")


def test_dev_server_flags_set_the_route_and_the_part_limit() -> None:
    from methodic_server.devserver import build_parser

    args = build_parser().parse_args(["--upload-route", "gcs", "--max-part-bytes", "4096"])
    assert (args.upload_route, args.max_part_bytes) == ("gcs", 4096)
    key = "sk_user_" + "a1" * 20
    child = subprocess.Popen(
        [sys.executable, "-m", "methodic", "dev-server", "--max-part-bytes", "4096", "--api-key", key],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        lines: dict[str, str] = {}
        while "API key" not in lines:
            line = child.stdout.readline()
            assert line, child.stderr.read() if child.stderr else "dev-server exited"
            name, _, value = line.partition(": ")
            lines[name.strip()] = value.strip()
        assert lines["Storage gateway"].startswith(lines["Storage"] + "/gateway")
        config = httpx.get(lines["Chronicle API"] + "/v1/public/client-config").json()
        assert config["scribe_url"] == lines["Storage"] + "/gateway"
    finally:
        child.terminate()
        child.wait(20)


# -- single PUT, reads ----------------------------------------------------------------------------------------


def test_single_put_finalize_and_ranged_reads(gw: Gw, wire: Wire) -> None:
    asset_id, urls = gw.create(["w.bin", "cfg/c.json"])
    weights, cfg = _data(PART), b'{"a": 1}'
    response = gw.http.put(urls["w.bin"], content=weights, headers={"Content-Type": "application/x-weights"})
    assert response.status_code == 200 and response.json()["sha256"] == _sha(weights)
    assert response.headers["ETag"] == f'"{_sha(weights)}"'
    _error(gw.http.put(urls["cfg/c.json"], content=_data(PART + 1)), 400, "EntityTooLarge")
    assert gw.http.put(urls["cfg/c.json"], content=cfg).status_code == 200
    assert "r2" not in wire.ok("GET", f"/v1/assets/{asset_id}")  # not ready yet
    assert gw.finalize(asset_id, {"w.bin": weights, "cfg/c.json": cfg}).status_code == 200
    asset = wire.ok("GET", f"/v1/assets/{asset_id}")
    base = f"{gw.server.gateway_url}/v1/data/"
    assert asset["r2"] == {
        "state": "ready",
        "base_url": base,
        "requires_auth": True,
        "manifest_url": f"{base}manifests/{asset_id}.json",
    }
    assert {c["name"]: c["content_type"] for c in asset["components"]}["w.bin"] == "application/x-weights"
    manifest = gw.http.get(asset["r2"]["manifest_url"]).json()
    assert manifest == {"files": [{"path": "w.bin", "size": PART}, {"path": "cfg/c.json", "size": len(cfg)}]}
    url = f"{base}{asset_id}/w.bin"
    whole = gw.http.get(url)
    assert whole.status_code == 200 and whole.content == weights and whole.headers["Accept-Ranges"] == "bytes"
    ranged = gw.http.get(url, headers={"Range": "bytes=100-199"})
    assert ranged.status_code == 206 and ranged.content == weights[100:200]
    assert ranged.headers["Content-Range"] == f"bytes 100-199/{PART}"
    assert gw.http.get(url, headers={"Range": "bytes=-10"}).content == weights[-10:]
    assert gw.http.get(url, headers={"Range": "bytes=990-"}).content == weights[990:]
    _error(gw.http.get(url, headers={"Range": f"bytes={PART}-"}), 416, "bad_range")
    head = gw.http.head(url)
    assert head.status_code == 200 and head.headers["Content-Length"] == str(PART)
    assert gw.http.get(f"{base}{asset_id}/cfg/c.json").content == cfg
    _error(gw.http.get(f"{base}{asset_id}/nope.bin"), 404)
    _error(gw.http.put(urls["w.bin"], content=b"late"), 409)  # ready: no more uploads


def test_the_single_file_shape_goes_through_the_gateway(gw: Gw, wire: Wire) -> None:
    asset_id, urls = gw.create(None, name="model.safetensors")
    data = _data(300)
    assert gw.http.put(urls["model.safetensors"], content=data).status_code == 200
    ready = gw.finalize(asset_id, {"model.safetensors": data}).json()
    assert ready["state"] == "ready" and ready["sha256"] == _sha(data)


def test_read_presign_at_the_gateway(gw: Gw, wire: Wire) -> None:
    asset_id, urls = gw.create(["a.bin", "b.bin"])
    presign = f"{gw.server.gateway_url}/v1/assets/{asset_id}/presign"
    _error(gw.http.post(presign, json={"operation": "read"}), 409)  # pending
    for name, url in urls.items():
        assert gw.http.put(url, content=name.encode()).status_code == 200
    gw.finalize(asset_id, {"a.bin": b"a.bin", "b.bin": b"b.bin"})
    answer = gw.http.post(presign, json={"operation": "read", "components": ["b.bin"]}).json()
    assert list(answer["presigned_urls"]) == ["b.bin"] and answer["expires_at"]
    assert httpx.get(answer["presigned_urls"]["b.bin"]["url"]).content == b"b.bin"
    assert sorted(gw.http.post(presign, json={"operation": "read"}).json()["presigned_urls"]) == ["a.bin", "b.bin"]
    _error(gw.http.post(presign, json={"operation": "upload"}), 400)
    _error(gw.http.post(presign, json={"operation": "read", "components": ["c.bin"]}), 400)
    _error(httpx.post(presign, json={"operation": "read"}), 401)


# -- auth and scope -------------------------------------------------------------------------------------------


def test_the_gateway_takes_the_api_key_and_nothing_else(gw: Gw, wire: Wire) -> None:
    asset_id, urls = gw.create(["a.bin"])
    url = urls["a.bin"]
    presigned = wire.presigned(gw.exp, ["a.bin"], upload_targets=["gcs"])["upload_urls"][0]["url"]
    signed = url + "?" + urlsplit(presigned).query  # a valid storage signature is no key here
    expired = gw.server.mint_key(expires_in=0.01)
    time.sleep(0.05)
    for headers in ({}, {"Authorization": "Bearer sk_user_" + "0" * 40}, {"Authorization": "Basic abc"}):
        _error(httpx.put(url, content=b"x", headers=headers), 401, "unauthorized")
        _error(httpx.post(url, params={"uploads": ""}, headers=headers), 401)
    _error(httpx.put(signed, content=b"x"), 401)
    _error(httpx.put(url, content=b"x", headers={"Authorization": f"Bearer {expired}"}), 401, "key_expired")
    _error(httpx.get(f"{gw.server.gateway_url}/v1/data/manifests/{asset_id}.json"), 401)
    assert gw.gateway_uploads() == []  # nothing was started by any of them
    other_key = gw.server.mint_key()
    assert gw.http.put(url, content=b"x", headers={"Authorization": f"Bearer {other_key}"}).status_code == 200


def test_a_worker_key_uploads_only_its_own_runs_outputs(gw: Gw, wire: Wire) -> None:
    asset_id, urls = gw.create(["a.bin"])
    own = {"Authorization": f"Bearer {gw.server.mint_worker_key(gw.exp, 0, 0)}"}
    other_exp = wire.committed()
    stranger = {"Authorization": f"Bearer {gw.server.mint_worker_key(other_exp, 0, 0)}"}
    sibling = {"Authorization": f"Bearer {gw.server.mint_worker_key(gw.exp, 0, 1)}"}
    for headers in (stranger, sibling):
        _error(gw.http.put(urls["a.bin"], content=b"x", headers=headers), 403, "forbidden")
        _error(gw.http.post(urls["a.bin"], params={"uploads": ""}, headers=headers), 403)
    upload_id = gw.start(urls["a.bin"], headers=own)
    _error(gw.part(urls["a.bin"], upload_id, 1, b"x", headers=stranger), 403)
    _error(gw.http.delete(urls["a.bin"], params={"upload_id": upload_id}, headers=stranger), 403)
    assert gw.part(urls["a.bin"], upload_id, 1, b"abc", headers=own).status_code == 200
    complete = gw.complete(urls["a.bin"], upload_id, [{"part_number": 1, "etag": _sha(b"abc")}], headers=own)
    assert complete.status_code == 200
    assert gw.finalize(asset_id, {"a.bin": b"abc"}).json()["state"] == "ready"
    manifest = f"{gw.server.gateway_url}/v1/data/manifests/{asset_id}.json"
    assert gw.http.get(manifest, headers=own).status_code == 200
    assert gw.http.get(manifest, headers=sibling).status_code == 200  # same experiment: it may read
    _error(gw.http.get(manifest, headers=stranger), 403)
    _error(gw.http.get(f"{gw.server.gateway_url}/v1/data/{asset_id}/a.bin", headers=stranger), 403)


# -- multipart ------------------------------------------------------------------------------------------------


def test_multipart_upload_list_complete_finalize(gw: Gw, wire: Wire) -> None:
    asset_id, urls = gw.create(["big.bin"])
    url, data = urls["big.bin"], _data(3 * PART + 345)
    upload_id, parts = gw.send_parts(url, data)
    assert gw.part(url, upload_id, 2, b"wrong" * 10).status_code == 200  # replaced by the retry below
    assert gw.part(url, upload_id, 2, data[PART : 2 * PART]).status_code == 200
    listed = gw.http.get(url, params={"upload_id": upload_id}).json()
    sizes = [PART, PART, PART, 345]
    assert listed == {
        "upload_id": upload_id,
        "completed": False,
        "parts": [
            {"part_number": p["part_number"], "etag": p["etag"], "size": s} for p, s in zip(parts, sizes, strict=True)
        ],
    }
    done = gw.complete(url, upload_id, parts)
    assert done.status_code == 200, done.text
    assert done.json() == {
        "upload_id": upload_id,
        "component": "big.bin",
        "size_bytes": len(data),
        "sha256": _sha(data),
        "parts": 4,
    }
    assert gw.complete(url, upload_id, parts).json() == done.json()  # idempotent
    assert gw.complete(url, upload_id, []).json() == done.json()
    assert gw.http.get(url, params={"upload_id": upload_id}).json()["completed"] is True
    assert [p.name.endswith(".done") for p in gw.gateway_uploads()] == [True]  # parts freed
    ready = gw.finalize(asset_id, {"big.bin": data})
    assert ready.status_code == 200 and ready.json()["state"] == "ready"
    component = ready.json()["components"][0]
    assert component["sha256"] == _sha(data) and component["size_bytes"] == len(data) and not component["part_size"]
    assert gw.http.get(f"{gw.server.gateway_url}/v1/data/{asset_id}/big.bin").content == data


def test_finalize_after_multipart_refuses_the_wrong_sha256(gw: Gw) -> None:
    asset_id, urls = gw.create(["big.bin"])
    data = _data(2 * PART + 1)
    upload_id, parts = gw.send_parts(urls["big.bin"], data)
    assert gw.complete(urls["big.bin"], upload_id, parts).status_code == 200
    _error(gw.finalize(asset_id, {"big.bin": data + b"x"}), 409, "component_mismatch")
    assert gw.finalize(asset_id, {"big.bin": data}).json()["state"] == "ready"


@pytest.mark.parametrize(
    ("sizes", "listing", "problem"),
    [
        ([PART, PART], lambda p: [{**p[0], "etag": _sha(b"other")}, p[1]], "etag"),
        ([PART, PART], lambda p: [p[0], {"part_number": 3, "etag": p[1]["etag"]}], "once each"),
        ([PART, PART], lambda p: [p[1], p[0]], "once each"),
        ([PART, PART, 10], lambda p: [p[0], p[2]], "once each"),
        ([PART, 10, PART], lambda p: p, "part 1's size"),
        ([10, PART], lambda p: p, "larger"),
        ([PART], lambda p: [*p, {"part_number": 2, "etag": _sha(b"never")}], "never uploaded"),
        ([PART], lambda p: [{"part_number": "1", "etag": p[0]["etag"]}], "integer"),
    ],
)
def test_complete_refuses_a_bad_part_list(gw: Gw, sizes: list[int], listing: Any, problem: str) -> None:
    asset_id, urls = gw.create(["big.bin"])
    upload_id = gw.start(urls["big.bin"])
    parts = []
    for number, size in enumerate(sizes, start=1):
        data = _data(size, number)
        assert gw.part(urls["big.bin"], upload_id, number, data).status_code == 200
        parts.append({"part_number": number, "etag": _sha(data)})
    body = _error(gw.complete(urls["big.bin"], upload_id, listing(parts)), 400, "invalid_part")
    assert problem in body["message"]
    _error(gw.wire.http.put(f"/v1/assets/{asset_id}/finalize"), 409, "components_missing")


def test_part_numbers_and_sizes_are_checked(gw: Gw) -> None:
    _, urls = gw.create(["big.bin"])
    url = urls["big.bin"]
    upload_id = gw.start(url)
    for number in ("0", "10001", "x", ""):
        response = gw.http.put(url, params={"upload_id": upload_id, "part_number": number}, content=b"x")
        _error(response, 400, "invalid_part_number")
    assert gw.part(url, upload_id, 10_000, b"x").status_code == 200
    _error(gw.part(url, upload_id, 1, _data(PART + 1)), 400, "EntityTooLarge")
    _error(gw.part(url, "f" * 32, 1, b"x"), 404, "no_such_upload")
    _error(gw.part(url, "../../etc", 1, b"x"), 404, "no_such_upload")
    _error(gw.http.get(url, params={"upload_id": "f" * 32}), 404, "no_such_upload")


def test_abort_frees_the_parts_bytes(gw: Gw) -> None:
    _, urls = gw.create(["big.bin"])
    url = urls["big.bin"]
    upload_id, parts = gw.send_parts(url, _data(2 * PART))
    [directory] = gw.gateway_uploads()
    assert sum(p.stat().st_size for p in directory.iterdir()) >= 2 * PART
    assert gw.http.delete(url, params={"upload_id": upload_id}).status_code == 204
    assert gw.gateway_uploads() == [] and not directory.exists()
    _error(gw.http.get(url, params={"upload_id": upload_id}), 404, "no_such_upload")
    _error(gw.complete(url, upload_id, parts), 404, "no_such_upload")
    _error(gw.http.delete(url, params={"upload_id": upload_id}), 404, "no_such_upload")


# -- which assets take uploads ----------------------------------------------------------------------------------


def test_only_a_pending_r2_asset_takes_uploads_of_its_own_components(gw: Gw, wire: Wire) -> None:
    asset_id, urls = gw.create(["a.bin"])
    base = urls["a.bin"].rsplit("/", 1)[0]
    _error(gw.http.put(base + "/other.bin", content=b"x"), 404, "not_found")
    _error(gw.http.put(base + "/%2E%2E/a.bin", content=b"x"), 400, "bad_path")
    missing = urls["a.bin"].replace(asset_id, "00000000-0000-0000-0000-000000000000")
    _error(gw.http.put(missing, content=b"x"), 404, "not_found")
    gcs = wire.presigned(gw.exp, ["a.bin"], upload_targets=["gcs"])["asset"]["id"]
    _error(gw.http.put(urls["a.bin"].replace(asset_id, gcs), content=b"x"), 409, "wrong_route")
    gw.server.expire_asset(asset_id)
    _error(gw.http.put(urls["a.bin"], content=b"x"), 410, "asset_expired")
    _error(gw.http.post(urls["a.bin"], params={"uploads": ""}), 410, "asset_expired")
    _error(gw.http.get(f"{gw.server.gateway_url}/v1/data/manifests/{asset_id}.json"), 410, "asset_expired")


def test_abandoned_and_deleted_assets_lose_their_uploads(gw: Gw, wire: Wire) -> None:
    kept, kept_urls = gw.create(["k.bin"])
    gw.send_parts(kept_urls["k.bin"], _data(PART))
    doomed, doomed_urls = gw.create(["d.bin"])
    gw.send_parts(doomed_urls["d.bin"], _data(PART))
    assert len(gw.gateway_uploads()) == 2
    wire.ok("DELETE", f"/v1/assets/{doomed}")  # on delete, at once
    assert [p.parent.name for p in gw.gateway_uploads()] == [kept]
    wire.ok("POST", f"/v1/experiments/{gw.exp}/variations/0/runs/0/fail", {"reason": "crash"})
    assert wire.ok("GET", f"/v1/assets/{kept}")["state"] == "abandoned"
    _error(gw.part(kept_urls["k.bin"], "f" * 32, 2, b"x"), 409)  # abandoned: refused
    _released(gw.server)  # at once, in the background: not at the watchdog's next pass
    assert gw.gateway_uploads() == []
    assert gw.server.sweep_gateway() == 0


def _released(server: LocalChronicle) -> None:
    """Wait until the API's background storage jobs so far (the releases of uploads) have run."""
    done = threading.Event()
    server._server.api.background.submit(done.set)  # jobs run one at a time, in order
    assert done.wait(10)


def test_an_upload_busy_when_its_asset_is_abandoned_goes_at_the_next_sweep(gw: Gw, wire: Wire) -> None:
    """The release leaves an upload a part is streaming into; the watchdog's sweep drops it afterwards."""
    asset_id, urls = gw.create(["k.bin"])
    url = urls["k.bin"]
    upload_id = gw.start(url)
    begun, go_on = threading.Event(), threading.Event()

    def body() -> Iterator[bytes]:
        yield b"a" * (PART // 2)
        begun.set()
        go_on.wait(10)
        yield b"b" * (PART // 2)

    answers: list[httpx.Response] = []
    headers = {"Authorization": f"Bearer {gw.server.api_key}", "Content-Length": str(PART)}
    params = {"upload_id": upload_id, "part_number": 1}
    sender = threading.Thread(
        target=lambda: answers.append(httpx.put(url, params=params, content=body(), headers=headers))
    )
    sender.start()
    try:
        assert begun.wait(10)
        [directory] = gw.gateway_uploads()
        deadline = time.monotonic() + 10
        while not any(p.name.startswith(".recv-") for p in directory.iterdir()):  # the part is streaming in
            assert time.monotonic() < deadline, "the part never reached storage"
            time.sleep(0.01)
        wire.ok("POST", f"/v1/experiments/{gw.exp}/variations/0/runs/0/fail", {"reason": "crash"})
        _released(gw.server)
        assert [p.name for p in gw.gateway_uploads()] == [f"gateway-{upload_id}"]  # busy: left alone
    finally:
        go_on.set()
        sender.join(30)
    assert answers[0].status_code == 200, answers[0].text
    assert wire.ok("GET", f"/v1/assets/{asset_id}")["state"] == "abandoned"
    assert gw.server.sweep_gateway() == 1
    assert gw.gateway_uploads() == []


def test_the_watchdog_aborts_idle_uploads_and_keeps_active_ones() -> None:
    with LocalChronicle(max_part_bytes=PART, watchdog_interval=0.05, gateway_upload_idle_timeout=0.6) as server:
        wire = Wire(server)
        gw = Gw(server, wire)
        _, urls = gw.create(["idle.bin", "busy.bin"])
        idle_id, _ = gw.send_parts(urls["idle.bin"], _data(PART))
        busy_id, _ = gw.send_parts(urls["busy.bin"], _data(PART))
        end = time.monotonic() + 1.5  # well past the idle timeout and many watchdog passes
        while time.monotonic() < end:
            assert gw.part(urls["busy.bin"], busy_id, 2, b"tick").status_code == 200  # activity keeps it
            time.sleep(0.1)
        assert [p.name for p in gw.gateway_uploads()] == [f"gateway-{busy_id}"]
        _error(gw.part(urls["idle.bin"], idle_id, 2, b"x"), 404, "no_such_upload")
        gw.http.close()
        wire.close()


# -- pacing ---------------------------------------------------------------------------------------------------


def test_gateway_bodies_are_paced_like_storage() -> None:
    rate = 40_000
    with LocalChronicle(max_part_bytes=100_000, per_connection_bytes_per_second=rate) as server:
        wire = Wire(server)
        created = wire.presigned(wire.committed(), ["a.bin"], upload_targets=["r2"])
        url = created["upload_urls"][0]["url"]
        headers = {"Authorization": f"Bearer {server.api_key}"}
        began = time.monotonic()
        assert httpx.put(url, content=_data(40_000), headers=headers, timeout=30).status_code == 200
        assert time.monotonic() - began >= 0.8
        wire.close()


def test_bodies_stream_to_disk_in_pieces() -> None:
    import tracemalloc

    size, piece = 24 * 1024 * 1024, 256 * 1024
    with LocalChronicle(max_part_bytes=size) as server:
        wire = Wire(server)
        created = wire.presigned(wire.committed(), ["big.bin"], upload_targets=["r2"])
        url = created["upload_urls"][0]["url"]
        headers = {"Authorization": f"Bearer {server.api_key}", "Content-Length": str(size)}
        chunk = b"z" * piece

        def body() -> Iterator[bytes]:
            for _ in range(size // piece):
                yield chunk

        tracemalloc.start()
        try:
            upload_id = httpx.post(url, params={"uploads": ""}, headers=headers | {"Content-Length": "0"}).json()
            whole = httpx.put(url, content=body(), headers=headers, timeout=60)
            part = httpx.put(url, params={"part_number": 1, **upload_id}, content=body(), headers=headers, timeout=60)
            peak = tracemalloc.get_traced_memory()[1]  # about 1.2 MB measured: the 1 MiB receive buffer
        finally:
            tracemalloc.stop()
        assert whole.status_code == 200 and part.status_code == 200, (whole.text, part.text)
        assert peak < size // 3, f"peak {peak} bytes while receiving {size}-byte bodies"
        wire.close()


def test_a_full_disk_is_answered_507(gw: Gw, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from methodic_server.gateway_uploads import GatewayUploads

    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    _, urls = gw.create(["big.bin"])
    upload_id = gw.start(urls["big.bin"])
    monkeypatch.setattr(GatewayUploads, "put_part", full)
    _error(gw.part(urls["big.bin"], upload_id, 1, b"x" * 100), 507, "insufficient_storage")
    monkeypatch.setattr(GatewayUploads, "assemble", full)
    _error(gw.complete(urls["big.bin"], upload_id, [{"part_number": 1, "etag": _sha(b"x")}]), 507)
