"""Variations: open → committed (which creates pending run 0); the scheduler's stand-in adds the next runs."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import yaml

from methodic_contract import TERMINAL_RUN_STATES
from methodic_server.errors import bad_request, conflict, not_found
from methodic_server.store.documents import now_iso

if TYPE_CHECKING:
    from methodic_server.store import Store

#: A branch name as git accepts one, closely enough: path segments of safe characters, no leading dash.
GIT_REF = re.compile(r"(?!-)[A-Za-z0-9._-]+(?:/(?!-)[A-Za-z0-9._-]+)*")


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
        # records from before variations could be retracted or carried these fields
        for key in ("retracted_at", "retraction_reason", "retraction_document_asset_id", "accelerate_config_yaml"):
            var.setdefault(key, None)
        for key in ("git_ref", "git_sha", "accelerate_config_json", "launch_config"):
            var.setdefault(key, None)
        var.setdefault("created_by", "local-user")
        var["config_json"] = parse_mapping(var["config_yaml"]) or {}
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

    def new(self, experiment_id: str, body: dict[str, Any], created_by: str) -> dict[str, Any]:
        """Store an open variation with the next index and its pending run 0 (the caller holds the transaction)."""
        config_yaml = body["config_yaml"]
        _check_yaml(config_yaml)
        accelerate_yaml = body.get("accelerate_config_yaml")
        if accelerate_yaml is not None:
            _check_yaml(accelerate_yaml, "accelerate_config_yaml")
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
            "accelerate_config_yaml": accelerate_yaml,
            "accelerate_config_json": None if accelerate_yaml is None else parse_mapping(accelerate_yaml),
            "git_ref": body.get("git_ref"),
            "git_sha": None,  # the local server resolves no git refs
            "created_by": created_by,
            "input_asset_ids": inputs,
            "run_count": 0,
            "latest_status": None,
            "retracted_at": None,
            "retraction_reason": None,
            "retraction_document_asset_id": None,
        }
        self.docs.put("variation", f"{experiment_id}/{index}", var)
        self.store.runs.new(experiment_id, index, 0)
        return var

    def create(self, experiment_id: str, body: dict[str, Any], created_by: str) -> dict[str, Any]:
        """A new open variation with the next index (and its pending run 0)."""
        with self.docs.transaction():
            exp = self.store.experiments.get(experiment_id)
            if exp["state"] == "concluded":
                raise conflict("experiment is concluded; no new variations")
            var = self.new(experiment_id, body, created_by)
            return self.get(experiment_id, var["variation"])

    def _check_name_free(self, experiment_id: str, name: str | None, variation: int | None) -> None:
        """409 when another variation of the experiment already has this name (names are unique per experiment)."""
        if not name:
            return
        for other in self.docs.all("variation", f"{experiment_id}/"):
            if other.get("name") == name and other["variation"] != variation:
                raise conflict(f"a variation named {name!r} already exists")

    def update(self, experiment_id: str, variation: int, body: dict[str, Any]) -> dict[str, Any]:
        """Change an open variation's name, description, hypothesis or expected outcome; 409 once it is committed.

        Its config is fixed at create: a body naming any other field is a 400.
        """
        others = sorted(set(body) - set(UPDATABLE))
        if others:
            raise bad_request(f"only {', '.join(UPDATABLE)} can be updated; not {', '.join(others)}")
        with self.docs.transaction():
            var = self.get(experiment_id, variation)
            if var["state"] != "open":
                raise conflict("variation is committed; it can no longer be changed", code="variation_committed")
            self._check_name_free(experiment_id, body.get("name"), variation)
            for field in UPDATABLE:
                if field in body:
                    var[field] = body[field]
            self.docs.put("variation", f"{experiment_id}/{variation}", var)
            return self.get(experiment_id, variation)

    def retract(
        self, experiment_id: str, variation: int, reason: str, document_asset_id: str | None = None
    ) -> dict[str, Any]:
        """Set the retraction flag (idempotent; a repeat updates the reason) and invalidate the variation's outputs."""
        with self.docs.transaction():
            var = self.get(experiment_id, variation)
            if document_asset_id is not None:
                self.store.assets.get(document_asset_id)
            var.update(
                retracted_at=var["retracted_at"] or now_iso(),
                retraction_reason=reason,
                retraction_document_asset_id=document_asset_id or var["retraction_document_asset_id"],
            )
            self.docs.put("variation", f"{experiment_id}/{variation}", var)
            invalidated = 0
            for asset in self.store.assets.outputs_of(experiment_id, variation):
                if not asset["invalidated"]:
                    asset.update(invalidated=True, invalidation_reason=f"variation {variation} retracted: {reason}")
                    self.docs.put("asset", asset["id"], asset)
                    invalidated += 1
            return {"variation": self.get(experiment_id, variation), "outputs_invalidated": invalidated}

    def commit(self, experiment_id: str, variation: int, without_hypothesis: bool = False) -> dict[str, Any]:
        """Open → committed (the experiment must be committed); a variation needs a hypothesis unless told otherwise."""
        with self.docs.transaction():
            exp = self.store.experiments.get(experiment_id)
            var = self.get(experiment_id, variation)
            if exp["state"] != "committed":
                raise conflict(f"experiment is {exp['state']}; commit the experiment before its variations")
            if var["state"] != "open":
                raise conflict("variation is already committed")
            if not (var.get("hypothesis") or "").strip() and not without_hypothesis:
                raise conflict(
                    "variation has no hypothesis: set one (update) or pass commit_without_hypothesis",
                    code="missing_variation_hypothesis",
                )
            var.update(state="committed", committed_at=now_iso())
            self.docs.put("variation", f"{experiment_id}/{variation}", var)
            if self.docs.get("run", f"{experiment_id}/{variation}/0") is None:  # stored before create made run 0
                self.store.runs.new(experiment_id, variation, 0)
            return self.get(experiment_id, variation)

    def set_git_ref(self, experiment_id: str, variation: int, git_ref: str) -> dict[str, Any]:
        """Bind a branch name to an open variation (no SHA: that is pinned at commit on the hosted service)."""
        if git_ref.startswith("agent/"):
            raise bad_request("agent/* branches are protected: only the platform names them")
        if not GIT_REF.fullmatch(git_ref) or ".." in git_ref or git_ref.endswith((".lock", "/", ".")):
            raise bad_request(f"not a branch name git accepts: {git_ref!r}")
        with self.docs.transaction():
            var = self.get(experiment_id, variation)
            if var["state"] != "open":
                raise conflict("variation is committed; its git ref is frozen")
            var["git_ref"] = git_ref
            self.docs.put("variation", f"{experiment_id}/{variation}", var)
            return self.get(experiment_id, variation)

    def new_run(self, experiment_id: str, variation: int) -> dict[str, Any]:
        """The next pending run of a committed variation, once every earlier run is terminal.

        No API route calls this (the hosted API has none that makes a run): it is what the hosted
        scheduler does when it queues another run of a variation, offered by the local server in Python
        (``LocalChronicle.new_run``). 409 ``conflict`` while the variation is not committed, or while
        a run is not terminal (``details.active_runs``); 404 for an unknown experiment or variation.
        """
        with self.docs.transaction():
            var = self.get(experiment_id, variation)
            if var["state"] != "committed":
                raise conflict(f"variation is {var['state']}: only a committed variation gets a new run")
            runs = [self.store.runs.refresh(r) for r in self.docs.all("run", f"{experiment_id}/{variation}/")]
            active = [r["run"] for r in runs if r["state"] not in TERMINAL_RUN_STATES]
            if active:
                raise conflict(f"run(s) {active} are not terminal yet", details={"active_runs": active})
            return self.store.runs.new(experiment_id, variation, max((r["run"] for r in runs), default=-1) + 1)


#: What update may change: the prose of a variation, never its config.
UPDATABLE = ("name", "description", "hypothesis", "expected_outcome")


def _check_yaml(text: str, field: str = "config_yaml") -> None:
    """400 unless ``text`` parses as YAML."""
    try:
        yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise bad_request(f"{field} is not valid YAML: {exc}", code="invalid_config_yaml") from exc


def parse_mapping(text: str | None) -> dict[str, Any] | None:
    """A YAML document as JSON (values JSON lacks, such as dates, become strings); None unless it is a mapping."""
    if not text:
        return None
    try:
        parsed = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    return json.loads(json.dumps(parsed, default=str)) if isinstance(parsed, dict) else None
