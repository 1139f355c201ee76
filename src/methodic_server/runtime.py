"""Running the whole local Chronicle: SQLite store, storage service, API on uvicorn, and the watchdog."""

from __future__ import annotations

import secrets
import socket
import threading
import time
from pathlib import Path

import uvicorn

from methodic_server.api import Api
from methodic_server.app import build_app
from methodic_server.options import ApiOptions
from methodic_server.storage import StorageService
from methodic_server.store import Store


def new_api_key(kind: str = "user") -> str:
    """A key in the hosted format: ``sk_<type>_<id><secret>``."""
    return f"sk_{kind}_{secrets.token_hex(4)}{secrets.token_hex(16)}"


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
    ) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.host = host
        self._port = port
        self._storage_port = storage_port
        self.heartbeat_timeout = heartbeat_timeout
        self.lost_timeout = lost_timeout
        self.watchdog_interval = watchdog_interval or max(min(heartbeat_timeout / 4, 30.0), 0.05)
        self.options = ApiOptions(presign_ttl=presign_ttl, validate_contract=validate_contract)
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
        self.store = Store(
            self.data_dir / "chronicle.sqlite",
            heartbeat_timeout=self.heartbeat_timeout,
            lost_timeout=self.lost_timeout,
            search=self._search,
        )
        self.store.enforce_review_gates = self._review_gates
        for key in self._keys:
            self.store.keys.add(key)
        self.api_key = self._keys[0] if self._keys else self.store.keys.meta("default_api_key", new_api_key)
        self.store.keys.add(self.api_key)
        secret = self.store.keys.meta("storage_secret", lambda: secrets.token_hex(32)).encode()
        self.storage = StorageService(self.data_dir / "objects", secret, self.host, self._storage_port).start()
        self._storage_port = self.storage.port
        self.api = Api(self.store, self.storage, self.options)
        # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted sockets whose proto says TCP,
        # and without it every small response waits ~40 ms on Nagle + delayed ACK.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self._port))
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

    def mint_key(self, kind: str = "user", expires_in: float | None = None) -> str:
        """A new key of ``kind`` that expires after ``expires_in`` seconds (never when None)."""
        key = new_api_key(kind)
        self.store.keys.add(key, kind, None, None if expires_in is None else time.time() + expires_in)
        return key

    def mint_worker_key(self, experiment_id: str, variation: int, run: int) -> str:
        """An ``sk_worker_`` key that may act only on one run (403 elsewhere)."""
        key = new_api_key("worker")
        self.store.keys.add(key, "worker", {"experiment_id": experiment_id, "variation": variation, "run": run})
        return key
