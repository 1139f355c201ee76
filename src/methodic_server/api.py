"""Request handling shared by every route: request ids, bearer auth, worker-key scope, validation, error bodies.

Every route goes through :meth:`Api.dispatch`, which gives each response a request id, turns every
failure into the contract's Error body, enforces bearer auth (and worker-key scope), applies injected
delays, validates the request against openapi.yaml and, in tests, the response too.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from methodic_contract import REQUEST_ID_HEADER
from methodic_server.backend import Background, ObjectStore
from methodic_server.errors import ApiError, bad_request, error_body
from methodic_server.options import ApiOptions
from methodic_server.routes import Answer, Caller, Ctx, Operation, Services, all_operations, mcp
from methodic_server.routes.base import created_by
from methodic_server.store import Store
from methodic_server.store.documents import is_ascii_digits
from methodic_server.store.events import ACTOR
from methodic_server.store.scopes import require_owner_member
from methodic_server.validation import call_response_violation, parse_and_validate, response_violation, validate_call

logger = logging.getLogger("methodic_server")


#: POST operations that only read: a foreign organization's objects may be named in them.
_READ_ONLY_POSTS = frozenset({"search", "check_claims", "get_training_support"})


class Api:
    """The contract's operations, bound to a store and a storage service."""

    def __init__(self, store: Store, storage: ObjectStore, options: ApiOptions) -> None:
        self.store = store
        self.storage = storage
        self.options = options
        self.operations = all_operations(Services(store, storage, options))
        self.operations.append(mcp.operation(self))  # MCP's tools call the operations above, through invoke
        self.by_id = {op.op_id: op for op in self.operations}
        store.assets.delete_bytes = storage.delete  # an expired asset's bytes go
        # an asset that takes no more uploads: its unfinished multipart uploads are aborted, off the store's lock
        self.background = Background()
        store.assets.release_uploads = lambda asset_id: self.background.submit(storage.abort_uploads, asset_id)

    def precheck(self, request: Request, op: Operation | None = None) -> ApiError | None:
        """The authentication failure of a request whose body has not been read yet, or None.

        The app calls this before it reads the body, so an unauthenticated client cannot make the
        server buffer a large body first. A public operation needs no key.
        """
        if op is not None and op.public:
            return None
        try:
            self._authenticate(request)
        except ApiError as exc:
            return exc
        return None

    def dispatch(self, op: Operation, request: Request, raw_body: bytes, failure: ApiError | None = None) -> Response:
        """Run one request through auth, validation, the handler and error mapping (``failure``: answer with it)."""
        request_id = f"req_{uuid.uuid4().hex[:20]}"
        extra: dict[str, str] = {}
        if self.options.api_delay:
            time.sleep(self.options.api_delay)
        try:
            if failure is not None:
                raise failure
            status, payload, extra = self._answer(op, request, raw_body)
        except ApiError as exc:
            status, payload = exc.status, error_body(exc.code, exc.message, request_id, exc.details)
        except Exception as exc:
            logger.exception("unhandled error in %s", op.op_id)
            status, payload = 500, error_body("internal_error", f"internal error: {type(exc).__name__}", request_id)
        if isinstance(payload, dict) and "request_id" in payload and status >= 400:
            payload["request_id"] = request_id
        body = json.dumps(payload).encode()
        headers = {**extra, REQUEST_ID_HEADER: request_id}
        if self.options.validate_contract:
            problem = response_violation(request, raw_body, status, body, headers)
            if problem:
                self.options.contract_violations.append(f"{op.op_id}: {problem}")
                status = 500
                body = json.dumps(error_body("contract_violation", problem[:2000], request_id)).encode()
        return Response(body, status_code=status, media_type="application/json", headers=headers)

    def _answer(self, op: Operation, request: Request, raw_body: bytes) -> tuple[int, Any, dict[str, str]]:
        answer = self._handle(op, request, raw_body)
        if len(answer) == 3:
            return answer[0], answer[1], dict(answer[2])
        return answer[0], answer[1], {}

    def _handle(self, op: Operation, request: Request, raw_body: bytes) -> Answer:
        key_kind, scope = ("public", None) if op.public else self._authenticate(request)
        body = parse_and_validate(request, raw_body, takes_body=op.takes_body)
        return self._run(op, dict(request.path_params), dict(request.query_params), body, Caller(key_kind, scope))

    def invoke(
        self,
        op_id: str,
        caller: Caller,
        params: dict[str, Any] | None = None,
        query: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
        *,
        check_only: bool = False,
    ) -> Answer:
        """Run one operation for an already authenticated caller, as a REST request of it would run.

        The MCP tools call the REST operations through here, so a tool and the REST call it stands for
        share validation against the contract, worker-key scope and API key restrictions. ``check_only``
        stops before the handler: the caller may do it, nothing is done yet.
        """
        op = self.by_id[op_id]
        params, query = dict(params or {}), dict(query or {})
        sent = body if op.takes_body else None
        validate_call(op.method, op.path, params, query, sent)
        answer = self._run(op, params, query, dict(body or {}), caller, check_only=check_only)
        if self.options.validate_contract and not check_only:  # in tests: what a tool relays is checked too
            problem = call_response_violation(op.method, op.path, params, query, sent, answer[0], answer[1])
            if problem:
                self.options.contract_violations.append(f"{op.op_id} (via MCP): {problem}")
        return answer

    def authenticate(self, authorization: str | None) -> Caller:
        """Who a bearer header names (401 ``ApiError`` when it names no one)."""
        return Caller(*self.store.keys.authenticate(authorization))

    def _run(
        self,
        op: Operation,
        raw_params: dict[str, Any],
        query: dict[str, str],
        body: dict[str, Any],
        caller: Caller,
        *,
        check_only: bool = False,
    ) -> Answer:
        key_kind, scope = caller.key_kind, caller.scope
        params: dict[str, Any] = {}
        for name, value in raw_params.items():
            if name in ("variation", "run"):
                if not is_ascii_digits(str(value)):
                    raise bad_request(f"{name} must be a non-negative integer")
                params[name] = int(value)
            elif name == "experiment_id":
                # an id, a bare slug, or an owner-qualified reference (see app.ExperimentRefs)
                try:
                    with self.store.lock:
                        params[name] = self.store.experiments.resolve(str(value))
                except ApiError:
                    if key_kind == "worker":  # a worker learns nothing about experiments outside its run
                        raise ApiError(403, "forbidden", f"this worker key may not reach {op.op_id} there") from None
                    raise
            else:
                params[name] = value
        ctx = Ctx(params=params, query=query, body=body, key_kind=key_kind, scope=scope)
        if key_kind == "worker":
            self._authorise_worker(op, ctx)
        elif op.method != "GET":
            self._authorise_owner(op, ctx)
        restriction = (scope or {}).get("restriction") if key_kind == "user" else None
        if restriction is not None:
            self._hold_to_restriction(op, ctx, restriction)
        if check_only:
            return 200, None
        actor = ACTOR.set(created_by(ctx))  # events recorded by this request name its caller
        try:
            return op.handler(ctx)
        finally:
            ACTOR.reset(actor)

    def _authorise_owner(self, op: Operation, ctx: Ctx) -> None:
        """A write reaches only objects of the caller's own organizations (else 403 ``forbidden``: not a member).

        The experiment is the one in the path, the heartbeat's body, or a new asset's ``output_of``; the
        asset the one in the path (an asset route, its ACL). Reads are open locally, so a read-only POST
        (search, a presign for reading, the claim-check and training-support answers) is not checked, nor
        is linking or unlinking someone else's asset as an input of our own experiment. A reference that
        names nothing is left to the handler's own 404. Bulk approval checks each listed asset as its row.
        """
        if op.op_id in _READ_ONLY_POSTS or (op.op_id == "presign_asset" and ctx.body.get("operation") == "read"):
            return
        ref = ctx.params.get("experiment_id")
        asset_id = ctx.params.get("asset_id") if op.op_id != "unlink_variation_input" else None
        if op.op_id == "heartbeat_run":
            ref = ctx.body.get("experiment_id")
        elif op.op_id == "create_asset":
            ref = (ctx.body.get("output_of") or {}).get("experiment_id")
        elif op.op_id == "create_erratum":  # an erratum belongs to its target's organization
            target = ctx.body.get("target")
            if isinstance(target, dict):
                ref, asset_id = target.get("experiment_id"), target.get("asset_id")
        elif op.op_id == "delete_erratum":
            asset_id = ctx.params.get("errata_asset_id")
        with self.store.lock:
            try:
                if ref is not None:
                    exp = self.store.experiments.get(self.store.experiments.resolve(str(ref)))
                    require_owner_member(ctx.key_kind, exp.get("organization_id"), f"experiment {exp['id']}")
                if asset_id is not None:
                    asset = self.store.assets.get(asset_id)
                    require_owner_member(ctx.key_kind, asset.get("organization_id"), f"asset {asset['id']}")
            except ApiError as exc:
                if exc.status == 403:  # not a member; a reference to nothing is the handler's 404
                    raise

    def _authenticate(self, request: Request) -> tuple[str, dict[str, Any] | None]:
        return self.store.keys.authenticate(request.headers.get("authorization"))

    def _authorise_worker(self, op: Operation, ctx: Ctx) -> None:
        scope = ctx.scope or {}
        own = (scope.get("experiment_id"), scope.get("variation"), scope.get("run"))
        denied = ApiError(403, "forbidden", f"this worker key is scoped to run {own}; {op.op_id} is outside it")
        if op.worker == "deny":
            raise denied

        def resolved(ref: Any) -> str | None:
            """The experiment id a reference names (an id, a slug, ``@user/slug``); denied when it names none."""
            if ref is None:
                return None
            with self.store.lock:
                try:
                    return self.store.experiments.resolve(str(ref))
                except ApiError:
                    raise denied from None  # a worker learns nothing about experiments outside its run

        target = ctx.params
        if op.op_id == "heartbeat_run":  # the one run route that names its run in the body
            named = resolved(ctx.body["experiment_id"])
            target = {"experiment_id": named, "variation": ctx.body["variation"], "run": ctx.body["run"]}
        exp = target.get("experiment_id")
        if exp is not None and exp != own[0]:
            raise denied
        if op.worker == "run" and (target.get("variation"), target.get("run")) != own[1:]:
            raise denied
        # An experiment named in the query (list_assets' filter) is held to the same rule as one in the path;
        # a worker may list only its own experiment's assets, so the filter is then required.
        if ("experiment_id" in ctx.query or op.op_id == "list_assets") and resolved(
            ctx.query.get("experiment_id")
        ) != own[0]:
            raise denied
        asset_id = ctx.params.get("asset_id")
        if op.worker == "asset":
            if op.op_id == "create_asset":
                out = ctx.body.get("output_of") or {}
                if (resolved(out.get("experiment_id")), out.get("variation"), out.get("run")) != own:
                    raise denied
            else:
                asset = self.store.assets.get(ctx.params["asset_id"])
                if (asset["experiment_id"], asset["variation"], asset["run"]) != own:
                    raise denied
        elif asset_id is not None and not self._worker_may_read(asset_id, own[0], own[1]):
            # every route that names an asset, not only presign: get_asset hands out download URLs too
            raise denied

    def _hold_to_restriction(self, op: Operation, ctx: Ctx, restriction: dict[str, Any]) -> None:
        """403 unless the object a request acts on is one its key's restriction allows for the request's verb."""
        verb = privilege_verb(op)
        pins = restriction.get(verb) if verb is not None else None
        if pins is None:
            return  # a verb the restriction does not name is not narrowed
        targets = self._targets(op, ctx)
        if any((pin["object_type"], pin["object_id"]) in targets for pin in pins):
            return
        allowed = ", ".join(f"{pin['object_type']}:{pin['object_id']}" for pin in pins) or "nothing"
        raise ApiError(403, "forbidden", f"this API key is restricted: {verb} is limited to {allowed}")

    def _targets(self, op: Operation, ctx: Ctx) -> set[tuple[str, str]]:
        """The experiment and organization a request acts on, as restriction pins name them."""
        with self.store.lock:
            experiment_id = ctx.params.get("experiment_id") or (ctx.body.get("output_of") or {}).get("experiment_id")
            if op.op_id == "heartbeat_run" and ctx.body.get("experiment_id"):
                experiment_id = self.store.experiments.resolve(str(ctx.body["experiment_id"]))
            organization = ctx.body.get("organization_id")
            targets: set[tuple[str, str]] = set()
            if experiment_id is None and ctx.params.get("asset_id") is not None:
                asset = self.store.assets.get(ctx.params["asset_id"])
                experiment_id, organization = asset["experiment_id"], asset["organization_id"]
            if experiment_id is not None:
                experiment = self.store.experiments.get(self.store.experiments.resolve(str(experiment_id)))
                targets.add(("experiment", experiment["id"]))
                organization = experiment["organization_id"]
            if organization is not None:
                targets.add(("organization", str(organization)))
            return targets

    def _worker_may_read(self, asset_id: str, experiment_id: Any, variation: Any) -> bool:
        """Whether a worker of that run may read the asset: an output of its experiment, or one of its inputs."""
        with self.store.lock:
            asset = self.store.assets.get(asset_id)
            if asset["experiment_id"] == experiment_id or self.store.access.readable_by_anyone(asset):
                return True
            inputs = self.store.links.inputs(experiment_id) + self.store.links.inputs(experiment_id, variation)
        return any(linked["id"] == asset_id for linked in inputs)


#: Operations whose verb is not one a restriction narrows: a key's own management follows the subset rule.
_KEY_MANAGEMENT = frozenset(
    {"create_api_key", "list_api_keys", "revoke_api_key", "rotate_api_key", "set_api_key_restriction"}
)


#: Who reaches an object, and who owns it: what the hosted service calls Administer.
_ADMINISTER = frozenset(
    {"grant_asset_access", "revoke_asset_access", "set_asset_visibility", "move_asset", "move_experiment"}
)


def privilege_verb(op: Operation) -> str | None:
    """The privilege an operation exercises, as API key restrictions name them (None: not narrowed)."""
    if op.op_id in _KEY_MANAGEMENT:
        return None
    if op.method == "GET":
        return "read"
    if op.op_id in _ADMINISTER:
        return "administer"
    if op.op_id in ("start_run", "heartbeat_run", "succeed_run"):
        return "trigger"
    if op.op_id == "fail_run":
        return "stop"
    if op.method == "DELETE" or op.op_id.startswith(("delete_", "revoke_")):
        return "delete"
    if op.op_id.startswith(("create_", "register_", "record_", "fork_", "mint_")):
        return "create"
    return "write"
