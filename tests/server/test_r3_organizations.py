"""A user key cannot write into an organization it does not belong to, by any path (issue 28, finding 4).

Naming ``organization_id`` was refused already; naming an experiment, variation, run or asset that the
other organization owns was not (an asset created with only ``output_of`` joined that organization).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from methodic_server import LocalChronicle
from tests.helpers import CONFIG
from tests.server.wire import Wire

FOREIGN = "org_elsewhere"  # an organization the local user key is not a member of


@pytest.fixture
def foreign(server: LocalChronicle, wire: Wire) -> dict[str, str]:
    """Experiments, a pending and a ready asset of ``org_elsewhere`` (made by a superadmin), and one of ours."""
    admin = Wire(server, server.mint_admin_key())
    try:
        committed = admin.committed(organization_id=FOREIGN)
        ready = admin.ready_asset(committed)  # starts run 0
        pending = admin.presigned(committed, ["a.bin"])["asset"]["id"]
        opened = str(admin.experiment(organization_id=FOREIGN)["experiment_id"])
    finally:
        admin.close()
    own = wire.committed()
    return {"F": committed, "O": opened, "FA": ready, "FP": pending, "OWN_ASSET": wire.ready_asset(own)}


E = "/v1/experiments/{F}"
V = E + "/variations/0"
R = V + "/runs/0"
A = "/v1/assets/{FA}"
RUN0 = {"experiment_id": "{F}", "variation": 0, "run": 0}
WRITES: list[tuple[str, str, Any]] = [
    ("POST", "/v1/assets", {"asset_type": "report", "content": "x", "output_of": {"experiment_id": "{F}"}}),
    (
        "POST",
        "/v1/assets",
        {"asset_type": "report", "content": "x", "output_of": {"experiment_id": "{F}", "variation": 0}},
    ),
    (
        "POST",
        "/v1/assets",
        {"asset_type": "x", "presign": True, "output_of": RUN0},
    ),
    ("PUT", "/v1/experiments/{O}/commit", {}),
    ("DELETE", "/v1/experiments/{O}", None),
    ("POST", E + "/conclude", None),
    ("PUT", E + "/retract", {"reason": "r"}),
    ("POST", E + "/inputs", {"asset_ids": ["{OWN_ASSET}"]}),
    ("POST", E + "/variations", {"config_yaml": CONFIG}),
    ("PUT", V, {"hypothesis": "h"}),
    ("PUT", V + "/retract", {"reason": "r"}),
    ("PUT", "/v1/experiments/{O}/variations/0/commit", {"commit_without_hypothesis": True}),
    ("POST", V + "/inputs", {"asset_ids": ["{OWN_ASSET}"]}),
    ("DELETE", V + "/inputs/{OWN_ASSET}", None),
    ("POST", R + "/succeed", None),
    ("POST", R + "/fail", {"reason": "r"}),
    ("POST", "/v1/heartbeat", {"experiment_id": "{F}", "variation": 0, "run": 0}),
    ("DELETE", A, None),
    ("PUT", A + "/deprecate", {"reason": "r"}),
    ("PUT", A + "/invalidate", {"reason": "r"}),
    ("PUT", A + "/approve", None),
    ("PUT", A + "/reject", {"reason": "r"}),
    ("PUT", A + "/preserve", None),
    ("PUT", "/v1/assets/{FP}/finalize", {}),
    ("PUT", A + "/visibility", {"visibility": "public"}),
    ("POST", A + "/tags", {"tags": ["x"]}),
    ("POST", E + "/tags", {"tags": ["x"]}),
    ("POST", "/v1/objects/asset/{FA}/acl", {"principal_id": "everyone", "action": "read"}),
    ("POST", E + "/lessons", {"title": "t", "origin": "manual"}),
    ("POST", "/v1/assets/{FP}/presign", {"operation": "upload"}),
    ("POST", "/v1/errata", {"target": {"experiment_id": "{F}"}, "direction": "authored", "markdown": "x"}),
    ("POST", "/v1/errata", {"target": {"asset_id": "{FA}"}, "direction": "authored", "markdown": "x"}),
]


def _fill(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**names)
    if isinstance(value, dict):
        return {k: _fill(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, names) for v in value]
    return value


@pytest.mark.parametrize(("method", "path", "body"), WRITES, ids=[f"{m} {p} {b}"[:90] for m, p, b in WRITES])
def test_a_write_into_another_organizations_object_is_refused(
    wire: Wire, foreign: dict[str, str], method: str, path: str, body: Any
) -> None:
    before = wire.ok("GET", f"/v1/assets?experiment_id={foreign['F']}")
    status, error = wire.error(method, _fill(path, foreign), _fill(body, foreign))
    assert status == 403 and error["code"] == "forbidden", error
    assert "not a member" in error["message"]
    assert FOREIGN in error["message"]
    assert wire.ok("GET", f"/v1/experiments/{foreign['O']}")["experiment"]["state"] == "open"  # nothing changed
    assert wire.ok("GET", f"/v1/assets?experiment_id={foreign['F']}") == before  # no asset joined it


def test_reading_another_organizations_asset_and_linking_it_into_our_own_experiment_still_work(
    wire: Wire, foreign: dict[str, str]
) -> None:
    """Reads are not writes: the local server lets every key read, and an input link writes only our side."""
    assert wire.ok("POST", f"/v1/assets/{foreign['FA']}/presign", {"operation": "read"})["presigned_urls"]
    mine = str(wire.experiment()["experiment_id"])
    wire.ok("POST", f"/v1/experiments/{mine}/inputs", {"asset_ids": [foreign["FA"]]})


def test_bulk_approval_refuses_another_organizations_asset_in_its_row(server: LocalChronicle, wire: Wire) -> None:
    admin = Wire(server, server.mint_admin_key())
    try:
        exp = admin.committed(organization_id=FOREIGN)
        gated = admin.ok(
            "POST",
            "/v1/assets",
            {
                "asset_type": "report",
                "content": "x",
                "output_of": {"experiment_id": exp},
                "pending_reasons": ["review_required"],
            },
        )["asset"]["id"]
    finally:
        admin.close()
    answer = wire.ok("POST", "/v1/assets/bulk-approve", {"asset_ids": [gated]})
    assert answer["approved"] == 0 and answer["results"][0]["status"] == "error", answer
    assert "not a member" in answer["results"][0]["error"]
    assert wire.ok("GET", f"/v1/assets/{gated}")["state"] == "pending"


def test_the_gateway_refuses_bytes_for_another_organizations_asset(server: LocalChronicle, wire: Wire) -> None:
    admin = Wire(server, server.mint_admin_key())
    try:
        exp = admin.committed(organization_id=FOREIGN)
        admin.start(exp)
        created = admin.ok(
            "POST",
            "/v1/assets",
            {
                "asset_type": "checkpoint",
                "presign": True,
                "components": ["a.bin"],
                "upload_targets": ["r2", "gcs"],
                "output_of": {"experiment_id": exp, "variation": 0, "run": 0},
            },
        )
    finally:
        admin.close()
    if created["upload"]["via"] != "r2":
        pytest.skip("this server's route is not r2")
    url = created["upload_urls"][0]["url"]
    answer = httpx.put(url, content=b"x", headers={"Authorization": f"Bearer {server.api_key}"})
    assert answer.status_code == 403 and answer.json()["code"] == "forbidden", answer.text
    assert "not a member" in answer.json()["message"]


def test_a_superadmin_and_a_member_still_write(server: LocalChronicle, wire: Wire) -> None:
    admin = Wire(server, server.mint_admin_key())
    try:
        exp = str(admin.experiment(organization_id=FOREIGN)["experiment_id"])
        admin.ok("PUT", f"/v1/experiments/{exp}/commit", {})
    finally:
        admin.close()
    ours = str(wire.experiment(organization_id="org_local")["experiment_id"])
    wire.ok("PUT", f"/v1/experiments/{ours}/commit", {})
    created = wire.ok(
        "POST", "/v1/assets", {"asset_type": "report", "content": "x", "output_of": {"experiment_id": ours}}, status=201
    )
    assert created["asset"]["organization_id"] == "org_local"
