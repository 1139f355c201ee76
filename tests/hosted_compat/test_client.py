"""The client and tracker as hosted-SDK code uses them (evidence §2.2, §2.5, §4, §6.1/§6.15), over real HTTP."""

from __future__ import annotations

import pickle
from pathlib import Path

import httpx
import pytest

import methodic
from methodic import Chronicle, UploadTracker, errors
from methodic_server import LocalChronicle
from tests.helpers import CONFIG


def _counting_client(paths: list[str]) -> httpx.Client:
    """A caller's httpx client (the SDK sends through it, unchanged) that records every request path."""
    return httpx.Client(event_hooks={"request": [lambda request: paths.append(request.url.path)]})


def test_organization_slug_is_resolved_through_me_scopes_once(server: LocalChronicle) -> None:
    paths: list[str] = []
    with (
        _counting_client(paths) as http,
        Chronicle(server.url, server.api_key, organization_slug="local-org", http_client=http) as chronicle,
    ):
        assert paths == []  # nothing is fetched at construction
        assert chronicle.organization_id == "org_local"
        assert chronicle.organization_id == "org_local"
        assert paths.count("/v1/me/scopes") == 1  # resolved on first use, then cached
        exp = chronicle.experiments.create(hypothesis_summary="lab work")
        assert exp.data.organization_id == "org_local"  # the default organization applies
        standalone = chronicle.assets.create_inline(asset_type="note", content="lab note")
        assert standalone.organization_id == "org_local"
        # methodic.PERSONAL forces the personal scope although a default is set
        mine = chronicle.experiments.create(hypothesis_summary="side project", organization_id=methodic.PERSONAL)
        assert mine.data.organization_id is None
        note = chronicle.assets.create_inline(asset_type="note", content="x", organization_id=methodic.PERSONAL)
        assert note.organization_id is None


def test_organization_slug_errors(server: LocalChronicle) -> None:
    with (
        Chronicle(server.url, server.api_key, organization_slug="no-such-org") as chronicle,
        pytest.raises(methodic.ChronicleConfigError, match=r"no-such-org.*local-org"),
    ):
        chronicle.experiments.create(hypothesis_summary="x")
    with pytest.raises(methodic.ChronicleConfigError, match="not both"):
        Chronicle(server.url, server.api_key, organization_id="org_local", organization_slug="local-org")
    with Chronicle(server.url, server.api_key, organization_id=methodic.PERSONAL) as personal:
        assert personal.organization_id is None
        personal.organization_id = "org_local"
        assert personal.experiments.create(hypothesis_summary="moved").data.organization_id == "org_local"


def test_personal_sentinel() -> None:
    assert repr(methodic.PERSONAL) == "methodic.PERSONAL"
    assert pickle.loads(pickle.dumps(methodic.PERSONAL)) is methodic.PERSONAL
    assert "PERSONAL" in methodic.__all__


def test_from_file(server: LocalChronicle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "chronicle.yaml"
    config.write_text(
        f"api_key: {server.api_key}\nserver_url: {server.url}\norganization_slug: local-org\ntimeout: 12\n"
    )
    monkeypatch.setenv("CHRONICLE_API_KEY", "sk_user_from_the_environment_is_not_read_00")
    with Chronicle.from_file(config) as chronicle:
        assert chronicle.timeout == 12.0
        assert chronicle.organization_id == "org_local"
        assert chronicle.experiments.create(hypothesis_summary="from a file").state == "open"
    with Chronicle.from_file(str(config), organization_id=methodic.PERSONAL) as personal:
        assert personal.organization_id is None
    (tmp_path / "nokey.yaml").write_text(f"server_url: {server.url}\n")
    with pytest.raises(methodic.ChronicleConfigError, match="no API key"):
        Chronicle.from_file(tmp_path / "nokey.yaml")
    with pytest.raises(methodic.ChronicleConfigError, match="does not exist"):
        Chronicle.from_file(tmp_path / "missing.yaml")


def test_raw_requests_take_version_free_paths(client: Chronicle) -> None:
    exp = client.experiments.create(hypothesis_summary="h", config_yaml=CONFIG)
    report = client.assets.create_inline(asset_type="hypothesis_report", content="# h")
    # R distill / write-report: chronicle._transport.get("/experiments/{id}/outputs"), .post(path, json=...)
    linked = client._transport.post(f"/experiments/{exp.id}/inputs", json={"asset_ids": [report.id]})
    assert linked["asset_ids"] == [report.id] and linked["linked"][0]["id"] == report.id
    assert [a["id"] for a in client._transport.get(f"/experiments/{exp.id}/inputs")] == [report.id]  # a bare array
    assert client._transport.get(f"/experiments/{exp.id}/outputs") == []
    # the older /v1 form (H:a98f4b2 move-experiment) reaches the same endpoint
    assert client._transport.get("/v1/me/scopes")["scopes"][0]["kind"] == "user"
    assert client.get("/me/scopes") == client._transport.get("/v1/me/scopes")
    assert client.get("/experiments", params={"status": "open"})[0]["id"] == exp.id
    assert client.put(f"/experiments/{exp.id}/commit", json={})["experiment"]["state"] == "committed"
    assert client.put(f"/experiments/{exp.id}/variations/0", json={"hypothesis": "x"})["hypothesis"] == "x"

    with pytest.raises(errors.NotFoundError) as missing:
        client._transport.get("/experiments/no-such-id/outputs")
    assert missing.value.status_code == 404 and missing.value.code == "not_found"
    assert missing.value.request_id and missing.value.path == "/v1/experiments/no-such-id/outputs"
    with pytest.raises(errors.BadRequestError, match="query: '' should be non-empty"):
        client.post("/search", json={"query": ""})
    with pytest.raises(errors.ConflictError):
        client.delete(f"/experiments/{exp.id}")
    for bad in ("https://elsewhere.example/v1/me/scopes", "//elsewhere.example/x", "experiments"):
        with pytest.raises(ValueError, match="path on the Chronicle server"):
            client.get(bad)
    with pytest.raises(ValueError) as presigned:
        client.get("https://bucket.example/obj?X-Amz-Signature=s3cr3tsig")
    assert "s3cr3tsig" not in str(presigned.value)


def test_tracker_public_names(client: Chronicle, tmp_path: Path) -> None:
    tracker = UploadTracker(db_path=tmp_path / "uploads.sqlite")
    assert tracker.has_registered_assets() is False  # a first start, not a restart
    assert tracker.get_latest_checkpoint_path() is None

    exp = client.experiments.create(hypothesis_summary="h", config_yaml=CONFIG).commit()
    client.variations.commit(exp.id, 0, commit_without_hypothesis=True)
    run = client.run(exp.id, 0, 0).start()
    for step in (100, 200):
        folder = tmp_path / f"checkpoint-{step}"
        folder.mkdir()
        (folder / "model.bin").write_bytes(bytes(step))
        run.register_and_upload_async(local_dir=folder, asset_type="checkpoint", upload_tracker=tracker)
        run.wait_for_uploads()
    assert tracker.has_registered_assets() is True
    assert tracker.get_latest_checkpoint_path() == str(tmp_path / "checkpoint-200")
    assert tracker.get_incomplete() == tracker.get_pending_uploads() == []

    # mark_pending, one component at a time (DOCS reference/tracker), then a resume finishes the asset
    (tmp_path / "weights.bin").write_bytes(b"w" * 1000)
    (tmp_path / "config.json").write_bytes(b"{}")
    info = client.assets.create_with_presigned(
        asset_type="snapshot",
        components=["weights.bin", "config.json"],
        output_of={"experiment_id": exp.id, "variation": 0, "run": 0},
    )
    tracker.mark_pending(info.asset_id, "weights.bin", tmp_path / "weights.bin", asset_type="snapshot")
    tracker.mark_pending(info.asset_id, "config.json", str(tmp_path / "config.json"), size=2, asset_type="snapshot")
    tracker.mark_pending(info.asset_id, "config.json", str(tmp_path / "config.json"), size=2)  # again: nothing
    (pending,) = tracker.get_incomplete()
    assert pending.asset_id == info.asset_id and pending.asset_type == "snapshot"
    assert {c.name: c.size for c in pending.components} == {"weights.bin": 1000, "config.json": 2}
    assert tracker.all_components_completed(info.asset_id) is False
    (finalized,) = client.resume_uploads(tracker)
    assert finalized.id == info.asset_id and finalized.state == "ready"
    assert tracker.get_incomplete() == []
    with pytest.raises(methodic.TrackerError, match="mark every component before uploading"):
        tracker.mark_pending(info.asset_id, "late.bin", tmp_path / "weights.bin")
    with pytest.raises(methodic.TrackerError, match="another file"):
        tracker.mark_pending(info.asset_id, "weights.bin", tmp_path / "config.json")
    with pytest.raises(methodic.TrackerError, match="cannot mark"):
        tracker.mark_pending("other", "x", tmp_path / "absent.bin")
    tracker.close()


def test_constructor_takes_the_hosted_positional_order(server: LocalChronicle) -> None:
    # DOCS reference/client: Chronicle(server_url, api_key, timeout=30, max_upload_workers=2, organization_id=None,
    # organization_slug=None)
    with Chronicle(server.url, server.api_key, 12, 3, None, "local-org") as chronicle:
        assert chronicle.timeout == 12
        assert chronicle.organization_slug == "local-org"
        assert chronicle.organization_id == "org_local"
        assert chronicle.organization_slug is None  # resolved
