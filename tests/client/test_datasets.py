"""Datasets through the SDK over real HTTP: uploads by the transfer engine, metadata, the catalog, links."""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest

from methodic import Chronicle, UploadTracker, errors
from methodic_server import LocalChronicle
from tests.helpers import CONFIG


def _doc(family: str, **extra: object) -> dict[str, object]:
    return {"description": "Burgers flow fields.", "pde": {"family": family}, **extra}


def test_a_folder_uploads_as_one_ready_dataset_with_provenance_and_loads_back(
    client: Chronicle, tmp_path: Path
) -> None:
    folder = tmp_path / "burgers"
    (folder / "val").mkdir(parents=True)
    files = {"train.bin": b"t" * 300_000, "val/part-0.bin": b"v" * 70_000, "README.md": b"# burgers\n"}
    for name, data in files.items():
        (folder / name).write_bytes(data)

    ref = client.datasets.upload(
        folder, source="generated: solver v2", provenance={"rows": 3}, metadata=_doc("burgers")
    )

    assert ref.name == "burgers" and ref.asset_type == "dataset" and sorted(ref.components) == sorted(files)
    listed = {c["component"]: (c["sha256"], c["size_bytes"]) for c in ref.provenance["components"]}
    assert listed == {n: (hashlib.sha256(d).hexdigest(), len(d)) for n, d in files.items()}
    assert ref.provenance["size_bytes"] == sum(len(d) for d in files.values())
    assert (ref.provenance["source"], ref.provenance["rows"]) == ("generated: solver v2", 3)
    asset = client.datasets.get(ref.asset_id)
    assert asset.state == "ready" and asset.experiment_id is None and asset.organization_id is None
    assert {c["name"]: c["sha256"] for c in asset.components} == {n: s for n, (s, _) in listed.items()}
    assert asset.asset_config["metadata"]["pde"]["family"] == "burgers"
    assert client.datasets.provenance(ref.asset_id) == ref.provenance

    out = client.datasets.load(ref.asset_id, tmp_path / "out")
    assert {n: (out / n).read_bytes() for n in files} == files


def test_a_single_file_is_one_component_and_links_as_an_input(client: Chronicle, tmp_path: Path) -> None:
    data = tmp_path / "field.npz"
    data.write_bytes(b"\x93NUMPY" * 1000)
    exp = client.experiments.create(hypothesis_summary="h", config_yaml=CONFIG)

    ref = client.datasets.upload(data, link_experiment=exp.id, organization_id="org_local")

    assert ref.components == ["field.npz"] and ref.name == "field.npz"
    assert ref.provenance["sha256"] == hashlib.sha256(data.read_bytes()).hexdigest()
    asset = client.assets.get(ref.asset_id)
    assert asset.organization_id == "org_local" and asset.components[0]["sha256"] == ref.provenance["sha256"]
    assert ref.asset_id in [a.id for a in exp.list_inputs()]
    assert data.read_bytes() == b"\x93NUMPY" * 1000 and sorted(p.name for p in tmp_path.iterdir()) == ["field.npz"]


class _StorageLog(httpx.HTTPTransport):
    """The real storage transport, recording each request's method, path and query."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, str, str]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append((request.method, request.url.path, request.url.query.decode()))
        return super().handle_request(request)


def test_a_large_file_goes_in_parallel_parts_and_is_verified(tmp_path: Path) -> None:
    mib = 1 << 20
    log = _StorageLog()
    with (
        LocalChronicle(validate_contract=True, max_part_bytes=mib) as srv,
        Chronicle(srv.url, srv.api_key, multipart_threshold=2 * mib, min_part_size=mib, storage_transport=log) as c,
    ):
        folder = tmp_path / "big"
        folder.mkdir()
        (folder / "weights.bin").write_bytes(bytes(range(256)) * (3 * mib // 256 + 100))
        (folder / "small.bin").write_bytes(b"s" * 10)
        ref = c.datasets.upload(folder)
        assert c.assets.get(ref.asset_id).state == "ready"
        parts = [q for m, p, q in log.seen if m == "PUT" and p.endswith("/weights.bin") and "part_number" in q]
        assert len(parts) == 4  # 3 MiB and a bit, in parts of 1 MiB
        out = c.datasets.load(ref.asset_id, tmp_path / "back")
        assert (out / "weights.bin").read_bytes() == (folder / "weights.bin").read_bytes()
        assert srv.contract_violations == []


def test_bad_paths_fail_typed_before_anything_is_registered(client: Chronicle, tmp_path: Path) -> None:
    before = len(client.datasets.list())
    with pytest.raises(FileNotFoundError):
        client.datasets.upload(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(errors.UnsafePathError):
        client.datasets.upload(tmp_path / "empty")
    assert len(client.datasets.list()) == before


def test_metadata_is_validated_updated_and_drives_the_catalog(client: Chronicle) -> None:
    family = f"heat-{uuid.uuid4().hex[:6]}"
    small = client.datasets.register_by_reference(
        "gs://bucket/heat/small",
        name="heat small",
        size_bytes=1_000,
        metadata=_doc(family, structural={"n_dims": 2, "precisions": ["FP32"], "num_samples": 10}, license="MIT"),
    )
    big = client.datasets.register_by_reference(
        "https://doi.org/10.18419/darus-2986",
        name="heat big",
        external=True,
        size_bytes=9_000,
        metadata=_doc(family, domain={"geometry": "torus", "spatial_dims": 3}, data_format="hdf5"),
    )
    assert small.state == "ready" and small.uri == "gs://bucket/heat/small"
    assert small.asset_config["metadata"]["structural"]["precisions"] == ["fp32"]  # normalised
    assert big.asset_config["metadata"]["structural"]["n_dims"] == 3  # derived from domain.spatial_dims
    assert client.datasets.provenance(small.id) is None

    def ids(**filters: object) -> list[str]:
        return [a.id for a in client.datasets.list(pde_family=family, **filters)]  # type: ignore[arg-type]

    assert ids() == [big.id, small.id]
    assert ids(order_by="size_bytes") == [big.id, small.id]
    assert ids(order_by="num_samples") == [small.id, big.id]  # unknown last
    assert ids(n_dims=2) == [small.id] and ids(min_dims=3) == [big.id] and ids(max_dims=2) == [small.id]
    assert ids(precision="fp32") == [small.id] and ids(license="mit") == [small.id]
    assert ids(geometry="torus", data_format="HDF5") == [big.id]
    assert ids(min_size=5_000) == [big.id] and ids(max_size=5_000) == [small.id]
    assert ids(owner="user_local") == [big.id, small.id] and ids(owner="org_local") == []

    updated = client.datasets.update_metadata(
        small.id, metadata=_doc(family, structural={"n_dims": 1}, properties={"Solver": "fd"}), size_bytes=20_000
    )
    assert updated.asset_config["metadata"]["properties"] == {"solver": "fd"} and updated.size_bytes == 20_000
    assert updated.uri == small.uri and updated.id == small.id
    assert ids(order_by="size_bytes") == [small.id, big.id] and ids(n_dims=1) == [small.id]

    with pytest.raises(errors.BadRequestError, match="description"):
        client.datasets.update_metadata(small.id, metadata={"pde": {"family": family}})
    with pytest.raises(errors.BadRequestError, match="precisions"):
        client.datasets.update_metadata(small.id, metadata=_doc(family, structural={"precisions": ["fp8"]}))
    with pytest.raises(errors.BadRequestError, match="order_by"):
        client.datasets.list(order_by="name")
    with pytest.raises(errors.BadRequestError, match="external"):
        client.datasets.register_by_reference("hf://datasets/x", name="x")
    with pytest.raises(errors.NotFoundError):
        client.datasets.update_metadata(str(uuid.uuid4()), size_bytes=1)
    assert client.datasets.get(small.id).asset_config["metadata"]["structural"]["n_dims"] == 1  # nothing lost


class _RefusingStorage(httpx.HTTPTransport):
    """Storage that refuses every upload of one component (a 400, not retried), as a crash would leave it."""

    def __init__(self, refused: str) -> None:
        super().__init__()
        self.refused = refused

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT" and request.url.path.endswith("/" + self.refused):
            return httpx.Response(400, text="refused")
        return super().handle_request(request)


def test_an_interrupted_dataset_upload_is_finished_by_resume(server: LocalChronicle, tmp_path: Path) -> None:
    folder = tmp_path / "shards"
    folder.mkdir()
    for i in range(3):
        (folder / f"{i}.bin").write_bytes(bytes([i]) * 50_000)
    tracker = UploadTracker(tmp_path / "uploads.db")
    refusing = _RefusingStorage("1.bin")
    with (
        Chronicle(server.url, server.api_key, storage_transport=refusing) as failing,
        pytest.raises(errors.UploadError, match=r"1\.bin"),
    ):
        failing.datasets.upload(folder, upload_tracker=tracker)
    [pending] = tracker.get_incomplete()
    with Chronicle(server.url, server.api_key) as c:
        assert c.assets.get(pending.asset_id).state == "pending"
        [asset] = c.resume_uploads(tracker)
        assert asset.state == "ready" and asset.id == pending.asset_id
        recorded = c.datasets.provenance(asset.id)
        assert recorded is not None
        assert {p["component"]: p["sha256"] for p in recorded["components"]} == {
            comp["name"]: comp["sha256"] for comp in asset.components
        }
    tracker.close()


class _SlowStorage(httpx.HTTPTransport):
    """Real storage, each upload held a moment, counting how many are in flight at once."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()
        self.active = 0
        self.most = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method != "PUT":
            return super().handle_request(request)
        with self.lock:
            self.active += 1
            self.most = max(self.most, self.active)
        try:
            time.sleep(0.2)
            return super().handle_request(request)
        finally:
            with self.lock:
                self.active -= 1


def test_the_files_of_a_dataset_upload_at_once_not_one_after_another(server: LocalChronicle, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(6):
        (folder / f"{i}.bin").write_bytes(bytes([i]) * 10_000)
    storage = _SlowStorage()
    with Chronicle(server.url, server.api_key, storage_transport=storage) as c:
        ref = c.datasets.upload(folder)
        assert c.assets.get(ref.asset_id).state == "ready"
    assert storage.most >= 2  # the published client sends them one by one (at most 1)
