"""Flows the hosted wire protocol introduced, end to end over real HTTP to the local server.

Owner-qualified experiment references (``@user/slug``, ``o/org/slug``) travel as ``/v1/u/.../e/...`` and
``/v1/o/.../e/...``; a one-file upload comes back as the newest output and downloads byte-identical; a
finalize with a wrong sha256 is refused and leaves the asset pending; an expired checkpoint is a typed
410 everywhere its bytes are asked for; runs heartbeat on the global ``POST /v1/heartbeat``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx
import pytest

from methodic import Chronicle, errors
from methodic_server import LocalChronicle
from tests.helpers import CONFIG, sha256_file


class Recording(httpx.BaseTransport):
    """Real HTTP to the local API, remembering each request's method, path and JSON body."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.requests: list[tuple[str, str, object]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        self.requests.append((request.method, request.url.path, body))
        return self.inner.handle_request(request)

    def paths(self, method: str) -> list[str]:
        return [path for m, path, _ in self.requests if m == method]


def user_slug(client: Chronicle) -> str:
    (user,) = [scope for scope in client.me.scopes() if scope.kind == "user"]
    assert user.slug
    return str(user.slug)


def test_an_owner_qualified_reference_reaches_commit_and_get(server: LocalChronicle) -> None:
    recording = Recording()
    with Chronicle(server.url, server.api_key, transport=recording) as client:
        created = client.experiments.create(title="Ripple PDE", hypothesis_summary="h", config_yaml=CONFIG)
        slug = created.data["slug"]
        assert slug and created.data["owner_subject"]
        user = user_slug(client)
        ref = f"@{user}/{slug}"

        exp = client.experiment(ref)
        assert exp.state == "open" and exp.title == "Ripple PDE"
        exp.commit()
        assert client.experiments.get(ref).experiment.id == created.id
        assert client.experiments.get(created.id).state == "committed"  # the same experiment, by uuid
        client.variation(ref, 0).commit(commit_without_hypothesis=True)
        assert client.variations.get(created.id, 0).state == "committed"

    owner_path = f"/v1/u/{user}/e/{slug}"
    assert f"{owner_path}/commit" in recording.paths("PUT")
    assert f"{owner_path}/variations/0/commit" in recording.paths("PUT")
    assert owner_path in recording.paths("GET")
    assert not any("@" in path for _, path, _ in recording.requests)


def test_an_organization_reference_reaches_an_organization_experiment(client: Chronicle) -> None:
    (org,) = [scope for scope in client.me.scopes() if scope.kind == "organization"]
    created = client.experiments.create(
        title="Org owned", hypothesis_summary="h", config_yaml=CONFIG, organization_id=org.id
    )
    ref = f"o/{org.slug}/{created.data['slug']}"
    assert client.experiments.commit(ref).experiment.id == created.id
    assert client.experiment(ref).state == "committed"
    with pytest.raises(errors.NotFoundError):  # a user reference does not find an organization's experiment
        client.experiments.get(f"@{user_slug(client)}/{created.data['slug']}")


def test_upload_file_then_latest_output_then_download_round_trips(
    client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    run = client.run(*committed_run).start()
    older = tmp_path / "older.bin"
    older.write_bytes(os.urandom(10_000))
    first_id = run.upload_file(older, "checkpoint")
    model = tmp_path / "model.safetensors"
    model.write_bytes(os.urandom(300_000))
    asset_id = run.upload_file(model, "checkpoint", asset_config={"step": 7})
    assert isinstance(asset_id, str) and asset_id != first_id

    latest = run.latest_output("checkpoint")
    assert latest is not None and latest.id == asset_id and latest.state == "ready"
    assert latest.asset_config == {"step": 7}
    assert [(c["name"], c["size_bytes"], c["sha256"]) for c in latest.components] == [
        ("model.safetensors", 300_000, sha256_file(model))
    ]
    assert run.latest_output("metrics") is None
    assert {a.id for a in run.list_outputs()} == {first_id, asset_id}

    (path,) = run.download_asset(latest.id, tmp_path / "back")
    assert path == tmp_path / "back" / "model.safetensors" and sha256_file(path) == sha256_file(model)
    assert run.download_checkpoint(tmp_path / "resume") == tmp_path / "resume" / "checkpoint-7"
    assert run.succeed().state == "succeeded"


def test_finalize_with_a_wrong_sha256_is_refused_and_the_asset_stays_pending(
    client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    run = client.run(*committed_run).start()
    path = tmp_path / "w.bin"
    path.write_bytes(os.urandom(50_000))
    info = run.create_asset_presigned("checkpoint", [path.name])
    assert info.asset.state == "pending" and set(info.upload_urls) == {"w.bin"}
    sent = run.upload_component(info.upload_urls["w.bin"], path, "application/octet-stream")
    assert sent == sha256_file(path) and sent.size == 50_000

    with pytest.raises(errors.ConflictError) as caught:
        run.finalize_asset(info.asset_id, {"w.bin": "0" * 64})
    assert caught.value.status_code == 409
    assert client.assets.get(info.asset_id).state == "pending"
    assert run.latest_output("checkpoint") is None  # never offered for a resume
    assert run.latest_output("checkpoint", ready_only=False).id == info.asset_id

    ready = run.finalize_asset(info.asset_id, {"w.bin": sent})
    assert ready.state == "ready" and ready.components[0]["sha256"] == sent


def test_an_expired_checkpoint_is_a_typed_410_and_never_chosen_for_a_resume(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    run = client.run(*committed_run).start()
    folder = tmp_path / "ckpt"
    folder.mkdir()
    (folder / "model.bin").write_bytes(os.urandom(20_000))
    kept = run.upload_directory_async(folder, "checkpoint", asset_config={"step": 1}, progress=False).wait()
    doomed = run.upload_directory_async(folder, "checkpoint", asset_config={"step": 2}, progress=False).wait()
    assert run.latest_output("checkpoint").id == doomed.id

    assert server.expire_asset(doomed.id)["state"] == "expired"
    record = client.assets.get(doomed.id)  # the record and its hashes remain
    assert record.state == "expired" and record.components[0]["sha256"] == sha256_file(folder / "model.bin")
    with pytest.raises(errors.AssetExpiredError) as caught:
        run.download_asset(doomed.id, tmp_path / "back")
    assert caught.value.status_code == 410
    assert not (tmp_path / "back" / "model.bin").exists()
    with pytest.raises(errors.AssetExpiredError):
        client.assets.get(doomed.id, include_presigned=True)
    with pytest.raises(errors.AssetExpiredError):
        client.assets.presign(doomed.id)
    with pytest.raises(errors.AssetExpiredError):
        run.finalize_asset(doomed.id)

    assert run.latest_output("checkpoint").id == kept.id  # the newest one that still has its bytes
    assert run.download_checkpoint(tmp_path / "resume") == tmp_path / "resume" / "checkpoint-1"
    with pytest.raises(errors.CheckpointNotFoundError):
        run.download_checkpoint(tmp_path / "resume", step=2)


def test_runs_speak_post_lifecycle_and_the_global_heartbeat(
    server: LocalChronicle, committed_run: tuple[str, int, int]
) -> None:
    recording = Recording()
    exp_id, v, r = committed_run
    with Chronicle(server.url, server.api_key, transport=recording) as client:
        run = client.run(*committed_run).start().heartbeat()
        assert run.get_status().state == "running"
        assert run.get_variation_config().config_json == {"lr": 0.01, "steps": 20, "model": {"hidden": 8}}
        run.succeed()
        assert run.state == "succeeded" and run.finished_at is not None
    base = f"/v1/experiments/{exp_id}/variations/{v}/runs/{r}"
    assert recording.paths("POST") == [f"{base}/start", "/v1/heartbeat", f"{base}/succeed"]
    heartbeat = next(body for m, path, body in recording.requests if path == "/v1/heartbeat")
    assert heartbeat == {"experiment_id": exp_id, "variation": v, "run": r}
    assert f"{base}/status" in recording.paths("GET")
    assert not recording.paths("PUT")


def test_experiments_iter_walks_every_page_with_a_filter(client: Chronicle) -> None:
    created = [client.experiments.create(title=f"e{i}", hypothesis_summary="h") for i in range(5)]
    for exp in created[:4]:
        exp.commit()
    pages = []
    token = None
    while True:
        page = client.experiments.list(status="committed", page_size=2, page_token=token)
        pages.append([e.id for e in page.results])
        token = page.next_page_token
        if token is None:
            break
    assert [len(p) for p in pages] == [2, 2] or [len(p) for p in pages] == [2, 2, 0]
    walked = [e.id for e in client.experiments.iter(status="committed", page_size=2)]
    assert walked == [i for p in pages for i in p]
    assert set(walked) == {e.id for e in created[:4]}
    assert len(list(client.experiments.iter(page_size=1))) == 5
