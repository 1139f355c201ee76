"""Asset uploads and downloads against the local API and storage service, with injected faults."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from methodic import Chronicle, UploadTracker, errors
from methodic_server import LocalChronicle
from tests.helpers import sha256_file
from tests.transfer.progress import CountingProgress


def make_dir(root: Path, files: dict[str, int]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, size in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(os.urandom(size))
    return root


def test_inline_uploads_fill_output_of(client: Chronicle, committed_run: tuple[str, int, int]) -> None:
    run = client.run(*committed_run).start()
    asset = run.upload_asset(asset_type="trainer_config", content={"lr": 3e-4}, asset_config={"schema_version": 3})
    assert asset.state == "ready"
    assert (asset.experiment_id, asset.variation, asset.run) == committed_run
    assert asset.asset_config == {"schema_version": 3}
    env = run.upload_environment({"python": "3.11", "packages": ["numpy==2"]})
    assert env["asset"]["asset_type"] == "environment" and env["asset"]["content"]["python"] == "3.11"
    assert env.asset_type == "environment"
    assert {a.asset_type for a in run.list_outputs()} == {"trainer_config", "environment"}


def test_presigned_three_step_flow_from_the_seed(
    client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    run = client.run(*committed_run).start()
    out = make_dir(tmp_path / "out", {"model.safetensors": 300_000, "optimizer.pt": 50_000, "metadata.json": 10})
    upload_info = run.create_asset_presigned(
        asset_type="checkpoint", components=["model.safetensors", "optimizer.pt", "metadata.json"]
    )
    sha256s = {}
    for filename, url in upload_info.upload_urls.items():
        sha256s[filename] = run.upload_component(url, Path(f"{out}/{filename}"), "application/octet-stream")
        assert sha256s[filename] == sha256_file(out / filename)
        assert sha256s[filename].size == (out / filename).stat().st_size
    ready = run.finalize_asset(upload_info.asset_id, sha256s)
    assert ready.state == "ready"
    assert run.finalize_asset(upload_info.asset_id).state == "ready"  # idempotent
    sizes = {c["name"]: c["size_bytes"] for c in ready.components}
    assert sizes == {"model.safetensors": 300_000, "optimizer.pt": 50_000, "metadata.json": 10}
    assert {c["name"]: c["sha256"] for c in ready.components} == sha256s

    dest = tmp_path / "checkpoint"
    client.assets.download(upload_info.asset_id, local_dir=dest)
    for name in sizes:
        assert sha256_file(dest / name) == sha256_file(out / name)
    asset = client.assets.get(upload_info.asset_id, include_presigned=True)
    assert set(asset.download_urls) == set(sizes)


def test_directory_upload_in_background_then_download(
    client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    run = client.run(*committed_run).start()
    ckpt = make_dir(tmp_path / "ckpt", {"model.bin": 2_000_000, "nested/dir/opt.bin": 700_000, "step.json": 5})
    counter = CountingProgress()
    upload = run.upload_directory_async(ckpt, asset_type="checkpoint", progress=counter)
    run.wait_for_uploads()
    asset = upload.wait()
    assert asset.state == "ready"
    assert sorted(c["name"] for c in asset.components) == ["model.bin", "nested/dir/opt.bin", "step.json"]
    assert counter.counted == counter.total == 2_700_005
    latest = run.latest_output("checkpoint")
    assert latest is not None and latest["id"] == asset.id
    dest = tmp_path / "restore"
    paths = run.download_asset(asset.id, dest)
    assert sorted(p.relative_to(dest).as_posix() for p in paths) == ["model.bin", "nested/dir/opt.bin", "step.json"]
    assert sha256_file(dest / "nested/dir/opt.bin") == sha256_file(ckpt / "nested/dir/opt.bin")
    assert run.succeed().state == "succeeded"


def test_register_and_upload_with_tracker_marks_everything(
    client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    run = client.run(*committed_run).start()
    tracker = UploadTracker(db_path=tmp_path / "uploads.sqlite")
    ckpt = make_dir(tmp_path / "ckpt", {"a.bin": 100_000, "b.bin": 200_000})
    upload = run.register_and_upload_async(local_dir=ckpt, asset_type="checkpoint", upload_tracker=tracker)
    run.succeed()  # waits for the background uploads first
    assert client.assets.get(upload.asset_id).state == "ready"
    assert tracker.all_components_completed(upload.asset_id)
    assert tracker.get_pending_uploads() == []
    recorded = tracker.get_asset(upload.asset_id)
    assert recorded is not None and recorded.state == "finalized" and recorded.local_dir == str(ckpt.resolve())
    assert (recorded.asset_type, recorded.variation, recorded.run) == ("checkpoint", committed_run[1], committed_run[2])
    assert client.run(*committed_run).state == "succeeded"


def test_storage_500_storm_and_dropped_connections_still_complete(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    run = client.run(*committed_run).start()
    ckpt = make_dir(tmp_path / "ckpt", {"a.bin": 1_500_000, "b.bin": 10})
    server.faults.fail_storage(3, status=500)
    first = run.upload_directory_async(ckpt, asset_type="checkpoint").wait()
    assert first.state == "ready"
    server.faults.fail_storage(2, status=None)  # connections dropped without a response
    second = run.upload_directory_async(ckpt, asset_type="checkpoint").wait()
    assert second.state == "ready"
    dest = tmp_path / "d"
    server.faults.fail_storage(1, status=None)
    run.download_asset(second.id, dest)
    assert sha256_file(dest / "a.bin") == sha256_file(ckpt / "a.bin")


@pytest.fixture
def gcs_server() -> Iterator[LocalChronicle]:
    """A server that answers the presigned-PUT route (``gcs``), whose URLs expire (the gateway's do not)."""
    with LocalChronicle(validate_contract=True, upload_route="gcs") as srv:
        yield srv


def test_expired_upload_urls_are_refreshed(gcs_server: LocalChronicle, tmp_path: Path) -> None:
    server = gcs_server
    client = Chronicle(server.url, server.api_key)
    exp = client.experiments.create(title="t", hypothesis_summary="h", config_yaml="lr: 1")
    exp.commit()
    client.variation(exp.id, 0).commit(commit_without_hypothesis=True)
    run = client.run(exp.id, 0, 0).start()
    server.faults.expire_presigned_urls(True)
    info = run.create_asset_presigned(asset_type="checkpoint", components=["w.bin"])
    server.faults.expire_presigned_urls(False)
    path = tmp_path / "w.bin"
    path.write_bytes(os.urandom(1000))
    with httpx.Client() as raw:
        assert raw.put(info.upload_urls["w.bin"], content=path.read_bytes()).status_code == 403
    ckpt = make_dir(tmp_path / "ckpt", {"w.bin": 1000})
    server.faults.expire_presigned_urls(True)
    upload = run.upload_directory_async(ckpt, asset_type="checkpoint")
    # every URL the server hands out is expired until the fault is lifted; the refresh gets a good one
    server.faults.expire_presigned_urls(False)
    assert upload.wait().state == "ready"
    client.close()


def test_failed_background_upload_surfaces_at_succeed(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    run = client.run(*committed_run).start()
    ckpt = make_dir(tmp_path / "ckpt", {"model.bin": 10_000})
    server.faults.fail_storage(50, status=400)  # not retryable
    upload = run.upload_directory_async(ckpt, asset_type="checkpoint")
    with pytest.raises(errors.UploadError) as info:
        run.succeed()
    server.faults.reset()
    assert "model.bin" in str(info.value)
    assert info.value.failures[0][0] == upload.asset_id
    assert client.run(*committed_run).state == "running"  # success was not reported
    assert client.assets.get(upload.asset_id).state == "pending"
    run.fail(reason="crash")
    assert client.assets.get(upload.asset_id).state == "abandoned"


def test_directory_scanning_refuses_bad_input_before_registering(
    client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    run = client.run(*committed_run).start()
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValueError, match="empty"):
        run.upload_directory_async(empty, asset_type="checkpoint")
    outside = tmp_path / "secret.txt"
    outside.write_text("do not upload")
    sneaky = make_dir(tmp_path / "sneaky", {"ok.bin": 10})
    (sneaky / "link.txt").symlink_to(outside)
    with pytest.raises(ValueError, match=r"link\.txt"):
        run.upload_directory_async(sneaky, asset_type="checkpoint")
    assert run.list_outputs() == []


def test_download_refuses_traversal_names(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    run = client.run(*committed_run).start()
    asset = run.upload_directory_async(make_dir(tmp_path / "c", {"x.bin": 10}), asset_type="checkpoint").wait()
    upstream = httpx.Client()

    def malicious(request: httpx.Request) -> httpx.Response:
        forwarded = upstream.send(
            upstream.build_request(request.method, request.url, headers=request.headers, content=request.content)
        )
        body = forwarded.json()
        if request.url.path.endswith(asset.id):
            body["components"][0]["name"] = "../../escaped.bin"
            body["presigned_urls"] = {"../../escaped.bin": next(iter(body["presigned_urls"].values()))}
        return httpx.Response(forwarded.status_code, json=body)

    dest = tmp_path / "dest"
    with (
        Chronicle(server.url, server.api_key, transport=httpx.MockTransport(malicious)) as evil,
        pytest.raises(ValueError, match=r"\.\."),
    ):
        evil.assets.download(asset.id, local_dir=dest)
    upstream.close()
    assert not (tmp_path / "escaped.bin").exists()
    assert not dest.exists() or list(dest.iterdir()) == []


def test_close_waits_for_queued_uploads(
    server: LocalChronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    chronicle = Chronicle(server.url, server.api_key, max_upload_workers=1)
    run = chronicle.run(*committed_run).start()
    uploads = [
        run.upload_directory_async(make_dir(tmp_path / f"c{i}", {"x.bin": 500_000}), asset_type="checkpoint")
        for i in range(3)
    ]
    chronicle.close()
    with Chronicle(server.url, server.api_key) as check:
        assert [check.assets.get(u.asset_id).state for u in uploads] == ["ready"] * 3
