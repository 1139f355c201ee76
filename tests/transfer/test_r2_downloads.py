"""Downloads of R2 copies through their manifest, in parallel ranges, every byte checked: real HTTP to LocalChronicle.

Assets are uploaded on the r2 route as the hosted protocol has it (create with ``upload_targets: ["r2",
"gcs"]``, PUT each file to its gateway URL with the API key, finalize with the files' sha256s), so the
server answers them with ``r2: {state: "ready", base_url, requires_auth, manifest_url}``. The SDK reads
them from the storage gateway: manifest first (checked against the record), then each file, in ranges
when it is larger than one. Storage requests are watched through ``storage_transport`` (the httpx path)
where a test needs to see them; the default ``http.client`` path is exercised where it does not.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from methodic import Chronicle
from methodic.errors import (
    AssetExpiredError,
    DownloadError,
    IntegrityError,
    ManifestError,
    PartLayoutError,
    StorageError,
)
from methodic.transfer.bounds import planned_ranges
from methodic_contract import MAX_MULTIPART_SIZE, MAX_PARTS
from methodic_server import LocalChronicle
from tests.helpers import contract_checked

MiB = 1 << 20
TiB = 1 << 40


class WatchedStorage(httpx.HTTPTransport):
    """The real storage transport; records each request and can rewrite the body of a matching answer."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[dict[str, Any]] = []
        self.rewrite: tuple[str, Callable[[bytes], bytes]] | None = None
        self.before: Callable[[httpx.Request], None] | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.before is not None:
            self.before(request)
        response = super().handle_request(request)
        self.seen.append(
            {
                "method": request.method,
                "host": request.url.host,
                "path": request.url.path,
                "auth": request.headers.get("Authorization"),
                "range": request.headers.get("Range"),
                "status": response.status_code,
            }
        )
        if self.rewrite is not None and request.url.path.endswith(self.rewrite[0]) and response.is_success:
            body = self.rewrite[1](response.read())
            response.close()
            headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() != "content-length"]
            return httpx.Response(response.status_code, headers=headers, content=body)
        return response

    def data_gets(self) -> list[dict[str, Any]]:
        return [r for r in self.seen if "/gateway/v1/data/" in r["path"] and "/manifests/" not in r["path"]]


class TamperedApi(httpx.HTTPTransport):
    """Real HTTP to the API; the JSON answer of a matching request is rewritten by ``edit``."""

    def __init__(self) -> None:
        super().__init__()
        self.edit: tuple[str, str, Callable[[Any], Any]] | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if self.edit is not None:
            method, suffix, edit = self.edit
            if request.method == method and request.url.path.endswith(suffix) and response.is_success:
                body = edit(json.loads(response.read()))
                response.close()
                headers = [
                    (k, v)
                    for k, v in response.headers.multi_items()
                    if k.lower() not in ("content-length", "content-encoding", "transfer-encoding")
                ]
                return httpx.Response(response.status_code, headers=headers, content=json.dumps(body).encode())
        return response


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def local() -> Iterator[LocalChronicle]:
    with contract_checked() as server:
        yield server


@pytest.fixture
def exp_id(local: LocalChronicle) -> str:
    with Chronicle(local.url, local.api_key) as chronicle:
        exp = chronicle.experiments.create(title="t", hypothesis_summary="h", config_yaml="lr: 1\n")
        exp.commit()
        chronicle.variation(exp.id, 0).commit(commit_without_hypothesis=True)
        chronicle.run(exp.id, 0, 0).start()
        return exp.id


def upload_r2(local: LocalChronicle, exp_id: str, files: dict[str, bytes], step: int | None = None) -> str:
    """An asset uploaded on the r2 route as the hosted client does it: gateway PUTs with the key, then finalize."""
    with Chronicle(local.url, local.api_key) as chronicle:
        up = chronicle.assets.create_with_presigned(
            asset_type="checkpoint",
            components=list(files),
            name="ckpt",
            output_of={"experiment_id": exp_id, "variation": 0, "run": 0},
            upload_targets=["r2", "gcs"],
            asset_config=None if step is None else {"step": step},
        )
        assert up.via == "r2"
        for name, data in files.items():
            answer = httpx.put(
                up.upload_urls[name], content=data, headers={"Authorization": f"Bearer {local.api_key}"}, timeout=30
            )
            assert answer.status_code == 200, answer.text
        assert chronicle.assets.finalize(up.asset_id, {n: sha(d) for n, d in files.items()}).state == "ready"
        assert chronicle.assets.get(up.asset_id)["r2"]["state"] == "ready"
        return up.asset_id


FILES = {
    "model.bin": os.urandom(5 * MiB + 12_345),  # six 1 MiB ranges, the last one short
    "optimizer/state.pt": os.urandom(3 * MiB),
    "config.json": b'{"lr": 1}',
}


def test_an_r2_copy_is_read_through_its_manifest_in_ranges_with_the_key_byte_identical(
    local: LocalChronicle, exp_id: str, tmp_path: Path
) -> None:
    asset_id = upload_r2(local, exp_id, FILES)
    watched = WatchedStorage()
    with Chronicle(local.url, local.api_key, download_range_size=MiB, storage_transport=watched) as chronicle:
        paths = chronicle.assets.download(asset_id, tmp_path / "out", progress=False)
    assert tree(tmp_path / "out") == FILES
    assert sorted(paths) == sorted(tmp_path / "out" / name for name in FILES)

    gateway = local.gateway_url
    assert gateway is not None
    # the manifest, then every file from {base_url}{id}/{quoted path}; every one of them with the key
    assert watched.seen[0]["path"].endswith(f"/gateway/v1/data/manifests/{asset_id}.json")
    assert all(r["auth"] == f"Bearer {local.api_key}" for r in watched.seen)
    assert all(r["path"].startswith("/gateway/v1/data/") for r in watched.seen)  # no presigned read at all
    gets = watched.data_gets()
    model = [r for r in gets if r["path"].endswith(f"/{asset_id}/model.bin")]
    assert sorted(r["range"] for r in model) == sorted(
        f"bytes={i * MiB}-{min((i + 1) * MiB, len(FILES['model.bin'])) - 1}" for i in range(6)
    )
    assert all(r["status"] == 206 for r in model)
    assert len([r for r in gets if r["path"].endswith("/optimizer/state.pt")]) == 3
    assert [r["range"] for r in gets if r["path"].endswith("/config.json")] == [None]  # small: one GET

    # the default path (http.client) reads the same copy, byte-identical, and leaves no temporary file
    with Chronicle(local.url, local.api_key, download_range_size=MiB) as chronicle:
        chronicle.assets.download(asset_id, tmp_path / "fast", progress=False)
    assert tree(tmp_path / "fast") == FILES


def test_the_key_never_goes_to_an_r2_copy_on_plain_http_elsewhere(
    local: LocalChronicle, exp_id: str, tmp_path: Path
) -> None:
    asset_id = upload_r2(local, exp_id, {"model.bin": os.urandom(2 * MiB)})
    api, watched = TamperedApi(), WatchedStorage()

    def elsewhere(asset: Any) -> Any:
        asset["r2"]["base_url"] = "http://r2.example.invalid/data/"
        asset["r2"]["manifest_url"] = f"http://r2.example.invalid/data/manifests/{asset_id}.json"
        return asset

    api.edit = ("GET", f"/v1/assets/{asset_id}", elsewhere)
    with Chronicle(local.url, local.api_key, transport=api, storage_transport=watched) as chronicle:
        chronicle.assets.download(asset_id, tmp_path / "out", progress=False)
    assert (tmp_path / "out" / "model.bin").stat().st_size == 2 * MiB
    assert watched.seen and all(r["host"] != "r2.example.invalid" for r in watched.seen)
    assert all(r["auth"] is None for r in watched.seen)  # presigned reads only, without the key


def changed(target: str, /, **fields: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A manifest edit: the entry of ``target`` with some fields changed."""
    return lambda m: {"files": [{**f, **fields} if f["path"] == target else f for f in m["files"]]}


LIES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "wrong size": changed("model.bin", size=len(FILES["model.bin"]) + 1),
    "parent path": changed("config.json", path="../x"),
    "nested parent path": changed("config.json", path="optimizer/../../x"),
    "absolute path": changed("config.json", path="/tmp/evil"),
    "a stranger": lambda m: {"files": [*m["files"][:-1], {"path": "stranger.bin", "size": 10}]},
    "a file missing": lambda m: {"files": m["files"][:-1]},
    "a file twice": lambda m: {"files": [*m["files"][:-1], m["files"][0]]},
    "not a list": lambda m: {"files": {"model.bin": 1}},
    "a size that is text": changed("model.bin", size=str(len(FILES["model.bin"]))),
}


@pytest.mark.parametrize("lie", sorted(LIES))
def test_a_manifest_that_lies_is_refused_before_any_byte_moves(
    local: LocalChronicle, exp_id: str, tmp_path: Path, lie: str
) -> None:
    asset_id = upload_r2(local, exp_id, FILES)
    watched = WatchedStorage()
    watched.rewrite = (f"/manifests/{asset_id}.json", lambda body: json.dumps(LIES[lie](json.loads(body))).encode())
    before = sorted(tmp_path.rglob("*"))
    with (
        Chronicle(local.url, local.api_key, download_range_size=MiB, storage_transport=watched) as chronicle,
        pytest.raises(ManifestError) as caught,
    ):
        chronicle.assets.download(asset_id, tmp_path / "out", progress=False)
    assert caught.value.asset_id == asset_id and "manifest" in str(caught.value)
    assert watched.data_gets() == []  # not one file requested
    assert sorted(tmp_path.rglob("*")) == before  # nothing written, inside the destination or outside it
    assert not Path("/tmp/evil").exists()


@pytest.mark.parametrize("path", ["direct", "httpx"])
def test_storage_that_ignores_range_still_downloads_verified_in_one_get(
    local: LocalChronicle, exp_id: str, tmp_path: Path, path: str
) -> None:
    asset_id = upload_r2(local, exp_id, FILES)
    watched = WatchedStorage()
    local.faults.ignore_ranges()
    transport: dict[str, Any] = {"storage_transport": watched} if path == "httpx" else {}
    with Chronicle(local.url, local.api_key, download_range_size=MiB, **transport) as chronicle:
        chronicle.assets.download(asset_id, tmp_path / "out", progress=False)
    assert tree(tmp_path / "out") == FILES
    assert not list((tmp_path / "out").rglob(".methodic-*"))
    if path == "httpx":
        model = [r for r in watched.data_gets() if r["path"].endswith("/model.bin")]
        # the first range alone came back whole (200); the others never went; then one plain GET
        assert [(r["range"], r["status"]) for r in model] == [(f"bytes=0-{MiB - 1}", 200), (None, 200)]


@pytest.mark.parametrize("route", ["r2", "presigned"])
@pytest.mark.parametrize("path", ["direct", "httpx"])
def test_a_tampered_stored_object_is_an_integrity_error_and_leaves_no_file(
    local: LocalChronicle, exp_id: str, tmp_path: Path, route: str, path: str
) -> None:
    asset_id = upload_r2(local, exp_id, FILES)
    stored = local.data_dir / "objects" / asset_id / "model.bin"
    data = bytearray(stored.read_bytes())
    data[3 * MiB + 7] ^= 0xFF  # one bit in the fourth range: same size, other bytes
    stored.write_bytes(bytes(data))
    api = TamperedApi()
    if route == "presigned":
        api.edit = ("GET", f"/v1/assets/{asset_id}", lambda a: {k: v for k, v in a.items() if k != "r2"})
    transport: dict[str, Any] = {"storage_transport": WatchedStorage()} if path == "httpx" else {}
    with (
        Chronicle(local.url, local.api_key, download_range_size=MiB, transport=api, **transport) as chronicle,
        pytest.raises(DownloadError) as caught,
    ):
        chronicle.assets.download(asset_id, tmp_path / "out", components="model.bin", progress=False)
    (failure,) = caught.value.failures
    assert isinstance(failure[2], IntegrityError) and "sha256" in str(failure[2])
    assert not (tmp_path / "out" / "model.bin").exists()
    assert [p for p in (tmp_path / "out").rglob("*") if p.is_file()] == []  # no .partial left either


HOSTILE_SIZES: list[Any] = [MAX_MULTIPART_SIZE + 1, 1 << 62, -1, "5242880", True, 5.5]


@pytest.mark.parametrize("size", HOSTILE_SIZES, ids=[repr(s) for s in HOSTILE_SIZES])
def test_a_hostile_recorded_size_is_refused_before_any_request(
    local: LocalChronicle, exp_id: str, tmp_path: Path, size: Any
) -> None:
    asset_id = upload_r2(local, exp_id, FILES)
    api, watched = TamperedApi(), WatchedStorage()

    def hostile(asset: Any) -> Any:
        for component in asset["components"]:
            if component["name"] == "model.bin":
                component["size_bytes"] = size
        return asset

    api.edit = ("GET", f"/v1/assets/{asset_id}", hostile)
    with (
        Chronicle(local.url, local.api_key, transport=api, storage_transport=watched) as chronicle,
        pytest.raises(PartLayoutError) as caught,
    ):
        chronicle.assets.download(asset_id, tmp_path / "out", progress=False)
    assert caught.value.asset_id == asset_id and caught.value.field == "size_bytes"
    assert watched.seen == []  # not even the manifest
    assert not (tmp_path / "out").exists()


def test_range_plans_are_bounded_whatever_the_size() -> None:
    for size in (0, 1, MiB, 16 * MiB + 1, 156 * 1024 * MiB, MAX_MULTIPART_SIZE):
        plan = planned_ranges(size, 16 * MiB, asset_id="a", component="c")
        assert plan.range_size % MiB == 0 and plan.range_size >= 16 * MiB
        assert 1 <= plan.count <= MAX_PARTS and plan.count * plan.range_size >= size
        offset, length = plan.span(plan.count - 1)
        assert offset + length == size or size == 0
    assert planned_ranges(5 * TiB, MiB, asset_id="a", component="c").count <= MAX_PARTS
    with pytest.raises(PartLayoutError):
        planned_ranges(MAX_MULTIPART_SIZE + 1, MiB, asset_id="a", component="c")


def test_a_copy_that_expires_while_it_is_read_is_an_asset_expired_error(
    local: LocalChronicle, exp_id: str, tmp_path: Path
) -> None:
    asset_id = upload_r2(local, exp_id, FILES)
    watched = WatchedStorage()

    def expire_before_the_first_file(request: httpx.Request) -> None:
        if "/manifests/" not in request.url.path and local.expire_asset(asset_id)["state"] != "expired":
            raise AssertionError("the asset did not expire")

    watched.before = expire_before_the_first_file
    with (
        Chronicle(local.url, local.api_key, storage_transport=watched) as chronicle,
        pytest.raises(AssetExpiredError) as caught,
    ):
        chronicle.assets.download(asset_id, tmp_path / "out", components="config.json", progress=False)
    assert caught.value.status_code == 410
    message = str(caught.value)
    assert asset_id in message and "expired" in message and "deleted" in message and "preserve" in message
    assert not (tmp_path / "out" / "config.json").exists()


def test_an_unreadable_copy_falls_back_to_presigned_urls(local: LocalChronicle, exp_id: str, tmp_path: Path) -> None:
    asset_id = upload_r2(local, exp_id, FILES)
    watched = WatchedStorage()

    def gateway_down(request: httpx.Request) -> None:
        if "/gateway/" in request.url.path:
            raise httpx.ConnectError("the gateway is down", request=request)

    watched.before = gateway_down
    with Chronicle(local.url, local.api_key, download_range_size=MiB, storage_transport=watched) as chronicle:
        chronicle.assets.download(asset_id, tmp_path / "out", progress=False)
    assert tree(tmp_path / "out") == FILES
    assert all(r["auth"] is None and "/gateway/" not in r["path"] for r in watched.seen)


def test_a_read_refused_by_the_copy_and_by_storage_is_a_storage_error(
    local: LocalChronicle, exp_id: str, tmp_path: Path
) -> None:
    asset_id = upload_r2(local, exp_id, {"model.bin": os.urandom(1000)})
    (local.data_dir / "objects" / asset_id / "model.bin").unlink()  # the bytes vanished from storage
    with (
        Chronicle(local.url, local.api_key) as chronicle,
        pytest.raises(DownloadError) as caught,
    ):
        chronicle.assets.download(asset_id, tmp_path / "out", progress=False)
    (failure,) = caught.value.failures
    assert isinstance(failure[2], StorageError) and failure[2].status_code == 404
