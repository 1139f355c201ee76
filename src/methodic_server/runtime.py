"""Running the whole local Chronicle: SQLite store, storage service, API on uvicorn, and the watchdog.

The data directory holds API keys and the storage signing secret, and people run this server on
shared machines: the directory is made (or tightened to) 0700 and the files the server keeps there
0600, whatever the umask. The database stores keys as SHA-256 hashes only. The server's default
key must survive a restart with the same data dir (it is printed and clients keep using it), so its
clear text is kept in the owner-only file ``api-key`` (:data:`KEY_FILE`) in the data directory; keys
given with ``api_keys`` are the caller's and are not written anywhere, and minted keys are returned
once and only their hashes are kept.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import socket
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn

from methodic_server.api import Api
from methodic_server.app import build_app
from methodic_server.backend import ObjectStore
from methodic_server.gateway import Gateway
from methodic_server.options import (
    DEFAULT_GATEWAY_UPLOAD_IDLE_TIMEOUT,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_PART_BYTES,
    UPLOAD_ROUTES,
    ApiOptions,
)
from methodic_server.storage import DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS, StorageService
from methodic_server.store import Store

#: The file in the data directory that keeps the default key in clear (mode 0600).
KEY_FILE = "api-key"
#: The hosted user-key format with at least 128 bits of randomness: ``sk_user_`` and 32+ letters or digits.
API_KEY_FORMAT = re.compile(r"sk_user_[A-Za-z0-9]{32,}")


def new_api_key(kind: str = "user") -> str:
    """A key in the hosted format: ``sk_<type>_<id><secret>``."""
    return f"sk_{kind}_{secrets.token_hex(4)}{secrets.token_hex(16)}"


def check_api_key(key: str) -> str:
    """``key`` if it has the hosted format and enough entropy to guess; ValueError saying why otherwise."""
    if key.startswith("sk_worker_"):
        # A worker key acts on one run only; accepted here it would have no run and be a full user key.
        raise ValueError(
            "a worker key (sk_worker_...) acts on one run only and is minted for that run "
            "(LocalChronicle.mint_worker_key); accept a user key (sk_user_...) here instead"
        )
    if not API_KEY_FORMAT.fullmatch(key):
        raise ValueError(
            "an API key must look like sk_user_<32 or more letters or digits>, e.g. "
            "python -c 'import secrets; print(\"sk_user_\" + secrets.token_hex(20))'"
        )
    return key


def _owner_only(path: Path, mode: int) -> None:
    """Create ``path`` (a file, or a directory when mode has execute bits) readable by the owner only."""
    if mode & 0o100:
        path.mkdir(mode=mode, parents=True, exist_ok=True)
    else:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, mode))
    os.chmod(path, mode)  # an existing one, or one the umask widened: tighten it


class ServerStartError(OSError):
    """A port of the local server could not be bound; the message says which, why, and what to do.

    ``which`` is ``"api"`` or ``"storage"``. Everything started before the failure is stopped again, so a
    caller may retry with another port. It stays an OSError (``errno`` kept) for callers that catch those.
    """

    def __init__(self, which: str, host: str, port: int, cause: OSError) -> None:
        self.which, self.host, self.port = which, host, port
        role = "the API" if which == "api" else "storage"
        if cause.errno == errno.EADDRINUSE:
            why = "the port is already in use (another dev-server?); stop what uses it or choose another port"
        elif cause.errno == errno.EACCES:
            why = "permission denied (ports below 1024 need privileges); choose a port above 1024"
        elif cause.errno == errno.EADDRNOTAVAIL:
            why = f"{host} is not an address of this machine"
        else:
            why = cause.strerror or str(cause)
        super().__init__(cause.errno, f"cannot listen on {host}:{port} for {role}: {why}")

    def __str__(self) -> str:
        return str(self.strerror)


class ChronicleServer:
    """One local Chronicle. ``start()`` binds the ports; ``stop()`` releases everything."""

    def __init__(
        self,
        data_dir: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        storage_port: int = 0,
        api_keys: list[str] | None = None,
        search: bool = True,
        heartbeat_timeout: float = 900.0,
        lost_timeout: float = 172_800.0,
        watchdog_interval: float | None = None,
        enforce_review_gates: bool = False,
        presign_ttl: float = 3600.0,
        validate_contract: bool = False,
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
        if upload_route not in UPLOAD_ROUTES:
            raise ValueError('upload_route must be "r2" or "gcs"')
        if max_part_bytes < 1:
            raise ValueError("max_part_bytes must be at least 1")
        for key in api_keys or []:
            check_api_key(key)
        self.data_dir = Path(data_dir)
        _owner_only(self.data_dir, 0o700)
        self._storage_idle_timeout = storage_idle_timeout
        self._storage_max_connections = storage_max_connections
        self._max_single_put_bytes = max_single_put_bytes
        self._per_connection_rate = per_connection_bytes_per_second
        if storage not in ("local", "s3"):
            raise ValueError('storage must be "local" or "s3"')
        if storage == "s3" and not s3_bucket:
            raise ValueError("storage s3 needs s3_bucket")
        self._storage_kind = storage
        self._s3_bucket = s3_bucket
        self._s3_endpoint_url = s3_endpoint_url
        self.host = host
        self._port = port
        self._storage_port = storage_port
        self.heartbeat_timeout = heartbeat_timeout
        self.lost_timeout = lost_timeout
        self.watchdog_interval = watchdog_interval or max(min(heartbeat_timeout / 4, 30.0), 0.05)
        self.options = ApiOptions(
            presign_ttl=presign_ttl,
            validate_contract=validate_contract,
            max_body_bytes=max_body_bytes,
            upload_route=upload_route,
            max_part_bytes=max_part_bytes,
        )
        self._gateway_idle_timeout = gateway_upload_idle_timeout
        #: The storage gateway (r2 route), served by the local storage service; None with S3 storage.
        self.gateway: Gateway | None = None
        self._search = search
        self._review_gates = enforce_review_gates
        self._keys = list(api_keys or [])
        self.api_key = ""
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._uvicorn: uvicorn.Server | None = None

    # -- lifecycle ------------------------------------------------------------------------------------
    def start(self) -> ChronicleServer:
        """Open the store, start storage, the API and the watchdog; wait until the API accepts connections."""
        database = self.data_dir / "chronicle.sqlite"
        # SQLite gives its -wal and -shm files the database file's mode, so creating it 0600 covers them
        _owner_only(database, 0o600)
        for sidecar in (database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")):
            if sidecar.exists():
                os.chmod(sidecar, 0o600)
        self.store = Store(
            database,
            heartbeat_timeout=self.heartbeat_timeout,
            lost_timeout=self.lost_timeout,
            search=self._search,
        )
        self.store.enforce_review_gates = self._review_gates
        for key in self._keys:
            self.store.keys.add(key)
        self.api_key = self._keys[0] if self._keys else self._default_key()
        self.store.keys.add(self.api_key)
        secret = self.store.keys.meta("storage_secret", lambda: secrets.token_hex(32)).encode()
        if self._storage_kind == "s3":
            from methodic_server.s3storage import S3Storage  # boto3 loads only for S3-backed servers

            self.storage: ObjectStore = S3Storage(self._s3_bucket or "", endpoint_url=self._s3_endpoint_url)
            self.gateway, self.options.gateway_url = None, None  # no gateway in front of a bucket: gcs only
        else:
            gateway = Gateway(self.store, self.options, idle_timeout=self._gateway_idle_timeout)
            try:
                service = StorageService(
                    self.data_dir / "objects",
                    secret,
                    self.host,
                    self._storage_port,
                    idle_timeout=self._storage_idle_timeout,
                    max_connections=self._storage_max_connections,
                    max_single_put_bytes=self._max_single_put_bytes,
                    per_connection_bytes_per_second=self._per_connection_rate,
                    handler=gateway.handler(),
                )
            except OSError as exc:
                self.store.close()
                raise ServerStartError("storage", self.host, self._storage_port, exc) from exc
            local = service.start()
            self._storage_port = local.port
            self.storage = local
            self.options.gateway_url = gateway.attach(local)
            self.gateway = gateway
        self.api = Api(self.store, self.storage, self.options)
        # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted sockets whose proto says TCP,
        # and without it every small response waits ~40 ms on Nagle + delayed ACK.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self._port))
        except OSError as exc:
            sock.close()
            self.storage.stop()
            self.store.close()
            raise ServerStartError("api", self.host, self._port, exc) from exc
        self._port = sock.getsockname()[1]
        config = uvicorn.Config(
            build_app(self.api), log_level="warning", lifespan="off", access_log=False, timeout_keep_alive=30
        )
        self._uvicorn = uvicorn.Server(config)
        self._stop.clear()
        api_thread = threading.Thread(
            target=self._uvicorn.run, kwargs={"sockets": [sock]}, name="methodic-api", daemon=True
        )
        watchdog = threading.Thread(target=self._watchdog, name="methodic-watchdog", daemon=True)
        self._threads = [api_thread, watchdog]
        for thread in self._threads:
            thread.start()
        deadline = time.monotonic() + 15
        while not self._uvicorn.started:
            if time.monotonic() > deadline or not api_thread.is_alive():
                raise RuntimeError("the local Chronicle API did not start")
            time.sleep(0.01)
        return self

    def _default_key(self) -> str:
        """The server's own key: kept in clear only in the owner-only key file, so it survives restarts."""
        path = self.data_dir / KEY_FILE
        legacy = self.store.keys.pop_meta("default_api_key")  # data dirs from before kept it in the database
        if path.is_file():
            os.chmod(path, 0o600)
            return path.read_text().strip()
        key = legacy or new_api_key()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(key + "\n")
        return key

    def stop(self) -> None:
        """Stop the API, storage and watchdog, and close the store."""
        self._stop.set()
        if self._uvicorn is not None:
            self._uvicorn.should_exit = True
        for thread in self._threads:
            thread.join(10)
        self._threads = []
        self.storage.stop()
        self.store.close()

    def _watchdog(self) -> None:
        while not self._stop.wait(self.watchdog_interval):
            try:
                self.store.runs.sweep()
                self.store.assets.sweep_expired()
                if self.gateway is not None:
                    self.gateway.sweep()
            except Exception:  # noqa: S112  (the store may be closing; the next pass retries)
                continue

    # -- addresses ------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        """Base URL of the API."""
        return f"http://{self.host}:{self._port}"

    @property
    def storage_url(self) -> str:
        """Base URL of the storage service."""
        return self.storage.base_url

    @property
    def gateway_url(self) -> str | None:
        """Base URL of the storage gateway (on the storage port), or None when storage is S3."""
        return self.options.gateway_url

    def mint_key(self, kind: str = "user", expires_in: float | None = None) -> str:
        """A new key of ``kind`` that expires after ``expires_in`` seconds (never when None)."""
        key = new_api_key(kind)
        self.store.keys.add(key, kind, None, None if expires_in is None else time.time() + expires_in)
        return key

    def expire_asset(self, asset_id: str) -> dict[str, Any]:
        """Expire an asset now, as if its ``expires_at`` had passed: its bytes are deleted, its record stays."""
        return self.store.assets.expire_now(asset_id)

    def new_run(self, experiment_id: str, variation: int) -> dict[str, Any]:
        """The hosted scheduler's part: the next pending run of a committed variation (its record)."""
        return self.store.variations.new_run(experiment_id, variation)

    def curate_failure_mode(self, entry: dict[str, Any], status: str) -> dict[str, Any]:
        """The curators' part: a failure-mode catalog entry (its record)."""
        return self.store.catalogs.add_failure_mode(entry, status=status)

    def curate_operational_check(self, entry: dict[str, Any]) -> dict[str, Any]:
        """The curators' part: an active operational check (its record)."""
        return self.store.catalogs.add_operational_check(entry)

    def review(self, kind: str, item_id: str, *, confirm: bool, by: str, reason: str | None) -> dict[str, Any]:
        """The reviewers' part: a decision on a review-queue item (its record after)."""
        return self.store.review_queue.decide(kind, item_id, confirm=confirm, by=by, reason=reason)

    def mint_worker_key(self, experiment_id: str, variation: int, run: int) -> str:
        """An ``sk_worker_`` key that may act only on one run (403 elsewhere)."""
        key = new_api_key("worker")
        self.store.keys.add(key, "worker", {"experiment_id": experiment_id, "variation": variation, "run": run})
        return key
