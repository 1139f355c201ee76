"""Minted API keys over raw HTTP: they authenticate, rotate, expire, revoke, and their restrictions hold."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest

from methodic_server import LocalChronicle
from tests.helpers import module_server
from tests.server.wire import Wire

ORG = "org_local"


server = module_server()  # one contract-checked server for this module's tests


@contextmanager
def keyed(server: LocalChronicle, key: str) -> Iterator[Wire]:
    """A raw client that sends ``key``."""
    client = Wire(server, key)
    try:
        yield client
    finally:
        client.close()


def _ceiling(object_type: str, object_id: str) -> dict[str, list[dict[str, str]]]:
    pin = [{"object_type": object_type, "object_id": object_id}]
    return {verb: pin for verb in ("create", "write", "discuss", "delete", "trigger", "stop")} | {"administer": []}


def test_a_minted_key_authenticates_rotates_and_revokes(wire: Wire, server: LocalChronicle) -> None:
    made = wire.ok("POST", "/v1/api-keys", {"name": "ci", "key_type": "agent"}, status=201)
    assert made["key"].startswith("sk_agent_") and made["restriction"] is None
    mine = next(k for k in wire.ok("GET", "/v1/api-keys") if k["id"] == made["id"])
    assert "key" not in mine and "key_hash" not in mine  # the secret is shown once, its hash never
    with keyed(server, made["key"]) as first:
        assert first.ok("GET", "/v1/me/scopes")["scopes"]
    rotated = wire.ok("POST", f"/v1/api-keys/{made['id']}/rotate")
    assert rotated["id"] == made["id"] and rotated["key"] != made["key"]
    with keyed(server, made["key"]) as old, keyed(server, rotated["key"]) as new:
        assert old.error("GET", "/v1/me/scopes")[0] == 401  # the old secret stopped at once
        assert new.ok("GET", "/v1/me/scopes")["scopes"]
        wire.ok("DELETE", f"/v1/api-keys/{made['id']}")
        assert new.error("GET", "/v1/me/scopes")[0] == 401
    assert made["id"] not in [k["id"] for k in wire.ok("GET", "/v1/api-keys")]
    for method, tail in (("DELETE", ""), ("POST", "/rotate")):
        assert wire.error(method, f"/v1/api-keys/{made['id']}{tail}")[0] == 404


def test_an_expiring_key_stops_at_its_time(wire: Wire, server: LocalChronicle) -> None:
    soon = (datetime.now(timezone.utc) + timedelta(seconds=1)).isoformat()
    made = wire.ok("POST", "/v1/api-keys", {"name": "short", "key_type": "user", "expires_at": soon})
    assert made["key"].startswith("sk_user_")
    with keyed(server, made["key"]) as client:
        assert client.ok("GET", "/v1/me/scopes")
        time.sleep(1.2)
        assert client.error("GET", "/v1/me/scopes")[1]["code"] == "key_expired"


@pytest.mark.parametrize(
    "body",
    [
        {"name": "x", "key_type": "robot"},
        {"name": ""},
        {"name": "x", "expires_at": "yesterday"},
        {"name": "x", "expires_at": "2020-01-01T00:00:00Z"},
        {"name": "x", "expires_at": "2099-01-01T00:00:00"},  # no time zone
        {"name": "x", "restriction": {"fly": []}},
        {"name": "x", "restriction": {"write": [{"object_type": "planet", "object_id": "p"}]}},
        {"name": "x", "restriction": {"write": "everything"}},
    ],
)
def test_bad_key_requests_are_refused(wire: Wire, body: dict[str, object]) -> None:
    assert wire.error("POST", "/v1/api-keys", body)[0] == 400


def test_an_organization_bound_key_changes_things_only_inside_it(wire: Wire, server: LocalChronicle) -> None:
    made = wire.ok("POST", "/v1/api-keys", {"name": "org", "restriction": _ceiling("organization", ORG)})
    personal = wire.committed()
    body = {"hypothesis_summary": "h", "config_yaml": "lr: 1\n"}
    with keyed(server, made["key"]) as bound:
        inside = bound.ok("POST", "/v1/experiments", body | {"organization_id": ORG}, status=201)["experiment_id"]
        bound.ok("PUT", f"/v1/experiments/{inside}/commit", {})
        code, error = bound.error("POST", "/v1/experiments", body)  # personal: outside the organization
        assert code == 403 and "create is limited to organization:org_local" in error["message"]
        assert bound.ok("GET", f"/v1/experiments/{personal}")  # reading stays broad
        assert bound.error("PUT", f"/v1/experiments/{personal}/retract", {"reason": "r"})[0] == 403
        output = {"asset_type": "research_report", "content": {"a": 1}, "output_of": {"experiment_id": personal}}
        assert bound.error("POST", "/v1/assets", output)[0] == 403


def test_an_experiment_bound_key_and_the_subset_rule(wire: Wire, server: LocalChronicle) -> None:
    exp, other = wire.committed(), wire.committed()
    made = wire.ok("POST", "/v1/api-keys", {"name": "agent", "restriction": _ceiling("experiment", exp)})
    with keyed(server, made["key"]) as agent:
        agent.ok("POST", f"/v1/experiments/{exp}/variations/0/runs/0/start")
        agent.ok("POST", "/v1/heartbeat", {"experiment_id": exp, "variation": 0, "run": 0})
        assert agent.error("POST", f"/v1/experiments/{other}/variations/0/runs/0/start")[0] == 403
        assert agent.error("POST", "/v1/heartbeat", {"experiment_id": other, "variation": 0, "run": 0})[0] == 403
        # it mints only keys within its own restriction, and cannot clear one
        assert agent.error("POST", "/v1/api-keys", {"name": "wider"})[0] == 403
        narrower = agent.ok("POST", "/v1/api-keys", {"name": "same", "restriction": _ceiling("experiment", exp)})
        assert agent.error("PUT", f"/v1/api-keys/{narrower['id']}/restriction", {"restriction": None})[0] == 403
        wider = {"restriction": _ceiling("experiment", other)}
        assert agent.error("PUT", f"/v1/api-keys/{narrower['id']}/restriction", wider)[0] == 403
    cleared = wire.ok("PUT", f"/v1/api-keys/{made['id']}/restriction", {"restriction": None})
    assert cleared["restriction"] is None
    with keyed(server, made["key"]) as freed:  # the same secret, no longer restricted
        freed.ok("PUT", f"/v1/experiments/{other}/retract", {"reason": "r"})


def test_a_worker_key_manages_no_keys(wire: Wire, server: LocalChronicle) -> None:
    exp = wire.committed()
    with keyed(server, server.mint_worker_key(exp, 0, 0)) as worker:
        assert worker.error("GET", "/v1/api-keys")[0] == 403
        assert worker.error("POST", "/v1/api-keys", {"name": "x"})[0] == 403
