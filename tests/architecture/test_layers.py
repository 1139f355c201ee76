"""The layers hold at run time too: a storage PUT is made by the transfer engine alone, and the
contracts import-linter checks in `make lint` are the ones the README describes."""

from __future__ import annotations

import os
import subprocess
import sys
import traceback
from pathlib import Path

import httpx
import pytest

from methodic import Chronicle, UploadTracker
from methodic_server import LocalChronicle

ROOT = Path(__file__).resolve().parents[2]
ABOVE_THE_ENGINE = (
    "methodic._client",
    "methodic.namespaces",
    "methodic.handles",
    "methodic.run",
    "methodic._transport",
)


class RecordingStorage(httpx.BaseTransport):
    """Real HTTP to the local storage service; remembers which of our modules were on the stack at each PUT."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.put_stacks: list[list[str]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            modules = [frame.filename for frame in traceback.extract_stack()]
            self.put_stacks.append([m for m in modules if "/methodic" in m])
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def _module_of(filename: str) -> str:
    path = Path(filename).resolve()
    src = ROOT / "src"
    return ".".join(path.relative_to(src).with_suffix("").parts) if src in path.parents else filename


def test_register_and_upload_reaches_storage_through_the_engine_only(
    server: LocalChronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    folder = tmp_path / "ckpt"
    folder.mkdir()
    for name in ("model.bin", "optimizer.bin"):
        (folder / name).write_bytes(os.urandom(4096))
    storage = RecordingStorage()
    with Chronicle(server.url, server.api_key, storage_transport=storage) as chronicle:
        run = chronicle.run(*committed_run).start()
        with UploadTracker(tmp_path / "t.sqlite") as tracker:
            handle = run.register_and_upload_async(local_dir=folder, asset_type="checkpoint", upload_tracker=tracker)
            assert handle.wait().state == "ready"
    assert len(storage.put_stacks) == 2
    for stack in storage.put_stacks:
        modules = [_module_of(f) for f in stack]
        assert any(m.startswith("methodic.transfer.put") for m in modules), modules
        assert not [m for m in modules if m.startswith(ABOVE_THE_ENGINE)], modules


def test_the_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():  # the suite also runs on Pythons whose venv has only the test extra
        pytest.skip("import-linter is installed with the dev extra")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout
