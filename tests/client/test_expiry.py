"""Expiry: ``ttl_days`` on create, ``preserve`` on the hosted route, 410 as AssetExpiredError, resumes that skip it.

Real HTTP to a LocalChronicle; ``LocalChronicle.expire_asset`` stands in for the passing of a checkpoint's
``ttl_days``. Requests are watched (and, to play a hosted server that lists a checkpoint before its expiry
job ran, one answer rewritten) by an httpx transport under the client.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

from methodic import Chronicle, Run
from methodic.errors import AssetExpiredError, CheckpointNotFoundError
from methodic_server import LocalChronicle
from tests.helpers import contract_checked, sha256_file

DAY = 86_400.0


class Watched(httpx.HTTPTransport):
    """Real HTTP to the API; records each request, and rewrites the JSON answer of a matching one."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[tuple[str, str, bytes, str | None]] = []
        self.edit: tuple[str, str, Callable[[Any], Any]] | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append((request.method, request.url.path, request.read(), request.headers.get("Content-Type")))
        response = super().handle_request(request)
        if self.edit is not None and response.is_success:
            method, suffix, edit = self.edit
            if request.method == method and request.url.path.endswith(suffix):
                body = edit(json.loads(response.read()))
                response.close()
                headers = [
                    (k, v)
                    for k, v in response.headers.multi_items()
                    if k.lower() not in ("content-length", "content-encoding", "transfer-encoding")
                ]
                return httpx.Response(response.status_code, headers=headers, content=json.dumps(body).encode())
        return response

    def bodies(self, method: str, path: str) -> list[Any]:
        return [json.loads(body) if body else None for m, p, body, _ in self.requests if (m, p) == (method, path)]


def epoch(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


@pytest.fixture
def local() -> Iterator[LocalChronicle]:
    with contract_checked() as server:
        yield server


@pytest.fixture
def watched() -> Watched:
    return Watched()


@pytest.fixture
def run(local: LocalChronicle, watched: Watched) -> Iterator[Run]:
    with Chronicle(local.url, local.api_key, transport=watched) as chronicle:
        exp = chronicle.experiments.create(title="t", hypothesis_summary="h", config_yaml="lr: 1\n")
        exp.commit()
        chronicle.variation(exp.id, 0).commit(commit_without_hypothesis=True)
        yield chronicle.run(exp.id, 0, 0).start()


def checkpoint(run: Run, folder: Path, step: int, **kwargs: Any) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.bin").write_bytes(os.urandom(40_000))
    (folder / "state.json").write_text(json.dumps({"step": step}))
    return (
        run.upload_directory_async(folder, "checkpoint", asset_config={"step": step}, progress=False, **kwargs)
        .wait()
        .id
    )


def test_ttl_days_is_sent_on_create_only_when_asked_as_the_hosted_client_sends_it(
    run: Run, watched: Watched, tmp_path: Path
) -> None:
    kept = checkpoint(run, tmp_path / "a", 1)
    short = checkpoint(run, tmp_path / "b", 2, ttl_days=7)
    single = tmp_path / "one.bin"
    single.write_bytes(b"x" * 1000)
    lone = run.upload_file(single, "checkpoint", ttl_days=3)

    creates = watched.bodies("POST", "/v1/assets")
    assert len(creates) == 3
    assert "ttl_days" not in creates[0]
    # an integer field of the create body beside upload_targets, exactly as methodic-research 0.55.0 sends it
    assert creates[1]["ttl_days"] == 7 and type(creates[1]["ttl_days"]) is int
    assert creates[2]["ttl_days"] == 3 and creates[2]["upload_targets"] == creates[1]["upload_targets"]

    assets = run._api.assets
    for asset_id, days in ((kept, 180), (short, 7), (lone, 3)):
        record = assets.get(asset_id)
        assert record.expires_at is not None and record.created_at is not None
        assert abs(epoch(record.expires_at) - epoch(record.created_at) - days * DAY) < 60


def test_preserve_clears_the_expiry_on_the_hosted_route_and_is_idempotent(
    local: LocalChronicle, run: Run, watched: Watched, tmp_path: Path
) -> None:
    preserved = checkpoint(run, tmp_path / "a", 1, ttl_days=1)
    twin = checkpoint(run, tmp_path / "b", 2, ttl_days=1)
    assets = run._api.assets
    assert assets.get(preserved).expires_at is not None

    answer = assets.preserve(preserved)
    assert answer.id == preserved and answer.state == "ready" and answer.expires_at is None
    # the hosted route, as the published client calls it: PUT with no body
    assert [(m, body, ctype) for m, p, body, ctype in watched.requests if p.endswith("/preserve")] == [
        ("PUT", b"", None)
    ]
    assert watched.requests[-1][1] == f"/v1/assets/{preserved}/preserve"
    assert assets.preserve(preserved).expires_at is None  # again: the same answer
    assert assets.get(preserved).expires_at is None

    # the day passes: the twin's bytes go, the preserved checkpoint's stay
    store = local._server.store
    with store.transaction():
        later = time.time() + 2 * DAY
        for asset_id in (preserved, twin):
            store.assets._expire_if_due(store.assets.get(asset_id), at=later)
    assert assets.get(preserved).state == "ready" and assets.get(twin).state == "expired"
    run.download_asset(preserved, tmp_path / "back")
    assert sha256_file(tmp_path / "back" / "model.bin") == sha256_file(tmp_path / "a" / "model.bin")

    with pytest.raises(AssetExpiredError) as caught:  # too late for the twin
        assets.preserve(twin)
    assert caught.value.status_code == 410 and twin in str(caught.value)


def test_an_expired_newest_checkpoint_is_skipped_by_find_latest_and_download(
    local: LocalChronicle, run: Run, tmp_path: Path
) -> None:
    checkpoint(run, tmp_path / "a", 1)
    newest = checkpoint(run, tmp_path / "b", 2)
    assert run.find_checkpoint().id == newest
    local.expire_asset(newest)

    assert run.find_checkpoint().asset_config == {"step": 1}
    assert run.latest_output("checkpoint").asset_config == {"step": 1}
    assert run.latest_output("checkpoint", ready_only=False).asset_config == {"step": 1}  # nothing to resume from
    folder = run.download_checkpoint(tmp_path / "resume")
    assert folder == tmp_path / "resume" / "checkpoint-1"
    assert sha256_file(folder / "model.bin") == sha256_file(tmp_path / "a" / "model.bin")
    with pytest.raises(CheckpointNotFoundError):
        run.download_checkpoint(tmp_path / "resume", step=2)
    with pytest.raises(AssetExpiredError) as caught:
        run.download_asset(newest, tmp_path / "gone")
    message = str(caught.value)
    assert newest in message and "expired" in message and "deleted" in message and "preserve" in message


def test_a_checkpoint_listed_ready_that_turns_out_expired_is_skipped_and_leaves_no_folder(
    local: LocalChronicle, run: Run, watched: Watched, tmp_path: Path
) -> None:
    checkpoint(run, tmp_path / "a", 1)
    newest = checkpoint(run, tmp_path / "b", 2)
    local.expire_asset(newest)

    def listed_before_its_expiry(assets: Any) -> Any:  # a hosted list served before its expiry job ran
        for asset in assets:
            if asset["id"] == newest:
                asset.update(state="ready", expires_at=None, expired_at=None)
        return assets

    watched.edit = ("GET", "/variations/0/outputs", listed_before_its_expiry)
    assert run.find_checkpoint().id == newest  # it looks ready...
    folder = run.download_checkpoint(tmp_path / "resume")  # ...until the download's 410
    assert folder == tmp_path / "resume" / "checkpoint-1"
    assert sorted(p.name for p in (tmp_path / "resume").iterdir()) == ["checkpoint-1"]


def test_a_ready_checkpoint_past_its_expires_at_is_not_chosen(
    local: LocalChronicle, run: Run, watched: Watched, tmp_path: Path
) -> None:
    checkpoint(run, tmp_path / "a", 1)
    newest = checkpoint(run, tmp_path / "b", 2)

    def overdue(assets: Any) -> Any:  # listed ready, but its time has come
        for asset in assets:
            if asset["id"] == newest:
                asset["expires_at"] = datetime.fromtimestamp(time.time() - 60, tz=timezone.utc).isoformat()
        return assets

    watched.edit = ("GET", "/variations/0/outputs", overdue)
    assert run.find_checkpoint().asset_config == {"step": 1}
    assert run.latest_output("checkpoint").asset_config == {"step": 1}
