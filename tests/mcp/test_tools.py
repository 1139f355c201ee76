"""Each tool against the REST operation it stands for: the same answer for reads, the same effect for writes.

Reads are compared directly. A write is done twice on twin objects, once by the tool and once over REST,
and the two answers compared with ids and timestamps masked: the tool is the operation, nothing added.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from methodic_server import LocalChronicle
from methodic_server.mcp.tools import tools
from tests.mcp.jsonrpc import McpClient
from tests.server.wire import Wire

World = dict[str, Any]


@pytest.fixture(scope="module")
def world(rest: Wire) -> World:
    """A committed experiment (variation 0, run 0) with an output, a lesson, a tag and a collection."""
    exp = rest.committed()
    asset = rest.ok(
        "POST",
        "/v1/assets",
        {"asset_type": "notes", "content": "hello", "output_of": {"experiment_id": exp, "variation": 0, "run": 0}},
    )["asset"]
    rest.ok("POST", f"/v1/experiments/{exp}/lessons", {"title": "Seeds", "origin": "manual", "body_md": "fix it"})
    rest.ok("POST", f"/v1/experiments/{exp}/tags", {"tag": "baseline"})
    rest.ok("POST", "/v1/collections", {"name": "sweeps"})
    return {"exp": exp, "asset": asset["id"]}


READS: list[tuple[str, Callable[[World], dict[str, Any]], str, Callable[[World], str], dict[str, Any] | None]] = [
    ("get_experiment", lambda w: {"experiment_id": w["exp"]}, "GET", lambda w: f"/v1/experiments/{w['exp']}", None),
    ("list_experiments", lambda w: {}, "GET", lambda w: "/v1/experiments", None),
    (
        "get_lineage",
        lambda w: {"experiment_id": w["exp"]},
        "GET",
        lambda w: f"/v1/experiments/{w['exp']}/lineage",
        None,
    ),
    (
        "list_tentative_links",
        lambda w: {"experiment_id": w["exp"]},
        "GET",
        lambda w: f"/v1/experiments/{w['exp']}/tentative-links",
        None,
    ),
    (
        "get_variation",
        lambda w: {"experiment_id": w["exp"], "variation": 0},
        "GET",
        lambda w: f"/v1/experiments/{w['exp']}/variations/0",
        None,
    ),
    (
        "list_variation_inputs",
        lambda w: {"experiment_id": w["exp"], "variation": 0},
        "GET",
        lambda w: f"/v1/experiments/{w['exp']}/variations/0/inputs",
        None,
    ),
    (
        "get_run_status",
        lambda w: {"experiment_id": w["exp"], "variation": 0, "run": 0},
        "GET",
        lambda w: f"/v1/experiments/{w['exp']}/variations/0/runs/0/status",
        None,
    ),
    (
        "list_outputs",
        lambda w: {"experiment_id": w["exp"], "variation": 0},
        "GET",
        lambda w: f"/v1/experiments/{w['exp']}/variations/0/outputs",
        None,
    ),
    ("get_asset", lambda w: {"asset_id": w["asset"]}, "GET", lambda w: f"/v1/assets/{w['asset']}", None),
    (
        "list_asset_access",
        lambda w: {"asset_id": w["asset"]},
        "GET",
        lambda w: f"/v1/auth/object-aces?type=asset&id={w['asset']}",
        None,
    ),
    ("search", lambda w: {"query": "hello"}, "POST", lambda w: "/v1/search", {"query": "hello"}),
    ("list_scopes", lambda w: {}, "GET", lambda w: "/v1/me/scopes", None),
    (
        "list_lessons",
        lambda w: {"experiment_id": w["exp"]},
        "GET",
        lambda w: f"/v1/experiments/{w['exp']}/lessons",
        None,
    ),
    ("list_lessons", lambda w: {}, "GET", lambda w: "/v1/lessons", None),
    ("search_publications", lambda w: {"q": "x"}, "GET", lambda w: "/v1/publications?q=x", None),
    ("list_tags", lambda w: {}, "GET", lambda w: "/v1/tags", None),
    ("list_collections", lambda w: {}, "GET", lambda w: "/v1/collections", None),
    ("list_api_keys", lambda w: {}, "GET", lambda w: "/v1/api-keys", None),
    (
        "training_support",
        lambda w: {"experiment_id": w["exp"]},
        "POST",
        lambda w: f"/v1/experiments/{w['exp']}/training-support",
        {},
    ),
    ("feed", lambda w: {}, "GET", lambda w: "/v1/feed", None),
    ("list_datasets", lambda w: {}, "GET", lambda w: "/v1/assets?asset_type=dataset", None),
    ("list_failure_modes", lambda w: {}, "GET", lambda w: "/v1/failure-modes", None),
    ("list_agent_errors", lambda w: {}, "GET", lambda w: "/v1/reasoning-errors", None),
    ("list_review_queue", lambda w: {}, "GET", lambda w: "/v1/assist/review-queue", None),
]


@pytest.mark.parametrize(
    ("tool", "args", "method", "path", "body"), READS, ids=[f"{r[0]}-{i}" for i, r in enumerate(READS)]
)
def test_a_read_tool_answers_what_its_rest_operation_answers(
    mcp: McpClient,
    rest: Wire,
    world: World,
    tool: str,
    args: Callable[[World], dict[str, Any]],
    method: str,
    path: Callable[[World], str],
    body: dict[str, Any] | None,
) -> None:
    assert mcp.ok(tool, **args(world)) == rest.ok(method, path(world), body)


def test_load_asset_gives_the_rest_read_with_presigned_urls(mcp: McpClient, rest: Wire, world: World) -> None:
    loaded = mcp.ok("load_asset", asset_id=world["asset"])
    plain = rest.ok("GET", f"/v1/assets/{world['asset']}", params={"include_presigned": "true"})
    assert set(loaded) == set(plain)
    assert {k: v for k, v in loaded.items() if k != "presigned_urls"} == {
        k: v for k, v in plain.items() if k != "presigned_urls"
    }


def _mask(value: Any, ids: set[str]) -> Any:
    """``value`` with ids and timestamps masked, so twin objects' answers compare equal."""
    if isinstance(value, dict):
        return {key: "<masked>" if _own(key) and item is not None else _mask(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [_mask(item, ids) for item in value]
    if isinstance(value, str) and (value in ids or any(i in value for i in ids if len(i) > 8)):
        return "<id>"
    if isinstance(value, str):
        return _UUID.sub("<uuid>", value)  # a new object's id inside a uri or a message
    return value


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _own(key: str) -> bool:
    """A field that differs between twins by nature: an id, a timestamp, a per-user sequence number or slug."""
    return key in ("id", "slug", "number") or key.endswith(("_id", "_at"))


def _open(rest: Wire) -> dict[str, Any]:
    return {"exp": str(rest.experiment()["experiment_id"])}


def _committed(rest: Wire) -> dict[str, Any]:
    return {"exp": rest.committed()}


def _review_gated(rest: Wire) -> dict[str, Any]:
    exp = rest.committed()
    body = {
        "asset_type": "report",
        "content": "r",
        "pending_reasons": ["review_required"],
        "output_of": {"experiment_id": exp},
    }
    return {"exp": exp, "asset": rest.ok("POST", "/v1/assets", body)["asset"]["id"]}


def _ready_asset(rest: Wire) -> dict[str, Any]:
    exp = rest.committed()
    body = {"asset_type": "notes", "content": "n", "output_of": {"experiment_id": exp}}
    return {"exp": exp, "asset": rest.ok("POST", "/v1/assets", body)["asset"]["id"]}


def _open_variation(rest: Wire) -> dict[str, Any]:
    exp = rest.committed()
    rest.ok("POST", f"/v1/experiments/{exp}/variations", {"config_yaml": "v: 1\n", "hypothesis": "h"})
    return {"exp": exp}


def _loose_asset(rest: Wire) -> dict[str, Any]:
    return {"asset": rest.ok("POST", "/v1/assets", {"asset_type": "notes", "content": "n"})["asset"]["id"]}


def _with_lesson(rest: Wire) -> dict[str, Any]:
    exp = rest.committed()
    lesson = rest.ok("POST", f"/v1/experiments/{exp}/lessons", {"title": "L", "origin": "manual", "body_md": "b"})
    return {"exp": exp, "lesson": lesson["id"]}


Setup = Callable[[Wire], dict[str, Any]]
WRITES: list[
    tuple[str, Setup, Callable[[dict[str, Any]], dict[str, Any]], str, Callable[[dict[str, Any]], str], Any]
] = [
    (
        "create_experiment",
        lambda r: {},
        lambda o: {"title": "T", "hypothesis_summary": "h", "config_yaml": "a: 1\n"},
        "POST",
        lambda o: "/v1/experiments",
        {"title": "T", "hypothesis_summary": "h", "config_yaml": "a: 1\n"},
    ),
    (
        "commit_experiment",
        _open,
        lambda o: {"experiment_id": o["exp"]},
        "PUT",
        lambda o: f"/v1/experiments/{o['exp']}/commit",
        {},
    ),
    (
        "retract_experiment",
        _committed,
        lambda o: {"experiment_id": o["exp"], "reason": "bug"},
        "PUT",
        lambda o: f"/v1/experiments/{o['exp']}/retract",
        {"reason": "bug"},
    ),
    (
        "delete_experiment",
        _open,
        lambda o: {"experiment_id": o["exp"]},
        "DELETE",
        lambda o: f"/v1/experiments/{o['exp']}",
        None,
    ),
    (
        "create_variation",
        _committed,
        lambda o: {"experiment_id": o["exp"], "config_yaml": "b: 2\n", "hypothesis": "h2"},
        "POST",
        lambda o: f"/v1/experiments/{o['exp']}/variations",
        {"config_yaml": "b: 2\n", "hypothesis": "h2"},
    ),
    (
        "update_variation",
        _open,
        lambda o: {"experiment_id": o["exp"], "variation": 0, "hypothesis": "sharper"},
        "PUT",
        lambda o: f"/v1/experiments/{o['exp']}/variations/0",
        {"hypothesis": "sharper"},
    ),
    (
        "set_variation_git_ref",
        _open,
        lambda o: {"experiment_id": o["exp"], "variation": 0, "git_ref": "feature/x"},
        "PUT",
        lambda o: f"/v1/experiments/{o['exp']}/variations/0/git-ref",
        {"git_ref": "feature/x"},
    ),
    (
        "approve_asset",
        _review_gated,
        lambda o: {"asset_id": o["asset"]},
        "PUT",
        lambda o: f"/v1/assets/{o['asset']}/approve",
        None,
    ),
    (
        "reject_asset",
        _review_gated,
        lambda o: {"asset_id": o["asset"], "reason": "wrong"},
        "PUT",
        lambda o: f"/v1/assets/{o['asset']}/reject",
        {"reason": "wrong"},
    ),
    (
        "bulk_approve_assets",
        _review_gated,
        lambda o: {"asset_ids": [o["asset"]]},
        "POST",
        lambda o: "/v1/assets/bulk-approve",
        {"asset_ids": "<asset>"},
    ),
    (
        "deprecate_asset",
        _ready_asset,
        lambda o: {"asset_id": o["asset"], "reason": "old"},
        "PUT",
        lambda o: f"/v1/assets/{o['asset']}/deprecate",
        {"reason": "old"},
    ),
    (
        "invalidate_asset",
        _ready_asset,
        lambda o: {"asset_id": o["asset"], "reason": "bad"},
        "PUT",
        lambda o: f"/v1/assets/{o['asset']}/invalidate",
        {"reason": "bad"},
    ),
    (
        "delete_asset",
        _ready_asset,
        lambda o: {"asset_id": o["asset"]},
        "DELETE",
        lambda o: f"/v1/assets/{o['asset']}",
        None,
    ),
    (
        "record_finding",
        _committed,
        lambda o: {"experiment_id": o["exp"], "status": "working", "summary": "s", "evidence_variation": 0},
        "POST",
        lambda o: f"/v1/experiments/{o['exp']}/findings",
        {"status": "working", "summary": "s", "evidence_variation": 0},
    ),
    (
        "record_lesson",
        _committed,
        lambda o: {"experiment_id": o["exp"], "title": "L", "origin": "manual", "body_md": "b"},
        "POST",
        lambda o: f"/v1/experiments/{o['exp']}/lessons",
        {"title": "L", "origin": "manual", "body_md": "b"},
    ),
    (
        "update_lesson",
        _with_lesson,
        lambda o: {"experiment_id": o["exp"], "lesson_id": o["lesson"], "title": "L2"},
        "PUT",
        lambda o: f"/v1/experiments/{o['exp']}/lessons/{o['lesson']}",
        {"title": "L2"},
    ),
    (
        "retire_lesson",
        _with_lesson,
        lambda o: {"experiment_id": o["exp"], "lesson_id": o["lesson"], "reason": "done"},
        "PUT",
        lambda o: f"/v1/experiments/{o['exp']}/lessons/{o['lesson']}/retire",
        {"reason": "done"},
    ),
    (
        "collection_associate",
        _committed,
        lambda o: {"experiment_id": o["exp"], "collection_ids": []},
        "POST",
        lambda o: f"/v1/experiments/{o['exp']}/collections",
        {"collection_ids": []},
    ),
    (
        "commit_variation",
        _open_variation,
        lambda o: {"experiment_id": o["exp"], "variation": 1},
        "PUT",
        lambda o: f"/v1/experiments/{o['exp']}/variations/1/commit",
        {},
    ),
    (
        "conclude_experiment",
        _committed,
        lambda o: {"experiment_id": o["exp"]},
        "POST",
        lambda o: f"/v1/experiments/{o['exp']}/conclude",
        {},
    ),
    (
        "move_experiment",
        _open,
        lambda o: {"experiment_id": o["exp"], "organization_id": "org_local"},
        "POST",
        lambda o: f"/v1/experiments/{o['exp']}/move",
        {"organization_id": "org_local"},
    ),
    (
        "set_asset_visibility",
        _ready_asset,
        lambda o: {"asset_id": o["asset"], "visibility": "public"},
        "PUT",
        lambda o: f"/v1/assets/{o['asset']}/visibility",
        {"visibility": "public"},
    ),
    (
        "move_asset",
        _loose_asset,
        lambda o: {"asset_id": o["asset"], "organization_id": "org_local"},
        "POST",
        lambda o: f"/v1/assets/{o['asset']}/move",
        {"organization_id": "org_local"},
    ),
    (
        "create_erratum",
        _committed,
        lambda o: {"target": {"experiment_id": o["exp"]}, "direction": "authored", "markdown": "fix"},
        "POST",
        lambda o: "/v1/errata",
        lambda o: {"target": {"experiment_id": o["exp"]}, "direction": "authored", "markdown": "fix"},
    ),
    (
        "create_collection",
        lambda r: {},
        lambda o: {"name": "c", "description": "d"},
        "POST",
        lambda o: "/v1/collections",
        {"name": "c", "description": "d"},
    ),
]


@pytest.mark.parametrize(("tool", "setup", "args", "method", "path", "body"), WRITES, ids=[w[0] for w in WRITES])
def test_a_write_tool_does_what_its_rest_operation_does(
    mcp: McpClient,
    rest: Wire,
    tool: str,
    setup: Setup,
    args: Callable[[dict[str, Any]], dict[str, Any]],
    method: str,
    path: Callable[[dict[str, Any]], str],
    body: Any,
) -> None:
    mine, twin = setup(rest), setup(rest)
    by_tool = mcp.ok(tool, **args(mine))
    if callable(body):
        body = body(twin)
    sent = {k: ([twin["asset"]] if v == "<asset>" else v) for k, v in body.items()} if isinstance(body, dict) else body
    by_rest = rest.ok(method, path(twin), sent)
    ids = {str(v) for v in (*mine.values(), *twin.values())}
    for answer in (by_tool, by_rest):  # the new objects' own ids too
        for key in ("id", "experiment_id"):
            found = answer.get(key) if isinstance(answer, dict) else None
            nested = answer.get("experiment") if isinstance(answer, dict) else None
            ids |= {str(x) for x in (found, (nested or {}).get("id")) if x}
    assert _mask(by_tool, ids) == _mask(by_rest, ids)


def test_propose_variation_is_create_commit_and_its_run(mcp: McpClient, rest: Wire) -> None:
    exp = rest.committed()
    proposed = mcp.ok(
        "propose_variation", experiment_id=exp, config_yaml="c: 3\n", hypothesis="h", expected_outcome="up"
    )
    index = proposed["variation"]["variation"]
    assert proposed["variation"] == rest.ok("GET", f"/v1/experiments/{exp}/variations/{index}")
    assert proposed["variation"]["state"] == "committed"
    assert proposed["run"] == rest.ok("GET", f"/v1/experiments/{exp}/variations/{index}/runs/0/status")


def test_link_asset_links_an_input_like_the_rest_link(mcp: McpClient, rest: Wire, world: World) -> None:
    exp = str(rest.experiment()["experiment_id"])
    linked = mcp.ok("link_asset", experiment_id=exp, asset_id=world["asset"], link="input")
    assert linked["asset_ids"] == [world["asset"]]
    assert [a["id"] for a in rest.ok("GET", f"/v1/experiments/{exp}/inputs")] == [world["asset"]]
    other = str(rest.experiment()["experiment_id"])  # a variation's inputs include its experiment's
    assert mcp.ok("link_asset", experiment_id=other, asset_id=world["asset"], variation=0)["variation"] == 0
    assert [a["id"] for a in rest.ok("GET", f"/v1/experiments/{other}/variations/0/inputs")] == [world["asset"]]
    mcp.ok("unlink_variation_input", experiment_id=other, variation=0, asset_id=world["asset"])
    assert rest.ok("GET", f"/v1/experiments/{other}/variations/0/inputs") == []
    refused = mcp.fails("link_asset", experiment_id=exp, asset_id=world["asset"], link="output")
    assert refused["status"] == 400


def test_promote_lineage_promotes_a_tentative_parent_as_rest_shows(mcp: McpClient, rest: Wire) -> None:
    parent = str(rest.experiment()["experiment_id"])  # open: the child's link to it is tentative
    child = str(rest.experiment(parent_experiment_ids=[parent])["experiment_id"])
    listed = mcp.ok("list_tentative_links", experiment_id=child)
    assert listed == rest.ok("GET", f"/v1/experiments/{child}/tentative-links") and parent in str(listed)
    early = mcp.fails("promote_lineage", experiment_id=child, parent_id=parent)
    assert early["status"] == 409  # the parent is still open
    rest.ok("PUT", f"/v1/experiments/{parent}/commit", {})
    promoted = mcp.ok("promote_lineage", experiment_id=child, parent_id=parent)
    assert promoted and parent in str(rest.ok("GET", f"/v1/experiments/{child}/lineage"))


def test_write_report_is_an_output_asset_the_rest_read_shows(mcp: McpClient, rest: Wire) -> None:
    exp = rest.committed()
    written = mcp.ok("write_report", experiment_id=exp, kind="research_report", title="R", summary="s", body="# R\n")
    asset = written["asset"]
    assert rest.ok("GET", f"/v1/assets/{asset['id']}") == asset
    assert asset["content"] == "# R\n" and asset["asset_type"] == "research_report"
    assert [a["id"] for a in rest.ok("GET", f"/v1/experiments/{exp}/outputs")] == [asset["id"]]


def test_research_prompt_tag_and_collection_tools_show_in_the_rest_reads(mcp: McpClient, rest: Wire) -> None:
    exp = rest.committed()
    made = mcp.ok("create_research_prompt", experiment_id=exp, prompt="why?", primary=True)
    attached = rest.ok("GET", f"/v1/experiments/{exp}/research-prompts")
    assert made["research_prompt"]["id"] in str(attached)
    tagged = mcp.ok("tag", experiment_id=exp, tag="sota")
    assert tagged and "sota" in str(rest.ok("GET", f"/v1/experiments/{exp}/tags"))
    collection = rest.ok("POST", "/v1/collections", {"name": "mine"})
    cid = collection["id"] if "id" in collection else collection["collection"]["id"]
    mcp.ok("collection_add", collection_id=cid, experiment_ids=[exp])
    assert exp in str(rest.ok("GET", f"/v1/collections/{cid}/members"))
    assert mcp.fails("tag", tag="x")["status"] == 400


def test_a_worker_key_reaches_through_mcp_exactly_what_it_reaches_over_rest(
    mcp_server: LocalChronicle, rest: Wire
) -> None:
    mine, other = rest.committed(), rest.committed()
    key = mcp_server.mint_worker_key(mine, 0, 0)
    worker, worker_rest = McpClient(mcp_server.url, key), Wire(mcp_server, key)
    try:
        assert worker.ok("get_experiment", experiment_id=mine) == worker_rest.ok("GET", f"/v1/experiments/{mine}")
        status, error = worker_rest.error("GET", f"/v1/experiments/{other}")
        refused = worker.fails("get_experiment", experiment_id=other)
        assert (refused["status"], refused["code"]) == (status, error["code"]) == (403, "forbidden")
        refused = worker.fails("create_experiment", title="t", hypothesis_summary="h")
        assert (
            refused["status"]
            == worker_rest.error("POST", "/v1/experiments", {"title": "t", "hypothesis_summary": "h"})[0]
        )
    finally:
        worker.close()
        worker_rest.close()


def test_contract_validation_applies_to_tool_arguments(mcp: McpClient) -> None:
    refused = mcp.fails("create_experiment", title="t")  # hypothesis_summary is required
    assert refused["status"] == 400 and "hypothesis_summary" in refused["error"]
    assert mcp.fails("get_experiment")["status"] == 400  # a path parameter is required
    assert mcp.fails("list_scopes", surprise=1)["status"] == 400  # an argument the operation does not take
    hosted_only = mcp.fails("create_experiment", title="t", hypothesis_summary="h", external_repo="github.com/a/b")
    assert hosted_only["status"] == 400 and "external_repo" in hosted_only["error"]  # refused, not dropped


UNAVAILABLE = sorted(name for name, tool in tools().items() if tool.description.startswith("Not available"))


@pytest.mark.parametrize("tool", UNAVAILABLE)
def test_a_tool_the_local_server_cannot_serve_says_why(mcp: McpClient, tool: str) -> None:
    refused = mcp.fails(tool)
    assert refused["status"] == 501 and "local Chronicle" in refused["error"]


def test_an_api_key_restriction_holds_through_mcp_as_over_rest(mcp_server: LocalChronicle, rest: Wire) -> None:
    exp, other = rest.committed(), rest.committed()
    pin = [{"object_type": "experiment", "object_id": exp}]
    restriction = {verb: pin for verb in ("create", "write", "discuss", "delete", "trigger", "stop")}
    made = rest.ok("POST", "/v1/api-keys", {"name": "agent", "restriction": {**restriction, "administer": []}})
    agent, agent_rest = McpClient(mcp_server.url, made["key"]), Wire(mcp_server, made["key"])
    try:
        status, error = agent_rest.error("PUT", f"/v1/experiments/{other}/retract", {"reason": "r"})
        refused = agent.fails("retract_experiment", experiment_id=other, reason="r")
        assert (refused["status"], refused["code"]) == (status, error["code"]) == (403, "forbidden")
        assert agent.ok("get_experiment", experiment_id=other)["experiment"]["id"] == other  # reading stays broad
        outside = agent.fails("upload_asset", experiment_id=other, filename="f", link="output", base64_content="eA==")
        assert outside["status"] == 403
        inside = agent.ok("upload_asset", experiment_id=exp, filename="f", link="output", base64_content="eA==")
        assert inside["state"] == "ready"
    finally:
        agent.close()
        agent_rest.close()


def test_access_tools_grant_share_list_and_revoke_as_rest_shows(mcp: McpClient, rest: Wire) -> None:
    asset = _ready_asset(rest)["asset"]
    acl = f"/v1/objects/asset/{asset}/acl"
    mcp.ok("grant_asset_access", asset_id=asset, principal_id="everyone")
    mcp.ok("share_asset_with_scope", asset_id=asset, scope_id="team_local", action="write")
    listed = mcp.ok("list_asset_access", asset_id=asset)
    assert listed == rest.ok("GET", "/v1/auth/object-aces", params={"type": "asset", "id": asset})
    granted = {(e["principal_id"], e["action"]) for e in listed["aces"]}
    assert {("everyone", "read"), ("team_local", "write")} <= granted
    assert mcp.ok("revoke_asset_access", asset_id=asset, principal_id="team_local", action="write") == {"removed": True}
    assert rest.ok("DELETE", acl, params={"principal": "everyone", "action": "read"}) == {"removed": True}
    assert mcp.ok("list_asset_access", asset_id=asset) == rest.ok(
        "GET", "/v1/auth/object-aces", params={"type": "asset", "id": asset}
    )


def test_register_publication_is_found_by_the_rest_search(mcp: McpClient, rest: Wire) -> None:
    bibtex = "@article{mcp2026, title={Agents and Chronicle}, author={Doe, Jane}, year={2026}}"
    registered = mcp.ok("register_publication", bibtex=bibtex)
    assert "Agents and Chronicle" in str(registered)
    assert "Agents and Chronicle" in str(rest.ok("GET", "/v1/publications", params={"q": "Agents"}))
    assert mcp.ok("search_publications", q="Agents") == rest.ok("GET", "/v1/publications", params={"q": "Agents"})


def test_dataset_feed_and_catalog_tools_do_the_real_work(mcp: McpClient, rest: Wire) -> None:
    """These ran on operations that came after the endpoint: each is the operation, not a refusal."""
    registered = mcp.ok("register_dataset", uri="s3://bucket/turbulence", name="turbulence", size_bytes=1024)
    dataset = registered["asset"]
    assert (dataset["asset_type"], dataset["state"]) == ("dataset", "ready")
    assert dataset["id"] in [a["id"] for a in rest.ok("GET", "/v1/assets?asset_type=dataset")]
    described = {"description": "channel flow at Re 180"}
    mcp.ok("update_dataset_metadata", asset_id=dataset["id"], metadata=described)
    assert (
        rest.ok("GET", f"/v1/assets/{dataset['id']}")["asset_config"]["metadata"]["description"]
        == described["description"]
    )
    newest = rest.ok("GET", "/v1/feed")
    assert newest, "the store records events (the experiment and dataset above)"
    seen = mcp.ok("feed_seen", section="passive", through_seq=newest[0]["seq"])
    assert seen == rest.ok("POST", "/v1/feed/seen", {"section": "passive", "through_seq": newest[0]["seq"]})
    refused = mcp.fails("suggest_operational_checks", prompt="the loss diverges after warmup")
    assert refused["status"] == 501  # the operation's own answer: it needs a language model
