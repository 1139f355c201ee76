"""``LocalChronicle``: the local Chronicle in-process, for the SDK's tests and for yours; ``Faults`` to break it."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from methodic_server.options import (
    DEFAULT_GATEWAY_UPLOAD_IDLE_TIMEOUT,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_PART_BYTES,
)
from methodic_server.storage import DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS

if TYPE_CHECKING:
    from methodic_server.runtime import ChronicleServer


class Faults:
    """Fault injection: storage failures and delays, expired presigned URLs, slow API responses."""

    def __init__(self, server: ChronicleServer) -> None:
        self._server = server

    def fail_storage(self, count: int, status: int | None = 500) -> None:
        """The next ``count`` storage requests fail with ``status`` (None: the connection is dropped)."""
        self._server.storage.faults.fail_next(count, status)

    def expire_presigned_urls(self, enabled: bool = True) -> None:
        """While enabled, every presigned URL the API hands out is already expired."""
        self._server.storage.faults.expire_urls = enabled

    def delay_storage(self, seconds: float) -> None:
        """Delay every storage request by ``seconds`` (uploads that lag behind the trainer)."""
        self._server.storage.faults.delay = seconds

    def ignore_ranges(self, enabled: bool = True) -> None:
        """While enabled, storage and gateway GETs answer the whole object (200), whatever ``Range`` asks for."""
        self._server.storage.faults.ignore_ranges = enabled

    def delay_api(self, seconds: float) -> None:
        """Delay every API response by ``seconds``."""
        self._server.options.api_delay = seconds

    def reset(self) -> None:
        """Lift every fault."""
        self._server.storage.faults.reset()
        self._server.options.api_delay = 0.0


#: How to install what the local server needs beyond the client.
SERVER_EXTRA_INSTALL = "pip install 'methodic-sdk[server]'"
#: The top-level modules that only the ``server`` extra brings.
_SERVER_EXTRA_MODULES = frozenset({"starlette", "uvicorn", "openapi_core", "jsonschema", "h11", "anyio"})


class ServerExtraMissing(ImportError):
    """The local server's dependencies (the ``server`` extra) are not installed; the message says how to get them.

    An ImportError still, so code that probes for the server with ``except ImportError`` keeps working.
    """

    @classmethod
    def of(cls, cause: ImportError, what: str) -> ImportError:
        """The error to raise for ``cause``: this one when a module of the extra is missing, else ``cause`` itself."""
        missing = (cause.name or "").partition(".")[0]
        if missing not in _SERVER_EXTRA_MODULES:
            return cause
        return cls(
            f"{what} needs the local server's dependencies (the `server` extra; {missing} is not installed):"
            f" {SERVER_EXTRA_INSTALL}",
            name=cause.name,
        )


class LocalChronicle:
    """A local Chronicle API and storage service on free ports of 127.0.0.1, as a context manager.

    Example::

        with LocalChronicle(heartbeat_timeout=1) as server, Chronicle(server.url, server.api_key) as chronicle:
            exp = chronicle.experiments.create(title="t", hypothesis_summary="h", config_yaml="lr: 1")
    """

    def __init__(
        self,
        *,
        heartbeat_timeout: float = 900.0,
        lost_timeout: float = 172_800.0,
        watchdog_interval: float | None = None,
        search: bool = True,
        enforce_review_gates: bool = False,
        validate_contract: bool = False,
        data_dir: Path | str | None = None,
        api_keys: list[str] | None = None,
        presign_ttl: float = 3600.0,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        storage_idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        storage_max_connections: int = DEFAULT_MAX_CONNECTIONS,
        max_single_put_bytes: int | None = None,
        per_connection_bytes_per_second: int | None = None,
        storage: str = "local",
        s3_bucket: str | None = None,
        s3_endpoint_url: str | None = None,
        upload_route: str = "r2",
        max_part_bytes: int = DEFAULT_MAX_PART_BYTES,
        gateway_upload_idle_timeout: float = DEFAULT_GATEWAY_UPLOAD_IDLE_TIMEOUT,
    ) -> None:
        """Configure the server; the limits are adjustable.

        ``max_body_bytes`` caps API request bodies (413 beyond; default 16 MiB), ``storage_idle_timeout``
        closes silent storage connections (seconds; default 60) and ``storage_max_connections`` bounds
        the storage requests served at once (default 64; idle keep-alive connections hold no slot; a
        request that finds none free within 2 s is answered 503). Like cloud storage:
        ``max_single_put_bytes`` refuses a larger presigned PUT with 400 ``EntityTooLarge`` (S3: 5 GiB),
        and ``per_connection_bytes_per_second`` paces every storage connection to that rate. With
        ``storage="s3"`` the API presigns against the S3-compatible bucket ``s3_bucket`` (at
        ``s3_endpoint_url``; boto3's standard credentials) instead of running its own storage service.

        ``upload_route`` is the route a presigned create answers to a client that can use it: ``"r2"``
        (default; the storage gateway on the storage port, which takes the API key and multipart uploads
        in parts of at most ``max_part_bytes``, default 64 MiB) or ``"gcs"`` (presigned PUTs only). A
        client that does not list ``"r2"`` in ``upload_targets`` gets ``gcs`` either way, and so does
        everyone with S3 storage. The gateway aborts a multipart upload untouched for
        ``gateway_upload_idle_timeout`` seconds (default 7 days, as R2), and every upload of an asset that
        takes no more (finalized, abandoned, deleted or expired) at once, freeing its parts' bytes.
        """
        try:
            from methodic_server.runtime import ChronicleServer  # starlette and uvicorn load when a server is made
        except ImportError as exc:
            raise ServerExtraMissing.of(exc, "LocalChronicle") from exc

        self._tmp: str | None = None
        if data_dir is None:
            self._tmp = tempfile.mkdtemp(prefix="methodic-chronicle-")
            data_dir = self._tmp
        self.data_dir = Path(data_dir)
        self._server = ChronicleServer(
            self.data_dir,
            api_keys=api_keys,
            search=search,
            heartbeat_timeout=heartbeat_timeout,
            lost_timeout=lost_timeout,
            watchdog_interval=watchdog_interval,
            enforce_review_gates=enforce_review_gates,
            presign_ttl=presign_ttl,
            validate_contract=validate_contract,
            max_body_bytes=max_body_bytes,
            storage_idle_timeout=storage_idle_timeout,
            storage_max_connections=storage_max_connections,
            max_single_put_bytes=max_single_put_bytes,
            per_connection_bytes_per_second=per_connection_bytes_per_second,
            storage=storage,
            s3_bucket=s3_bucket,
            s3_endpoint_url=s3_endpoint_url,
            upload_route=upload_route,
            max_part_bytes=max_part_bytes,
            gateway_upload_idle_timeout=gateway_upload_idle_timeout,
        )
        self.faults = Faults(self._server)
        self._running = False

    def __repr__(self) -> str:
        return f"<LocalChronicle url={self.url if self._running else None!r}>"

    def start(self) -> LocalChronicle:
        """Start the API, storage and watchdog threads."""
        self._server.start()
        self._running = True
        return self

    def stop(self) -> None:
        """Stop everything and delete the temporary data directory (a given data_dir is kept)."""
        if self._running:
            self._server.stop()
            self._running = False
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def restart(self) -> None:
        """Stop and start again on the same ports with the same data (tests persistence and reconnects)."""
        self._server.stop()
        self._server.start()

    @property
    def url(self) -> str:
        """The API's base URL."""
        return self._server.url

    @property
    def storage_url(self) -> str:
        """The storage service's base URL."""
        return self._server.storage_url

    @property
    def gateway_url(self) -> str | None:
        """The storage gateway's base URL (on the storage port; None with S3 storage)."""
        return self._server.gateway_url

    def sweep_gateway(self) -> int:
        """Run the gateway's sweep now (the watchdog runs it on every pass); returns the uploads it aborted."""
        gateway = self._server.gateway
        return 0 if gateway is None else gateway.sweep()

    @property
    def storage_bytes_received(self) -> int:
        """Body bytes the local storage service received in PUTs since it started (0 for S3 storage)."""
        return int(getattr(self._server.storage, "bytes_received", 0))

    @property
    def api_key(self) -> str:
        """A key the server accepts."""
        return self._server.api_key

    @property
    def contract_violations(self) -> list[str]:
        """Requests or responses that did not match openapi.yaml (with ``validate_contract=True``)."""
        return self._server.options.contract_violations

    def mint_key(self, expires_in: float | None = None) -> str:
        """Another user key, optionally expiring after ``expires_in`` seconds."""
        return self._server.mint_key("user", expires_in)

    def mint_admin_key(self) -> str:
        """An ``sk_admin_`` key: a superadmin, who may search ``as_scope`` any organization (user keys get 403)."""
        return self._server.mint_key("admin")

    def expire_asset(self, asset_id: str) -> dict[str, Any]:
        """Expire an asset now, as if its ``expires_at`` had passed (any asset type), and return its record.

        Its bytes are deleted and its state becomes ``expired``: ``GET /v1/assets/{id}`` still answers it,
        while ``include_presigned``, presign and finalize answer 410 ``asset_expired``. This is how tests
        reach expiry without waiting out a checkpoint's ``ttl_days``.
        """
        return self._server.expire_asset(asset_id)

    def new_run(self, experiment_id: str, variation: int) -> int:
        """Play the hosted scheduler: make the next pending run of a committed variation; return its number.

        The hosted Chronicle has no API route that makes a run. Creating a variation makes its run 0,
        and the platform's scheduler makes any further run itself when it queues the variation again
        (a requeued job, by contrast, goes on with the same run). This local server has no scheduler,
        so a test or a demo stands in for it here, in Python and not over HTTP, and then hands the
        number to its runner (``chronicle.run(experiment_id, variation, number)``), which resumes from
        the variation's newest checkpoint with ``run.find_checkpoint()`` / ``download_checkpoint()``.

        The rules are the scheduler's: the variation must be committed and every earlier run terminal
        (succeeded or failed); otherwise ``methodic_server.errors.ApiError`` with ``status`` 409 (404
        for an unknown experiment or variation), and no run is made.
        """
        record = self._server.new_run(experiment_id, variation)
        return int(record["run"])

    def curate_failure_mode(self, entry: dict[str, Any], status: str = "active") -> dict[str, Any]:
        """Play the catalog's curators: add a failure mode (``slug``, ``title``, ``family``, ``signal``, ...).

        On the hosted service the catalog grows from validated reasoning-error reports and a human
        promotes an entry from ``proposed`` to ``active`` in the admin bridge, which the local server does
        not have; a test or demo adds entries here, in Python and not over HTTP. ``failure_modes.list``
        serves only ``active`` entries; a ``proposed`` one waits in the review queue.
        """
        return self._server.curate_failure_mode(entry, status)

    def curate_operational_check(self, entry: dict[str, Any]) -> dict[str, Any]:
        """Play the catalog's curators: add an active operational check (``slug``, ``title``, ``symptoms``, ``steps``).

        ``scope`` is ``platform`` (the default, no ``scope_id``) or ``user``, ``team``, ``organization`` or
        ``experiment`` with the ``scope_id`` it belongs to; the nearest scope wins a slug on reads.
        """
        return self._server.curate_operational_check(entry)

    def review(
        self, kind: str, item_id: str, *, confirm: bool, by: str = "methodic_human", reason: str | None = None
    ) -> dict[str, Any]:
        """Play a reviewer: decide a review-queue item (``kind`` ``reasoning_error`` or ``failure_mode``).

        On the hosted service a decision is made in the admin bridge, never through the client (the
        review queue is read-only there on purpose). ``by`` is the reviewer's class for a report:
        ``user``, ``agent``, ``methodic_agent`` (moves it to ``ai_validated``/``ai_rejected``) or
        ``methodic_human`` (``human_confirmed``/``human_rejected``, out of the queue). A confirmed proposed
        failure mode becomes ``active``. ``methodic_server.errors.ApiError`` (404, 409) for an unknown or
        already decided item.
        """
        return self._server.review(kind, item_id, confirm=confirm, by=by, reason=reason)

    def mint_worker_key(self, experiment_id: str, variation: int, run: int) -> str:
        """An ``sk_worker_`` key limited to one run."""
        return self._server.mint_worker_key(experiment_id, variation, run)

    def __enter__(self) -> LocalChronicle:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
