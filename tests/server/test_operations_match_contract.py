"""Every route the local server serves is an operation of the contract, with the same method, path and body rule."""

from __future__ import annotations

from pathlib import Path

import yaml

from methodic_server import LocalChronicle

SPEC = yaml.safe_load((Path(__file__).resolve().parents[2] / "openapi.yaml").read_text())
METHODS = {"get", "put", "post", "delete", "patch"}


def test_routes_and_contract_name_the_same_operations_and_bodies() -> None:
    declared = {
        op["operationId"]: (method.upper(), path, "requestBody" in op)
        for path, item in SPEC["paths"].items()
        for method, op in item.items()
        if method in METHODS
    }
    with LocalChronicle() as server:
        served = {
            op.op_id: (op.method, op.path, op.takes_body)
            for op in server._server.api.operations  # the server's own route table
        }
    assert set(served) == set(declared), set(served) ^ set(declared)
    mismatched = {name: (served[name], declared[name]) for name in served if served[name] != declared[name]}
    # a route that ignores a body the contract declares would also skip its JSON check (a stray byte gave a 500)
    assert not mismatched, mismatched
