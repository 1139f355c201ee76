"""What the contract says of an operation's inputs: path and query parameters and the body's schema, refs inlined.

A tool over an operation takes the operation's own argument names, so its ``inputSchema`` is read from
openapi.yaml rather than written a second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from methodic_contract import spec_path


@dataclass(frozen=True)
class Shape:
    """An operation's inputs as the contract declares them."""

    summary: str
    path_params: dict[str, dict[str, Any]]
    query_params: dict[str, dict[str, Any]]
    required_query: frozenset[str]
    body: dict[str, Any] | None


@cache
def _spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(spec_path().read_text())
    return loaded


def _inline(node: Any, depth: int = 0) -> Any:
    """``node`` with every ``$ref`` replaced by what it points at (nesting stops at a depth, as a free object)."""
    if isinstance(node, dict):
        if "$ref" in node:
            if depth > 8:
                return {"type": "object"}
            target: Any = _spec()
            for part in str(node["$ref"]).split("/")[1:]:
                target = target[part]
            return _inline(target, depth + 1)
        return {key: _inline(value, depth) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline(item, depth) for item in node]
    return node


@cache
def shape(op_id: str) -> Shape:
    """The inputs of the contract's operation ``op_id`` (KeyError when the contract has no such operation)."""
    for item in _spec()["paths"].values():
        shared = item.get("parameters", [])
        for method, op in item.items():
            if method == "parameters" or op.get("operationId") != op_id:
                continue
            params = [_inline(p) for p in [*shared, *op.get("parameters", [])]]
            body = None
            if "requestBody" in op:
                body = _inline(op["requestBody"]["content"]["application/json"]["schema"])
            return Shape(
                summary=str(op.get("summary", "")),
                path_params={p["name"]: p.get("schema", {}) for p in params if p["in"] == "path"},
                query_params={p["name"]: p.get("schema", {}) for p in params if p["in"] == "query"},
                required_query=frozenset(p["name"] for p in params if p["in"] == "query" and p.get("required")),
                body=body,
            )
    raise KeyError(op_id)


def input_schema(op_id: str) -> dict[str, Any]:
    """The JSON Schema of a tool's arguments: the operation's path and query parameters and its body's fields."""
    found = shape(op_id)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for name, schema in found.path_params.items():
        properties[name] = schema
        required.append(name)
    for name, schema in found.query_params.items():
        properties[name] = schema
        if name in found.required_query:
            required.append(name)
    if found.body is not None:
        properties.update(found.body.get("properties", {}))
        required.extend(found.body.get("required", []))
    return {"type": "object", "properties": properties, "required": list(dict.fromkeys(required))}
