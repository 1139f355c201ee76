"""The local server's state and rules: experiments, variations, runs, assets, links, search.

Each entity is a JSON document in SQLite (WAL), keyed the way the API addresses it, behind one lock:
requests from Starlette's thread pool are serialised here, so state can neither tear nor deadlock.
The state machines follow the seeds and the evidence: experiments open → committed → concluded with
a retraction flag; variations open → committed (run 0 is created pending); runs pending → running →
succeeded | failed_crash | failed_abandoned, with lost / failed_lost from the heartbeat watchdog;
assets pending → ready | abandoned, with deprecated / invalidated flags.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from methodic.server.errors import ApiError, bad_request, conflict, not_found

TERMINAL_RUN_STATES = frozenset({"succeeded", "failed_crash", "failed_abandoned", "failed_lost"})
_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (kind TEXT NOT NULL, key TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL,
                                 PRIMARY KEY (kind, key));
CREATE INDEX IF NOT EXISTS docs_seq ON docs (kind, seq);
CREATE TABLE IF NOT EXISTS links (kind TEXT NOT NULL, experiment_id TEXT NOT NULL, variation INTEGER NOT NULL,
                                  asset_id TEXT NOT NULL, PRIMARY KEY (kind, experiment_id, variation, asset_id));
CREATE TABLE IF NOT EXISTS keys (key TEXT PRIMARY KEY, kind TEXT NOT NULL, scope TEXT, expires_at REAL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_FTS = """
CREATE VIRTUAL TABLE IF NOT EXISTS search_docs USING fts5(
    document_id UNINDEXED, document_type UNINDEXED, asset_type UNINDEXED, experiment_id UNINDEXED,
    tags UNINDEXED, title, body, tokenize = 'porter unicode61'
);
"""
SAFE_COMPONENT = re.compile(r"^(?!/)(?!.*(?:^|/)\.{1,2}(?:/|$))(?!.*//)[^\\\x00]+$")


def now_iso(at: float | None = None) -> str:
    """RFC 3339 UTC timestamp with microseconds, so ordering by string is ordering by time."""
    moment = datetime.fromtimestamp(time.time() if at is None else at, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(value: str) -> float:
    """Seconds since the epoch of an RFC 3339 timestamp."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def _text_of(content: Any) -> str:
    """Every string inside a JSON value, for the search index."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return "\n".join(_text_of(v) for v in content.values())
    if isinstance(content, list):
        return "\n".join(_text_of(v) for v in content)
    return "" if content is None else str(content)


def _title_of(asset: dict[str, Any]) -> str:
    if asset.get("name"):
        return str(asset["name"])
    content = asset.get("content")
    if isinstance(content, str):
        for line in content.splitlines():
            if line.strip():
                return line.strip().lstrip("#").strip()[:120]
    if isinstance(content, dict):
        for key in ("title", "summary"):
            if isinstance(content.get(key), str):
                return str(content[key])[:120]
    return str(asset["asset_type"])


class Store:
    """All server state, persisted in one SQLite file."""

    def __init__(self, path: Path, *, heartbeat_timeout: float, lost_timeout: float, search: bool) -> None:
        self.path = path
        self.heartbeat_timeout = heartbeat_timeout
        self.lost_timeout = lost_timeout
        self.search_enabled = search
        self.enforce_review_gates = False
        self.lock = threading.RLock()
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.executescript(_SCHEMA + _FTS)
        key_columns = {row[1] for row in self.db.execute("PRAGMA table_info(keys)")}
        if "expires_at" not in key_columns:  # a data dir from before keys could expire
            self.db.execute("ALTER TABLE keys ADD COLUMN expires_at REAL")
        self._seq = int(self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM docs").fetchone()[0])

    def close(self) -> None:
        """Close the database."""
        with self.lock:
            self.db.close()

    # -- generic documents ----------------------------------------------------------------------------
    def _get(self, kind: str, key: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT data FROM docs WHERE kind = ? AND key = ?", (kind, key)).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def _put(self, kind: str, key: str, data: dict[str, Any]) -> dict[str, Any]:
        existing = self.db.execute("SELECT seq FROM docs WHERE kind = ? AND key = ?", (kind, key)).fetchone()
        if existing is None:
            self._seq += 1
            seq = self._seq
        else:
            seq = existing[0]
        self.db.execute(
            "INSERT OR REPLACE INTO docs (kind, key, seq, data) VALUES (?, ?, ?, ?)", (kind, key, seq, json.dumps(data))
        )
        return data

    def _all(self, kind: str, prefix: str = "", newest_first: bool = False) -> list[dict[str, Any]]:
        order = "DESC" if newest_first else "ASC"
        rows = self.db.execute(
            f"SELECT data FROM docs WHERE kind = ? AND key LIKE ? ORDER BY seq {order}",  # noqa: S608
            (kind, prefix + "%"),
        )
        return [dict(json.loads(r[0])) for r in rows]

    def _delete(self, kind: str, key: str) -> None:
        self.db.execute("DELETE FROM docs WHERE kind = ? AND key = ?", (kind, key))

    def transaction(self) -> _Transaction:
        """Serialise a unit of work and make it atomic."""
        return _Transaction(self)

    # -- keys -----------------------------------------------------------------------------------------
    def add_key(
        self, key: str, kind: str = "user", scope: dict[str, Any] | None = None, expires_at: float | None = None
    ) -> None:
        """Accept ``key`` (a worker key is limited to ``scope``: one run; a key may expire)."""
        with self.transaction():
            self.db.execute(
                "INSERT OR REPLACE INTO keys VALUES (?, ?, ?, ?)",
                (key, kind, json.dumps(scope) if scope else None, expires_at),
            )

    def key_info(self, key: str) -> tuple[str, dict[str, Any] | None, float | None] | None:
        """(kind, scope, expires_at) of a key, or None when unknown."""
        with self.lock:
            row = self.db.execute("SELECT kind, scope, expires_at FROM keys WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        return row[0], (json.loads(row[1]) if row[1] else None), row[2]

    def meta(self, key: str, default: Callable[[], str]) -> str:
        """A persisted server setting, created with ``default()`` the first time."""
        with self.transaction():
            row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            if row is not None:
                return str(row[0])
            value = default()
            self.db.execute("INSERT INTO meta VALUES (?, ?)", (key, value))
            return value

    # -- experiments ----------------------------------------------------------------------------------
    def experiment(self, experiment_id: str) -> dict[str, Any]:
        """The experiment record, or 404."""
        exp = self._get("experiment", experiment_id)
        if exp is None:
            raise not_found(f"experiment {experiment_id} not found")
        return exp

    def _variation_summaries(self, experiment_id: str) -> list[dict[str, Any]]:
        return [
            {
                "variation": v["variation"],
                "name": v["name"],
                "state": v["state"],
                "committed_at": v["committed_at"],
                "run_count": v["run_count"],
                "latest_status": v["latest_status"],
            }
            for v in self.variations_of(experiment_id)
        ]

    def detail(self, experiment_id: str) -> dict[str, Any]:
        """ExperimentDetail: the experiment with its variations."""
        with self.lock:
            exp = self.experiment(experiment_id)
            self._refresh_tentative(exp)
            return {"experiment": exp, "variations": self._variation_summaries(experiment_id)}

    def _refresh_tentative(self, exp: dict[str, Any]) -> None:
        if exp["state"] == "open":
            exp["tentative_parents"] = [
                p for p in exp["parent_experiment_ids"] if (self._get("experiment", p) or {}).get("state") == "open"
            ]

    def create_experiment(self, body: dict[str, Any], created_by: str) -> dict[str, Any]:
        """Create an open experiment; ``config_yaml`` seeds variation 0."""
        parents = list(body.get("parent_experiment_ids") or [])
        with self.transaction():
            for parent in parents:
                self.experiment(parent)
            exp_id = str(uuid.uuid4())
            slug = body.get("slug") or re.sub(r"[^a-z0-9]+", "-", body["title"].lower()).strip("-")[:48] or "experiment"
            exp = {
                "id": exp_id,
                "title": body["title"],
                "hypothesis_summary": body["hypothesis_summary"],
                "state": "open",
                "slug": f"{slug}-{exp_id[:6]}",
                "rationale": body.get("rationale"),
                "description": body.get("description"),
                "config_yaml": body.get("config_yaml"),
                "wandb_project": body.get("wandb_project"),
                "parent_experiment_ids": parents,
                "tentative_parents": [],
                "created_at": now_iso(),
                "created_by": created_by,
                "committed_at": None,
                "concluded_at": None,
                "retracted": False,
                "retracted_at": None,
                "retraction_reason": None,
            }
            self._put("experiment", exp_id, exp)
            if body.get("config_yaml") is not None:
                self._new_variation(exp_id, {"config_yaml": body["config_yaml"]})
            self._index_experiment(exp)
        return self.detail(exp_id)

    def list_experiments(self, state: str | None, cursor: str | None, limit: int) -> dict[str, Any]:
        """One page, newest first; the cursor is the offset."""
        with self.lock:
            items = [e for e in self._all("experiment", newest_first=True) if state is None or e["state"] == state]
        start = _offset(cursor)
        page = items[start : start + limit]
        for exp in page:
            self._refresh_tentative(exp)
        more = start + limit < len(items)
        return {"experiments": page, "next_cursor": str(start + limit) if more else None}

    def commit_experiment(self, experiment_id: str, tentative_links: dict[str, str]) -> dict[str, Any]:
        """Open → committed, resolving links to parents that were still open."""
        with self.transaction():
            exp = self.experiment(experiment_id)
            if exp["state"] != "open":
                raise conflict(f"experiment is {exp['state']}; only an open experiment can be committed")
            self._refresh_tentative(exp)
            unresolved = [p for p in exp["tentative_parents"] if tentative_links.get(p) not in ("promote", "drop")]
            if unresolved:
                raise conflict(
                    "tentative links to open parents must be resolved: pass tentative_links {parent: promote|drop}",
                    code="tentative_links_unresolved",
                    details={"parents": unresolved},
                )
            for parent, action in tentative_links.items():
                if action == "drop":
                    exp["parent_experiment_ids"] = [p for p in exp["parent_experiment_ids"] if p != parent]
            if self.enforce_review_gates and not any(
                a["asset_type"] == "hypothesis_report" for a in self._linked("experiment_input", experiment_id, -1)
            ):
                raise conflict("a hypothesis_report input is required before commit", code="hypothesis_report_missing")
            exp.update(state="committed", committed_at=now_iso(), tentative_parents=[])
            self._put("experiment", experiment_id, exp)
        return self.detail(experiment_id)

    def conclude_experiment(self, experiment_id: str) -> dict[str, Any]:
        """Committed → concluded."""
        with self.transaction():
            exp = self.experiment(experiment_id)
            if exp["state"] != "committed":
                raise conflict(f"experiment is {exp['state']}; only a committed experiment can be concluded")
            if self.enforce_review_gates:
                docs = self._linked("experiment_input", experiment_id, -1) + self.outputs_of(experiment_id)
                if not any(a["asset_type"] == "takeaways_report" and a["state"] == "ready" for a in docs):
                    raise conflict("a takeaways_report is required before conclude", code="takeaways_report_missing")
            exp.update(state="concluded", concluded_at=now_iso())
            self._put("experiment", experiment_id, exp)
        return self.detail(experiment_id)

    def retract_experiment(self, experiment_id: str, reason: str) -> dict[str, Any]:
        """Set the retraction flag (idempotent; a repeat updates the reason) and invalidate the outputs."""
        with self.transaction():
            exp = self.experiment(experiment_id)
            exp.update(retracted=True, retracted_at=exp["retracted_at"] or now_iso(), retraction_reason=reason)
            self._put("experiment", experiment_id, exp)
            invalidated = 0
            for asset in self.outputs_of(experiment_id):
                if not asset["invalidated"]:
                    asset.update(invalidated=True, invalidation_reason=f"experiment retracted: {reason}")
                    self._put("asset", asset["id"], asset)
                    invalidated += 1
            self._index_experiment(exp)
        return {"experiment": exp, "outputs_invalidated": invalidated}

    def delete_experiment(self, experiment_id: str) -> tuple[dict[str, Any], list[str]]:
        """Remove an open experiment with its variations, runs and links; returns the summary and asset ids."""
        with self.transaction():
            exp = self.experiment(experiment_id)
            if exp["state"] != "open":
                raise conflict(f"experiment is {exp['state']}: retract it instead of deleting it")
            children = [e["id"] for e in self._all("experiment") if experiment_id in e["parent_experiment_ids"]]
            if children:
                raise conflict("experiment has descendants", details={"descendants": children})
            variations = self.variations_of(experiment_id)
            runs = self._all("run", f"{experiment_id}/")
            for v in variations:
                self._delete("variation", f"{experiment_id}/{v['variation']}")
            for r in runs:
                self._delete("run", f"{experiment_id}/{r['variation']}/{r['run']}")
            links = self.db.execute("DELETE FROM links WHERE experiment_id = ?", (experiment_id,)).rowcount
            outputs = [a["id"] for a in self.outputs_of(experiment_id)]
            for asset_id in outputs:
                self._delete("asset", asset_id)
                self.db.execute("DELETE FROM search_docs WHERE document_id = ?", (asset_id,))
            self._delete("experiment", experiment_id)
            self.db.execute("DELETE FROM search_docs WHERE document_id = ?", (experiment_id,))
        summary = {
            "id": experiment_id,
            "variations_removed": len(variations),
            "runs_removed": len(runs),
            "links_removed": links,
        }
        return summary, outputs

    def lineage(self, experiment_id: str) -> dict[str, Any]:
        """Committed ancestors and all descendants, breadth first, with their depth."""
        with self.lock:
            self.experiment(experiment_id)
            everything = {e["id"]: e for e in self._all("experiment")}

            def walk(start: str, step: Callable[[str], list[str]]) -> list[dict[str, Any]]:
                seen, frontier, out, depth = {start}, [start], [], 0
                while frontier:
                    depth += 1
                    nxt = []
                    for node in frontier:
                        for other in step(node):
                            if other in seen or other not in everything:
                                continue
                            seen.add(other)
                            nxt.append(other)
                            e = everything[other]
                            out.append(
                                {
                                    "id": e["id"],
                                    "title": e["title"],
                                    "hypothesis_summary": e["hypothesis_summary"],
                                    "state": e["state"],
                                    "depth": depth,
                                    "retracted_at": e["retracted_at"],
                                    "retraction_reason": e["retraction_reason"],
                                }
                            )
                    frontier = nxt
                return out

            def parents(node: str) -> list[str]:
                # tentative links (a parent that is still open) are excluded
                return [
                    p for p in everything[node]["parent_experiment_ids"] if everything.get(p, {}).get("state") != "open"
                ]

            def children(node: str) -> list[str]:
                return [e["id"] for e in everything.values() if node in parents(e["id"])]

            return {
                "experiment_id": experiment_id,
                "ancestors": walk(experiment_id, parents),
                "descendants": walk(experiment_id, children),
            }

    # -- links ----------------------------------------------------------------------------------------
    def _linked(self, kind: str, experiment_id: str, variation: int) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT asset_id FROM links WHERE kind = ? AND experiment_id = ? AND variation = ? ORDER BY rowid",
            (kind, experiment_id, variation),
        ).fetchall()
        return [a for a in (self._get("asset", r[0]) for r in rows) if a is not None]

    def inputs(self, experiment_id: str, variation: int | None = None) -> list[dict[str, Any]]:
        """Input assets of the experiment, or of one variation."""
        with self.lock:
            self.experiment(experiment_id)
            if variation is None:
                return self._linked("experiment_input", experiment_id, -1)
            self.variation(experiment_id, variation)
            return self._linked("variation_input", experiment_id, variation)

    def link_input(self, experiment_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Link an asset as an input (frozen once committed; invalidated assets need allow_invalid_assets)."""
        with self.transaction():
            exp = self.experiment(experiment_id)
            asset = self.asset(body["asset_id"])
            variation = body.get("variation")
            if variation is None:
                if exp["state"] != "open":
                    raise conflict(f"experiment is {exp['state']}; its inputs are frozen")
                kind, index = "experiment_input", -1
            else:
                var = self.variation(experiment_id, variation)
                if var["state"] != "open":
                    raise conflict("variation is committed; its inputs are frozen")
                kind, index = "variation_input", variation
            self._check_linkable(asset, bool(body.get("allow_invalid_assets")))
            self.db.execute(
                "INSERT OR IGNORE INTO links VALUES (?, ?, ?, ?)", (kind, experiment_id, index, asset["id"])
            )
            if kind == "variation_input":
                var = self.variation(experiment_id, index)
                if asset["id"] not in var["input_asset_ids"]:
                    var["input_asset_ids"].append(asset["id"])
                    self._put("variation", f"{experiment_id}/{index}", var)
            return asset

    def _check_linkable(self, asset: dict[str, Any], allow_invalid: bool) -> None:
        if asset["state"] != "ready":
            raise conflict(f"asset {asset['id']} is {asset['state']}; only ready assets can be inputs")
        if asset["invalidated"] and not allow_invalid:
            raise conflict(
                f"asset {asset['id']} is invalidated; pass allow_invalid_assets to link it anyway",
                code="asset_invalidated",
            )

    def unlink_input(self, experiment_id: str, variation: int, asset_id: str) -> dict[str, Any]:
        """Remove a variation input (open variations only)."""
        with self.transaction():
            var = self.variation(experiment_id, variation)
            if var["state"] != "open":
                raise conflict("variation is committed; its inputs are frozen")
            removed = self.db.execute(
                "DELETE FROM links WHERE kind = 'variation_input' AND experiment_id = ? AND variation = ?"
                " AND asset_id = ?",
                (experiment_id, variation, asset_id),
            ).rowcount
            if not removed:
                raise not_found(f"asset {asset_id} is not an input of variation {variation}")
            var["input_asset_ids"] = [a for a in var["input_asset_ids"] if a != asset_id]
            self._put("variation", f"{experiment_id}/{variation}", var)
        return {"experiment_id": experiment_id, "variation": variation, "asset_id": asset_id}

    # -- variations -----------------------------------------------------------------------------------
    def variation(self, experiment_id: str, variation: int) -> dict[str, Any]:
        """The variation record, or 404."""
        var = self._get("variation", f"{experiment_id}/{variation}")
        if var is None:
            self.experiment(experiment_id)
            raise not_found(f"variation {variation} of experiment {experiment_id} not found")
        runs = self._all("run", f"{experiment_id}/{variation}/")
        var["run_count"] = len(runs)
        if runs:
            latest = max(runs, key=lambda r: r["run"])
            var["latest_status"] = self._refresh_run(latest)["state"]
        return var

    def variations_of(self, experiment_id: str) -> list[dict[str, Any]]:
        """Every variation of an experiment, by index."""
        keys = [v["variation"] for v in self._all("variation", f"{experiment_id}/")]
        return [self.variation(experiment_id, k) for k in sorted(keys)]

    def _new_variation(self, experiment_id: str, body: dict[str, Any]) -> dict[str, Any]:
        config_yaml = body["config_yaml"]
        try:
            yaml.safe_load(config_yaml)
        except yaml.YAMLError as exc:
            raise bad_request(f"config_yaml is not valid YAML: {exc}", code="invalid_config_yaml") from exc
        existing = [v["variation"] for v in self._all("variation", f"{experiment_id}/")]
        index = max(existing, default=-1) + 1
        names = {v.get("name") for v in self._all("variation", f"{experiment_id}/")}
        if body.get("name") and body["name"] in names:
            raise conflict(f"a variation named {body['name']!r} already exists")
        inputs = list(body.get("input_asset_ids") or [])
        for asset_id in inputs:
            self._check_linkable(self.asset(asset_id), False)
            self.db.execute(
                "INSERT OR IGNORE INTO links VALUES ('variation_input', ?, ?, ?)", (experiment_id, index, asset_id)
            )
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
        }
        return self._put("variation", f"{experiment_id}/{index}", var)

    def create_variation(self, experiment_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """A new open variation with the next index."""
        with self.transaction():
            exp = self.experiment(experiment_id)
            if exp["state"] == "concluded":
                raise conflict("experiment is concluded; no new variations")
            var = self._new_variation(experiment_id, body)
            return self.variation(experiment_id, var["variation"])

    def commit_variation(self, experiment_id: str, variation: int) -> dict[str, Any]:
        """Open → committed; creates pending run 0."""
        with self.transaction():
            exp = self.experiment(experiment_id)
            var = self.variation(experiment_id, variation)
            if exp["state"] != "committed":
                raise conflict(f"experiment is {exp['state']}; commit the experiment before its variations")
            if var["state"] != "open":
                raise conflict("variation is already committed")
            var.update(state="committed", committed_at=now_iso())
            self._put("variation", f"{experiment_id}/{variation}", var)
            self._new_run(experiment_id, variation, 0)
            return self.variation(experiment_id, variation)

    def variation_config(self, experiment_id: str, variation: int) -> dict[str, Any]:
        """What a runner pulls at start."""
        with self.lock:
            var = self.variation(experiment_id, variation)
        parsed = yaml.safe_load(var["config_yaml"]) if var["config_yaml"] else None
        return {
            "experiment_id": experiment_id,
            "variation": variation,
            "config_yaml": var["config_yaml"],
            "config_json": json.loads(json.dumps(parsed, default=str)) if isinstance(parsed, dict) else {},
            "accelerate_config_json": var.get("accelerate_config_json"),
            "launch_config": var["launch_config"],
        }

    def resume_variation(self, experiment_id: str, variation: int) -> dict[str, Any]:
        """A new pending run, once every earlier run is terminal."""
        with self.transaction():
            var = self.variation(experiment_id, variation)
            if var["state"] != "committed":
                raise conflict("only a committed variation can be resumed")
            runs = [self._refresh_run(r) for r in self._all("run", f"{experiment_id}/{variation}/")]
            active = [r["run"] for r in runs if r["state"] not in TERMINAL_RUN_STATES]
            if active:
                raise conflict(f"run(s) {active} are not terminal yet", details={"active_runs": active})
            return self._new_run(experiment_id, variation, max((r["run"] for r in runs), default=-1) + 1)

    # -- runs -----------------------------------------------------------------------------------------
    def _new_run(self, experiment_id: str, variation: int, number: int) -> dict[str, Any]:
        run = {
            "experiment_id": experiment_id,
            "variation": variation,
            "run": number,
            "state": "pending",
            "created_at": now_iso(),
            "started_at": None,
            "finished_at": None,
            "last_heartbeat_at": None,
            "failure_reason": None,
            "wandb_run_id": None,
            "wandb_entity": None,
            "wandb_project": None,
            "wandb_dashboard_url": None,
        }
        return self._put("run", f"{experiment_id}/{variation}/{number}", run)

    def _refresh_run(self, run: dict[str, Any]) -> dict[str, Any]:
        """Apply the watchdog: running → lost after the heartbeat timeout; lost → failed_lost after the lost timeout."""
        if run["state"] not in ("running", "lost"):
            return run
        last = parse_iso(run["last_heartbeat_at"] or run["started_at"] or run["created_at"])
        silent = time.time() - last
        state = run["state"]
        if silent >= self.heartbeat_timeout + self.lost_timeout:
            run.update(state="failed_lost", finished_at=now_iso(), failure_reason="lost: no heartbeat")
            self._abandon_pending_outputs(run)
        elif silent >= self.heartbeat_timeout:
            run["state"] = "lost"
        if run["state"] != state:
            self._put("run", f"{run['experiment_id']}/{run['variation']}/{run['run']}", run)
        return run

    def sweep(self) -> None:
        """The watchdog's periodic pass over live runs."""
        with self.transaction():
            for run in self._all("run"):
                self._refresh_run(run)

    def run(self, experiment_id: str, variation: int, number: int) -> dict[str, Any]:
        """The run record (watchdog applied), or 404."""
        run = self._get("run", f"{experiment_id}/{variation}/{number}")
        if run is None:
            self.variation(experiment_id, variation)
            raise not_found(f"run {number} of variation {variation} not found")
        return self._refresh_run(run)

    def runs_of(self, experiment_id: str, variation: int) -> list[dict[str, Any]]:
        """Every run of a variation, by number."""
        with self.transaction():
            self.variation(experiment_id, variation)
            runs = [self._refresh_run(r) for r in self._all("run", f"{experiment_id}/{variation}/")]
        return sorted(runs, key=lambda r: r["run"])

    def transition(
        self, experiment_id: str, variation: int, number: int, action: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        """start, heartbeat, succeed or fail a run."""
        with self.transaction():
            run = self.run(experiment_id, variation, number)
            key = f"{experiment_id}/{variation}/{number}"
            state = run["state"]
            if state in TERMINAL_RUN_STATES:
                raise conflict(f"run is {state} (terminal); it cannot {action}")
            stamp = now_iso()
            if action == "start":
                if state != "pending":
                    raise conflict(f"run is {state}; only a pending run can start")
                self._start(run, body)
                run.update(state="running", started_at=stamp, last_heartbeat_at=stamp)
            elif action == "heartbeat":
                if state == "pending":
                    raise conflict("run has not started; call start first")
                run.update(state="running", last_heartbeat_at=stamp)
            elif action == "succeed":
                if state not in ("running", "lost"):
                    raise conflict(f"run is {state}; only a running run can succeed")
                run.update(state="succeeded", finished_at=stamp)
            else:
                reason = body["reason"]
                abandoned = reason.strip().lower().startswith("abandoned")
                run.update(
                    state="failed_abandoned" if abandoned else "failed_crash", finished_at=stamp, failure_reason=reason
                )
                self._abandon_pending_outputs(run)
            return self._put("run", key, run)

    def _start(self, run: dict[str, Any], body: dict[str, Any]) -> None:
        wandb = {k: body.get(k) for k in ("wandb_run_id", "wandb_entity", "wandb_project", "wandb_dashboard_url")}
        if not any(wandb.values()):
            return
        if not (wandb["wandb_run_id"] and wandb["wandb_entity"]):
            raise bad_request("a W&B link needs at least wandb_run_id and wandb_entity", code="wandb_partial_triple")
        exp = self.experiment(run["experiment_id"])
        project = wandb["wandb_project"] or exp["wandb_project"]  # None when neither has one
        wandb["wandb_project"] = project
        run.update(wandb)
        self._new_asset(
            {
                "asset_type": "wandb_run",
                "name": f"wandb {wandb['wandb_entity']}/{project or '-'}/{wandb['wandb_run_id']}",
                "content": None,
                "content_type": "application/json",
                "asset_config": {
                    "entity": wandb["wandb_entity"],
                    "project": project,
                    "run_id": wandb["wandb_run_id"],
                    "dashboard_url": wandb["wandb_dashboard_url"],
                },
                "output_of": {"experiment_id": run["experiment_id"], "variation": run["variation"], "run": run["run"]},
            },
            presign=False,
        )

    def _abandon_pending_outputs(self, run: dict[str, Any]) -> None:
        for asset in self._all("asset"):
            if (asset["experiment_id"], asset["variation"], asset["run"]) == (
                run["experiment_id"],
                run["variation"],
                run["run"],
            ) and asset["state"] == "pending":
                asset["state"] = "abandoned"
                self._put("asset", asset["id"], asset)

    # -- assets ---------------------------------------------------------------------------------------
    def asset(self, asset_id: str) -> dict[str, Any]:
        """The asset record, or 404."""
        asset = self._get("asset", asset_id)
        if asset is None:
            raise not_found(f"asset {asset_id} not found")
        return asset

    def outputs_of(
        self, experiment_id: str, variation: int | None = None, run: int | None = None
    ) -> list[dict[str, Any]]:
        """Output assets, newest first."""
        return [
            a
            for a in self._all("asset", newest_first=True)
            if a["experiment_id"] == experiment_id
            and (variation is None or a["variation"] == variation)
            and (run is None or a["run"] == run)
        ]

    def _new_asset(self, body: dict[str, Any], *, presign: bool) -> dict[str, Any]:
        output_of = body.get("output_of")
        experiment_id = variation = run_number = None
        if output_of:
            experiment_id = output_of["experiment_id"]
            variation, run_number = output_of.get("variation"), output_of.get("run")
            if run_number is not None and variation is None:
                raise bad_request("output_of.run needs output_of.variation")
            if run_number is not None:
                target = self.run(experiment_id, variation, run_number)
                if target["state"] in TERMINAL_RUN_STATES:
                    raise conflict(f"run is {target['state']}; it cannot produce new outputs")
            elif variation is not None:
                self.variation(experiment_id, variation)
            else:
                self.experiment(experiment_id)
        components = []
        if presign:
            names = body.get("components") or []
            if not names:
                raise bad_request("presign needs at least one component")
            if len(set(names)) != len(names):
                raise bad_request("component names must be unique")
            for name in names:
                if not SAFE_COMPONENT.match(name):
                    raise bad_request(f"component name {name!r} must be a relative POSIX path without '..'")
            components = [{"name": n, "size_bytes": None, "sha256": None, "content_type": None} for n in names]
        elif body.get("components"):
            raise bad_request("components are only for presigned assets")
        stamp = now_iso()
        asset = {
            "id": str(uuid.uuid4()),
            "asset_type": body["asset_type"],
            "name": body.get("name"),
            "state": "pending" if presign else "ready",
            "content_type": body.get("content_type"),
            "content": None if presign else body.get("content"),
            "components": components,
            "asset_config": body.get("asset_config"),
            "tags": list(body.get("tags") or []),
            "experiment_id": experiment_id,
            "variation": variation,
            "run": run_number,
            "deprecated": False,
            "deprecation_reason": None,
            "invalidated": False,
            "invalidation_reason": None,
            "created_at": stamp,
            "finalized_at": None if presign else stamp,
            "download_urls": None,
        }
        self._put("asset", asset["id"], asset)
        if not presign:
            self._index_asset(asset)
        return asset

    def create_asset(self, body: dict[str, Any]) -> dict[str, Any]:
        """Inline (ready at once) or presigned (pending)."""
        with self.transaction():
            return self._new_asset(body, presign=bool(body.get("presign")))

    def finalize_asset(
        self, asset_id: str, declared: list[dict[str, Any]], stat: Callable[[str, str], tuple[int, str] | None]
    ) -> dict[str, Any]:
        """Pending → ready after checking every component in storage (idempotent)."""
        with self.transaction():
            asset = self.asset(asset_id)
            if asset["state"] == "ready":
                return asset
            if asset["state"] != "pending":
                raise conflict(f"asset is {asset['state']}; it cannot be finalized")
            by_name = {d["name"]: d for d in declared}
            unknown = sorted(set(by_name) - {c["name"] for c in asset["components"]})
            if unknown:
                raise bad_request(f"unknown components: {unknown}")
            missing, mismatched = [], []
            for component in asset["components"]:
                found = stat(asset_id, component["name"])
                if found is None:
                    missing.append(component["name"])
                    continue
                size, sha = found
                want = by_name.get(component["name"], {})
                if ("size_bytes" in want and want["size_bytes"] != size) or (
                    "sha256" in want and want["sha256"] != sha
                ):
                    mismatched.append({"name": component["name"], "size_bytes": size, "sha256": sha})
                component.update(size_bytes=size, sha256=sha)
            if missing:
                raise conflict(
                    f"components missing from storage: {missing}",
                    code="components_missing",
                    details={"missing": missing},
                )
            if mismatched:
                raise conflict(
                    "components differ from the declared sizes or checksums",
                    code="component_mismatch",
                    details={"mismatched": mismatched},
                )
            asset.update(state="ready", finalized_at=now_iso())
            return self._put("asset", asset_id, asset)

    def set_flag(self, asset_id: str, flag: str, reason: str) -> dict[str, Any]:
        """Set ``deprecated`` or ``invalidated`` with a reason."""
        with self.transaction():
            asset = self.asset(asset_id)
            asset[flag] = True
            asset["deprecation_reason" if flag == "deprecated" else "invalidation_reason"] = reason
            return self._put("asset", asset_id, asset)

    def delete_asset(self, asset_id: str) -> dict[str, Any]:
        """Delete an asset that is not linked as an input."""
        with self.transaction():
            asset = self.asset(asset_id)
            links = self.db.execute("SELECT COUNT(*) FROM links WHERE asset_id = ?", (asset_id,)).fetchone()[0]
            if links:
                raise conflict(f"asset is linked as an input in {links} place(s)", details={"links": links})
            self._delete("asset", asset_id)
            self.db.execute("DELETE FROM search_docs WHERE document_id = ?", (asset_id,))
            return asset

    def list_assets(self, filters: dict[str, Any], cursor: str | None, limit: int) -> dict[str, Any]:
        """One page of assets matching the filters, newest first."""
        with self.lock:
            items = [
                a
                for a in self._all("asset", newest_first=True)
                if all(filters[k] is None or a[k] == filters[k] for k in filters)
            ]
        start = _offset(cursor)
        more = start + limit < len(items)
        return {"assets": items[start : start + limit], "next_cursor": str(start + limit) if more else None}

    # -- search ---------------------------------------------------------------------------------------
    def _index_asset(self, asset: dict[str, Any]) -> None:
        if asset["content"] is None:
            return
        self.db.execute(
            "INSERT INTO search_docs VALUES (?, 'asset', ?, ?, ?, ?, ?)",
            (
                asset["id"],
                asset["asset_type"],
                asset["experiment_id"],
                json.dumps(asset["tags"]),
                _title_of(asset),
                _text_of(asset["content"]),
            ),
        )

    def _index_experiment(self, exp: dict[str, Any]) -> None:
        self.db.execute("DELETE FROM search_docs WHERE document_id = ?", (exp["id"],))
        body = "\n".join(
            filter(None, [exp["hypothesis_summary"], exp["description"], exp["rationale"], exp["retraction_reason"]])
        )
        self.db.execute(
            "INSERT INTO search_docs VALUES (?, 'experiment', NULL, ?, '[]', ?, ?)",
            (exp["id"], exp["id"], exp["title"], body),
        )

    def search(self, body: dict[str, Any]) -> dict[str, Any]:
        """Full-text search with bm25 ranking; filters are hard, experiment_context boosts."""
        if not self.search_enabled:
            raise ApiError(503, "search_unavailable", "search is not configured on this server")
        tokens = re.findall(r"\w+", body["query"])
        filters = body.get("filters") or {}
        asset_types = filters.get("asset_types") or []
        tags = set(filters.get("tags") or [])
        context = set(body.get("experiment_context") or [])
        size = int(body.get("page_size") or 20)
        results: list[dict[str, Any]] = []
        if tokens:
            match = " OR ".join('"' + t.replace('"', "") + '"' for t in tokens)
            sql = (
                "SELECT document_id, document_type, asset_type, experiment_id, tags, title,"
                " snippet(search_docs, 6, '[', ']', '…', 12), bm25(search_docs) FROM search_docs"
                " WHERE search_docs MATCH ?"
            )
            params: list[Any] = [match]
            if asset_types:
                sql += f" AND asset_type IN ({','.join('?' * len(asset_types))})"
                params += list(asset_types)
            with self.lock:
                rows = self.db.execute(sql + " ORDER BY bm25(search_docs) LIMIT 500", params).fetchall()
            for doc_id, doc_type, asset_type, exp_id, doc_tags, title, snippet, rank in rows:
                if tags and not tags & set(json.loads(doc_tags)):
                    continue
                score = -float(rank) + (1.0 if exp_id in context else 0.0)
                results.append(
                    {
                        "document_id": doc_id,
                        "document_type": doc_type,
                        "title": title,
                        "snippet": snippet,
                        "score": round(score, 6),
                        "asset_type": asset_type,
                        "experiment_id": exp_id,
                    }
                )
        results.sort(key=lambda r: -r["score"])
        return {"query": body["query"], "results": results[:size]}


class _Transaction:
    def __init__(self, store: Store) -> None:
        self.store = store

    def __enter__(self) -> None:
        self.store.lock.acquire()
        self.store.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            self.store.db.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            self.store.lock.release()


def _offset(cursor: str | None) -> int:
    if cursor is None:
        return 0
    if not cursor.isdigit():
        raise bad_request("invalid cursor")
    return int(cursor)
