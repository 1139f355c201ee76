"""In-memory stand-ins for what the transfer engine talks to, so engine tests need no server.

- :class:`FakeStorage`: presigned storage as an in-memory httpx transport (give ``.transport`` to
  ``TransferManager(storage_transport=...)``). It keeps each PUT's bytes, logs every request, and answers
  the failures a test scripts (:meth:`FakeStorage.fail`) or holds a PUT, unread, until the test lets it go
  (:meth:`FakeStorage.hold`).
- :class:`FakeAssets`: the engine's dependency seam, :class:`methodic.transfer.AssetOperations`, in memory.
  Like the real server, it finalizes an asset only when every component is in storage with the size and
  sha256 given, and answers 409 ``components_missing`` / ``component_mismatch`` otherwise. Every call is
  logged in :attr:`FakeAssets.calls`.

Neither copies the server's logic; they hold the few rules the engine relies on, so a test can assert
what the engine sent and when.
"""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

from methodic.errors import ChronicleError, ConflictError, NotFoundError
from methodic.types import AssetRecord, ComponentDigest, PresignedUpload, PresignedUrls

if TYPE_CHECKING:
    from methodic.transfer.interfaces import AssetOperations

STORAGE = "https://storage.fake"
#: The signature every fake presigned URL carries: it must never show in a log, a repr or a message.
SIGNATURE = "fake-signature-do-not-log"


def component_of(path: str) -> str:
    """The component an object path belongs to (``/objects/<asset id>/<component>``)."""
    return path.split("/", 3)[-1]


@dataclass
class Request:
    """One request storage received: method, object path (no query), body size and sha256, headers."""

    method: str
    path: str
    size: int
    sha256: str
    headers: dict[str, str]


@dataclass
class FakeStorage:
    """Presigned storage in memory: ``objects`` by path, ``requests`` in order of arrival."""

    objects: dict[str, bytes] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    _faults: dict[str, list[int]] = field(default_factory=dict)
    _holds: dict[str, tuple[threading.Event, threading.Event]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def transport(self) -> httpx.BaseTransport:
        """The transport to hand to ``TransferManager(storage_transport=...)``.

        Not ``httpx.MockTransport``, which reads a request's whole body before its handler sees it: here the
        handler reads it, so a held PUT has sent nothing yet (what a progress test needs to look at).
        """
        return _Transport(self)

    def fail(self, component: str, *statuses: int) -> None:
        """The next PUTs of ``component`` (an object path ending in ``/component``) answer ``statuses``, in order."""
        with self._lock:
            self._faults.setdefault(component, []).extend(statuses)

    def fail_always(self, component: str, status: int) -> None:
        """Every PUT of ``component`` answers ``status`` (up to 1,000 of them: far more than any retry policy)."""
        self.fail(component, *([status] * 1000))

    def heal(self, component: str) -> None:
        """Drop the failures still scripted for ``component``."""
        with self._lock:
            self._faults.pop(component, None)

    def hold(self, component: str) -> tuple[threading.Event, threading.Event]:
        """The next PUT of ``component`` waits before its body is read: returns (entered, release) events."""
        events = (threading.Event(), threading.Event())
        with self._lock:
            self._holds[component] = events
        return events

    def puts(self, component: str | None = None) -> list[Request]:
        """The PUTs received (of one component's object when given), in order."""
        with self._lock:
            return [r for r in self.requests if r.method == "PUT" and component in (None, component_of(r.path))]

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request as presigned storage does (PUT stores the body; GET returns it)."""
        path = request.url.path
        component = component_of(path)
        with self._lock:
            held = self._holds.pop(component, None) if request.method == "PUT" else None
        if held is not None:  # before a byte of its body is read
            entered, release = held
            entered.set()
            if not release.wait(10):
                raise AssertionError(f"the held PUT of {component} was never released")
        body = request.read()
        with self._lock:
            self.requests.append(
                Request(request.method, path, len(body), hashlib.sha256(body).hexdigest(), dict(request.headers))
            )
            faults = self._faults.get(component)
            status = faults.pop(0) if faults else None
        if status is not None:
            return httpx.Response(status, content=b"<Error><Code>Scripted</Code></Error>")
        if request.method == "PUT":
            with self._lock:
                self.objects[path] = body
            return httpx.Response(200)
        if request.method == "GET":
            with self._lock:
                data = self.objects.get(path)
            return httpx.Response(200, content=data) if data is not None else httpx.Response(404)
        return httpx.Response(405)


class _Transport(httpx.BaseTransport):
    def __init__(self, storage: FakeStorage) -> None:
        self.storage = storage

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.storage.handle(request)


@dataclass
class Call:
    """One asset operation the engine asked for: its name and its arguments."""

    name: str
    args: dict[str, Any]


class FakeAssets:
    """:class:`~methodic.transfer.AssetOperations` in memory, backed by a :class:`FakeStorage`."""

    def __init__(self, storage: FakeStorage, *, via: str = "gcs") -> None:
        self.storage = storage
        self.via = via
        self.assets: dict[str, dict[str, Any]] = {}
        self.calls: list[Call] = []
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<FakeAssets assets={len(self.assets)} calls={len(self.calls)}>"

    def named(self, name: str) -> list[Call]:
        """The calls of one operation, in order."""
        with self._lock:
            return [c for c in self.calls if c.name == name]

    def _log(self, name: str, **args: Any) -> None:
        with self._lock:
            self.calls.append(Call(name, args))

    def _asset(self, asset_id: str) -> dict[str, Any]:
        asset = self.assets.get(asset_id)
        if asset is None:
            raise NotFoundError(f"asset {asset_id} not found", status_code=404, code="not_found")
        return asset

    def url(self, asset_id: str, component: str) -> str:
        """The presigned URL of one component's object."""
        return f"{STORAGE}/objects/{asset_id}/{component}?X-Signature={SIGNATURE}"

    def object_path(self, asset_id: str, component: str) -> str:
        """Where storage keeps one component's bytes."""
        return urlsplit(self.url(asset_id, component)).path

    def set_state(self, asset_id: str, state: str) -> None:
        """What the server would do on its own (a run that failed abandons its pending assets)."""
        self._asset(asset_id)["state"] = state

    def record(self, asset_id: str) -> AssetRecord:
        """The asset as the server would describe it."""
        asset = self._asset(asset_id)
        return AssetRecord(
            {
                "id": asset_id,
                "asset_type": asset["asset_type"],
                "name": asset["name"],
                "state": asset["state"],
                "asset_config": asset.get("asset_config") or None,
                "pending_reasons": asset.get("pending_reasons", []) if asset["state"] == "pending" else [],
                "components": [
                    {"name": name, "size_bytes": d.size, "sha256": str(d)} for name, d in asset["digests"].items()
                ],
            }
        )

    # -- AssetOperations ------------------------------------------------------------------------------
    def create_with_presigned(
        self,
        *,
        asset_type: str,
        components: Sequence[str],
        name: str | None = None,
        output_of: Mapping[str, Any] | None = None,
        asset_config: Mapping[str, Any] | None = None,
        upload_targets: Sequence[str] | None = None,
        ttl_days: int | None = None,
    ) -> PresignedUpload:
        """Register a pending asset; one presigned URL per component."""
        self._log("create_with_presigned", asset_type=asset_type, components=list(components), output_of=output_of)
        asset_id = uuid.uuid4().hex
        self.assets[asset_id] = {
            "asset_type": asset_type,
            "name": name,
            "state": "pending",
            "components": list(components),
            "digests": {},
            "output_of": dict(output_of or {}),
            "asset_config": dict(asset_config or {}),
            "pending_reasons": ["upload_in_progress"],
        }
        return PresignedUpload(
            {
                "asset_id": asset_id,
                "upload_urls": {c: self.url(asset_id, c) for c in components},
                "via": self.via,
                "max_part_bytes": None,
                "expires_at": None,
            }
        )

    def presign(
        self, asset_id: str, *, operation: str = "read", components: Sequence[str] | None = None
    ) -> PresignedUrls:
        """Fresh URLs for some or all components."""
        self._log("presign", asset_id=asset_id, operation=operation, components=components)
        names = list(components) if components is not None else self._asset(asset_id)["components"]
        return PresignedUrls(
            {c: {"url": self.url(asset_id, c)} for c in names}, upload={"via": self.via, "max_part_bytes": None}
        )

    def finalize(
        self,
        asset_id: str,
        sha256s: Mapping[str, str] | None = None,
        *,
        components: Mapping[str, ComponentDigest] | None = None,
    ) -> AssetRecord:
        """Pending -> ready once storage holds every component with the size and sha256 given (409 otherwise)."""
        self._log("finalize", asset_id=asset_id, components=dict(components or {}))
        asset = self._asset(asset_id)
        if asset["state"] != "pending":
            raise ConflictError(f"asset is {asset['state']}; it cannot be finalized", status_code=409, code="conflict")
        given = dict(components or {})
        missing, mismatched = [], []
        for name in asset["components"]:
            data = self.storage.objects.get(self.object_path(asset_id, name))
            digest = given.get(name)
            if data is None or digest is None:
                missing.append(name)
            elif (len(data), hashlib.sha256(data).hexdigest()) != (digest.size, str(digest)):
                mismatched.append(name)
        if missing:
            raise ConflictError(f"components missing: {missing}", status_code=409, code="components_missing")
        if mismatched:
            raise ConflictError(f"components differ: {mismatched}", status_code=409, code="component_mismatch")
        asset["digests"] = given
        asset["state"] = "ready"
        return self.record(asset_id)

    def gateway_headers(self, url: str) -> dict[str, str]:
        """The fake has no storage gateway: no URL may have the key."""
        raise ChronicleError("the fake storage has no gateway: the API key goes nowhere")

    def get(self, asset_id: str, include_presigned: bool = False) -> AssetRecord:
        """The asset's record."""
        self._log("get", asset_id=asset_id)
        return self.record(asset_id)

    def run_outputs(self, experiment_id: str, variation: int, run: int) -> list[AssetRecord]:
        """The records of the assets created as outputs of that run, newest first."""
        self._log("run_outputs", experiment_id=experiment_id, variation=variation, run=run)
        wanted = {"experiment_id": experiment_id, "variation": variation, "run": run}
        with self._lock:
            ids = [i for i, a in self.assets.items() if a.get("output_of") == wanted]
        return [self.record(i) for i in reversed(ids)]


def _conforms(assets: FakeAssets) -> AssetOperations:
    return assets  # mypy checks that the fake has the seam's shape
