"""Secrets stay out of logs, messages and reprs; a hostile file cannot hang an upload (issue 15, items 5 and 6)."""

from __future__ import annotations

import logging
import os
import re
import stat
from pathlib import Path

import httpx
import pytest

from methodic import Chronicle, FileChangedError, UploadTracker, errors
from methodic.transfer.put import upload_file
from methodic_server import LocalChronicle


def test_library_logs_never_show_a_presigned_signature(
    server: LocalChronicle,
    client: Chronicle,
    committed_run: tuple[str, int, int],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    folder = tmp_path / "ckpt"
    folder.mkdir()
    (folder / "model.bin").write_bytes(os.urandom(1000))
    run = client.run(*committed_run).start()
    with caplog.at_level(logging.DEBUG):  # what `logging.basicConfig(level=INFO)` or `methodic -v` would print
        asset = run.upload_directory_async(folder, asset_type="checkpoint", progress=False).wait()
        client.assets.download(asset.id, tmp_path / "back", progress=False)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "HTTP Request: PUT" in text  # httpx did log the storage request...
    assert not re.search(r"signature=[0-9a-f]{16}", text), text  # ...without its signature
    assert server.api_key not in text


def test_a_password_in_the_server_url_never_shows(tmp_path: Path) -> None:
    chronicle = Chronicle("http://alice:hunter2@127.0.0.1:9", "sk_user_" + "a" * 32, timeout=2)
    with pytest.raises(errors.APIConnectionError) as info:
        chronicle.me.scopes()
    assert "hunter2" not in str(info.value) and "hunter2" not in repr(chronicle)
    assert "127.0.0.1:9" in str(info.value)
    chronicle.close()


def test_an_existing_world_readable_tracker_file_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "uploads.sqlite"
    UploadTracker(path).close()
    path.chmod(0o644)
    UploadTracker(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.timeout(20)
def test_a_fifo_in_place_of_a_file_fails_at_once_instead_of_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "model.bin"
    os.mkfifo(fifo)
    with (
        httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200))) as storage,
        pytest.raises(FileChangedError, match="no longer a regular file"),
    ):
        upload_file(storage, "http://storage.test/o?sig=x", fifo)


class RewritesAssets(httpx.BaseTransport):
    """Real HTTP to the local API, with the asset record rewritten the way a broken or hostile server might."""

    def __init__(self, rewrite: object) -> None:
        self.inner = httpx.HTTPTransport()
        self.rewrite = rewrite

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.method == "GET" and request.url.path.startswith("/v1/assets/"):
            response.read()
            body = response.json()
            self.rewrite(body)  # type: ignore[operator]
            return httpx.Response(response.status_code, json=body, headers={"X-Request-Id": "req_x"}, request=request)
        return response


def _ready_asset(client: Chronicle, run_triple: tuple[str, int, int], folder: Path, files: dict[str, int]) -> str:
    for name, size in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(os.urandom(size))
    return client.run(*run_triple).start().upload_directory_async(folder, asset_type="checkpoint").wait().id


def test_a_255_character_component_name_downloads(
    client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    name = "n" * 251 + ".bin"
    asset_id = _ready_asset(client, committed_run, tmp_path / "src", {name: 1000})
    (path,) = client.assets.download(asset_id, tmp_path / "back", progress=False)
    assert path.name == name and path.read_bytes() == (tmp_path / "src" / name).read_bytes()


def test_a_file_and_a_folder_of_the_same_name_are_refused_before_anything_is_written(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    asset_id = _ready_asset(client, committed_run, tmp_path / "src", {"a": 10, "c/b": 10})

    def rename(body: dict[str, object]) -> None:
        for component in body["components"]:  # type: ignore[attr-defined]
            if component["name"] == "c/b":
                component["name"] = "a/b"

    with (
        Chronicle(server.url, server.api_key, transport=RewritesAssets(rename)) as hostile,
        pytest.raises(errors.UnsafePathError, match="'a' and 'a/b'"),
    ):
        hostile.assets.download(asset_id, tmp_path / "back", progress=False)
    assert not (tmp_path / "back").exists() or not any((tmp_path / "back").rglob("*"))


def test_a_component_without_a_recorded_checksum_is_refused(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    asset_id = _ready_asset(client, committed_run, tmp_path / "src", {"model.bin": 1000})

    def forget_checksums(body: dict[str, object]) -> None:
        for component in body["components"]:  # type: ignore[attr-defined]
            component["sha256"] = None

    with (
        Chronicle(server.url, server.api_key, transport=RewritesAssets(forget_checksums)) as hostile,
        pytest.raises(errors.IntegrityError, match="no size or sha256"),
    ):
        hostile.assets.download(asset_id, tmp_path / "back", progress=False)
    assert not (tmp_path / "back" / "model.bin").exists()


def test_traversal_names_are_a_typed_error_that_is_still_a_value_error(tmp_path: Path) -> None:
    from methodic.transfer.files import resolve_inside

    with pytest.raises(errors.UnsafePathError) as info:
        resolve_inside(tmp_path, "../etc/passwd")
    assert isinstance(info.value, ValueError)


def test_the_repr_of_presigned_urls_shows_no_signature(
    client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    asset_id = _ready_asset(client, committed_run, tmp_path / "src", {"model.bin": 10})
    fresh = client.assets.presign(asset_id, operation="read")
    url = fresh.urls["model.bin"]
    assert "signature=" in url  # the URL itself is intact...
    assert "signature" not in repr(fresh) and "signature" not in repr(fresh.urls)  # ...but never shown
    assert "model.bin" in repr(fresh) and dict(fresh.urls) == {"model.bin": url} and fresh["model.bin"]["url"] == url
    asset = client.assets.get(asset_id, include_presigned=True)
    assert asset.download_urls["model.bin"].startswith(url.split("?")[0])
    assert "signature" not in repr(asset) and "signature" not in repr(asset.download_urls)
    assert "signature" not in repr(asset.presigned_urls)


class SwapsFolderForSymlink(httpx.BaseTransport):
    """Real HTTP to storage; at the first GET of a file (names checked, folders open), swaps a folder for a symlink.

    (An R2 copy's manifest is read first, before any folder is made: that GET is let through as it is.)
    """

    def __init__(self, folder: Path, outside: Path) -> None:
        self.inner = httpx.HTTPTransport()
        self.folder, self.outside = folder, outside
        self.swapped = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and not self.swapped and "/manifests/" not in request.url.path:
            self.swapped = True
            self.folder.rename(self.folder.with_name("moved-away"))
            self.folder.symlink_to(self.outside, target_is_directory=True)
        return self.inner.handle_request(request)


def test_a_folder_swapped_for_a_symlink_mid_download_is_never_followed(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    asset_id = _ready_asset(client, committed_run, tmp_path / "src", {"sub/model.bin": 1000})
    outside = tmp_path / "outside"
    outside.mkdir()
    back = tmp_path / "back"
    swap = SwapsFolderForSymlink(back / "sub", outside)
    with Chronicle(server.url, server.api_key, storage_transport=swap) as racing:
        racing.assets.download(asset_id, back, progress=False)
    assert swap.swapped
    assert list(outside.iterdir()) == []  # nothing was written through the symlink
    assert (back / "moved-away" / "model.bin").read_bytes() == (tmp_path / "src" / "sub" / "model.bin").read_bytes()
