"""Request-body validation against the request schemas of openapi.yaml (a small JSON Schema subset).

The server checks bodies itself, with no dependency beyond PyYAML, so a bad request is a 400
``validation_error`` naming the field, whether or not contract validation (openapi-core) is on.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from methodic.server.errors import bad_request

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
    "null": (type(None),),
}


@cache
def _schemas() -> dict[str, Any]:
    from methodic.server.app import SPEC_PATH

    spec = yaml.safe_load(Path(SPEC_PATH).read_text())
    return dict(spec["components"]["schemas"])


def _is(value: Any, type_name: str) -> bool:
    if type_name in ("integer", "number") and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES[type_name])


def _check(schema: dict[str, Any], value: Any, where: str) -> None:
    if "$ref" in schema:
        _check(_schemas()[schema["$ref"].rsplit("/", 1)[1]], value, where)
        return
    types = schema.get("type")
    if types is not None:
        names = types if isinstance(types, list) else [types]
        if not any(_is(value, t) for t in names):
            raise bad_request(f"{where} must be of type {' or '.join(names)}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            raise bad_request(f"{where} must not be empty" if schema["minLength"] == 1 else f"{where} is too short")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            raise bad_request(f"{where} does not match {schema['pattern']}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            raise bad_request(f"{where} must be at least {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            raise bad_request(f"{where} must be at most {schema['maximum']}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            _check(schema["items"], item, f"{where}[{i}]")
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                raise bad_request(f"{where}.{name} is required" if where != "body" else f"{name} is required")
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for name, item in value.items():
            if name in props:
                _check(props[name], item, f"{where}.{name}" if where != "body" else name)
            elif isinstance(extra, dict):
                _check(extra, item, f"{where}.{name}")


def validate_body(schema_name: str, body: Any) -> dict[str, Any]:
    """Return ``body`` if it satisfies the named request schema; raise a 400 naming the problem otherwise."""
    if not isinstance(body, dict):
        raise bad_request("the body must be a JSON object")
    _check(_schemas()[schema_name], body, "body")
    return body
