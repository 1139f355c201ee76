"""The MCP tools, with the hosted service's names and argument names, each over this server's REST operations.

Most tools are one operation: their arguments are the operation's path and query parameters and body
fields (the contract's own names), and their result is the operation's JSON. A few compose operations as
the hosted tools do (``propose_variation`` is create + commit and its run; ``list_outputs`` picks the
experiment, variation or run listing). Every operation runs through :meth:`Api.invoke` with the caller's
key, so a tool can do exactly what the REST call it stands for can. Tools whose work needs something this
server does not have (tasks, W&B, GitHub, a review's decision) are listed and answer ``isError`` saying why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from methodic_server.errors import ApiError, bad_request
from methodic_server.mcp.spec import input_schema, shape
from methodic_server.routes.base import Caller

if TYPE_CHECKING:
    from methodic_server.api import Api


class Session:
    """One tool call's access to the operations: the API and the caller whose key the call came with."""

    def __init__(self, api: Api, caller: Caller) -> None:
        self.api = api
        self.caller = caller

    def op(
        self,
        op_id: str,
        params: dict[str, Any] | None = None,
        query: dict[str, Any] | None = None,
        body: dict[str, Any] | None = None,
        *,
        check_only: bool = False,
    ) -> Any:
        """The JSON answer of one operation, run as its REST call would be; an ``ApiError`` when it fails."""
        texts = {name: _text(value) for name, value in (query or {}).items() if value is not None}
        answer = self.api.invoke(op_id, self.caller, params, texts, body, check_only=check_only)
        status, payload = answer[0], answer[1]
        if status >= 400:  # a handler that answers an error rather than raising one
            detail = payload if isinstance(payload, dict) else {}
            raise ApiError(status, str(detail.get("code", "error")), str(detail.get("message", payload)))
        return payload

    def rest(self, op_id: str, args: dict[str, Any], **fixed_query: Any) -> Any:
        """Run ``op_id`` with a tool's arguments split the way the contract declares them."""
        found = shape(op_id)
        present = {name: value for name, value in args.items() if value is not None}
        params = {name: present.pop(name) for name in list(present) if name in found.path_params}
        query = {name: present.pop(name) for name in list(present) if name in found.query_params}
        query.update(fixed_query)
        # An argument the operation does not declare is refused, not dropped: a hosted-only argument (say
        # external_repo, which needs a GitHub App) would otherwise look done when nothing was.
        declared = set((found.body or {}).get("properties", {}))
        unknown = sorted(name for name in present if name not in declared)
        if unknown:
            raise bad_request(
                f"argument(s) {unknown} are not taken here; this tool takes {sorted(input_schema(op_id)['properties'])}"
            )
        return self.op(op_id, params, query, present if found.body is not None else None)


def _text(value: Any) -> str:
    """A query parameter's text (booleans as the contract spells them)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


Run = Callable[[Session, dict[str, Any]], Any]


@dataclass(frozen=True)
class Tool:
    """One MCP tool: its name, what it is for, its arguments' schema and what it does."""

    name: str
    description: str
    input_schema: dict[str, Any]
    run: Run
    op_ids: tuple[str, ...] = field(default=())

    def listing(self) -> dict[str, Any]:
        """The tool as ``tools/list`` gives it."""
        return {"name": self.name, "description": self.description, "inputSchema": self.input_schema}


def rest_tool(name: str, op_id: str, description: str = "", **fixed_query: Any) -> Tool:
    """A tool that is one operation, with the operation's argument names."""
    schema = input_schema(op_id)
    for fixed in fixed_query:
        schema["properties"].pop(fixed, None)

    def run(session: Session, args: dict[str, Any]) -> Any:
        return session.rest(op_id, args, **fixed_query)

    return Tool(name, description or shape(op_id).summary, schema, run, (op_id,))


def unavailable(name: str, reason: str) -> Tool:
    """A tool of the hosted service whose work this server cannot do: it answers ``isError`` with the reason."""

    def run(session: Session, args: dict[str, Any]) -> Any:
        raise ApiError(501, "not_implemented", f"{name} is not available on the local Chronicle: {reason}")

    return Tool(
        name,
        f"Not available on the local Chronicle ({reason}); calling it answers isError with that reason.",
        {"type": "object", "properties": {}, "additionalProperties": True},
        run,
    )


def _schema(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": required}


_STR: dict[str, Any] = {"type": "string"}
_INT: dict[str, Any] = {"type": "integer", "minimum": 0}


def _list_outputs(session: Session, args: dict[str, Any]) -> Any:
    exp, variation, run = args.get("experiment_id"), args.get("variation"), args.get("run")
    if run is not None and variation is None:
        raise bad_request("run needs variation: a run is numbered within its variation")
    if run is not None:
        return session.op("list_run_outputs", {"experiment_id": exp, "variation": variation, "run": run})
    if variation is not None:
        return session.op("list_variation_outputs", {"experiment_id": exp, "variation": variation})
    return session.op("list_experiment_outputs", {"experiment_id": exp})


def _link_asset(session: Session, args: dict[str, Any]) -> Any:
    link = args.get("link") or "input"
    if link != "input":
        raise ApiError(
            400,
            "bad_request",
            f"link {link!r}: the local Chronicle links an existing asset only as an input; an output is "
            "named when the asset is created (upload_asset with link: output)",
        )
    body: dict[str, Any] = {"asset_ids": [args.get("asset_id")]}
    if args.get("propagate_acl") is not None:
        body["propagate_acl"] = args["propagate_acl"]
    if args.get("variation") is not None:
        params = {"experiment_id": args.get("experiment_id"), "variation": args["variation"]}
        return session.op("link_variation_inputs", params, body=body)
    return session.op("link_experiment_inputs", {"experiment_id": args.get("experiment_id")}, body=body)


def _propose_variation(session: Session, args: dict[str, Any]) -> Any:
    exp = args.get("experiment_id")
    body = {k: v for k, v in args.items() if k != "experiment_id" and v is not None}
    created = session.op("create_variation", {"experiment_id": exp}, body=body)
    index = created["variation"]
    variation = session.op("commit_variation", {"experiment_id": exp, "variation": index}, body={})
    run = session.op("get_run_status", {"experiment_id": exp, "variation": index, "run": 0})
    return {"experiment_id": variation.get("experiment_id", exp), "variation": variation, "run": run}


def _create_research_prompt(session: Session, args: dict[str, Any]) -> Any:
    prompt = session.op("create_research_prompt", body={"prompt": args.get("prompt")})
    if args.get("experiment_id") is None:
        return prompt
    body = {"research_prompt_id": prompt["id"], "is_primary": bool(args.get("primary", False))}
    attached = session.op("attach_research_prompt", {"experiment_id": args["experiment_id"]}, body=body)
    return {"research_prompt": prompt, "attached": attached}


def _list_lessons(session: Session, args: dict[str, Any]) -> Any:
    if args.get("experiment_id") is not None:
        return session.rest("list_experiment_lessons", args)
    return session.rest("list_lessons", args)


def _tag(session: Session, args: dict[str, Any]) -> Any:
    body = {k: args[k] for k in ("tag", "tag_id") if args.get(k) is not None}
    if (args.get("asset_id") is None) == (args.get("experiment_id") is None):
        raise bad_request("tag needs exactly one of asset_id and experiment_id")
    if args.get("asset_id") is not None:
        return session.op("tag_asset", {"asset_id": args["asset_id"]}, body=body)
    return session.op("tag_experiment", {"experiment_id": args["experiment_id"]}, body=body)


def _write_report(session: Session, args: dict[str, Any]) -> Any:
    kind = args.get("kind") or "research_report"
    summary = args.get("summary")
    body: dict[str, Any] = {
        "asset_type": kind,
        "name": args.get("title") or kind.replace("_", " "),
        "content_type": "text/markdown",
        "content": args.get("body") or "",
        "output_of": {"experiment_id": args.get("experiment_id")},
    }
    if summary is not None:
        body["asset_config"] = {"summary": summary}
    return session.op("create_asset", body=body)


def _load_asset(session: Session, args: dict[str, Any]) -> Any:
    return session.op("get_asset", {"asset_id": args.get("asset_id")}, {"include_presigned": True})


def _revoke_asset_access(session: Session, args: dict[str, Any]) -> Any:
    """The hosted tool names the principal ``principal_id``; the REST operation's query calls it ``principal``."""
    renamed = dict(args)
    if "principal_id" in renamed:
        renamed["principal"] = renamed.pop("principal_id")
    renamed.setdefault("action", "read")
    return session.rest("revoke_asset_access", renamed)


def _share_asset_with_scope(session: Session, args: dict[str, Any]) -> Any:
    """A grant to a whole team or organization the caller belongs to, as the SDK's share_with_scope is."""
    body = {"principal_id": args.get("scope_id"), "action": args.get("action") or "read"}
    return session.op("grant_asset_access", {"asset_id": args.get("asset_id")}, body=body)


def _list_asset_access(session: Session, args: dict[str, Any]) -> Any:
    return session.op("list_object_access", query={"type": "asset", "id": args.get("asset_id")})


_NO_ACTIVITY_POST = (
    "posting to the activity stream has no route the published client knows; the local server records "
    "its events itself (read them with the feed tool)"
)
_NO_REVIEW = (
    "finalizing a review is a human's act in the hosted admin bridge; on the local server tests and demos "
    "decide it in Python (LocalChronicle.review)"
)
_NO_TASKS = "the local server runs no agent tasks"
_NO_GITHUB = "the local server has no GitHub App"
_NO_WANDB = "the local server has no W&B integration"


def _register_dataset(session: Session, args: dict[str, Any]) -> Any:
    """A dataset registered by reference: the create call ``datasets.register_by_reference`` makes."""
    body: dict[str, Any] = {
        "asset_type": "dataset",
        "name": args.get("name"),
        "uri": args.get("uri"),
        "register_by_reference": True,
        "content_type": args.get("content_type") or "application/octet-stream",
    }
    if args.get("size_bytes") is not None:
        body["size_bytes"] = args["size_bytes"]
    if args.get("metadata") is not None:
        body["asset_config"] = {"metadata": args["metadata"]}
    if args.get("organization_id") is not None:
        body["organization_id"] = args["organization_id"]
    if args.get("public"):
        body["visibility"] = "public"
    return session.op("create_asset", body=body)


def _tools() -> list[Tool]:
    from methodic_server.mcp.uploads import upload_tool

    exp = {"experiment_id": _STR}
    tools = [
        rest_tool("create_experiment", "create_experiment", "Create a draft experiment (commit it to freeze it)."),
        rest_tool("get_experiment", "get_experiment"),
        rest_tool("list_experiments", "list_experiments"),
        rest_tool("commit_experiment", "commit_experiment"),
        rest_tool("conclude_experiment", "conclude_experiment"),
        rest_tool("retract_experiment", "retract_experiment"),
        rest_tool("delete_experiment", "delete_experiment"),
        rest_tool("move_experiment", "move_experiment"),
        rest_tool("get_lineage", "get_experiment_lineage"),
        rest_tool("list_tentative_links", "list_tentative_links"),
        rest_tool("promote_lineage", "promote_lineage"),
        rest_tool("create_variation", "create_variation"),
        rest_tool("get_variation", "get_variation"),
        rest_tool("update_variation", "update_variation"),
        rest_tool("commit_variation", "commit_variation"),
        rest_tool("set_variation_git_ref", "set_variation_git_ref"),
        rest_tool("list_variation_inputs", "list_variation_inputs"),
        rest_tool("unlink_variation_input", "unlink_variation_input"),
        Tool(
            "propose_variation",
            "Create a variation, commit it and return it with its first run (run 0), in one call.",
            input_schema("create_variation"),
            _propose_variation,
            ("create_variation", "commit_variation", "get_run_status"),
        ),
        rest_tool("get_run_status", "get_run_status"),
        Tool(
            "list_outputs",
            "The outputs of an experiment, of one of its variations, or of one run (give variation and run).",
            _schema({**exp, "variation": _INT, "run": _INT}, ["experiment_id"]),
            _list_outputs,
            ("list_experiment_outputs", "list_variation_outputs", "list_run_outputs"),
        ),
        Tool(
            "link_asset",
            "Link an existing asset as an input of an experiment, or of one variation (give variation).",
            _schema(
                {
                    **exp,
                    "asset_id": _STR,
                    "link": {"type": "string", "enum": ["input", "output"], "default": "input"},
                    "variation": _INT,
                    "propagate_acl": {"type": "boolean"},
                },
                ["experiment_id", "asset_id"],
            ),
            _link_asset,
            ("link_experiment_inputs", "link_variation_inputs"),
        ),
        upload_tool("upload_asset"),
        upload_tool("upload_image"),
        Tool(
            "load_asset",
            "An asset's metadata with presigned read URLs for its components (no key needed to fetch them).",
            _schema({"asset_id": _STR}, ["asset_id"]),
            _load_asset,
            ("get_asset",),
        ),
        Tool(
            "review_import",
            "An imported asset to review: its metadata and presigned read URLs.",
            _schema({"asset_id": _STR}, ["asset_id"]),
            _load_asset,
            ("get_asset",),
        ),
        rest_tool("get_asset", "get_asset"),
        rest_tool("delete_asset", "delete_asset"),
        rest_tool("approve_asset", "approve_asset"),
        rest_tool("reject_asset", "reject_asset"),
        rest_tool("bulk_approve_assets", "bulk_approve_assets"),
        rest_tool("deprecate_asset", "deprecate_asset"),
        rest_tool("invalidate_asset", "invalidate_asset"),
        rest_tool("grant_asset_access", "grant_asset_access"),
        Tool(
            "revoke_asset_access",
            "Withdraw a principal's grant on an asset (action: read by default).",
            _schema({"asset_id": _STR, "principal_id": _STR, "action": _STR}, ["asset_id", "principal_id"]),
            _revoke_asset_access,
            ("revoke_asset_access",),
        ),
        Tool(
            "share_asset_with_scope",
            "Share an asset with a team or organization you belong to (list_scopes): a grant to that scope.",
            _schema({"asset_id": _STR, "scope_id": _STR, "action": _STR}, ["asset_id", "scope_id"]),
            _share_asset_with_scope,
            ("grant_asset_access",),
        ),
        Tool(
            "list_asset_access",
            "Who may reach an asset: its access entries.",
            _schema({"asset_id": _STR}, ["asset_id"]),
            _list_asset_access,
            ("list_object_access",),
        ),
        rest_tool("set_asset_visibility", "set_asset_visibility"),
        rest_tool("move_asset", "move_asset"),
        rest_tool("search", "search"),
        rest_tool("list_scopes", "get_my_scopes", "The organizations and teams this key may act in."),
        Tool(
            "write_report",
            "Write a report (markdown) as an output asset of the experiment; kind is its asset type.",
            _schema(
                {**exp, "kind": _STR, "title": _STR, "summary": _STR, "body": _STR},
                ["experiment_id", "body"],
            ),
            _write_report,
            ("create_asset",),
        ),
        Tool(
            "create_research_prompt",
            "Record a research prompt; with experiment_id, attach it to that experiment (primary: the main one).",
            _schema({**exp, "prompt": _STR, "primary": {"type": "boolean"}}, ["prompt"]),
            _create_research_prompt,
            ("create_research_prompt", "attach_research_prompt"),
        ),
        rest_tool("record_finding", "record_finding"),
        rest_tool("record_lesson", "record_lesson"),
        Tool(
            "list_lessons",
            "Lessons: of one experiment (experiment_id) or across what this key may read.",
            {
                "type": "object",
                "properties": {
                    **input_schema("list_lessons")["properties"],
                    **input_schema("list_experiment_lessons")["properties"],
                },
                "required": [],
            },
            _list_lessons,
            ("list_experiment_lessons", "list_lessons"),
        ),
        rest_tool("update_lesson", "update_lesson"),
        rest_tool("retire_lesson", "retire_lesson"),
        rest_tool("register_publication", "register_publication"),
        rest_tool("search_publications", "search_publications"),
        Tool(
            "tag",
            "Tag an asset or an experiment (by tag name, found or created, or tag_id).",
            _schema({"asset_id": _STR, **exp, "tag": _STR, "tag_id": _STR}, []),
            _tag,
            ("tag_asset", "tag_experiment"),
        ),
        rest_tool("list_tags", "list_tags"),
        rest_tool("create_collection", "create_collection"),
        rest_tool("list_collections", "list_collections"),
        rest_tool("collection_add", "add_collection_members"),
        rest_tool("collection_associate", "associate_experiment_collections"),
        rest_tool("create_erratum", "create_erratum"),
        rest_tool("list_api_keys", "list_api_keys"),
        rest_tool("training_support", "get_training_support"),
        Tool(
            "register_dataset",
            "Register a dataset whose bytes already live at a gs:// or s3:// uri: ready at once, no upload.",
            _schema(
                {
                    "uri": _STR,
                    "name": _STR,
                    "content_type": _STR,
                    "size_bytes": _INT,
                    "metadata": {"type": "object"},
                    "organization_id": _STR,
                    "public": {"type": "boolean"},
                },
                ["uri", "name"],
            ),
            _register_dataset,
            ("create_asset",),
        ),
        rest_tool("update_dataset_metadata", "update_asset_metadata"),
        rest_tool("list_datasets", "list_assets", "The dataset catalogue, filtered.", asset_type="dataset"),
        rest_tool("feed", "list_feed"),
        rest_tool("feed_seen", "mark_feed_seen"),
        unavailable("report_activity", _NO_ACTIVITY_POST),
        unavailable("get_task", _NO_TASKS),
        unavailable("create_task", _NO_TASKS),
        unavailable("link_task_output", _NO_TASKS),
        unavailable("post_direction_message", _NO_TASKS),
        unavailable("list_github_installations", _NO_GITHUB),
        unavailable("get_external_repo", _NO_GITHUB),
        unavailable("sync_external_repo", _NO_GITHUB),
        unavailable("wandb_fetch_run_summary", _NO_WANDB),
        unavailable("wandb_fetch_run_scalars", _NO_WANDB),
        unavailable("wandb_list_run_artifacts", _NO_WANDB),
        unavailable("wandb_fetch_run_artifact", _NO_WANDB),
        rest_tool("list_failure_modes", "list_failure_modes"),
        rest_tool("suggest_operational_checks", "suggest_operational_checks"),
        rest_tool("list_agent_errors", "list_reasoning_errors"),
        rest_tool("report_reasoning_error", "report_reasoning_error"),
        unavailable("finalize_review", _NO_REVIEW),
        rest_tool("list_review_queue", "list_review_queue"),
    ]
    return tools


@cache
def tools() -> dict[str, Tool]:
    """Every tool by its bare name (built on first use, when the contract is parsed)."""
    return {tool.name: tool for tool in _tools()}


def find(name: str) -> Tool | None:
    """The tool ``name`` names; the hosted ``chronicle.`` prefix is accepted too."""
    return tools().get(name.removeprefix("chronicle."))
