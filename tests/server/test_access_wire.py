"""Per-asset grants over raw HTTP, and what they change for the local server's other principal: a worker key."""

from __future__ import annotations

from methodic_server import LocalChronicle
from tests.helpers import module_server
from tests.server.wire import Wire

server = module_server()  # one contract-checked server for this module's tests


def _asset(wire: Wire) -> str:
    body = {"asset_type": "dataset", "content": {"rows": 1}}
    return str(wire.ok("POST", "/v1/assets", body, status=201)["asset"]["id"])


def test_grants_are_idempotent_listed_after_the_owner_and_revoked(wire: Wire) -> None:
    asset = _asset(wire)
    acl = f"/v1/objects/asset/{asset}/acl"
    first = wire.ok("POST", acl, {"principal_id": "team_local", "action": "write"})
    assert wire.ok("POST", acl, {"principal_id": "team_local", "action": "write"}) == first
    wire.ok("POST", acl, {"principal_id": "everyone"})  # read by default
    listed = wire.ok("GET", "/v1/auth/object-aces", params={"type": "asset", "id": asset})["aces"]
    assert [(e["principal_id"], e["action"], e["source"]) for e in listed] == [
        ("user_local", "administer", "owner"),
        ("team_local", "write", "grant"),
        ("everyone", "read", "grant"),
    ]
    assert wire.ok("DELETE", acl, params={"principal": "team_local", "action": "write"}) == {"removed": True}
    assert wire.ok("DELETE", acl, params={"principal": "team_local", "action": "write"}) == {"removed": False}
    assert wire.error("POST", acl, {"principal_id": "x", "action": "own"})[0] == 400
    assert wire.error("DELETE", acl)[0] == 400
    assert wire.error("POST", "/v1/objects/asset/nope/acl", {"principal_id": "x"})[0] == 404
    assert wire.error("GET", "/v1/auth/object-aces", params={"type": "experiment", "id": asset})[0] == 400


def test_a_worker_reads_another_experiments_asset_only_once_it_is_shared(wire: Wire, server: LocalChronicle) -> None:
    exp = wire.committed()
    elsewhere = wire.ready_asset(wire.committed())
    public = _asset(wire)
    worker = Wire(server, server.mint_worker_key(exp, 0, 0))
    try:
        assert worker.error("GET", f"/v1/assets/{elsewhere}")[0] == 403
        assert worker.error("GET", f"/v1/assets/{public}")[0] == 403
        wire.ok("POST", f"/v1/objects/asset/{elsewhere}/acl", {"principal_id": "everyone", "action": "read"})
        wire.ok("PUT", f"/v1/assets/{public}/visibility", {"visibility": "public"})
        assert worker.ok("GET", f"/v1/assets/{elsewhere}")["id"] == elsewhere
        assert worker.ok("GET", f"/v1/assets/{public}")["id"] == public
        wire.ok("DELETE", f"/v1/objects/asset/{elsewhere}/acl", params={"principal": "everyone", "action": "read"})
        assert worker.error("GET", f"/v1/assets/{elsewhere}")[0] == 403  # revoked: refused again
        assert worker.error("POST", f"/v1/objects/asset/{public}/acl", {"principal_id": "everyone"})[0] == 403
    finally:
        worker.close()
