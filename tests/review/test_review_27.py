"""Review of the issue-27 moves (types, display, ledger, storage/ranged/staging, lightning): what callers relied on.

The moves were meant to change no behaviour. These tests pin what a user or another process could
notice: the import paths that worked before the split, and records that cross a process boundary (the
ranks of a distributed job exchange them pickled) unpickling in a fresh interpreter that imported
nothing of ours first.
"""

from __future__ import annotations

import pickle
import subprocess
import sys

import methodic._models
import methodic.types
from methodic.transfer.files import ComponentSpec
from methodic.transfer.ledger import MemoryLedger
from methodic.types import AssetRecord, ComponentDigest, ResumeOutcome


def test_the_result_base_still_imports_from_the_public_types_module() -> None:
    # Before the split ``from methodic.types import Record`` worked (types.py imported it), and its docstring
    # still calls every result a Record: an ``isinstance`` check written against it must keep working.
    from methodic.types import Record

    assert Record is methodic._models.Record
    record = AssetRecord({"id": "a1", "state": "ready"})
    assert isinstance(record, Record)
    assert "Record" not in methodic.types.__all__  # as before: the base is not itself a result


def test_ledger_and_result_records_unpickle_in_a_fresh_interpreter() -> None:
    ledger = MemoryLedger()
    ledger.register_components(
        "a1",
        "checkpoint",
        [ComponentSpec(name="model.pt", local_path="/data/model.pt", size=3)],
        upload_urls={"model.pt": "https://storage.example/model.pt?X-Amz-Signature=secret"},
    )
    pending = ledger.get_asset("a1")
    assert pending is not None
    sent = [
        pending,
        pending.components[0],
        ComponentDigest(size=3, sha256="ab" * 32),
        AssetRecord({"id": "a1", "state": "ready", "components": [{"name": "model.pt"}]}),
        ResumeOutcome.of("a1", "checkpoint", "finalized"),
    ]
    child = (
        "import pickle, sys\n"
        "items = pickle.loads(sys.stdin.buffer.read())\n"
        "sys.stdout.buffer.write(pickle.dumps([(type(i).__module__, type(i).__qualname__, i) for i in items]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", child], input=pickle.dumps(sent), capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    received = pickle.loads(done.stdout)
    assert [item for _, _, item in received] == sent
    assert [(module, name) for module, name, _ in received] == [
        (type(item).__module__, type(item).__qualname__) for item in sent
    ]
