"""Variations: open → committed (which creates pending run 0); a resume adds the next run."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import yaml

from methodic_contract import TERMINAL_RUN_STATES
from methodic_server.errors import bad_request, conflict, not_found
from methodic_server.store.documents import now_iso

if TYPE_CHECKING:
    from methodic_server.store import Store


class Variations:
    """Variation records, keyed ``<experiment_id>/<variation>``."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.docs = store.docs

    def get(self, experiment_id: str, variation: int) -> dict[str, Any]:
        """The variation record with its run count and latest run state, or 404."""
        var = self.docs.get("variation", f"{experiment_id}/{variation}")
        if var is None:
            self.store.experiments.get(experiment_id)
            raise not_found(f"variation {variation} of experiment {experiment_id} not found")
        var.setdefault("retracted_at", None)  # records from before variations could be retracted
        var.setdefault("retraction_reason", None)
        runs = self.docs.all("run", f"{experiment_id}/{variation}/")
        var["run_count"] = len(runs)
        if runs:
            latest = max(runs, key=lambda r: r["run"])
            var["latest_status"] = self.store.runs.refresh(latest)["state"]
        return var

    def of(self, experiment_id: str) -> list[dict[str, Any]]:
        """Every variation of an experiment, by index."""
        keys = [v["variation"] for v in self.docs.all("variation", f"{experiment_id}/")]
        return [self.get(experiment_id, k) for k in sorted(keys)]

    def new(self, experiment_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Store an open variation with the next index (the caller holds the transaction)."""
        config_yaml = body["config_yaml"]
        _check_yaml(config_yaml)
        existing = [v["variation"] for v in self.docs.all("variation", f"{experiment_id}/")]
        index = max(existing, default=-1) + 1
        self._check_name_free(experiment_id, body.get("name"), None)
        inputs = list(body.get("input_asset_ids") or [])
        for asset_id in inputs:
            self.store.links.check_linkable(self.store.assets.get(asset_id), False)
            self.store.links.add("variation_input", experiment_id, index, asset_id)
        var = {
            "experiment_id": experiment_id,
            "variation": index,
            "name": body.get("name"),
            "description": body.get("description"),
            "hypothesis": body.get("hypothesis"),
            "expected_outcome": body.get("expected_outcome"),
            "config_yaml": config_yaml,
            "state": "open",
            "created_at": now_iso(),
            "committed_at": None,
            "launch_config": body.get("launch_config"),
            "accelerate_config_json": body.get("accelerate_config_json"),
            "input_asset_ids": inputs,
            "run_count": 0,
            "latest_status": None,
            "retracted_at": None,
            "retraction_reason": None,
        }
        return self.docs.put("variation", f"{experiment_id}/{index}", var)

    def create(self, experiment_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """A new open variation with the next index."""
        with self.docs.transaction():
            exp = self.store.experiments.get(experiment_id)
            if exp["state"] == "concluded":
                raise conflict("experiment is concluded; no new variations")
            var = self.new(experiment_id, body)
            return self.get(experiment_id, var["variation"])

    def _check_name_free(self, experiment_id: str, name: str | None, variation: int | None) -> None:
        """409 when another variation of the experiment already has this name (names are unique per experiment)."""
        if not name:
            return
        for other in self.docs.all("variation", f"{experiment_id}/"):
            if other.get("name") == name and other["variation"] != variation:
                raise conflict(f"a variation named {name!r} already exists")

    def update(self, experiment_id: str, variation: int, body: dict[str, Any]) -> dict[str, Any]:
        """Change an open variation's metadata or config; a committed one is frozen (409)."""
        with self.docs.transaction():
            var = self.get(experiment_id, variation)
            if var["state"] != "open":
                raise conflict("variation is committed; it can no longer be changed", code="variation_committed")
            if "config_yaml" in body:
                _check_yaml(body["config_yaml"])
            self._check_name_free(experiment_id, body.get("name"), variation)
            for field in ("name", "description", "hypothesis", "expected_outcome", "config_yaml", "launch_config"):
                if field in body:
                    var[field] = body[field]
            self.docs.put("variation", f"{experiment_id}/{variation}", var)
            return self.get(experiment_id, variation)

    def retract(self, experiment_id: str, variation: int, reason: str) -> dict[str, Any]:
        """Set the retraction flag (idempotent; a repeat updates the reason) and invalidate the variation's outputs."""
        with self.docs.transaction():
            var = self.get(experiment_id, variation)
            var.update(retracted_at=var["retracted_at"] or now_iso(), retraction_reason=reason)
            self.docs.put("variation", f"{experiment_id}/{variation}", var)
            invalidated = 0
            for asset in self.store.assets.outputs_of(experiment_id, variation):
                if not asset["invalidated"]:
                    asset.update(invalidated=True, invalidation_reason=f"variation {variation} retracted: {reason}")
                    self.docs.put("asset", asset["id"], asset)
                    invalidated += 1
            return {"variation": self.get(experiment_id, variation), "outputs_invalidated": invalidated}

    def commit(self, experiment_id: str, variation: int) -> dict[str, Any]:
        """Open → committed; creates pending run 0."""
        with self.docs.transaction():
            exp = self.store.experiments.get(experiment_id)
            var = self.get(experiment_id, variation)
            if exp["state"] != "committed":
                raise conflict(f"experiment is {exp['state']}; commit the experiment before its variations")
            if var["state"] != "open":
                raise conflict("variation is already committed")
            var.update(state="committed", committed_at=now_iso())
            self.docs.put("variation", f"{experiment_id}/{variation}", var)
            self.store.runs.new(experiment_id, variation, 0)
            return self.get(experiment_id, variation)

    def config(self, experiment_id: str, variation: int) -> dict[str, Any]:
        """What a runner pulls at start."""
        with self.docs.lock:
            var = self.get(experiment_id, variation)
        parsed = yaml.safe_load(var["config_yaml"]) if var["config_yaml"] else None
        return {
            "experiment_id": experiment_id,
            "variation": variation,
            "config_yaml": var["config_yaml"],
            "config_json": json.loads(json.dumps(parsed, default=str)) if isinstance(parsed, dict) else {},
            "accelerate_config_json": var.get("accelerate_config_json"),
            "launch_config": var["launch_config"],
        }

    def resume(self, experiment_id: str, variation: int) -> dict[str, Any]:
        """A new pending run, once every earlier run is terminal."""
        with self.docs.transaction():
            var = self.get(experiment_id, variation)
            if var["state"] != "committed":
                raise conflict("only a committed variation can be resumed")
            runs = [self.store.runs.refresh(r) for r in self.docs.all("run", f"{experiment_id}/{variation}/")]
            active = [r["run"] for r in runs if r["state"] not in TERMINAL_RUN_STATES]
            if active:
                raise conflict(f"run(s) {active} are not terminal yet", details={"active_runs": active})
            return self.store.runs.new(experiment_id, variation, max((r["run"] for r in runs), default=-1) + 1)


def _check_yaml(config_yaml: str) -> None:
    """400 unless ``config_yaml`` parses as YAML."""
    try:
        yaml.safe_load(config_yaml)
    except yaml.YAMLError as exc:
        raise bad_request(f"config_yaml is not valid YAML: {exc}", code="invalid_config_yaml") from exc
