"""The ASGI app: assembles the route modules' operations into Starlette routes, plus the spec and error pages."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, unquote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from methodic_contract import REQUEST_ID_HEADER, spec_path
from methodic_server.api import Api
from methodic_server.errors import error_body
from methodic_server.routes import Operation
from methodic_server.store.documents import MAX_INT_DIGITS


async def read_body(request: Request, limit: int) -> bytes | None:
    """The request body, or None as soon as it is known to exceed ``limit`` bytes (nothing more is read)."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and (len(declared) > MAX_INT_DIGITS or int(declared) > limit):
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def too_large(limit: int) -> Response:
    """413 with the Error body; the connection is closed since the rest of the body is never read.

    The contract lists no 413 (it is the transport's answer, like 404 for an unknown path), so it does
    not go through response validation.
    """
    request_id = f"req_{uuid.uuid4().hex[:20]}"
    return JSONResponse(
        error_body("payload_too_large", f"the request body exceeds {limit} bytes", request_id),
        status_code=413,
        headers={REQUEST_ID_HEADER: request_id, "Connection": "close"},
    )


class LegacyPaths:
    """Serves the unversioned paths (``/experiments/...``) as the ``/v1`` ones, marked deprecated.

    The hosted server keeps bare paths working through a compatibility layer while ``/v1`` is canonical;
    older public code still calls them. The request is rewritten before routing, so it is the very
    same operation (auth, validation, contract checks) as its ``/v1`` twin; the response gains
    ``Deprecation: true`` and a ``Link`` to the canonical path (RFC 8594's successor-version).
    """

    def __init__(self, app: ASGIApp, prefixes: set[str]) -> None:
        self.app = app
        self.prefixes = prefixes

    def _is_legacy(self, path: str) -> bool:
        head = path.split("/", 2)[1] if path.startswith("/") else ""
        return head in self.prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Rewrite a legacy path to its ``/v1`` twin and mark the response deprecated; pass anything else on."""
        if scope["type"] != "http" or not self._is_legacy(scope["path"]):
            await self.app(scope, receive, send)
            return
        if any(ord(c) < 0x20 or ord(c) == 0x7F for c in scope["path"]):
            # an encoded CR/LF (or any control byte) names nothing, and must never reach a response header
            request_id = f"req_{uuid.uuid4().hex[:20]}"
            refusal = JSONResponse(
                error_body("bad_request", "the path holds a control character (%00-%1F or %7F)", request_id),
                status_code=400,
                headers={REQUEST_ID_HEADER: request_id},
            )
            await refusal(scope, receive, send)
            return
        canonical = "/v1" + scope["path"]
        raw = scope.get("raw_path") or scope["path"].encode()
        scope = {**scope, "path": canonical, "raw_path": b"/v1" + raw}
        # the successor as the client spelled it (still percent-encoded), and anything else encoded too
        link = quote("/v1" + raw.decode("latin-1"), safe="/%:@!$&'()*+,;=-._~")

        async def send_deprecated(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    *message.get("headers", []),
                    (b"deprecation", b"true"),
                    (b"link", f'<{link}>; rel="successor-version"'.encode("ascii")),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_deprecated)


class ExperimentRefs:
    """Routes an experiment named by owner or by a URL-encoded reference to the ``/v1/experiments/{ref}`` operations.

    ``/v1/u/{user}/e/{slug}/...`` and ``/v1/o/{org}/e/{slug}/...`` (the hosted grammar for ``@user/slug`` and
    ``o/org/slug``), and ``/v1/experiments/%40user%2Fslug/...`` (the reference as one encoded segment), become
    ``/v1/experiments/<the reference, percent-encoded>/...`` before routing: one path segment, which the API
    resolves to the experiment's id (``Experiments.resolve``) like an id or a bare slug. So they are the very
    same operations, with the same auth, worker rules and contract checks.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    @staticmethod
    def reference(raw_path: str) -> tuple[str, str] | None:
        """(reference, rest of the path) when ``raw_path`` names an experiment by owner or encoded reference."""
        segments = raw_path.split("/")  # still percent-encoded: an encoded slash does not split
        if len(segments) < 4 or segments[1] != "v1":
            return None
        head = segments[2]
        if head in ("u", "o") and len(segments) >= 6 and segments[4] == "e":
            owner, slug = unquote(segments[3]), unquote(segments[5])
            return f"{head}/{owner}/{slug}", "/".join(["", *segments[6:]]) if len(segments) > 6 else ""
        if head == "experiments":
            ref = unquote(segments[3])
            if "/" in ref:
                return ref, "/".join(["", *segments[4:]]) if len(segments) > 4 else ""
            if ref.startswith("@") and len(ref) > 1 and len(segments) >= 5:  # @user/slug sent with a bare slash
                return f"{ref}/{unquote(segments[4])}", "/".join(["", *segments[5:]]) if len(segments) > 5 else ""
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Rewrite an owner-qualified or encoded experiment path; pass anything else on."""
        if scope["type"] == "http":
            raw = (scope.get("raw_path") or scope["path"].encode()).decode("latin-1")
            found = self.reference(raw.split("?", 1)[0])
            if found is not None:
                ref, rest = found
                path = f"/v1/experiments/{quote(ref, safe='')}{rest}"
                # the segment stays encoded in ``path`` too, so routing sees one segment; the API decodes it
                scope = {**scope, "path": path, "raw_path": path.encode("latin-1")}
        await self.app(scope, receive, send)


def build_app(api: Api) -> ASGIApp:
    """One route per contract path (its methods dispatched through ``api``), the spec itself at /openapi.yaml."""
    routes: dict[str, dict[str, Operation]] = {}
    for op in api.operations:
        routes.setdefault(op.path, {})[op.method] = op

    def make_endpoint(by_method: dict[str, Operation]) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            own = next((op for op in by_method.values() if op.endpoint is not None), None)
            if own is not None and own.endpoint is not None:  # MCP: its own protocol, auth and errors
                # None: the body exceeds the limit (the endpoint answers that in its own protocol)
                raw = b"" if request.method != own.method else await read_body(request, api.options.max_body_bytes)
                answer: Response = await run_in_threadpool(own.endpoint, request, raw)
                return answer
            op = by_method[request.method]
            # authenticate before reading the body: an anonymous client must not make us buffer anything
            failure = await run_in_threadpool(api.precheck, request, op)
            if failure is not None:
                return await run_in_threadpool(api.dispatch, op, request, b"", failure)
            raw_body = await read_body(request, api.options.max_body_bytes)
            if raw_body is None:
                return too_large(api.options.max_body_bytes)
            return await run_in_threadpool(api.dispatch, op, request, raw_body)

        return endpoint

    spec = spec_path().read_bytes()

    async def serve_spec(request: Request) -> Response:
        return Response(spec, media_type="application/yaml")

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        request_id = f"req_{uuid.uuid4().hex[:20]}"
        code = {404: "not_found", 405: "method_not_allowed"}.get(status, "error")
        message = {404: "no such endpoint", 405: "method not allowed on this endpoint"}.get(status, "request failed")
        return JSONResponse(
            error_body(code, message, request_id), status_code=status, headers={REQUEST_ID_HEADER: request_id}
        )

    starlette_routes = [Route("/openapi.yaml", serve_spec, methods=["GET"])]
    for path, by_method in routes.items():
        methods = list(by_method)
        if any(op.endpoint is not None for op in by_method.values()):
            methods += ["GET", "DELETE"]  # answered by the endpoint itself (MCP: 405 with a JSON-RPC body)
        starlette_routes.append(Route(path, make_endpoint(by_method), methods=methods))
    app = Starlette(routes=starlette_routes, exception_handlers={HTTPException: http_error, Exception: http_error})
    # every area of the contract (/v1/<area>/...) is also served at /<area>/..., deprecated, and so are the
    # owner-qualified experiment paths (/u/... and /o/...)
    areas = {op.path.split("/")[2] for op in api.operations} | {"u", "o"}
    return LegacyPaths(ExperimentRefs(app), areas)
