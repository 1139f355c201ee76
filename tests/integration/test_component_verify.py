"""Components vouched for by their uploader: how finalize treats declared, verified and unverified components."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from methodic import Chronicle, ConflictError
from methodic.types import ComponentDigest
from methodic_server import LocalChronicle


def _put(url: str, data: bytes) -> ComponentDigest:
    httpx.put(url, content=data).raise_for_status()
    return ComponentDigest(size=len(data), sha256=hashlib.sha256(data).hexdigest())


@pytest.fixture
def server() -> Iterator[LocalChronicle]:
    """These tests PUT to presigned URLs by hand: a server that answers the presigned-PUT route (``gcs``)."""
    with LocalChronicle(validate_contract=True, upload_route="gcs") as srv:
        yield srv
        assert srv.contract_violations == [], srv.contract_violations


def test_partial_declarations_need_the_others_verified_and_verify_catches_wrong_bytes(
    client: Chronicle, committed_run: tuple[str, int, int]
) -> None:
    run = client.run(*committed_run).start()
    created = run.create_asset_presigned(asset_type="checkpoint", components=["a.bin", "b.bin"])
    a = _put(created.upload_urls["a.bin"], b"rank zero's bytes")
    b = _put(created.upload_urls["b.bin"], b"rank one's bytes")

    # Rank 0 declares only its own file: rank 1's is in storage but nobody vouched for it yet.
    with pytest.raises(ConflictError) as refused:
        client.assets.finalize(created.asset_id, components={"a.bin": a})
    assert refused.value.code == "components_unverified"
    with pytest.raises(ConflictError) as refused:  # the same through the hosted form ({files: [{path, sha256}]})
        client.assets.finalize(created.asset_id, {"a.bin": a.sha256})
    assert refused.value.code == "components_unverified"

    with pytest.raises(ConflictError) as wrong:  # an uploader whose bytes were changed in transit
        client.assets.verify_components(created.asset_id, {"b.bin": ComponentDigest(size=b.size, sha256="0" * 64)})
    assert wrong.value.code == "component_mismatch"

    verified = client.assets.verify_components(created.asset_id, {"b.bin": b})
    assert verified.state == "pending"
    assert [c.get("verified") for c in verified["components"] if c["name"] == "b.bin"] == [True]
    ready = client.assets.finalize(created.asset_id, {"a.bin": a.sha256})
    assert ready.state == "ready"


def test_verify_reports_missing_components_and_finalize_without_declarations_still_trusts_storage(
    client: Chronicle, committed_run: tuple[str, int, int]
) -> None:
    run = client.run(*committed_run).start()
    created = run.create_asset_presigned(asset_type="checkpoint", components=["a.bin", "b.bin"])
    a = _put(created.upload_urls["a.bin"], b"a")
    with pytest.raises(ConflictError) as missing:
        client.assets.verify_components(
            created.asset_id, {"a.bin": a, "b.bin": ComponentDigest(size=1, sha256="f" * 64)}
        )
    assert missing.value.code == "components_missing"
    _put(created.upload_urls["b.bin"], b"b")
    assert client.assets.finalize(created.asset_id).state == "ready"  # hosted-SDK style: no declarations


def test_download_filters_select_components(
    client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    run = client.run(*committed_run).start()
    folder = tmp_path / "ckpt"
    folder.mkdir()
    for name in ("__0_0.distcp", "__1_0.distcp", ".metadata", "notes.txt"):
        (folder / name).write_text(name)
    asset = run.upload_directory_async(folder, asset_type="checkpoint").wait()
    got = run.download_asset(asset.id, tmp_path / "a", components="*.distcp")
    assert sorted(p.name for p in got) == ["__0_0.distcp", "__1_0.distcp"]
    got = run.download_asset(asset.id, tmp_path / "b", components=[".metadata", "__1_*"])
    assert sorted(p.name for p in got) == [".metadata", "__1_0.distcp"]
    got = run.download_asset(asset.id, tmp_path / "c", components=lambda name: name.endswith(".txt"))
    assert [p.name for p in got] == ["notes.txt"]
    assert run.download_asset(asset.id, tmp_path / "d", components="nothing-*") == []
    assert sorted(p.name for p in run.download_rank_files(asset.id, tmp_path / "e")) == sorted(
        p.name for p in folder.iterdir()
    )  # not uploaded by ranks: the whole asset
