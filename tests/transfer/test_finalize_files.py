"""Finalize with the client's hashes: every component named and checked, or none; and download filters."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from methodic import BadRequestError, Chronicle, ConflictError
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


def test_files_must_name_every_component_and_each_is_checked_against_storage(
    client: Chronicle, committed_run: tuple[str, int, int]
) -> None:
    run = client.run(*committed_run).start()
    created = run.create_asset_presigned(asset_type="checkpoint", components=["a.bin", "b.bin"])
    a = _put(created.upload_urls["a.bin"], b"rank zero's bytes")
    b = _put(created.upload_urls["b.bin"], b"rank one's bytes")

    # Only rank 0's file declared: b.bin would go unchecked, so the list is refused (a distributed
    # upload's ranks exchange their digests, and whoever finalizes lists every file).
    with pytest.raises(BadRequestError) as refused:
        client.assets.finalize(created.asset_id, {"a.bin": a.sha256})
    assert refused.value.code == "components_undeclared"
    with pytest.raises(ConflictError) as wrong:  # bytes changed in transit: storage differs from the hash
        client.assets.finalize(created.asset_id, {"a.bin": a.sha256, "b.bin": "0" * 64})
    assert wrong.value.code == "component_mismatch"
    assert client.assets.get(created.asset_id).state == "pending"

    ready = client.assets.finalize(created.asset_id, components={"a.bin": a, "b.bin": b})
    assert ready.state == "ready"
    assert {c["name"]: c["sha256"] for c in ready.components} == {"a.bin": a.sha256, "b.bin": b.sha256}


def test_a_file_not_in_storage_yet_leaves_the_asset_pending_and_a_bare_finalize_still_trusts_storage(
    client: Chronicle, committed_run: tuple[str, int, int]
) -> None:
    run = client.run(*committed_run).start()
    created = run.create_asset_presigned(asset_type="checkpoint", components=["a.bin", "b.bin"])
    a = _put(created.upload_urls["a.bin"], b"a")
    with pytest.raises(ConflictError) as missing:  # another node's file has not arrived: the asset waits
        client.assets.finalize(created.asset_id, {"a.bin": a.sha256, "b.bin": "f" * 64})
    assert missing.value.code == "components_missing"
    assert client.assets.get(created.asset_id).state == "pending"
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
