"""The contract itself: openapi.yaml is valid, and the committed bindings match it."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"


# The generator needs Python 3.11+ and comes with the dev extra; `make test` always has it.
needs_generator = pytest.mark.skipif(
    importlib.util.find_spec("openapi_python_client") is None, reason="openapi-python-client is in the dev extra"
)


def _check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate.py"), "--check", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_spec_is_valid_openapi_31() -> None:
    spec, _ = read_from_filename(str(SPEC))
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_every_path_is_versioned_and_every_operation_has_an_id() -> None:
    spec = yaml.safe_load(SPEC.read_text())
    for path, item in spec["paths"].items():
        assert path.startswith("/v1/"), path
        for method, op in item.items():
            if method == "parameters":
                continue
            assert op.get("operationId"), f"{method.upper()} {path} has no operationId"


def test_every_error_response_uses_the_error_schema_and_every_response_has_a_request_id() -> None:
    spec = yaml.safe_load(SPEC.read_text())
    responses = spec["components"]["responses"]
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            for status, resp in op["responses"].items():
                if "$ref" in resp:
                    resp = responses[resp["$ref"].rsplit("/", 1)[1]]
                assert "X-Request-Id" in resp.get("headers", {}), (method, path, status)
                if op["operationId"] == "mcp_messages":
                    continue  # MCP answers in JSON-RPC (errors too) and accepts notifications with an empty 202
                schema = resp["content"]["application/json"]["schema"]
                if int(status) >= 400:
                    assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, status)
                else:
                    assert "$ref" in schema, f"2xx of {method} {path} must have a JSON body"


def test_state_fields_are_open_strings_not_enums() -> None:
    """The generator's enums raise on unknown values; states must stay plain strings."""
    spec = yaml.safe_load(SPEC.read_text())
    for name, schema in spec["components"]["schemas"].items():
        for prop, sub in schema.get("properties", {}).items():
            assert "enum" not in sub, f"{name}.{prop} is an enum; a new server value would crash old clients"


@needs_generator
def test_committed_bindings_match_the_spec() -> None:
    result = _check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK:")


@needs_generator
def test_drift_check_fails_when_one_field_is_added(tmp_path: Path) -> None:
    spec = yaml.safe_load(SPEC.read_text())
    spec["components"]["schemas"]["Scope"]["properties"]["display_name"] = {"type": "string"}
    changed = tmp_path / "openapi.yaml"
    changed.write_text(yaml.safe_dump(spec, sort_keys=False))
    result = _check("--spec", str(changed))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "changed file: models/scope.py" in result.stdout
    assert "+    display_name" in result.stdout


@needs_generator
def test_drift_check_reports_stale_files(tmp_path: Path) -> None:
    committed = tmp_path / "methodic_api"
    shutil.copytree(ROOT / "generated" / "methodic_api", committed, ignore=shutil.ignore_patterns("__pycache__"))
    (committed / "models" / "old_model.py").write_text("x = 1\n")
    result = _check("--generated", str(committed))
    assert result.returncode == 1
    assert "stale file (not generated any more): models/old_model.py" in result.stdout


def test_generated_models_tolerate_unknown_states_and_extra_fields() -> None:
    from methodic_api.models.run import Run

    run = Run.from_dict(
        {
            "experiment_id": "e",
            "variation": 0,
            "run": 0,
            "state": "paused_by_operator",
            "created_at": "2026-01-01T00:00:00Z",
            "started_at": None,
            "finished_at": None,
            "last_heartbeat_at": None,
            "failure_reason": None,
            "wandb_run_id": None,
            "wandb_entity": None,
            "wandb_project": None,
            "wandb_dashboard_url": None,
            "gpu_hours": 3.5,
        }
    )
    assert run.state == "paused_by_operator"
    assert run["gpu_hours"] == 3.5
