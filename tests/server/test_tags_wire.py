"""Tags over raw HTTP: find-or-create in the object's scope, tagging and untagging, the vocabulary, search."""

from __future__ import annotations

from typing import Any

from methodic_server import LocalChronicle
from tests.helpers import module_server
from tests.server.wire import Wire

server = module_server()  # one contract-checked server for this module's tests


def _note(wire: Wire, text: str, **fields: Any) -> str:
    body = {"asset_type": "research_report", "name": text, "content": text, **fields}
    return str(wire.ok("POST", "/v1/assets", body, status=201)["asset"]["id"])


def test_create_finds_or_creates_by_normalized_name_in_a_scope(wire: Wire) -> None:
    made = wire.ok("POST", "/v1/tags", {"name": "Vortex Shedding"}, status=201)
    assert (made["scope_id"], made["name"], made["normalized"]) == ("user_local", "Vortex Shedding", "vortex-shedding")
    again = wire.ok("POST", "/v1/tags", {"name": "  vortex_shedding! "}, status=200)
    assert again["id"] == made["id"] and again["name"] == "Vortex Shedding"
    # another scope has its own vocabulary
    in_org = wire.ok("POST", "/v1/tags", {"name": "Vortex Shedding", "scope_id": "org_local"}, status=201)
    assert in_org["id"] != made["id"] and in_org["scope_id"] == "org_local"
    assert wire.ok("GET", f"/v1/tags/{made['id']}") == made
    assert wire.error("POST", "/v1/tags", {"name": " !? "})[0] == 400
    assert wire.error("POST", "/v1/tags", {"name": "x", "scope_id": "no_such_scope"})[0] == 400
    status, error = wire.error("POST", "/v1/tags", {"name": "x", "scope_id": "org_elsewhere"})
    assert (status, error["code"]) == (403, "forbidden")
    assert wire.error("GET", "/v1/tags/no-such-tag")[0] == 404


def test_tagging_an_object_uses_its_scope_and_is_idempotent(wire: Wire) -> None:
    personal = _note(wire, "laminar flow notes")
    owned = _note(wire, "org flow notes", organization_id="org_local")
    first = wire.ok("POST", f"/v1/assets/{personal}/tags", {"tag": "Laminar"}, status=201)
    assert first["created"] is True and first["tag"]["scope_id"] == "user_local"
    again = wire.ok("POST", f"/v1/assets/{personal}/tags", {"tag_id": first["tag_id"]}, status=200)
    assert again["created"] is False and again["tagged_at"] == first["tagged_at"]
    in_org = wire.ok("POST", f"/v1/assets/{owned}/tags", {"tag": "laminar"}, status=201)
    assert in_org["tag"]["scope_id"] == "org_local" and in_org["tag_id"] != first["tag_id"]
    # a tag of another scope cannot be applied by id
    assert wire.error("POST", f"/v1/assets/{owned}/tags", {"tag_id": first["tag_id"]})[0] == 400
    for body in ({}, {"tag": "a", "tag_id": first["tag_id"]}):
        assert wire.error("POST", f"/v1/assets/{personal}/tags", body)[0] == 400
    assert wire.error("POST", "/v1/assets/no-such-asset/tags", {"tag": "a"})[0] == 404
    assert [t["id"] for t in wire.ok("GET", f"/v1/assets/{personal}/tags")] == [first["tag_id"]]

    removed = wire.ok("DELETE", f"/v1/assets/{personal}/tags", {"tag_id": first["tag_id"]})
    assert removed["removed"] is True and wire.ok("GET", f"/v1/assets/{personal}/tags") == []
    assert wire.ok("DELETE", f"/v1/assets/{personal}/tags", {"tag_id": first["tag_id"]})["removed"] is False
    assert wire.error("DELETE", f"/v1/assets/{personal}/tags", {"tag_id": "no-such-tag"})[0] == 404


def test_experiments_are_tagged_by_id_or_slug_and_listed_with_usage(wire: Wire) -> None:
    exp = wire.experiment(title="Shedding study")
    exp_id, slug = exp["experiment_id"], exp["experiment"]["slug"]
    tagged = wire.ok("POST", f"/v1/experiments/{slug}/tags", {"tag": "negative-result"}, status=201)
    asset = _note(wire, "negative result notes")
    wire.ok("POST", f"/v1/assets/{asset}/tags", {"tag": "Negative Result"}, status=201)
    assert [t["name"] for t in wire.ok("GET", f"/v1/experiments/{exp_id}/tags")] == ["negative-result"]
    listed = {t["id"]: t for t in wire.ok("GET", "/v1/tags", params={"q": "negative"})}
    assert listed[tagged["tag_id"]]["usage_count"] == 2
    assert wire.ok("GET", "/v1/tags", params={"q": "zzz"}) == []
    objects = wire.ok("GET", f"/v1/tags/{tagged['tag_id']}/objects")
    assert [e["id"] for e in objects["experiments"]] == [exp_id] and [a["id"] for a in objects["assets"]] == [asset]
    untagged = wire.ok("DELETE", f"/v1/experiments/{exp_id}/tags", {"tag_id": tagged["tag_id"]})
    assert untagged["removed"] is True and wire.ok("GET", f"/v1/experiments/{exp_id}/tags") == []


def test_search_filters_by_tag_and_follows_renames_and_deletes(wire: Wire) -> None:
    marked = _note(wire, "kelvin helmholtz instability notes")
    _note(wire, "kelvin helmholtz instability draft")
    exp = {"experiment_id": wire.committed(title="Kelvin Helmholtz instability sweep")}
    tag = wire.ok("POST", f"/v1/assets/{marked}/tags", {"tag": "KH-Instability"}, status=201)["tag"]
    wire.ok("POST", f"/v1/experiments/{exp['experiment_id']}/tags", {"tag_id": tag["id"]}, status=201)

    def hits(*tags: str) -> set[str]:
        found = wire.ok("POST", "/v1/search", {"query": "kelvin helmholtz", "filters": {"tags": list(tags)}})
        return {r["document_id"] for r in found["results"]}

    assert hits("kh instability") == {marked, exp["experiment_id"]}  # names compare normalized
    # a retraction re-indexes the experiment, which keeps its tags
    wire.ok("PUT", f"/v1/experiments/{exp['experiment_id']}/retract", {"reason": "kelvin mislabelled"})
    assert hits("KH-Instability") == {marked, exp["experiment_id"]}

    renamed = wire.ok("PATCH", f"/v1/tags/{tag['id']}", {"name": "Shear Layer"})
    assert renamed["normalized"] == "shear-layer"
    assert hits("KH-Instability") == set() and hits("shear layer") == {marked, exp["experiment_id"]}
    other = wire.ok("POST", "/v1/tags", {"name": "Mixing"}, status=201)
    status, error = wire.error("PATCH", f"/v1/tags/{other['id']}", {"name": "shear_layer"})
    assert (status, error["code"], error["details"]["tag_id"]) == (409, "tag_exists", tag["id"])

    deleted = wire.ok("DELETE", f"/v1/tags/{tag['id']}")
    assert deleted == {"id": tag["id"], "deleted": True, "untagged": 2}
    assert hits("shear layer") == set() and wire.ok("GET", f"/v1/assets/{marked}/tags") == []
    assert wire.error("GET", f"/v1/tags/{tag['id']}/objects")[0] == 404


def test_another_scopes_objects_and_worker_keys_are_refused(server: LocalChronicle, wire: Wire) -> None:
    admin = Wire(server, server.mint_admin_key())
    try:
        foreign = admin.experiment(organization_id="org_elsewhere")["experiment_id"]
        foreign_tag = admin.ok("POST", "/v1/tags", {"name": "theirs", "scope_id": "org_elsewhere"}, status=201)
    finally:
        admin.close()
    status, error = wire.error("POST", f"/v1/experiments/{foreign}/tags", {"tag": "mine"})
    assert (status, error["code"]) == (403, "forbidden")
    for method, path, body in (
        ("GET", f"/v1/tags/{foreign_tag['id']}", None),
        ("GET", f"/v1/tags/{foreign_tag['id']}/objects", None),
        ("PATCH", f"/v1/tags/{foreign_tag['id']}", {"name": "x"}),
        ("DELETE", f"/v1/tags/{foreign_tag['id']}", None),
    ):
        assert wire.error(method, path, body)[0] == 403, (method, path)
    assert wire.error("GET", "/v1/tags", params={"scope_id": "org_elsewhere"})[0] == 403
    worker = Wire(server, server.mint_worker_key(foreign, 0, 0))
    try:
        assert worker.error("GET", "/v1/tags")[0] == 403
        assert worker.error("POST", f"/v1/experiments/{foreign}/tags", {"tag": "w"})[0] == 403
    finally:
        worker.close()
