"""The small-run benchmark's second baseline: the fewest moves that upload an HF run's checkpoints over the wire.

A ``TrainerCallback`` written for the measurement, not for use: ``http.client`` on one thread, the run
started at ``on_train_begin``, each checkpoint's files read into memory at ``on_save`` (so rotation cannot
take them), then on the thread one presigned create (gateway route), one PUT per file, one finalize with
the files' sha256, and ``succeed`` once the queue is empty. No upload tracker, no staging, no environment
snapshot, no heartbeat, no checks that a file changed, no retries: what any client of this wire pays at
the least, on the same server, for the same requests. The SDK's distance from it is what the SDK's
safety and features cost; the distance from the run without uploads is what the wire and the server cost.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import queue
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from transformers import TrainerCallback


class BareUploader(TrainerCallback):
    """Start the run, upload each saved checkpoint on one background thread, then ``finish()`` succeeds it."""

    def __init__(self, api_url: str, api_key: str, experiment_id: str, variation: int, run: int) -> None:
        self._api = urlsplit(api_url)
        self._key = api_key
        self._target = {"experiment_id": experiment_id, "variation": variation, "run": run}
        self._run_path = (
            f"{self._api.path.rstrip('/')}/v1/experiments/{experiment_id}/variations/{variation}/runs/{run}"
        )
        self._queue: queue.Queue[dict[str, bytes] | None] = queue.Queue()
        self._connections: dict[tuple[str, int], http.client.HTTPConnection] = {}
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name="bare-uploader", daemon=True)
        self._thread.start()

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        """Start the run."""
        self._call("POST", self._api, f"{self._run_path}/start", {})

    def on_save(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        """Take the checkpoint's bytes now; the thread uploads them."""
        folder = Path(args.output_dir) / f"checkpoint-{state.global_step}"
        self._queue.put({p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()})

    def finish(self) -> None:
        """Wait for every checkpoint, then mark the run succeeded."""
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error
        self._call("POST", self._api, f"{self._run_path}/succeed", {})

    def _work(self) -> None:
        while (files := self._queue.get()) is not None:
            try:
                self._upload(files)
            except BaseException as exc:  # reported by finish()
                self._error = exc

    def _upload(self, files: dict[str, bytes]) -> None:
        body = {
            "name": "checkpoint",
            "asset_type": "checkpoint",
            "presign": True,
            "content_type": "application/octet-stream",
            "components": list(files),
            "output_of": self._target,
            "upload_targets": ["r2"],
        }
        created = self._call("POST", self._api, f"{self._api.path.rstrip('/')}/v1/assets", body)
        urls = {entry["component"]: urlsplit(entry["url"]) for entry in created["upload_urls"]}
        digests = []
        for name, data in files.items():
            self._call("PUT", urls[name], urls[name].path, data)
            digests.append({"path": name, "sha256": hashlib.sha256(data).hexdigest()})
        asset_id = created["asset"]["id"]
        self._call("PUT", self._api, f"{self._api.path.rstrip('/')}/v1/assets/{asset_id}/finalize", {"files": digests})

    def _call(self, method: str, where: Any, path: str, body: dict[str, Any] | bytes) -> Any:
        key = (where.hostname, where.port)
        conn = self._connections.get(key)
        if conn is None:
            conn = self._connections[key] = http.client.HTTPConnection(where.hostname, where.port, timeout=60)
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        kind = "application/octet-stream" if isinstance(body, bytes) else "application/json"
        headers = {"Authorization": f"Bearer {self._key}", "Content-Type": kind, "Content-Length": str(len(data))}
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        answer = response.read()
        if response.status >= 300:
            raise RuntimeError(f"{method} {path}: {response.status} {answer[:300]!r}")
        return json.loads(answer) if answer else None
