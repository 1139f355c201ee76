"""A hostile server's sizes and part layouts are refused fast, before any allocation, file or storage request.

A small tampering transport sits between the client and a real LocalChronicle (real HTTP both ways) and
rewrites one answer: an asset record with ``part_size: 1``, 10^12 bytes in 1-byte parts, a negative
size; a multipart start answer with a layout nobody asked for; a list of parts that cannot belong to
the upload. Each is refused with PartLayoutError naming the asset, the component and the value: in
milliseconds, with a few KiB of memory, without a byte of storage traffic or a file on disk.
"""

from __future__ import annotations

import json
import os
import re
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from methodic import Chronicle, UploadTracker
from methodic.errors import PartLayoutError, UploadError
from methodic.transfer.bounds import checked_layout, checked_size
from methodic.transfer.futures import OutputTarget
from methodic.transfer.tracker import PartRecord
from methodic_server import LocalChronicle
from tests.helpers import contract_checked

MiB = 1 << 20
GiB = 1 << 30
TiB = 1 << 40
Edit = Callable[[Any], Any]


class Tampering(httpx.HTTPTransport):
    """Real HTTP to the server; the JSON answer of a matching request is rewritten by ``edit`` on its way back."""

    def __init__(self) -> None:
        super().__init__()
        self.rules: list[tuple[str, re.Pattern[str], Edit]] = []

    def tamper(self, method: str, path: str, edit: Edit) -> None:
        self.rules.append((method, re.compile(path), edit))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        for method, path, edit in self.rules:
            if request.method == method and path.fullmatch(request.url.path) and response.is_success:
                body = json.loads(response.read())
                response.close()
                headers = [
                    (k, v)
                    for k, v in response.headers.multi_items()
                    if k.lower() not in ("content-length", "content-encoding", "transfer-encoding")
                ]
                content = json.dumps(edit(body)).encode()
                return httpx.Response(response.status_code, headers=headers, content=content)
        return response


class CountingStorage(httpx.HTTPTransport):
    """The real storage transport, counting requests (given to Chronicle, every storage request goes here)."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request.method)
        return super().handle_request(request)


@pytest.fixture
def local() -> Iterator[LocalChronicle]:
    with contract_checked() as srv:
        yield srv


@pytest.fixture
def tampering() -> Tampering:
    return Tampering()


@pytest.fixture
def storage() -> CountingStorage:
    return CountingStorage()


@pytest.fixture
def client(local: LocalChronicle, tampering: Tampering, storage: CountingStorage) -> Iterator[Chronicle]:
    with Chronicle(
        local.url,
        local.api_key,
        transport=tampering,
        storage_transport=storage,
        multipart_threshold=2 * MiB,
        min_part_size=MiB,
        max_upload_workers=2,
    ) as chronicle:
        yield chronicle


def checkpoint(tmp_path: Path, size: int = 3 * MiB + 5) -> Path:
    folder = tmp_path / "ckpt"
    folder.mkdir(exist_ok=True)
    (folder / "model.bin").write_bytes(os.urandom(size))
    (folder / "config.json").write_text("{}")
    return folder


def target(client: Chronicle) -> OutputTarget:
    return OutputTarget(client.experiments.create(title="t", hypothesis_summary="h", config_yaml="lr: 1").id)


def set_component(name: str, **fields: Any) -> Edit:
    def edit(body: Any) -> Any:
        for component in body["components"]:
            if component["name"] == name:
                component.update(fields)
        return body

    return edit


class Measured:
    """Wall time and peak traced memory of the block."""

    def __enter__(self) -> Measured:
        tracemalloc.start()
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.started
        self.peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


# -- the bounds themselves -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("size", "part_size", "field"),
    [
        (3 * MiB, 1, "part_size"),  # byte by byte
        (10**12, 1, "part_size"),  # 10^12 parts
        (-1, MiB, "size_bytes"),
        (3 * MiB, 0, "part_size"),
        (3 * MiB, -MiB, "part_size"),
        (3 * MiB, 6 * GiB, "part_size"),  # over S3's 5 GiB part
        (100 * GiB, MiB, "size_bytes"),  # 102,400 parts
        (6 * TiB, 5 * GiB, "size_bytes"),  # over S3's 5 TiB object
        (3 * MiB, True, "part_size"),
        (3 * MiB, "1048576", "part_size"),
        ("3", MiB, "size_bytes"),
    ],
)
def test_layouts_outside_the_contract_are_refused_naming_the_value(size: Any, part_size: Any, field: str) -> None:
    with pytest.raises(PartLayoutError) as caught:
        checked_layout(size, part_size, asset_id="asset-1", component="model.bin")
    error = caught.value
    assert (error.asset_id, error.component, error.field) == ("asset-1", "model.bin", field)
    assert "asset-1" in str(error) and "model.bin" in str(error) and repr(error.value)[:20] in str(error)


@pytest.mark.parametrize(
    ("size", "part_size", "count"),
    [
        (0, MiB, 1),
        (1, 1, 1),  # a component smaller than one part may state a smaller part: it is one part either way
        (1000, 4096, 1),
        (3 * MiB + 5, MiB, 4),
        (10_000 * MiB, MiB, 10_000),
        (5 * TiB, 5 * GiB, 1024),
    ],
)
def test_layouts_within_the_contract_pass(size: int, part_size: int, count: int) -> None:
    assert checked_layout(size, part_size, asset_id="a", component="c").count == count
    with pytest.raises(PartLayoutError, match="part_count"):
        checked_layout(size, part_size, asset_id="a", component="c", count=count + 1)
    assert checked_size(size, asset_id="a", component="c") == size


# -- downloads: a hostile asset record -------------------------------------------------------------------
@pytest.fixture
def ready(client: Chronicle, tmp_path: Path) -> str:
    handle = client.assets._transfers().upload_directory(
        checkpoint(tmp_path), asset_type="checkpoint", output_of=target(client)
    )
    asset = handle.wait(60)
    assert sorted(c["name"] for c in asset.components) == ["config.json", "model.bin"]
    return asset.id


@pytest.mark.parametrize(
    ("component", "fields", "field"),
    [
        pytest.param("model.bin", {"part_size": 1}, "part_size", id="1-byte-parts"),
        pytest.param("model.bin", {"part_size": 1, "size_bytes": 10**12}, "part_size", id="1e12-bytes-in-1-byte-parts"),
        pytest.param("model.bin", {"size_bytes": -1}, "size_bytes", id="negative-size-in-parts"),
        pytest.param("config.json", {"size_bytes": -5}, "size_bytes", id="negative-size-one-put"),
        pytest.param("model.bin", {"part_size": 6 * GiB}, "part_size", id="part-over-5-gib"),
    ],
)
def test_a_hostile_asset_record_is_refused_before_any_byte_or_file(
    client: Chronicle,
    ready: str,
    tampering: Tampering,
    storage: CountingStorage,
    tmp_path: Path,
    component: str,
    fields: dict[str, Any],
    field: str,
) -> None:
    tampering.tamper("GET", f"/v1/assets/{ready}", set_component(component, **fields))
    storage.requests.clear()
    out = tmp_path / "out"
    with Measured() as measured, pytest.raises(PartLayoutError) as caught:
        client.assets.download(ready, out)
    assert measured.seconds < 1.0, measured.seconds
    assert measured.peak < 8 * MiB, measured.peak  # a list of 10^12 parts would not be a few MiB
    assert storage.requests == []  # not one storage request
    assert not out.exists()  # not one file, not even the folder
    error = caught.value
    assert (error.asset_id, error.component, error.field, error.value) == (ready, component, field, fields[field])


def test_a_hostile_record_refuses_the_whole_download_even_for_a_sane_component_beside_it(
    client: Chronicle, ready: str, tampering: Tampering, storage: CountingStorage, tmp_path: Path
) -> None:
    tampering.tamper("GET", f"/v1/assets/{ready}", set_component("model.bin", part_size=1))
    storage.requests.clear()
    with pytest.raises(PartLayoutError):
        client.assets.download(ready, tmp_path / "out")
    assert storage.requests == [] and not (tmp_path / "out").exists()
    tampering.rules.clear()  # the honest record downloads as ever
    paths = client.assets.download(ready, tmp_path / "out")
    assert sorted(p.name for p in paths) == ["config.json", "model.bin"]
    assert (tmp_path / "out" / "model.bin").read_bytes() == (tmp_path / "ckpt" / "model.bin").read_bytes()


class CrashAfterParts(UploadTracker):
    """A tracker whose process 'dies' right after storage acknowledged part 3 (before recording it)."""

    def mark_part_completed(self, asset_id: str, name: str, upload_id: str, part: PartRecord) -> None:
        if part.part_number >= 3:
            raise KeyboardInterrupt("killed between the part's PUT and its tracker row")
        super().mark_part_completed(asset_id, name, upload_id, part)


@pytest.fixture
def crashed(local: LocalChronicle, tmp_path: Path) -> Path:
    """A tracker left by a process killed mid-upload: parts 1-2 recorded, part 3 in storage only, 4-6 not sent."""
    folder = tmp_path / "ckpt"
    folder.mkdir()
    (folder / "model.bin").write_bytes(os.urandom(6 * MiB))
    db = tmp_path / "uploads.sqlite"
    with Chronicle(local.url, local.api_key, max_part_workers=1, multipart_threshold=2 * MiB, min_part_size=MiB) as c:
        handle = c.assets._transfers().upload_directory(
            folder, asset_type="checkpoint", output_of=target(c), tracker=CrashAfterParts(db)
        )
        with pytest.raises((UploadError, KeyboardInterrupt)):
            handle.wait(60)
            c.wait_for_uploads()
    return db


def test_a_hostile_part_size_in_the_tracker_is_refused_before_any_request(
    client: Chronicle, crashed: Path, storage: CountingStorage
) -> None:
    with UploadTracker(crashed) as tracker:
        (pending,) = tracker.get_pending_uploads()
        (component,) = pending.components
        assert component.upload_id is not None
        tracker.start_multipart(pending.asset_id, component.name, component.upload_id, 1)
        with pytest.raises(UploadError) as caught:
            client.resume_uploads(tracker)
    ((_, name, error),) = caught.value.failures
    assert name == "model.bin" and isinstance(error, PartLayoutError) and error.value == 1
    assert storage.requests == []
