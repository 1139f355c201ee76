"""The Chronicle API as a Starlette app: routing, auth, request ids, JSON bodies, error mapping.

Every route goes through :meth:`Api.dispatch`, which gives each response an ``X-Request-Id``, turns
every failure into the contract's Error body, enforces bearer auth (and worker-key scope), applies
injected delays and, in tests, validates the request and the response against openapi.yaml.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from methodic.server.errors import ApiError, bad_request, error_body
from methodic.server.storage import StorageService
from methodic.server.store import Store
from methodic.server.validation import validate_body

logger = logging.getLogger("methodic.server")

SPEC_PATH = Path(__file__).with_name("openapi.yaml")
if not SPEC_PATH.exists():  # an editable checkout: the spec lives at the repository root
    SPEC_PATH = Path(__file__).resolve().parents[3] / "openapi.yaml"


@dataclass
class Ctx:
    """What a handler gets: path parameters, query, JSON body and the caller."""

    params: dict[str, Any]
    query: dict[str, str]
    body: dict[str, Any]
    key_kind: str
    scope: dict[str, Any] | None


Handler = Callable[[Ctx], tuple[int, Any]]


@dataclass
class Operation:
    """One route of the contract."""

    op_id: str
    method: str
    path: str
    handler: Handler
    body_schema: str | None = None
    worker: str = "deny"  # deny | read | run (mutates the worker's own run) | asset (assets of its run)


@dataclass
class ApiOptions:
    """Knobs of one server instance."""

    presign_ttl: float = 3600.0
    validate_contract: bool = False
    api_delay: float = 0.0
    contract_violations: list[str] = field(default_factory=list)


class Api:
    """The handlers, bound to a store and a storage service."""

    def __init__(self, store: Store, storage: StorageService, options: ApiOptions) -> None:
        self.store = store
        self.storage = storage
        self.options = options
        self._openapi: Any = None
        self.operations = self._operations()

    # -- dispatch -------------------------------------------------------------------------------------
    def dispatch(self, op: Operation, request: Request, raw_body: bytes) -> Response:
        """Run one request through auth, validation, the handler and error mapping."""
        request_id = f"req_{uuid.uuid4().hex[:20]}"
        if self.options.api_delay:
            time.sleep(self.options.api_delay)
        try:
            status, payload = self._handle(op, request, raw_body)
        except ApiError as exc:
            status, payload = exc.status, error_body(exc.code, exc.message, request_id, exc.details)
        except Exception as exc:
            logger.exception("unhandled error in %s", op.op_id)
            status, payload = 500, error_body("internal_error", f"internal error: {type(exc).__name__}", request_id)
        if isinstance(payload, dict) and "request_id" in payload and status >= 400:
            payload["request_id"] = request_id
        body = json.dumps(payload).encode()
        if self.options.validate_contract:
            problem = self._check_contract(request, raw_body, status, body, request_id)
            if problem:
                self.options.contract_violations.append(f"{op.op_id}: {problem}")
                status = 500
                body = json.dumps(error_body("contract_violation", problem[:2000], request_id)).encode()
        return Response(body, status_code=status, media_type="application/json", headers={"X-Request-Id": request_id})

    def _handle(self, op: Operation, request: Request, raw_body: bytes) -> tuple[int, Any]:
        key_kind, scope = self._authenticate(request)
        params: dict[str, Any] = {}
        for name, value in request.path_params.items():
            if name in ("variation", "run"):
                if not str(value).isdigit():
                    raise bad_request(f"{name} must be a non-negative integer")
                params[name] = int(value)
            else:
                params[name] = value
        body: dict[str, Any] = {}
        if op.body_schema is not None and raw_body.strip():
            try:
                parsed = json.loads(raw_body)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise bad_request(f"the body is not valid JSON: {exc}") from exc
            body = validate_body(op.body_schema, parsed)
        elif op.body_schema is not None:
            body = validate_body(op.body_schema, {})
        ctx = Ctx(params=params, query=dict(request.query_params), body=body, key_kind=key_kind, scope=scope)
        if key_kind == "worker":
            self._authorise_worker(op, ctx)
        return op.handler(ctx)

    def _authenticate(self, request: Request) -> tuple[str, dict[str, Any] | None]:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(401, "unauthorized", "missing bearer token: send Authorization: Bearer <api key>")
        info = self.store.key_info(token.strip())
        if info is None:
            raise ApiError(401, "unauthorized", "unknown or revoked API key")
        kind, scope, expires_at = info
        if expires_at is not None and expires_at <= time.time():
            raise ApiError(401, "key_expired", "the API key has expired; create a new one")
        return kind, scope

    def _authorise_worker(self, op: Operation, ctx: Ctx) -> None:
        scope = ctx.scope or {}
        own = (scope.get("experiment_id"), scope.get("variation"), scope.get("run"))
        denied = ApiError(403, "forbidden", f"this worker key is scoped to run {own}; {op.op_id} is outside it")
        if op.worker == "deny":
            raise denied
        exp = ctx.params.get("experiment_id")
        if exp is not None and exp != own[0]:
            raise denied
        if op.worker == "run" and (ctx.params.get("variation"), ctx.params.get("run")) != own[1:]:
            raise denied
        if op.worker == "asset":
            if op.op_id == "create_asset":
                out = ctx.body.get("output_of") or {}
                if (out.get("experiment_id"), out.get("variation"), out.get("run")) != own:
                    raise denied
            else:
                asset = self.store.asset(ctx.params["asset_id"])
                if (asset["experiment_id"], asset["variation"], asset["run"]) != own:
                    raise denied

    def _check_contract(self, request: Request, raw_body: bytes, status: int, body: bytes, rid: str) -> str | None:
        from openapi_core import OpenAPI
        from openapi_core.testing import MockRequest, MockResponse

        if self._openapi is None:
            self._openapi = OpenAPI.from_file_path(str(SPEC_PATH))
        headers = {k: v for k, v in request.headers.items()}
        mock_request = MockRequest(
            f"{request.url.scheme}://{request.url.netloc}",
            request.method.lower(),
            request.url.path,
            args=dict(request.query_params),
            headers=headers,
            data=raw_body or None,
            content_type=request.headers.get("content-type", "application/json").split(";")[0],
        )
        try:
            self._openapi.validate_request(mock_request)
        except Exception as exc:
            if status < 400:  # the server accepted a request the contract forbids
                return f"request violates the contract but got {status}: {_explain(exc)}"
        try:
            self._openapi.validate_response(
                mock_request, MockResponse(body, status_code=status, headers={"X-Request-Id": rid})
            )
        except Exception as exc:
            return f"response {status} violates the contract: {_explain(exc)}"
        return None

    # -- handlers ---------------------------------------------------------------------------------------
    def _operations(self) -> list[Operation]:
        s = self.store
        e, v, r = "/v1/experiments/{experiment_id}", "/variations/{variation}", "/runs/{run}"

        def q_int(ctx: Ctx, name: str, default: int | None = None, lo: int = 0, hi: int = 10**9) -> int | None:
            raw = ctx.query.get(name)
            if raw is None:
                return default
            if not raw.isdigit() or not lo <= int(raw) <= hi:
                raise bad_request(f"{name} must be an integer between {lo} and {hi}")
            return int(raw)

        def created_by(ctx: Ctx) -> str:
            return "local-user" if ctx.key_kind == "user" else ctx.key_kind

        def run_action(action: str) -> Handler:
            return lambda c: (
                200,
                s.transition(c.params["experiment_id"], c.params["variation"], c.params["run"], action, c.body),
            )

        def assets(items: list[dict[str, Any]]) -> dict[str, Any]:
            return {"assets": items}

        def get_asset(c: Ctx) -> tuple[int, Any]:
            with s.lock:
                asset = s.asset(c.params["asset_id"])
            flag = c.query.get("include_presigned", "false")
            if flag not in ("true", "false"):
                raise bad_request("include_presigned must be true or false")
            if flag == "true" and asset["state"] == "ready" and asset["components"]:
                asset["download_urls"] = {
                    comp["name"]: self.storage.presign("GET", asset["id"], comp["name"], self.options.presign_ttl)[0]
                    for comp in asset["components"]
                }
            return 200, asset

        def create_asset(c: Ctx) -> tuple[int, Any]:
            asset = s.create_asset(c.body)
            urls, expires = None, None
            if asset["state"] == "pending":
                urls = {}
                for comp in asset["components"]:
                    urls[comp["name"]], stamp = self.storage.presign(
                        "PUT", asset["id"], comp["name"], self.options.presign_ttl
                    )
                    expires = _iso(stamp)
            return 201, {"asset": asset, "upload_urls": urls, "urls_expire_at": expires}

        def presign(c: Ctx) -> tuple[int, Any]:
            with s.lock:
                asset = s.asset(c.params["asset_id"])
            operation = c.body["operation"]
            if operation not in ("read", "upload"):
                raise bad_request('operation must be "read" or "upload"')
            if operation == "upload" and asset["state"] != "pending":
                raise ApiError(409, "conflict", f"asset is {asset['state']}; only pending assets take uploads")
            if operation == "read" and asset["state"] != "ready":
                raise ApiError(409, "conflict", f"asset is {asset['state']}; only ready assets can be read")
            names = [comp["name"] for comp in asset["components"]]
            wanted = c.body.get("components") or names
            unknown = sorted(set(wanted) - set(names))
            if unknown:
                raise bad_request(f"unknown components: {unknown}")
            method = "PUT" if operation == "upload" else "GET"
            urls, stamp = {}, 0
            for name in wanted:
                urls[name], stamp = self.storage.presign(method, asset["id"], name, self.options.presign_ttl)
            return 200, {"asset_id": asset["id"], "operation": operation, "urls": urls, "expires_at": _iso(stamp)}

        def delete_asset(c: Ctx) -> tuple[int, Any]:
            asset = s.delete_asset(c.params["asset_id"])
            self.storage.delete(asset["id"])
            return 200, {"id": asset["id"], "deleted": True}

        def delete_experiment(c: Ctx) -> tuple[int, Any]:
            summary, asset_ids = s.delete_experiment(c.params["experiment_id"])
            for asset_id in asset_ids:
                self.storage.delete(asset_id)
            return 200, summary

        def list_assets(c: Ctx) -> tuple[int, Any]:
            filters = {
                "asset_type": c.query.get("asset_type"),
                "state": c.query.get("state"),
                "experiment_id": c.query.get("experiment_id"),
                "variation": q_int(c, "variation"),
                "run": q_int(c, "run"),
            }
            return 200, s.list_assets(filters, c.query.get("cursor"), q_int(c, "limit", 50, 1, 200) or 50)

        ops = [
            Operation(
                "create_experiment",
                "POST",
                "/v1/experiments",
                lambda c: (201, s.create_experiment(c.body, created_by(c))),
                "ExperimentCreate",
            ),
            Operation(
                "list_experiments",
                "GET",
                "/v1/experiments",
                lambda c: (
                    200,
                    s.list_experiments(
                        c.query.get("state"), c.query.get("cursor"), q_int(c, "limit", 50, 1, 200) or 50
                    ),
                ),
            ),
            Operation("get_experiment", "GET", e, lambda c: (200, s.detail(c.params["experiment_id"])), worker="read"),
            Operation("delete_experiment", "DELETE", e, delete_experiment),
            Operation(
                "commit_experiment",
                "PUT",
                e + "/commit",
                lambda c: (
                    200,
                    s.commit_experiment(c.params["experiment_id"], dict(c.body.get("tentative_links") or {})),
                ),
                "ExperimentCommit",
            ),
            Operation(
                "conclude_experiment",
                "PUT",
                e + "/conclude",
                lambda c: (200, s.conclude_experiment(c.params["experiment_id"])),
            ),
            Operation(
                "retract_experiment",
                "PUT",
                e + "/retract",
                lambda c: (200, s.retract_experiment(c.params["experiment_id"], c.body["reason"])),
                "ExperimentRetract",
            ),
            Operation(
                "get_experiment_lineage",
                "GET",
                e + "/lineage",
                lambda c: (200, s.lineage(c.params["experiment_id"])),
                worker="read",
            ),
            Operation(
                "list_experiment_inputs",
                "GET",
                e + "/inputs",
                lambda c: (200, assets(s.inputs(c.params["experiment_id"]))),
                worker="read",
            ),
            Operation(
                "link_experiment_input",
                "POST",
                e + "/inputs",
                lambda c: (201, s.link_input(c.params["experiment_id"], c.body)),
                "InputLinkCreate",
            ),
            Operation(
                "list_experiment_outputs",
                "GET",
                e + "/outputs",
                lambda c: (200, assets(_locked(s, lambda: _experiment_outputs(s, c)))),
                worker="read",
            ),
            Operation(
                "create_variation",
                "POST",
                e + "/variations",
                lambda c: (201, s.create_variation(c.params["experiment_id"], c.body)),
                "VariationCreate",
            ),
            Operation(
                "get_variation",
                "GET",
                e + v,
                lambda c: (200, _locked(s, lambda: s.variation(c.params["experiment_id"], c.params["variation"]))),
                worker="read",
            ),
            Operation(
                "commit_variation",
                "PUT",
                e + v + "/commit",
                lambda c: (200, s.commit_variation(c.params["experiment_id"], c.params["variation"])),
            ),
            Operation(
                "get_variation_config",
                "GET",
                e + v + "/config",
                lambda c: (200, s.variation_config(c.params["experiment_id"], c.params["variation"])),
                worker="read",
            ),
            Operation(
                "list_variation_inputs",
                "GET",
                e + v + "/inputs",
                lambda c: (200, assets(s.inputs(c.params["experiment_id"], c.params["variation"]))),
                worker="read",
            ),
            Operation(
                "unlink_variation_input",
                "DELETE",
                e + v + "/inputs/{asset_id}",
                lambda c: (200, s.unlink_input(c.params["experiment_id"], c.params["variation"], c.params["asset_id"])),
            ),
            Operation(
                "list_variation_outputs",
                "GET",
                e + v + "/outputs",
                lambda c: (200, assets(_locked(s, lambda: _outputs(s, c, with_run=False)))),
                worker="read",
            ),
            Operation(
                "resume_variation",
                "POST",
                e + v + "/resume",
                lambda c: (201, s.resume_variation(c.params["experiment_id"], c.params["variation"])),
            ),
            Operation(
                "list_runs",
                "GET",
                e + v + "/runs",
                lambda c: (200, {"runs": s.runs_of(c.params["experiment_id"], c.params["variation"])}),
                worker="read",
            ),
            Operation(
                "get_run",
                "GET",
                e + v + r,
                lambda c: (
                    200,
                    _locked(s, lambda: s.run(c.params["experiment_id"], c.params["variation"], c.params["run"])),
                ),
                worker="read",
            ),
            Operation("start_run", "PUT", e + v + r + "/start", run_action("start"), "RunStart", worker="run"),
            Operation("heartbeat_run", "PUT", e + v + r + "/heartbeat", run_action("heartbeat"), worker="run"),
            Operation("succeed_run", "PUT", e + v + r + "/succeed", run_action("succeed"), worker="run"),
            Operation("fail_run", "PUT", e + v + r + "/fail", run_action("fail"), "RunFail", worker="run"),
            Operation(
                "list_run_outputs",
                "GET",
                e + v + r + "/outputs",
                lambda c: (200, assets(_locked(s, lambda: _outputs(s, c, with_run=True)))),
                worker="read",
            ),
            Operation("create_asset", "POST", "/v1/assets", create_asset, "AssetCreate", worker="asset"),
            Operation("list_assets", "GET", "/v1/assets", list_assets, worker="read"),
            Operation("get_asset", "GET", "/v1/assets/{asset_id}", get_asset, worker="read"),
            Operation("delete_asset", "DELETE", "/v1/assets/{asset_id}", delete_asset),
            Operation(
                "finalize_asset",
                "PUT",
                "/v1/assets/{asset_id}/finalize",
                lambda c: (
                    200,
                    s.finalize_asset(c.params["asset_id"], list(c.body.get("components") or []), self.storage.stat),
                ),
                "AssetFinalize",
                worker="asset",
            ),
            Operation(
                "presign_asset", "POST", "/v1/assets/{asset_id}/presign", presign, "AssetPresign", worker="asset"
            ),
            Operation(
                "deprecate_asset",
                "PUT",
                "/v1/assets/{asset_id}/deprecate",
                lambda c: (200, s.set_flag(c.params["asset_id"], "deprecated", c.body["reason"])),
                "AssetFlag",
            ),
            Operation(
                "invalidate_asset",
                "PUT",
                "/v1/assets/{asset_id}/invalidate",
                lambda c: (200, s.set_flag(c.params["asset_id"], "invalidated", c.body["reason"])),
                "AssetFlag",
            ),
            Operation(
                "search",
                "POST",
                "/v1/search",
                lambda c: (200, _locked(s, lambda: s.search(c.body))),
                "SearchRequest",
                worker="read",
            ),
            Operation(
                "get_my_scopes",
                "GET",
                "/v1/me/scopes",
                lambda c: (
                    200,
                    {"scopes": [{"id": "user_local", "kind": "user", "name": "Local user", "slug": "local"}]},
                ),
                worker="read",
            ),
        ]
        return ops


def _locked(store: Store, fn: Callable[[], Any]) -> Any:
    with store.transaction():
        return fn()


def _experiment_outputs(store: Store, c: Ctx) -> list[dict[str, Any]]:
    store.experiment(c.params["experiment_id"])
    return store.outputs_of(c.params["experiment_id"])


def _outputs(store: Store, c: Ctx, *, with_run: bool) -> list[dict[str, Any]]:
    exp, var = c.params["experiment_id"], c.params["variation"]
    if with_run:
        store.run(exp, var, c.params["run"])
        return store.outputs_of(exp, var, c.params["run"])
    store.variation(exp, var)
    return store.outputs_of(exp, var)


def _iso(stamp: int) -> str:
    from methodic.server.store import now_iso

    return now_iso(stamp)


def _explain(exc: Exception) -> str:
    parts = [f"{type(exc).__name__}: {exc}"]
    for inner in getattr(exc, "schema_errors", None) or []:
        parts.append(str(getattr(inner, "message", inner)))
    cause = exc.__cause__
    if cause is not None:
        parts.append(str(cause))
        for inner in getattr(cause, "schema_errors", None) or []:
            parts.append(str(getattr(inner, "message", inner)))
    return " | ".join(parts)


def build_app(api: Api) -> Starlette:
    """The ASGI app: one route per contract operation, the spec itself at /openapi.yaml."""
    routes: dict[str, dict[str, Operation]] = {}
    for op in api.operations:
        routes.setdefault(op.path, {})[op.method] = op

    def make_endpoint(path: str, by_method: dict[str, Operation]) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            op = by_method[request.method]
            raw_body = await request.body()
            return await run_in_threadpool(api.dispatch, op, request, raw_body)

        return endpoint

    async def spec(request: Request) -> Response:
        return Response(SPEC_PATH.read_bytes(), media_type="application/yaml")

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        request_id = f"req_{uuid.uuid4().hex[:20]}"
        code = {404: "not_found", 405: "method_not_allowed"}.get(status, "error")
        message = {404: "no such endpoint", 405: "method not allowed on this endpoint"}.get(status, "request failed")
        return JSONResponse(
            error_body(code, message, request_id), status_code=status, headers={"X-Request-Id": request_id}
        )

    starlette_routes = [Route("/openapi.yaml", spec, methods=["GET"])]
    for path, by_method in routes.items():
        starlette_routes.append(Route(path, make_endpoint(path, by_method), methods=list(by_method)))
    return Starlette(routes=starlette_routes, exception_handlers={HTTPException: http_error, Exception: http_error})
