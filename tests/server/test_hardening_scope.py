"""A worker key scoped to one run is held to that scope on every route that names an experiment or an asset."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from methodic import Chronicle
from methodic_server import LocalChronicle
from tests.helpers import CONFIG


def _committed(client: Chronicle) -> str:
    exp = client.experiments.create(title="t", hypothesis_summary="h", config_yaml=CONFIG)
    exp.commit()
    client.variation(exp.id, 0).commit(commit_without_hypothesis=True)
    return exp.id


def _ready_asset(client: Chronicle, exp_id: str) -> str:
    run = client.run(exp_id, 0, 0).start()
    info = run.create_asset_presigned(asset_type="checkpoint", components=["model.bin"])
    assert httpx.put(info.upload_urls["model.bin"], content=b"weights").status_code == 200
    client.assets.finalize(info.asset_id)
    return info.asset_id


@pytest.fixture
def setting(server: LocalChronicle, client: Chronicle) -> dict[str, str]:
    """A worker key of run 0/0 of experiment ``own``, and a ready asset of another experiment ``other``."""
    own, other = _committed(client), _committed(client)
    return {
        "own": own,
        "other": other,
        "asset": _ready_asset(client, other),
        "own_asset": _ready_asset(client, own),
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
    ("PUT", E + "/conclude", None),
    ("PUT", E + "/retract", {"reason": "r"}),
    ("GET", E + "/lineage", None),
    ("GET", E + "/inputs", None),
    ("POST", E + "/inputs", {"asset_id": "{asset}"}),
    ("GET", E + "/outputs", None),
    ("GET", V, None),
    ("PUT", V + "/commit", None),
    ("GET", V + "/config", None),
    ("GET", V + "/inputs", None),
    ("DELETE", V + "/inputs/{asset}", None),
    ("GET", V + "/outputs", None),
    ("POST", V + "/resume", None),
    ("GET", V + "/runs", None),
    ("GET", R, None),
    ("PUT", R + "/start", {}),
    ("PUT", R + "/heartbeat", None),
    ("PUT", R + "/succeed", None),
    ("PUT", R + "/fail", {"reason": "r"}),
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
    ("POST", E + "/inputs/batch", {"asset_ids": ["{asset}"]}),
    ("PATCH", V, {"hypothesis": "h"}),
    ("PUT", V + "/retract", {"reason": "r"}),
    ("PUT", A + "/approve", None),
    ("PUT", A + "/reject", {"reason": "r"}),
    ("GET", "/experiments/{other}", None),  # a deprecated unversioned path is the same operation
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
    assert error["code"] == "forbidden" and "download_urls" not in error
    assert set(error) == {"code", "message", "details", "request_id"}


def test_worker_search_sees_only_its_experiment(server: LocalChronicle, setting: dict[str, str]) -> None:
    headers = {"Authorization": f"Bearer {setting['worker']}"}
    found = httpx.post(server.url + "/v1/search", json={"query": "t h checkpoint"}, headers=headers).json()
    assert {r["experiment_id"] for r in found["results"]} <= {setting["own"]}
    user = {"Authorization": f"Bearer {server.api_key}"}
    everything = httpx.post(server.url + "/v1/search", json={"query": "t h checkpoint"}, headers=user).json()
    assert setting["other"] in {r["experiment_id"] for r in everything["results"]}


def test_worker_still_reads_its_own_and_its_inputs(
    server: LocalChronicle, client: Chronicle, setting: dict[str, str]
) -> None:
    headers = {"Authorization": f"Bearer {setting['worker']}"}
    own = httpx.get(f"{server.url}/v1/assets/{setting['own_asset']}?include_presigned=true", headers=headers)
    assert own.status_code == 200 and own.json()["download_urls"]
    listed = httpx.get(f"{server.url}/v1/assets?experiment_id={setting['own']}", headers=headers)
    assert listed.status_code == 200 and listed.json()["assets"]
    # an asset of another experiment, linked as an input of the worker's experiment, is readable
    third = _committed(client)
    linked = _ready_asset(client, third)
    exp = client.experiments.create(title="t2", hypothesis_summary="h", config_yaml=CONFIG)
    exp.link_input(linked)
    exp.commit()
    client.variation(exp.id, 0).commit(commit_without_hypothesis=True)
    worker = server.mint_worker_key(exp.id, 0, 0)
    got = httpx.get(
        f"{server.url}/v1/assets/{linked}?include_presigned=true", headers={"Authorization": f"Bearer {worker}"}
    )
    assert got.status_code == 200 and got.json()["download_urls"]
