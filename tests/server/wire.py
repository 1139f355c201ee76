"""Raw-HTTP helpers for the server's own tests: the wire as openapi.yaml has it, no SDK in between."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx

from methodic_server import LocalChronicle
from tests.helpers import CONFIG

ERROR_FIELDS = {"code", "message", "details", "request_id"}


class Wire:
    """An httpx client on a LocalChronicle with a key, plus the few multi-step setups the tests share."""

    def __init__(self, server: LocalChronicle, key: str | None = None) -> None:
        self.server = server
        self.http = httpx.Client(
            base_url=server.url, headers={"Authorization": f"Bearer {key or server.api_key}"}, timeout=30
        )

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def ok(self, method: str, path: str, json: Any = None, status: int | None = None, **kw: Any) -> Any:
        """The JSON of a 2xx answer (``status`` exactly, when given); AssertionError with the body otherwise."""
        response = self.http.request(method, path, json=json, **kw)
        assert response.is_success and (status is None or response.status_code == status), response.text
        return response.json()

    def error(self, method: str, path: str, json: Any = None, **kw: Any) -> tuple[int, dict[str, Any]]:
        """Status and Error body of a refused request."""
        response = self.http.request(method, path, json=json, **kw)
        assert response.status_code >= 400, response.text
        body = response.json()
        assert set(body) == ERROR_FIELDS, body
        return response.status_code, body

    def experiment(self, config_yaml: str | None = CONFIG, **fields: Any) -> dict[str, Any]:
        """A new experiment (ExperimentCreated)."""
        body = {"hypothesis_summary": "h", "title": "t", **fields}
        if config_yaml is not None:
            body["config_yaml"] = config_yaml
        return dict(self.ok("POST", "/v1/experiments", body, status=201))

    def committed(self, **fields: Any) -> str:
        """An experiment, committed, with variation 0 committed (it has a hypothesis) and its pending run 0."""
        exp_id = str(self.experiment(**fields)["experiment_id"])
        self.ok("PUT", f"/v1/experiments/{exp_id}/commit", {})
        self.ok("PUT", f"/v1/experiments/{exp_id}/variations/0/commit", {"commit_without_hypothesis": True})
        return exp_id

    def commit_if_open(self, exp_id: str, variation: int = 0) -> None:
        """Commit the experiment and the variation unless they are already (a run starts only then)."""
        base = f"/v1/experiments/{exp_id}"
        for path, body in (
            (f"{base}/commit", {}),
            (f"{base}/variations/{variation}/commit", {"commit_without_hypothesis": True}),
        ):
            response = self.http.put(path, json=body)
            assert response.status_code in (200, 409), response.text

    def start(self, exp_id: str, variation: int = 0, run: int = 0) -> dict[str, Any]:
        """Start a run (committing its experiment and variation first, if they are open)."""
        self.commit_if_open(exp_id, variation)
        return dict(self.ok("POST", f"/v1/experiments/{exp_id}/variations/{variation}/runs/{run}/start", {}))

    def presigned(self, exp_id: str, components: list[str] | None = None, **fields: Any) -> dict[str, Any]:
        """A presigned checkpoint of run 0/0 (AssetCreated); ``components`` None is the single-file shape."""
        body: dict[str, Any] = {
            "asset_type": "checkpoint",
            "presign": True,
            "output_of": {"experiment_id": exp_id, "variation": 0, "run": 0},
            **fields,
        }
        if components is not None:
            body["components"] = components
        return dict(self.ok("POST", "/v1/assets", body, status=201))

    def ready_asset(self, exp_id: str, data: bytes = b"weights", name: str = "model.bin") -> str:
        """A finalized one-component checkpoint of run 0/0 (started here if it is pending)."""
        status = self.ok("GET", f"/v1/experiments/{exp_id}/variations/0/runs/0/status")
        if status["state"] == "pending":
            self.start(exp_id)
        created = self.presigned(exp_id, [name])
        assert httpx.put(created["upload_urls"][0]["url"], content=data).status_code == 200
        asset_id = str(created["asset"]["id"])
        files = [{"path": name, "sha256": hashlib.sha256(data).hexdigest()}]
        assert self.ok("PUT", f"/v1/assets/{asset_id}/finalize", {"files": files})["state"] == "ready"
        return asset_id
