"""The storage gateway ("Scribe"): the hosted platform's r2 upload route and R2 reads, on the storage port.

Served by the storage service under :data:`PREFIX`; every request carries ``Authorization: Bearer <API
key>`` (user keys; a worker key only for its own run's outputs, and for reading what its run may read).
Presigned signatures are never accepted here. The layout, relative to the gateway's base URL
(``GET /v1/public/client-config`` names it as ``scribe_url`` when the server offers the r2 route)::

    POST   /v1/assets/{id}/presign                  {operation: "read", components?} -> {presigned_urls}
    PUT    /v1/uploads/{id}/{component}             a whole file (at most max_part_bytes)
    POST   /v1/uploads/{id}/{component}?uploads     -> {upload_id}
    PUT    /v1/uploads/{id}/{component}?upload_id=U&part_number=N   -> {part_number, etag}
    GET    /v1/uploads/{id}/{component}?upload_id=U -> {upload_id, completed, parts: [{part_number, etag, size}]}
    POST   /v1/uploads/{id}/{component}?upload_id=U {parts: [{part_number, etag}]} -> the component's sha256
    DELETE /v1/uploads/{id}/{component}?upload_id=U (abort: the parts' bytes are freed)
    GET    /v1/data/manifests/{id}.json             -> {files: [{path, size}]}
    GET    /v1/data/{id}/{path}                     the file (Range: 206)

A component's URL segments are quoted one by one, as in the storage service's object paths. Uploads go
into the storage service's object tree through its commit (size, whole-file sha256 and Content-Type
recorded with the bytes), so finalize checks a gateway upload exactly like a presigned one. Bodies stream
to disk in 1 MiB pieces, paced like every storage connection; the multipart bookkeeping is
:mod:`methodic_server.gateway_uploads`. The watchdog's :meth:`Gateway.sweep` aborts uploads idle for
longer than the idle timeout and every upload of an asset that no longer takes uploads.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import tempfile
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote, unquote

from methodic_contract import MAX_PARTS, REQUEST_ID_HEADER
from methodic_server.errors import ApiError, bad_request, conflict, not_found
from methodic_server.gateway_uploads import GatewayUploads
from methodic_server.options import ApiOptions
from methodic_server.storage import BUFFER, TEMP_PREFIX, UnsafePath, _Handler, _Pace
from methodic_server.store.assets import UPLOAD_IN_PROGRESS, asset_expired
from methodic_server.store.documents import is_ascii_digits, now_iso, parse_iso
from methodic_server.store.scopes import require_owner_member

if TYPE_CHECKING:
    from methodic_server.storage import StorageService
    from methodic_server.store import Store

#: Where the gateway lives on the storage service's port.
PREFIX = "/gateway"
#: Largest JSON body the gateway reads (a complete of 10,000 parts is about 1 MB).
MAX_JSON_BYTES = 4 * 1024 * 1024
#: A body the gateway ignores (an initiate's) may be at most this long; a longer one is refused.
MAX_IGNORED_BODY = 64 * 1024
#: One ``bytes=a-b`` range; a number longer than the store reads anywhere (18 digits) is no range at all (416).
_RANGE = re.compile(r"bytes=([0-9]{0,18})-([0-9]{0,18})")
#: The errors of a full disk: answered 507 insufficient_storage (a client must not retry those).
_FULL = (errno.ENOSPC, errno.EDQUOT)


def _quoted(asset_id: str, path: str) -> str:
    return quote(asset_id, safe="") + "/" + "/".join(quote(segment, safe="") for segment in path.split("/"))


def upload_url(gateway_url: str, asset_id: str, component: str) -> str:
    """The gateway URL a component is uploaded to (single PUT or multipart)."""
    return f"{gateway_url}/v1/uploads/{_quoted(asset_id, component)}"


def r2_copy(gateway_url: str, asset_id: str) -> dict[str, Any]:
    """The ``r2`` field of a ready asset whose bytes the gateway serves."""
    base = f"{gateway_url}/v1/data/"
    return {
        "state": "ready",
        "base_url": base,
        "requires_auth": True,
        "manifest_url": f"{base}manifests/{quote(asset_id, safe='')}.json",
    }


def _due(asset: dict[str, Any]) -> bool:
    """Whether the asset's ``expires_at`` has come (a cached record must then be read again, which expires it)."""
    due = asset.get("expires_at")
    return due is not None and parse_iso(due) <= time.time()


class Gateway:
    """The gateway's state and rules: keys, the assets it serves, its multipart uploads, the sweep."""

    def __init__(self, store: Store, options: ApiOptions, *, idle_timeout: float) -> None:
        self.store = store
        self.options = options
        #: Seconds an unfinished multipart upload may go untouched before the sweep aborts it.
        self.idle_timeout = idle_timeout
        self.uploads: GatewayUploads | None = None
        #: The last asset read, parsed, with the store's version then (see :meth:`asset`).
        self._cache: dict[str, tuple[tuple[int, int], dict[str, Any]]] = {}
        #: Its component names as a set, keyed by (asset id, id of its components list).
        self._names: dict[tuple[str, int], frozenset[str]] = {}

    def handler(self) -> type[GatewayHandler]:
        """The storage service's request handler class, with this gateway behind :data:`PREFIX`."""
        return type("BoundGatewayHandler", (GatewayHandler,), {"gateway": self})

    def attach(self, service: StorageService) -> str:
        """Serve ``service``'s multipart uploads (it owns them: deletes and releases drop them); the base URL."""
        self.uploads = service.uploads
        return service.base_url + PREFIX

    # -- rules ----------------------------------------------------------------------------------------
    def authenticate(self, header: str | None) -> tuple[str, dict[str, Any] | None]:
        """(kind, scope) of the bearer key; 401 without one, for an unknown one or an expired one."""
        return self.store.keys.authenticate(header)

    def asset(self, asset_id: str) -> dict[str, Any]:
        """The asset record (404 if there is none); read-only: shared between requests while no document changes.

        Every PUT of a component asks for its asset. An asset of 10,000 components is a megabyte of JSON, and
        parsing it per PUT made uploading many small files quadratic (~20 ms a file at 10,000): the parsed
        record is kept while :meth:`Documents.version` says nothing changed, and until it is due to expire.
        """
        with self.store.transaction():
            version = self.store.docs.version()
            cached = self._cache.get(asset_id)
            if cached is not None and cached[0] == version and not _due(cached[1]):
                return cached[1]
            asset = self.store.assets.get(asset_id)
            version = self.store.docs.version()  # get() may have expired it (a write)
            self._cache = {asset_id: (version, asset)}  # one: the asset being uploaded now
            self._names = {}
            return asset

    def may_write(self, asset: dict[str, Any], kind: str, scope: dict[str, Any] | None) -> None:
        """403 unless the key may upload the asset's bytes: a worker key its own run's outputs, a user key its orgs'."""
        if kind != "worker":
            require_owner_member(kind, asset.get("organization_id"), f"asset {asset['id']}")
            return
        own = ((scope or {}).get("experiment_id"), (scope or {}).get("variation"), (scope or {}).get("run"))
        if (asset["experiment_id"], asset["variation"], asset["run"]) != own:
            raise ApiError(403, "forbidden", f"this worker key is scoped to run {own}; the asset is not its output")

    def may_read(self, asset: dict[str, Any], kind: str, scope: dict[str, Any] | None) -> None:
        """403 unless the key may read the asset: a worker key its experiment's outputs and its inputs."""
        if kind != "worker":
            return
        experiment_id, variation = (scope or {}).get("experiment_id"), (scope or {}).get("variation")
        if asset["experiment_id"] == experiment_id:
            return
        if not isinstance(experiment_id, str):
            raise ApiError(403, "forbidden", "this worker key may not read that asset")
        with self.store.lock:
            inputs = self.store.links.inputs(experiment_id) + self.store.links.inputs(experiment_id, variation)
        if not any(linked["id"] == asset["id"] for linked in inputs):
            raise ApiError(403, "forbidden", "this worker key may not read that asset")

    def check_takes_uploads(self, asset: dict[str, Any], component: str | None = None) -> None:
        """410 for an expired asset, 409 unless it is pending its upload on the r2 route, 404 for a stranger."""
        if asset["state"] == "expired":
            raise asset_expired(asset)
        if asset["state"] != "pending" or UPLOAD_IN_PROGRESS not in asset["pending_reasons"]:
            raise conflict(f"asset is {asset['state']}; only assets pending their upload take uploads")
        if asset.get("upload_via") != "r2":
            raise conflict(
                "the asset was created for the gcs route: upload with its presigned URLs", code="wrong_route"
            )
        if component is not None:
            self.check_component(asset, component)

    @staticmethod
    def check_readable(asset: dict[str, Any]) -> None:
        """410 for an expired asset, 409 unless it is ready."""
        if asset["state"] == "expired":
            raise asset_expired(asset)
        if asset["state"] != "ready":
            raise conflict(f"asset is {asset['state']}; only ready assets can be read")

    def check_component(self, asset: dict[str, Any], component: str) -> None:
        """404 unless ``component`` is one of the asset's own (its names as a set, kept with the cached record)."""
        key = (asset["id"], id(asset["components"]))
        names = self._names.get(key)
        if names is None:
            names = frozenset(c["name"] for c in asset["components"])
            self._names = {key: names}
        if component not in names:
            raise not_found(f"asset {asset['id']} has no component {component!r}")

    # -- the sweep ------------------------------------------------------------------------------------
    def sweep(self, at: float | None = None) -> int:
        """Abort idle uploads and every upload of an asset that takes none any more; returns how many went."""
        if self.uploads is None:
            return 0
        moment = time.time() if at is None else at
        open_assets: dict[str, bool] = {}
        dropped = 0
        for entry in list(self.uploads.entries()):
            if entry.asset_id not in open_assets:
                try:
                    asset = self.asset(entry.asset_id)
                    open_assets[entry.asset_id] = (
                        asset["state"] == "pending" and UPLOAD_IN_PROGRESS in asset["pending_reasons"]
                    )
                except ApiError:
                    open_assets[entry.asset_id] = False
            idle = not entry.done and moment - entry.last_activity > self.idle_timeout
            if (not open_assets[entry.asset_id] or idle) and self.uploads.drop(entry):
                dropped += 1
        return dropped


class GatewayHandler(_Handler):
    """The storage service's handler, with the gateway's routes behind :data:`PREFIX`."""

    gateway: Gateway
    #: The gateway request's query parameters (first value of each).
    gw_query: dict[str, str]
    #: Whether the request's body is still unread (a refusal then closes the connection).
    gw_body_unread: bool

    # -- dispatch -------------------------------------------------------------------------------------
    def do_PUT(self) -> None:
        """A gateway upload, or a presigned storage PUT."""
        if not self._gw_serve_gateway("PUT"):
            super().do_PUT()

    def do_GET(self) -> None:
        """A gateway read or part list, or a presigned storage GET."""
        if not self._gw_serve_gateway("GET"):
            super().do_GET()

    def do_HEAD(self) -> None:
        """A gateway read's headers, or a presigned storage HEAD."""
        if not self._gw_serve_gateway("HEAD"):
            super().do_HEAD()

    def do_POST(self) -> None:
        """Gateway only: presign reads, start and complete multipart uploads."""
        if not self._gw_serve_gateway("POST"):
            self._send_error(405, "method_not_allowed", "storage takes PUT, GET and HEAD", close=True)

    def do_DELETE(self) -> None:
        """Gateway only: abort a multipart upload."""
        if not self._gw_serve_gateway("DELETE"):
            self._send_error(405, "method_not_allowed", "storage takes PUT, GET and HEAD", close=True)

    def _gw_serve_gateway(self, method: str) -> bool:
        """Serve the request if it is the gateway's (answering every failure); False if it is storage's."""
        raw_path = self.path.partition("?")[0]
        if raw_path != PREFIX and not raw_path.startswith(PREFIX + "/"):
            return False
        self.gw_body_unread = bool(self.headers.get("Transfer-Encoding")) or self.headers.get("Content-Length") not in (
            None,
            "0",
        )
        try:
            self._gw_route(method)
        except ApiError as exc:
            self._send_error(exc.status, exc.code, exc.message, close=self.gw_body_unread)
        except OSError as exc:
            if exc.errno not in _FULL:
                raise
            # 507, then the rest of an upload's body is read and dropped so that the client hears the answer
            # instead of a reset connection (a body already read, such as complete's JSON, has nothing left)
            length = self.headers.get("Content-Length", "")
            unread = self.gw_body_unread and is_ascii_digits(length)
            self._refuse_no_space(int(length) if unread else self.body_read)
        return True

    def _gw_route(self, method: str) -> None:
        raw_path, _, query = self.path.partition("?")
        self.gw_query = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
        segments = raw_path[len(PREFIX) :].split("/")[1:]
        kind, scope = self.gateway.authenticate(self.headers.get("Authorization"))
        if self._injected_fault():
            self.close_connection = True  # its body, if any, was not read
            self.gw_body_unread = False
            return
        if segments[:2] == ["v1", "assets"] and len(segments) == 4 and segments[3] == "presign":
            if method != "POST":
                raise ApiError(405, "method_not_allowed", "presign is a POST")
            self._gw_presign(unquote(segments[2]), kind, scope)
        elif segments[:2] == ["v1", "uploads"] and len(segments) >= 4:
            asset_id, component = self._gw_names(segments[2:])
            self._gw_upload(method, asset_id, component, kind, scope)
        elif segments[:3] == ["v1", "data", "manifests"] and len(segments) == 4 and segments[3].endswith(".json"):
            if method != "GET":
                raise ApiError(405, "method_not_allowed", "a manifest is read with GET")
            self._gw_manifest(unquote(segments[3].removesuffix(".json")), kind, scope)
        elif segments[:2] == ["v1", "data"] and len(segments) >= 4:
            self._gw_reading(method)
            asset_id, path = self._gw_names(segments[2:])
            self._gw_data(asset_id, path, kind, scope, head=method == "HEAD")
        else:
            raise not_found("no such gateway route")

    @staticmethod
    def _gw_reading(method: str) -> None:
        if method not in ("GET", "HEAD"):
            raise ApiError(405, "method_not_allowed", "data and manifests are read with GET")

    @staticmethod
    def _gw_names(segments: list[str]) -> tuple[str, str]:
        """(asset id, component path) from the URL's quoted segments; 400 for an unsafe path."""
        names = [unquote(s) for s in segments]
        if any(n in ("", ".", "..") or "/" in n for n in names):
            raise bad_request("invalid component path", code="bad_path")
        return names[0], "/".join(names[1:])

    # -- bodies ---------------------------------------------------------------------------------------
    def _gw_length(self, *, required: bool) -> int:
        """The body's Content-Length (411 without one where required, or with chunked encoding)."""
        header = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding") or (header is None and required):
            raise ApiError(411, "length_required", "send a Content-Length header (no chunked encoding)")
        if header is None:
            return 0
        if not is_ascii_digits(header):
            raise bad_request("Content-Length must be a non-negative integer", code="bad_content_length")
        return int(header)

    def _gw_json_body(self) -> dict[str, Any]:
        length = self._gw_length(required=False)
        if length > MAX_JSON_BYTES:
            raise ApiError(413, "payload_too_large", f"a gateway JSON body is at most {MAX_JSON_BYTES} bytes")
        raw = self.rfile.read(length) if length else b""
        self.gw_body_unread = False
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            raise bad_request("the body is not JSON") from None
        if not isinstance(body, dict):
            raise bad_request("the body must be a JSON object")
        return body

    def _gw_skip_body(self) -> None:
        length = self._gw_length(required=False)
        if length > MAX_IGNORED_BODY:
            raise ApiError(413, "payload_too_large", "this request takes no body")
        if length:
            self.rfile.read(length)
        self.gw_body_unread = False

    def _gw_receive_to(self, fd: int, length: int, digest: Any) -> None:
        """Stream ``length`` body bytes into ``fd`` (closed afterwards), hashing them, paced and counted."""
        with os.fdopen(fd, "wb") as out:
            self._receive(length, out, digest)
        self.gw_body_unread = False

    # -- answers --------------------------------------------------------------------------------------
    def _gw_json(self, status: int, payload: Any, etag: str | None = None) -> None:
        body = b"" if status == 204 else json.dumps(payload).encode()
        self.send_response(status)
        if etag is not None:
            self.send_header("ETag", f'"{etag}"')
        if body:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header(REQUEST_ID_HEADER, f"req_{uuid.uuid4().hex[:16]}")
        self.end_headers()
        if body:
            self.wfile.write(body)

    # -- uploads --------------------------------------------------------------------------------------
    def _gw_upload(self, method: str, asset_id: str, component: str, kind: str, scope: dict[str, Any] | None) -> None:
        upload_id = self.gw_query.get("upload_id")
        asset = self.gateway.asset(asset_id)
        self.gateway.may_write(asset, kind, scope)
        if method == "PUT" and upload_id is None:
            self._gw_put_whole(asset, component)
        elif method == "PUT" and upload_id is not None:
            self._gw_put_part(asset, component, upload_id)
        elif method == "POST" and "uploads" in self.gw_query and upload_id is None:
            self._gw_start(asset, component)
        elif method == "POST" and upload_id is not None:
            self._gw_complete(asset, component, upload_id)
        elif method == "GET" and upload_id is not None:
            self.gateway.check_component(asset, component)
            self._gw_json(200, self._gw_uploads().parts(asset_id, component, upload_id))
        elif method == "DELETE" and upload_id is not None:
            self.gateway.check_component(asset, component)
            self._gw_uploads().abort(asset_id, component, upload_id)
            self._gw_json(204, None)
        else:
            raise bad_request(
                "an upload URL takes PUT, POST ?uploads, PUT ?upload_id&part_number, GET, POST or DELETE ?upload_id"
            )

    def _gw_uploads(self) -> GatewayUploads:
        uploads = self.gateway.uploads
        if uploads is None:  # pragma: no cover - attach() runs before the service serves
            raise ApiError(503, "unavailable", "the gateway is starting")
        return uploads

    def _gw_sized(self) -> int:
        """The PUT body's length, within the route's part limit (400 EntityTooLarge beyond it)."""
        length = self._gw_length(required=True)
        limit = self.gateway.options.max_part_bytes
        if length > limit:
            raise bad_request(
                f"Your proposed upload exceeds the maximum allowed size ({length} > {limit} bytes): "
                "send it as a multipart upload",
                code="EntityTooLarge",
            )
        return length

    def _gw_target(self, asset_id: str, component: str) -> Path:
        try:
            return self.server.service.locate(asset_id, *component.split("/"))
        except UnsafePath:
            raise bad_request("invalid component path", code="bad_path") from None

    def _gw_commit(
        self, asset_id: str, component: str, tmp: str, size: int, sha256: str, content_type: str | None
    ) -> None:
        """Put the received file in place, if the asset still takes uploads (finalize cannot run meanwhile)."""
        with self.gateway.store.transaction():
            self.gateway.check_takes_uploads(self.gateway.store.assets.get(asset_id), component)
            self.server.service.commit(tmp, self._gw_target(asset_id, component), size, sha256, content_type)

    def _gw_put_whole(self, asset: dict[str, Any], component: str) -> None:
        length = self._gw_sized()
        self.gateway.check_takes_uploads(asset, component)
        target = self._gw_target(asset["id"], component)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX)
        digest = hashlib.sha256()
        content_type = " ".join(self.headers.get("Content-Type", "").split())[:200] or None
        try:
            self._gw_receive_to(fd, length, digest)
            self._gw_commit(asset["id"], component, tmp, length, digest.hexdigest(), content_type)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            if isinstance(exc, OSError) and exc.errno not in _FULL:  # the client went (or idled out) mid-body
                self.close_connection = True
                return
            raise
        sha256 = digest.hexdigest()
        self._gw_json(200, {"component": component, "size_bytes": length, "sha256": sha256, "etag": sha256}, sha256)

    def _gw_start(self, asset: dict[str, Any], component: str) -> None:
        self._gw_skip_body()
        self.gateway.check_takes_uploads(asset, component)
        self._gw_target(asset["id"], component)
        content_type = " ".join(self.headers.get("Content-Type", "").split())[:200] or None
        self._gw_json(200, {"upload_id": self._gw_uploads().start(asset["id"], component, content_type)})

    def _gw_put_part(self, asset: dict[str, Any], component: str, upload_id: str) -> None:
        number = self.gw_query.get("part_number", "")
        if not (is_ascii_digits(number) and 1 <= int(number) <= MAX_PARTS):
            raise bad_request(f"part_number must be an integer from 1 to {MAX_PARTS}", code="invalid_part_number")
        length = self._gw_sized()
        self.gateway.check_takes_uploads(asset, component)
        uploads = self._gw_uploads()
        with uploads.busy(upload_id):
            fd, tmp = uploads.part_temporary(asset["id"], component, upload_id)
            digest = hashlib.sha256()
            try:
                self._gw_receive_to(fd, length, digest)
                uploads.put_part(asset["id"], upload_id, int(number), tmp, length, digest.hexdigest())
            except BaseException as exc:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                if isinstance(exc, OSError) and exc.errno not in _FULL:
                    self.close_connection = True
                    return
                raise
        self._gw_json(200, {"part_number": int(number), "etag": digest.hexdigest()}, digest.hexdigest())

    def _gw_complete(self, asset: dict[str, Any], component: str, upload_id: str) -> None:
        body = self._gw_json_body()
        self.gateway.check_takes_uploads(asset, component)
        uploads = self._gw_uploads()
        with uploads.lock(upload_id):
            record = uploads.done(asset["id"], component, upload_id)
            if record is not None:  # a client that did not hear the first answer asks again
                self._gw_json(200, record["answer"])
                return
            listed = body.get("parts")
            if not isinstance(listed, list):
                raise bad_request("complete needs {parts: [{part_number, etag}, ...]}", code="invalid_part")
            meta = uploads.meta(asset["id"], component, upload_id)
            target = self._gw_target(asset["id"], component)
            target.parent.mkdir(parents=True, exist_ok=True)
            parts, size, digest, tmp = uploads.assemble(
                asset["id"], component, upload_id, listed, target.parent, TEMP_PREFIX
            )
            try:
                self._gw_commit(asset["id"], component, tmp, size, digest.hexdigest(), meta.get("content_type"))
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
            answer = {
                "upload_id": upload_id,
                "component": component,
                "size_bytes": size,
                "sha256": digest.hexdigest(),
                "parts": len(parts),
            }
            uploads.finish(asset["id"], upload_id, {"component": component, "answer": answer, "parts": parts})
        self._gw_json(200, answer)

    # -- reads ----------------------------------------------------------------------------------------
    def _gw_readable(self, asset_id: str, kind: str, scope: dict[str, Any] | None) -> dict[str, Any]:
        asset = self.gateway.asset(asset_id)
        self.gateway.may_read(asset, kind, scope)
        self.gateway.check_readable(asset)
        return asset

    def _gw_presign(self, asset_id: str, kind: str, scope: dict[str, Any] | None) -> None:
        body = self._gw_json_body()
        if body.get("operation") != "read":
            raise bad_request('the gateway presigns reads only (operation "read"); ask Chronicle for upload URLs')
        asset = self._gw_readable(asset_id, kind, scope)
        names = [c["name"] for c in asset["components"]]
        wanted = body.get("components") or names
        if not isinstance(wanted, list) or not all(isinstance(w, str) for w in wanted):
            raise bad_request("components must be a list of component names")
        unknown = sorted(set(wanted) - set(names))
        if unknown:
            raise bad_request(f"unknown components: {unknown}")
        urls, stamp = {}, 0
        for name in wanted:
            url, stamp = self.server.service.presign("GET", asset["id"], name, self.gateway.options.presign_ttl)
            urls[name] = {"url": url}
        self._gw_json(200, {"presigned_urls": urls, "expires_at": now_iso(stamp)})

    def _gw_manifest(self, asset_id: str, kind: str, scope: dict[str, Any] | None) -> None:
        asset = self._gw_readable(asset_id, kind, scope)
        files = [{"path": c["name"], "size": c["size_bytes"]} for c in asset["components"]]
        self._gw_json(200, {"files": files})

    def _gw_data(self, asset_id: str, path: str, kind: str, scope: dict[str, Any] | None, *, head: bool) -> None:
        asset = self._gw_readable(asset_id, kind, scope)
        self.gateway.check_component(asset, path)
        target = self._gw_target(asset_id, path)
        try:
            source = target.open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise not_found("storage holds no such file") from None
        with source:
            self._gw_send_range(source, os.fstat(source.fileno()).st_size, head=head)

    def _gw_send_range(self, source: Any, size: int, *, head: bool) -> None:
        """Stream the file, or the one byte range ``Range`` asks for (206), paced like storage reads."""
        start, end, status = 0, size - 1, 200
        wanted = None if self.server.service.faults.ignore_ranges else self.headers.get("Range")
        if wanted:
            match = _RANGE.fullmatch(wanted.strip())
            if not match or not (match.group(1) or match.group(2)):
                raise ApiError(416, "bad_range", "unsupported Range header (one bytes=a-b range)")
            if match.group(1):
                start = int(match.group(1))
                end = min(int(match.group(2)) if match.group(2) else size - 1, size - 1)
            else:
                start = max(size - int(match.group(2)), 0)
            if start > end or start >= size:
                raise ApiError(416, "bad_range", f"range not satisfiable for {size} bytes")
            status = 206
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header(REQUEST_ID_HEADER, f"req_{uuid.uuid4().hex[:16]}")
        self.end_headers()
        if head or end < start:
            return
        self.wfile.flush()
        pace, position = _Pace(self.server.service.per_connection_bytes_per_second), start
        try:
            while position <= end:
                sent = self.connection.sendfile(source, offset=position, count=min(BUFFER, end - position + 1))
                if not sent:
                    break
                position += sent
                pace.step(sent)
        except OSError:
            self.close_connection = True
