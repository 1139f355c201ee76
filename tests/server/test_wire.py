"""The wire of openapi.yaml 2.0 (the hosted Chronicle's), over real HTTP against LocalChronicle(validate_contract=True).

Every request and response here is checked against the contract by the server itself (the ``server``
fixture fails the test on a violation).
"""

from __future__ import annotations

import hashlib
import time

import httpx
import pytest

from methodic_server import LocalChronicle
from tests.helpers import CONFIG
from tests.server.wire import Wire


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- runs ---------------------------------------------------------------------------------------------------------


def test_run_lifecycle_is_post_with_a_global_heartbeat(wire: Wire) -> None:
    created = wire.experiment()
    assert (created["variation"], created["run"]) == (0, 0)  # config_yaml seeded variation 0 and its pending run 0
    exp = created["experiment_id"]
    run = f"/v1/experiments/{exp}/variations/0/runs/0"
    assert wire.ok("GET", run + "/status")["state"] == "pending"
    code, body = wire.error("POST", run + "/start")
    assert (code, body["code"]) == (409, "not_committed")  # a run starts once its experiment and variation commit
    wire.commit_if_open(exp)
    for method in ("PUT", "GET"):
        assert wire.http.request(method, run + "/start").status_code == 405
    assert wire.ok("POST", run + "/start")["state"] == "running"  # no body at all, as the hosted client sends
    beat = wire.ok("POST", "/v1/heartbeat", {"experiment_id": exp, "variation": 0, "run": 0})
    assert beat["state"] == "running" and beat["last_heartbeat_at"]
    assert wire.error("POST", "/v1/heartbeat", {"experiment_id": exp, "variation": 0, "run": 7})[0] == 404
    assert wire.error("POST", "/v1/heartbeat", {"experiment_id": exp, "variation": 0})[0] == 400
    assert wire.ok("POST", run + "/succeed")["state"] == "succeeded"
    assert wire.error("POST", "/v1/heartbeat", {"experiment_id": exp, "variation": 0, "run": 0})[0] == 409
    assert wire.ok("GET", f"/v1/experiments/{exp}/variations/0")["run_count"] == 1  # runs are counted, not listed
    assert wire.http.get(f"/v1/experiments/{exp}/variations/0/runs").status_code in (404, 405)  # no run listing
    assert wire.http.get(run).status_code == 404  # GET .../runs/{r} is now .../status


def test_heartbeat_brings_a_lost_run_back() -> None:
    with LocalChronicle(validate_contract=True, heartbeat_timeout=0.3, watchdog_interval=0.05) as server:
        wire = Wire(server)
        exp = wire.experiment()["experiment_id"]
        wire.start(exp)
        deadline = time.monotonic() + 5
        while wire.ok("GET", f"/v1/experiments/{exp}/variations/0/runs/0/status")["state"] != "lost":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert wire.ok("POST", "/v1/heartbeat", {"experiment_id": exp, "variation": 0, "run": 0})["state"] == "running"
        assert server.contract_violations == []
        wire.close()


def test_a_worker_key_heartbeats_only_its_own_run(server: LocalChronicle, wire: Wire) -> None:
    own, other = wire.experiment()["experiment_id"], wire.experiment()["experiment_id"]
    wire.start(own)
    wire.start(other)
    worker = Wire(server, server.mint_worker_key(own, 0, 0))
    assert worker.ok("POST", "/v1/heartbeat", {"experiment_id": own, "variation": 0, "run": 0})["state"] == "running"
    for body in (
        {"experiment_id": other, "variation": 0, "run": 0},
        {"experiment_id": own, "variation": 0, "run": 1},
        {"experiment_id": own, "variation": 1, "run": 0},
        {"experiment_id": "nothing-here", "variation": 0, "run": 0},
    ):
        status, error = worker.error("POST", "/v1/heartbeat", body)
        assert (status, error["code"]) == (403, "forbidden"), body
    worker.close()


# -- variations -----------------------------------------------------------------------------------------------


def test_a_variation_carries_its_config(wire: Wire) -> None:
    exp = wire.experiment(launch_config={"nodes": 2}, accelerate_config_yaml="mixed_precision: bf16\n")
    var0 = wire.ok("GET", f"/v1/experiments/{exp['experiment_id']}/variations/0")
    assert var0["config_yaml"] == CONFIG and var0["config_json"] == {"lr": 0.01, "steps": 20, "model": {"hidden": 8}}
    assert var0["accelerate_config_json"] == {"mixed_precision": "bf16"} and var0["launch_config"] == {"nodes": 2}
    assert var0["created_by"] and var0["git_sha"] is None and var0["run_count"] == 1
    created = wire.ok(
        "POST",
        f"/v1/experiments/{exp['experiment_id']}/variations",
        {"config_yaml": "lr: 2\n", "accelerate_config_yaml": "num_processes: 4\n", "git_ref": "main", "name": "big"},
        status=201,
    )
    assert created["variation"] == 1 and created["git_ref"] == "main" and created["git_sha"] is None
    assert created["accelerate_config_yaml"] == "num_processes: 4\n"
    assert created["accelerate_config_json"] == {"num_processes": 4} and created["config_json"] == {"lr": 2}
    assert created["latest_status"] == "pending" and created["input_asset_ids"] == []
    path = f"/v1/experiments/{exp['experiment_id']}/variations/1"
    assert wire.http.get(path + "/config").status_code == 404  # gone: the variation is the config
    assert wire.ok("PUT", path, {"hypothesis": "bigger is better", "name": "bigger"})["name"] == "bigger"
    assert wire.http.patch(path, json={"name": "x"}).status_code == 405
    status, error = wire.error("PUT", path, {"config_yaml": "lr: 3"})
    assert status == 400 and "config_yaml" in error["message"]


def test_committing_a_variation_needs_a_hypothesis_unless_told(wire: Wire) -> None:
    exp = wire.experiment()["experiment_id"]
    wire.ok("PUT", f"/v1/experiments/{exp}/commit")
    path = f"/v1/experiments/{exp}/variations/0"
    for body in (None, {}, {"commit_without_hypothesis": False}):
        status, error = wire.error("PUT", path + "/commit", body)
        assert (status, error["code"]) == (409, "missing_variation_hypothesis")
    assert wire.ok("PUT", path + "/commit", {"commit_without_hypothesis": True})["state"] == "committed"
    wire.ok("POST", f"/v1/experiments/{exp}/variations", {"config_yaml": "lr: 1", "hypothesis": "it helps"})
    assert wire.ok("PUT", f"/v1/experiments/{exp}/variations/1/commit")["state"] == "committed"


def test_inputs_link_by_list_to_the_experiment_or_one_variation(wire: Wire) -> None:
    source = wire.committed()
    first, second = wire.ready_asset(source), wire.ready_asset(source, b"other")
    exp = wire.experiment()["experiment_id"]
    linked = wire.ok("POST", f"/v1/experiments/{exp}/inputs", {"asset_ids": [first], "propagate_acl": True})
    assert linked["asset_ids"] == [first] and linked["variation"] is None
    again = wire.ok("POST", f"/v1/experiments/{exp}/inputs", {"asset_ids": [first], "allow_invalid_assets": False})
    assert again["asset_ids"] == [first]  # a no-op
    var = wire.ok("POST", f"/v1/experiments/{exp}/variations/0/inputs", {"asset_ids": [second]})
    assert var["variation"] == 0 and var["linked"][0]["id"] == second
    assert [a["id"] for a in wire.ok("GET", f"/v1/experiments/{exp}/inputs")] == [first]
    assert [a["id"] for a in wire.ok("GET", f"/v1/experiments/{exp}/variations/0/inputs")] == [second, first]
    assert wire.ok("GET", f"/v1/experiments/{exp}/variations/0")["input_asset_ids"] == [second]
    assert wire.http.post(f"/v1/experiments/{exp}/inputs/batch", json={"asset_ids": [first]}).status_code == 404
    assert wire.error("POST", f"/v1/experiments/{exp}/inputs", {"asset_id": first})[0] == 400
    # all or none: one refused asset links nothing
    wire.ok("PUT", f"/v1/assets/{second}/invalidate", {"reason": "bad"})
    fresh = wire.experiment()["experiment_id"]
    status, error = wire.error("POST", f"/v1/experiments/{fresh}/inputs", {"asset_ids": [first, second]})
    assert (status, error["code"]) == (409, "asset_invalidated")
    assert wire.ok("GET", f"/v1/experiments/{fresh}/inputs") == []
    ok = wire.ok("POST", f"/v1/experiments/{fresh}/inputs", {"asset_ids": [second], "allow_invalid_assets": True})
    assert ok["asset_ids"] == [second]


# -- experiments ----------------------------------------------------------------------------------------------


def test_create_answers_ids_and_tentative_parents(wire: Wire) -> None:
    bare = wire.experiment(config_yaml=None)
    assert bare["variation"] is None and bare["run"] is None and bare["tentative_parents"] == []
    assert bare["experiment"]["owner_subject"] == "user_local"
    open_parent = bare["experiment_id"]
    committed_parent = wire.committed()
    child = wire.experiment(parent_experiment_ids=[open_parent, committed_parent])
    assert child["tentative_parents"] == [
        {"parent_id": open_parent, "parent_state": "open", "promotable": False, "parent_title": "t"}
    ]
    links = wire.ok("GET", f"/v1/experiments/{child['experiment_id']}/tentative-links")["tentative_links"]
    assert [(link["parent_id"], link["parent_state"], link["promotable"]) for link in links] == [
        (open_parent, "open", False)
    ]
    detail = wire.ok("GET", f"/v1/experiments/{child['experiment_id']}")
    assert detail["parent_ids"] == [committed_parent]  # explicit parents only
    summary = detail["variations"][0]
    assert {"variation", "created_at", "run_count", "state", "latest_status", "hypothesis", "name"} <= set(summary)
    org = wire.experiment(organization_id="org_local", team_id="team_local", visibility="organization")
    assert org["experiment"]["owner_subject"] == "org_local" and org["experiment"]["team_id"] == "team_local"


def test_a_retracted_parent_needs_allow_retracted_parent(wire: Wire) -> None:
    parent = wire.committed()
    wire.ok("PUT", f"/v1/experiments/{parent}/retract", {"reason": "bug"})
    status, error = wire.error(
        "POST", "/v1/experiments", {"hypothesis_summary": "h", "parent_experiment_ids": [parent]}
    )
    assert (status, error["code"]) == (409, "parent_retracted")
    body = {"hypothesis_summary": "h", "parent_experiment_ids": [parent], "allow_retracted_parent": True}
    assert wire.ok("POST", "/v1/experiments", body, status=201)["experiment_id"]


def test_list_pages_newest_first_with_before_and_x_has_more(wire: Wire) -> None:
    made = [wire.experiment(title=f"e{i}")["experiment_id"] for i in range(5)]
    wire.ok("PUT", f"/v1/experiments/{made[0]}/commit")
    first = wire.http.get("/v1/experiments", params={"limit": 2})
    assert first.status_code == 200 and first.headers["X-Has-More"] == "true"
    seen = [row["id"] for row in first.json()]
    while True:
        last = first.json()[-1]
        first = wire.http.get("/v1/experiments", params={"limit": 2, "before": f"{last['created_at']}_{last['id']}"})
        seen += [row["id"] for row in first.json()]
        if first.headers.get("X-Has-More") != "true":
            break
    assert seen == made[::-1]
    row = first.json()[-1]
    assert row["id"] == made[0] and row["state"] == "committed" and row["status"] == "pending"
    assert row["variation_count"] == 1 and row["owner_subject"] == "user_local" and row["slug"]
    assert [r["id"] for r in wire.ok("GET", "/v1/experiments", params={"status": "committed"})] == [made[0]]
    assert wire.ok("GET", "/v1/experiments", params={"created_by": "someone-else"}) == []
    assert len(wire.ok("GET", "/v1/experiments", params={"created_by": row["created_by"]})) == 5
    assert wire.error("GET", "/v1/experiments", params={"before": "yesterday"})[0] == 400


def test_conclude_is_post_and_asks_what_to_do_with_a_takeaways_report(wire: Wire) -> None:
    exp = wire.committed()
    assert wire.http.put(f"/v1/experiments/{exp}/conclude").status_code == 405
    report = {"asset_type": "takeaways_report", "content": "# Takeaways", "output_of": {"experiment_id": exp}}
    wire.ok("POST", "/v1/assets", report, status=201)
    status, error = wire.error("POST", f"/v1/experiments/{exp}/conclude")
    assert (status, error["code"]) == (409, "takeaways_report_exists")
    assert wire.error("POST", f"/v1/experiments/{exp}/conclude", {"on_exist_action": "burn"})[0] == 400
    done = wire.ok("POST", f"/v1/experiments/{exp}/conclude", {"on_exist_action": "regenerate"})
    assert done["experiment"]["state"] == "concluded"
    assert done["takeaways_report"]["regenerated"] is False  # said, not faked
    other = wire.committed()
    assert wire.ok("POST", f"/v1/experiments/{other}/conclude")["experiment"]["state"] == "concluded"


def test_lineage_walks_a_direction_to_a_depth_with_full_records(wire: Wire) -> None:
    grand = wire.committed()
    parent = wire.experiment(parent_experiment_ids=[grand])["experiment_id"]
    wire.ok("PUT", f"/v1/experiments/{parent}/commit")
    child = wire.experiment(parent_experiment_ids=[parent])["experiment_id"]
    both = wire.ok("GET", f"/v1/experiments/{parent}/lineage")
    assert [(n["id"], n["depth"]) for n in both["ancestors"]] == [(grand, 1)]
    assert [(n["id"], n["depth"]) for n in both["descendants"]] == [(child, 1)]
    assert {"owner_subject", "created_at", "created_by", "hypothesis_summary"} <= set(both["ancestors"][0])
    up = wire.ok("GET", f"/v1/experiments/{child}/lineage", params={"direction": "ancestors", "depth": 1})
    assert [n["id"] for n in up["ancestors"]] == [parent] and up["descendants"] == []
    all_up = wire.ok("GET", f"/v1/experiments/{child}/lineage", params={"direction": "ancestors"})
    assert [n["id"] for n in all_up["ancestors"]] == [parent, grand]
    assert wire.error("GET", f"/v1/experiments/{child}/lineage", params={"direction": "sideways"})[0] == 400


def test_upstream_retractions_report_experiments_and_variations(wire: Wire) -> None:
    grand = wire.committed()
    parent = wire.experiment(parent_experiment_ids=[grand])["experiment_id"]
    wire.ok("PUT", f"/v1/experiments/{parent}/commit")
    child = wire.experiment(parent_experiment_ids=[parent])["experiment_id"]
    path = f"/v1/experiments/{child}/upstream-retractions"
    assert wire.ok("GET", path) == {"experiment_id": child, "has_retractions": False, "retractions": []}
    doc = wire.ok("POST", "/v1/assets", {"asset_type": "note", "content": "why"}, status=201)["asset"]["id"]
    wire.ok("PUT", f"/v1/experiments/{grand}/retract", {"reason": "leak", "document_asset_id": doc})
    wire.ok("PUT", f"/v1/experiments/{parent}/variations/0/retract", {"reason": "bad seed"})
    found = wire.ok("GET", path)
    assert found["has_retractions"] is True
    rows = [(r["experiment_id"], r["variation"], r["depth"], r["reason"]) for r in found["retractions"]]
    assert rows == [(parent, 0, 1, "bad seed"), (grand, None, 2, "leak")]
    assert found["retractions"][1]["document_asset_id"] == doc and "chain" not in found["retractions"][0]
    chained = wire.ok("GET", path, params={"full_chain": "true", "depth": 1})
    assert [r["chain"] for r in chained["retractions"]] == [[child, parent]]
    assert wire.ok("GET", path, params={"since": "2999-01-01T00:00:00Z"})["has_retractions"] is False
    assert wire.error("PUT", f"/v1/experiments/{grand}/retract", {"reason": "r", "document_asset_id": "nope"})[0] == 404


def test_owner_qualified_and_slug_references_reach_the_same_operations(wire: Wire) -> None:
    exp = wire.experiment()["experiment"]
    org = wire.experiment(organization_id="org_local")["experiment"]
    slug, eid = exp["slug"], exp["id"]
    for path in (
        f"/v1/experiments/{slug}",
        f"/v1/u/local/e/{slug}",
        f"/v1/u/user_local/e/{slug}",
        f"/v1/experiments/%40local%2F{slug}",
        f"/v1/experiments/u%2Flocal%2F{slug}",
        f"/v1/experiments/@local/{slug}",
        f"/u/local/e/{slug}",  # the deprecated unversioned twin
        f"/experiments/%40local%2F{slug}",
    ):
        assert wire.ok("GET", path)["experiment"]["id"] == eid, path
    assert wire.ok("GET", f"/v1/o/local-org/e/{org['slug']}")["experiment"]["id"] == org["id"]
    assert wire.ok("GET", f"/v1/experiments/o%2Forg_local%2F{org['slug']}")["experiment"]["id"] == org["id"]
    assert wire.error("GET", f"/v1/o/local-org/e/{slug}")[0] == 404  # a personal experiment is not the org's
    assert wire.error("GET", f"/v1/u/local/e/{org['slug']}")[0] == 404
    assert wire.error("GET", f"/v1/u/nobody/e/{slug}")[0] == 404
    # a bare "@" names no owner, so the next segment stays the operation: 404 for the reference, not 405
    assert wire.error("POST", "/v1/experiments/@/lessons", {"title": "t", "origin": "manual", "body_md": "b"})[0] == 404
    # deeper operations, mutations included
    assert wire.ok("GET", f"/v1/u/local/e/{slug}/variations/0")["config_yaml"] == CONFIG
    assert wire.ok("PUT", f"/v1/u/local/e/{slug}/commit")["experiment"]["state"] == "committed"
    wire.ok("PUT", f"/v1/u/local/e/{slug}/variations/0/commit", {"commit_without_hypothesis": True})
    assert wire.ok("POST", f"/v1/u/local/e/{slug}/variations/0/runs/0/start")["experiment_id"] == eid
    assert wire.ok("POST", "/v1/heartbeat", {"experiment_id": f"@local/{slug}", "variation": 0, "run": 0})["run"] == 0
    assert wire.ok("GET", f"/v1/experiments/{slug}/variations/0/runs/0/status")["state"] == "running"
    assert wire.ok("GET", f"/v1/u/local/e/{slug}/lineage")["experiment_id"] == eid
    child = wire.experiment(parent_experiment_ids=[f"@local/{slug}"])["experiment"]
    assert child["parent_experiment_ids"] == [eid]


# -- assets ---------------------------------------------------------------------------------------------------


def test_presign_create_lists_urls_and_answers_via_gcs(wire: Wire) -> None:
    exp = wire.experiment()["experiment_id"]
    wire.start(exp)
    created = wire.presigned(exp, ["a.bin", "sub/b.bin"], upload_targets=["gcs"])
    assert created["upload"] == {"via": "gcs", "max_part_bytes": None}  # the r2 route only for a client that asks
    assert [u["component"] for u in created["upload_urls"]] == ["a.bin", "sub/b.bin"]
    asset = created["asset"]
    assert asset["uri"] == f"chronicle://assets/{asset['id']}" and asset["state"] == "pending"
    assert asset["expires_at"] is not None and created["urls_expire_at"]
    for url in created["upload_urls"]:
        assert httpx.put(url["url"], content=url["component"].encode()).status_code == 200
    ready = wire.ok("PUT", f"/v1/assets/{asset['id']}/finalize")  # no body: every component is stored
    assert ready["state"] == "ready"
    read = wire.ok("POST", f"/v1/assets/{asset['id']}/presign", {"operation": "read"})
    assert set(read["presigned_urls"]) == {"a.bin", "sub/b.bin"} and "upload" not in read
    got = wire.ok("GET", f"/v1/assets/{asset['id']}", params={"include_presigned": "true"})
    assert httpx.get(got["presigned_urls"]["sub/b.bin"]["url"]).content == b"sub/b.bin"
    assert "presigned_urls" not in wire.ok("GET", f"/v1/assets/{asset['id']}")
    inline = wire.ok("POST", "/v1/assets", {"asset_type": "note", "name": "note", "content": {"a": 1}}, status=201)
    assert set(inline) == {"asset"} and inline["asset"]["state"] == "ready"


def test_the_single_file_shape(wire: Wire) -> None:
    exp = wire.experiment()["experiment_id"]
    wire.start(exp)
    created = wire.presigned(exp, None, name="model.safetensors", upload_targets=["gcs"])
    assert [u["component"] for u in created["upload_urls"]] == [None]
    assert [c["name"] for c in created["asset"]["components"]] == ["model.safetensors"]
    data = b"tensor bytes"
    assert httpx.put(created["upload_urls"][0]["url"], content=data).status_code == 200
    files = [{"path": "model.safetensors", "sha256": _sha(data)}]
    ready = wire.ok("PUT", f"/v1/assets/{created['asset']['id']}/finalize", {"files": files})
    assert ready["state"] == "ready" and ready["sha256"] == _sha(data)
    urls = wire.ok("GET", f"/v1/assets/{created['asset']['id']}", params={"include_presigned": "true"})
    assert httpx.get(urls["presigned_urls"]["model.safetensors"]["url"]).content == data
    body = {"asset_type": "checkpoint", "presign": True}
    status, error = wire.error("POST", "/v1/assets", body)
    assert status == 400 and "name" in error["message"]


def test_finalize_checks_each_given_sha256(wire: Wire) -> None:
    exp = wire.experiment()["experiment_id"]
    wire.start(exp)
    created = wire.presigned(exp, ["w.bin", "cfg.json"])
    asset_id = created["asset"]["id"]
    for url, data in zip(created["upload_urls"], (b"weights", b"{}"), strict=True):
        assert httpx.put(url["url"], content=data).status_code == 200
    files = [{"path": "cfg.json", "sha256": _sha(b"{}")}, {"path": "w.bin", "sha256": _sha(b"not the weights")}]
    status, error = wire.error("PUT", f"/v1/assets/{asset_id}/finalize", {"files": files})
    assert (status, error["code"]) == (409, "component_mismatch")
    assert [m["name"] for m in error["details"]["mismatched"]] == ["w.bin"]
    assert wire.ok("GET", f"/v1/assets/{asset_id}")["state"] == "pending"  # stays pending
    unknown = [{"path": "nope.bin", "sha256": _sha(b"")}]
    assert wire.error("PUT", f"/v1/assets/{asset_id}/finalize", {"files": unknown})[0] == 400
    bad = [{"path": "w.bin", "sha256": "ABC"}]
    assert wire.error("PUT", f"/v1/assets/{asset_id}/finalize", {"files": bad})[0] == 400
    files[1]["sha256"] = _sha(b"weights")
    assert wire.ok("PUT", f"/v1/assets/{asset_id}/finalize", {"files": files})["state"] == "ready"


def test_an_expired_checkpoint_is_410_except_its_record(server: LocalChronicle, wire: Wire) -> None:
    exp = wire.experiment()["experiment_id"]
    wire.start(exp)
    created = wire.presigned(exp, ["m.bin"], ttl_days=3)
    asset_id = created["asset"]["id"]
    stamp = created["asset"]["created_at"][:10]
    assert created["asset"]["expires_at"][:10] != stamp
    assert httpx.put(created["upload_urls"][0]["url"], content=b"bytes").status_code == 200
    wire.ok("PUT", f"/v1/assets/{asset_id}/finalize", {"files": [{"path": "m.bin", "sha256": _sha(b"bytes")}]})
    url = wire.ok("GET", f"/v1/assets/{asset_id}", params={"include_presigned": "true"})["presigned_urls"]["m.bin"]
    server.expire_asset(asset_id)  # the test hook: as if expires_at had passed
    record = wire.ok("GET", f"/v1/assets/{asset_id}")
    assert record["state"] == "expired" and record["expired_at"] and record["sha256"] == _sha(b"bytes")
    for method, path, body in (
        ("GET", f"/v1/assets/{asset_id}?include_presigned=true", None),
        ("POST", f"/v1/assets/{asset_id}/presign", {"operation": "read"}),
        ("PUT", f"/v1/assets/{asset_id}/finalize", None),
    ):
        status, error = wire.error(method, path, body)
        assert (status, error["code"]) == (410, "asset_expired"), path
    assert httpx.get(url["url"]).status_code == 404  # the bytes are gone
    assert wire.ok("GET", f"/v1/experiments/{exp}/variations/0/runs/0/outputs")[0]["state"] == "expired"
    # a pending upload expires too; its upload URLs then are 410 as well
    pending = wire.presigned(exp, ["n.bin"])["asset"]["id"]
    server.expire_asset(pending)
    assert wire.error("POST", f"/v1/assets/{pending}/presign", {"operation": "upload"})[0] == 410


def test_ttl_days_is_for_checkpoints(wire: Wire) -> None:
    exp = wire.experiment()["experiment_id"]
    wire.start(exp)
    default = wire.presigned(exp, ["m.bin"])["asset"]
    days = (time.mktime(time.strptime(default["expires_at"][:10], "%Y-%m-%d")) - time.time()) / 86400
    assert 178 < days < 181  # 180 days by default
    body = {"asset_type": "dataset", "presign": True, "components": ["d.csv"], "ttl_days": 5}
    assert wire.error("POST", "/v1/assets", body)[0] == 400
    assert wire.error("POST", "/v1/assets", {**body, "asset_type": "checkpoint", "ttl_days": 181})[0] == 400
    note = wire.ok("POST", "/v1/assets", {"asset_type": "note", "content": "x"}, status=201)["asset"]
    assert note["expires_at"] is None


def test_asset_lists_are_bare_and_page_with_headers(wire: Wire) -> None:
    exp = wire.committed()
    made = [wire.ready_asset(exp, f"{i}".encode()) for i in range(3)]
    first = wire.http.get("/v1/assets", params={"limit": 2, "experiment_id": exp})
    assert first.status_code == 200 and first.headers["X-Has-More"] == "true"
    second = wire.http.get(
        "/v1/assets", params={"limit": 2, "experiment_id": exp, "cursor": first.headers["X-Next-Cursor"]}
    )
    assert second.headers["X-Has-More"] == "false" and "X-Next-Cursor" not in second.headers
    assert [a["id"] for a in first.json() + second.json()] == made[::-1]
    for path in (f"/v1/experiments/{exp}/outputs", f"/v1/experiments/{exp}/variations/0/outputs"):
        assert [a["id"] for a in wire.ok("GET", path)] == made[::-1]


def test_client_config_needs_no_key(server: LocalChronicle) -> None:
    response = httpx.get(server.url + "/v1/public/client-config")
    named = {"scribe_url": server.gateway_url}  # the r2 route is the default: the gateway is named
    assert response.status_code == 200 and response.json() == named
    assert httpx.get(server.url + "/public/client-config").json() == named


def test_scopes_name_their_organization(wire: Wire) -> None:
    scopes = {s["id"]: s for s in wire.ok("GET", "/v1/me/scopes")["scopes"]}
    assert scopes["team_local"]["organization_id"] == "org_local"
    assert scopes["user_local"]["organization_id"] is None and scopes["org_local"]["organization_id"] is None


# -- search ---------------------------------------------------------------------------------------------------


def test_search_filters_scopes_boosts_and_pages(wire: Wire) -> None:
    parent = wire.committed(hypothesis_summary="warmup removes the spike")
    child = wire.experiment(hypothesis_summary="longer warmup again", parent_experiment_ids=[parent])
    stranger = wire.experiment(hypothesis_summary="warmup elsewhere")["experiment_id"]
    body = {"query": "warmup", "page_size": 2}
    page = wire.ok("POST", "/v1/search", body)
    assert page["total_size"] == 3 and len(page["results"]) == 2 and page["next_page_token"]
    rest = wire.ok("POST", "/v1/search", {**body, "page_token": page["next_page_token"]})
    assert rest["next_page_token"] is None and len(rest["results"]) == 1
    first = page["results"][0]
    assert {"document_id", "source_type", "relevance_score", "lineage_boost", "experiment_ids", "created_at"} <= set(
        first
    )
    boosted = wire.ok("POST", "/v1/search", {"query": "warmup", "experiment_context": [child["experiment_id"]]})
    flags = {r["document_id"]: r["lineage_boost"] for r in boosted["results"]}
    assert flags == {parent: True, child["experiment_id"]: True, stranger: False}
    scoped = wire.ok("POST", "/v1/search", {"query": "warmup", "scope": {"experiments": [stranger]}})
    assert [r["document_id"] for r in scoped["results"]] == [stranger]
    status, error = wire.error("POST", "/v1/search", {"query": "warmup", "scope": {"collections": ["c1"]}})
    assert status == 404 and error["code"] == "not_found"
    nobody = wire.ok("POST", "/v1/search", {"query": "warmup", "filters": {"created_by": "nobody"}})
    assert nobody["results"] == []
    future = wire.ok("POST", "/v1/search", {"query": "warmup", "filters": {"created_after": "2999-01-01T00:00:00Z"}})
    assert future["total_size"] == 0
    kinds = wire.ok("POST", "/v1/search", {"query": "warmup", "filters": {"source_type": "asset"}})
    assert kinds["results"] == []
    assert wire.error("POST", "/v1/search", {"query": "warmup", "created_by": "x", "page_token": "zz"})[0] == 400


@pytest.mark.parametrize("legacy", ["/heartbeat", "/v1/heartbeat"])
def test_heartbeat_on_the_legacy_path_too(wire: Wire, legacy: str) -> None:
    exp = wire.experiment()["experiment_id"]
    wire.start(exp)
    response = wire.http.post(legacy, json={"experiment_id": exp, "variation": 0, "run": 0})
    assert response.status_code == 200 and response.json()["state"] == "running"
    assert (response.headers.get("Deprecation") == "true") == (legacy == "/heartbeat")


def test_promoting_a_parent_link_needs_a_committed_parent_and_is_idempotent() -> None:
    with LocalChronicle(validate_contract=True) as server:
        wire = Wire(server)
        parent = wire.experiment()["experiment_id"]
        child = wire.experiment(parent_experiment_ids=[parent])["experiment_id"]
        stranger = wire.experiment()["experiment_id"]
        code, error = wire.error("POST", f"/v1/experiments/{child}/lineage/{parent}/promote")
        assert (code, error["code"]) == (409, "parent_not_committed")
        wire.ok("PUT", f"/v1/experiments/{parent}/commit", {})
        for _ in range(2):
            promoted = wire.ok("POST", f"/v1/experiments/{child}/lineage/{parent}/promote")
            assert promoted == {"experiment_id": child, "parent_id": parent, "promoted": True}
        assert parent in wire.ok("GET", f"/v1/experiments/{child}")["parent_ids"]
        assert wire.error("POST", f"/v1/experiments/{child}/lineage/{stranger}/promote")[0] == 404
        assert server.contract_violations == []
