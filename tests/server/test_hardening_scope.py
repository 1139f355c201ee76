"""A worker key scoped to one run is held to that scope on every route that names an experiment or an asset."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from methodic_server import LocalChronicle
from tests.server.wire import Wire


@pytest.fixture
def setting(server: LocalChronicle, wire: Wire) -> dict[str, str]:
    """A worker key of run 0/0 of experiment ``own``, and a ready asset of another experiment ``other``."""
    own, other = wire.committed(), wire.committed()
    other_slug = wire.ok("GET", f"/v1/experiments/{other}")["experiment"]["slug"]
    return {
        "own": own,
        "other": other,
        "other_slug": other_slug,
        "asset": wire.ready_asset(other),
        "own_asset": wire.ready_asset(own),
        "worker": server.mint_worker_key(own, 0, 0),
    }


E = "/v1/experiments/{other}"
V = E + "/variations/0"
R = V + "/runs/0"
A = "/v1/assets/{asset}"
ROUTES: list[tuple[str, str, Any]] = [
    ("GET", E, None),
    ("DELETE", E, None),
    ("PUT", E + "/commit", {}),
    ("POST", E + "/conclude", None),
    ("PUT", E + "/retract", {"reason": "r"}),
    ("GET", E + "/lineage", None),
    ("GET", E + "/inputs", None),
    ("POST", E + "/inputs", {"asset_ids": ["{asset}"]}),
    ("GET", E + "/outputs", None),
    ("GET", V, None),
    ("PUT", V + "/commit", None),
    ("GET", V + "/inputs", None),
    ("POST", V + "/inputs", {"asset_ids": ["{asset}"]}),
    ("DELETE", V + "/inputs/{asset}", None),
    ("GET", V + "/outputs", None),
    ("GET", R + "/status", None),
    ("POST", R + "/start", {}),
    ("POST", "/v1/heartbeat", {"experiment_id": "{other}", "variation": 0, "run": 0}),
    ("POST", "/v1/heartbeat", {"experiment_id": "{other_slug}", "variation": 0, "run": 0}),
    ("POST", "/v1/heartbeat", {"experiment_id": "{own}", "variation": 0, "run": 1}),
    ("POST", "/v1/heartbeat", {"experiment_id": "no-such-experiment", "variation": 0, "run": 0}),
    ("POST", R + "/succeed", None),
    ("POST", R + "/fail", {"reason": "r"}),
    ("GET", R + "/outputs", None),
    ("POST", "/v1/assets", {"asset_type": "x", "output_of": {"experiment_id": "{other}", "variation": 0, "run": 0}}),
    ("GET", "/v1/assets?experiment_id={other}", None),
    ("GET", "/v1/assets", None),  # unfiltered, the list would show every experiment's assets
    ("GET", A, None),
    ("GET", A + "?include_presigned=true", None),
    ("DELETE", A, None),
    ("PUT", A + "/finalize", {}),
    ("POST", A + "/presign", {"operation": "read"}),
    ("PUT", A + "/deprecate", {"reason": "r"}),
    ("PUT", A + "/invalidate", {"reason": "r"}),
    ("GET", E + "/upstream-retractions", None),
    ("GET", E + "/tentative-links", None),
    ("PUT", V, {"hypothesis": "h"}),
    ("PUT", V + "/retract", {"reason": "r"}),
    ("PUT", A + "/approve", None),
    ("PUT", A + "/reject", {"reason": "r"}),
    ("GET", "/experiments/{other}", None),  # a deprecated unversioned path is the same operation
    ("GET", "/v1/experiments/{other_slug}", None),  # a slug names the same experiment
    ("GET", "/v1/u/local/e/{other_slug}/lineage", None),  # and so does an owner-qualified reference
    ("GET", "/v1/experiments/%40local%2F{other_slug}/variations/0", None),
    ("POST", "/u/local/e/{other_slug}/conclude", None),
    ("GET", "/v1/experiments/no-such-experiment", None),  # an unknown one is no business of the worker's
]


def _fill(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**names)
    if isinstance(value, dict):
        return {k: _fill(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, names) for v in value]
    return value


@pytest.mark.parametrize(("method", "path", "body"), ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
def test_out_of_scope_worker_key_is_403_everywhere(
    server: LocalChronicle, setting: dict[str, str], method: str, path: str, body: Any
) -> None:
    headers = {"Authorization": f"Bearer {setting['worker']}"}
    response = httpx.request(
        method, server.url + _fill(path, setting), json=_fill(body, setting), headers=headers, timeout=10
    )
    assert response.status_code == 403, response.text
    error = response.json()
    assert error["code"] == "forbidden" and "presigned_urls" not in error
    assert set(error) == {"code", "message", "details", "request_id"}


def test_worker_search_sees_only_its_experiment(server: LocalChronicle, setting: dict[str, str]) -> None:
    headers = {"Authorization": f"Bearer {setting['worker']}"}
    found = httpx.post(server.url + "/v1/search", json={"query": "t h checkpoint"}, headers=headers).json()
    assert {e for r in found["results"] for e in r["experiment_ids"]} <= {setting["own"]}
    user = {"Authorization": f"Bearer {server.api_key}"}
    everything = httpx.post(server.url + "/v1/search", json={"query": "t h checkpoint"}, headers=user).json()
    assert setting["other"] in {e for r in everything["results"] for e in r["experiment_ids"]}


def test_worker_heartbeats_its_own_run_named_in_the_body(
    server: LocalChronicle, wire: Wire, setting: dict[str, str]
) -> None:
    worker = Wire(server, setting["worker"])
    beat = worker.ok("POST", "/v1/heartbeat", {"experiment_id": setting["own"], "variation": 0, "run": 0})
    assert beat["state"] == "running" and beat["run"] == 0
    # by slug and through the deprecated unversioned path too
    slug = wire.ok("GET", f"/v1/experiments/{setting['own']}")["experiment"]["slug"]
    assert worker.ok("POST", "/heartbeat", {"experiment_id": slug, "variation": 0, "run": 0})["state"] == "running"
    worker.close()


def test_worker_still_reads_its_own_and_its_inputs(server: LocalChronicle, wire: Wire, setting: dict[str, str]) -> None:
    headers = {"Authorization": f"Bearer {setting['worker']}"}
    own = httpx.get(f"{server.url}/v1/assets/{setting['own_asset']}?include_presigned=true", headers=headers)
    assert own.status_code == 200 and own.json()["presigned_urls"]["model.bin"]["url"]
    listed = httpx.get(f"{server.url}/v1/assets?experiment_id={setting['own']}", headers=headers)
    assert listed.status_code == 200 and listed.json()
    # an asset of another experiment, linked as an input of the worker's experiment, is readable
    third = wire.committed()
    linked = wire.ready_asset(third)
    exp_id = wire.experiment(title="t2")["experiment_id"]
    wire.ok("POST", f"/v1/experiments/{exp_id}/inputs", {"asset_ids": [linked]})
    wire.ok("PUT", f"/v1/experiments/{exp_id}/commit", {})
    worker = server.mint_worker_key(exp_id, 0, 0)
    got = httpx.get(
        f"{server.url}/v1/assets/{linked}?include_presigned=true", headers={"Authorization": f"Bearer {worker}"}
    )
    assert got.status_code == 200 and got.json()["presigned_urls"]
