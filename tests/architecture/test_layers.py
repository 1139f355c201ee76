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
    "methodic._resources",
    "methodic._compat",
    "methodic.namespaces",
    "methodic.handles",
    "methodic.run",
    "methodic._run_uploads",
    "methodic._run_outputs",
    "methodic._transport",
)
FRAMEWORKS = ("torch", "transformers", "lightning", "accelerate")


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


def test_a_client_and_its_handles_never_load_a_training_framework() -> None:
    """What the import contract cannot see: ``importlib.import_module("torch")`` in environment.py and
    transfer/distributed.py. Importing methodic, building a client, its namespaces, handles and the
    environment module (without calling capture) must leave every framework out of sys.modules."""
    code = (
        "import sys, methodic, methodic.environment, methodic.transfer.distributed\n"
        "c = methodic.Chronicle('http://127.0.0.1:9', 'sk_x')\n"
        "c.experiments, c.variations, c.runs, c.assets, c.datasets\n"
        "c.experiment('e'), c.variation('e', 0), c.run('e', 0, 0)\n"
        "c.close()\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FRAMEWORKS!r}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]", done.stdout


def test_no_reference_cycle_between_client_namespaces_and_engine() -> None:
    """The transfer manager is built from the asset calls alone; no namespace or manager holds the client."""
    import gc

    with Chronicle("http://127.0.0.1:9", "sk_x") as chronicle:
        manager = chronicle.transfers
        assets = chronicle.assets
        assert manager.uploads is not None
        for holder in (manager, manager.uploads, manager.downloads, assets, chronicle.datasets, chronicle.imports):
            assert chronicle not in gc.get_referents(holder) and chronicle not in gc.get_referents(vars(holder))
        reachable = _reachable_from(manager)
        assert not [o for o in reachable if o is assets or o is chronicle]


def _reachable_from(root: object, limit: int = 20000) -> list[object]:
    """Every object reachable from ``root`` through references (modules, classes and plain functions, whose
    globals are the module's, not followed)."""
    import gc
    import types

    seen: dict[int, object] = {}
    stack = [root]
    while stack and len(seen) < limit:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, (types.ModuleType, type, types.FunctionType)):
            continue
        seen[id(obj)] = obj
        stack.extend(gc.get_referents(obj))
    return list(seen.values())
