"""Experiments: open → committed → concluded, with a retraction flag; lineage through parent links."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from methodic_server.errors import conflict, not_found
from methodic_server.store.documents import now_iso, page_offset
from methodic_server.store.scopes import PERSONAL_SCOPE

if TYPE_CHECKING:
    from methodic_server.store import Store


class Experiments:
    """Experiment records and their state machine."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.docs = store.docs

    def get(self, experiment_id: str) -> dict[str, Any]:
        """The experiment record, or 404."""
        exp = self.docs.get("experiment", experiment_id)
        if exp is None:
            raise not_found(f"experiment {experiment_id} not found")
        exp.setdefault("organization_id", None)  # records from before experiments had an owner scope
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
                "retracted_at": v["retracted_at"],
            }
            for v in self.store.variations.of(experiment_id)
        ]

    def detail(self, experiment_id: str) -> dict[str, Any]:
        """ExperimentDetail: the experiment with its variations."""
        with self.docs.lock:
            exp = self.get(experiment_id)
            self._refresh_tentative(exp)
            return {"experiment": exp, "variations": self._variation_summaries(experiment_id)}

    def _refresh_tentative(self, exp: dict[str, Any]) -> None:
        if exp["state"] == "open":
            exp["tentative_parents"] = [
                p for p in exp["parent_experiment_ids"] if (self.docs.get("experiment", p) or {}).get("state") == "open"
            ]

    def create(self, body: dict[str, Any], created_by: str) -> dict[str, Any]:
        """Create an open experiment; ``config_yaml`` seeds variation 0. Answers ExperimentCreated.

        Without a title (the hosted SDK's callers often pass only ``hypothesis_summary``) the title is
        the summary's first line, cut at a word boundary to 80 characters, as the UI displays it.
        """
        parents = list(body.get("parent_experiment_ids") or [])
        title = body.get("title") or default_title(body["hypothesis_summary"])
        with self.docs.transaction():
            for parent in parents:
                self.get(parent)
            exp_id = str(uuid.uuid4())
            slug = body.get("slug") or re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:48] or "experiment"
            exp = {
                "id": exp_id,
                "title": title,
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
                "organization_id": body.get("organization_id"),
            }
            self.docs.put("experiment", exp_id, exp)
            if body.get("config_yaml") is not None:
                self.store.variations.new(exp_id, {"config_yaml": body["config_yaml"]})
            self.store.search.index_experiment(exp)
        detail = self.detail(exp_id)
        return {**detail, "tentative_parents": list(detail["experiment"]["tentative_parents"])}

    def list_page(self, state: str | None, cursor: str | None, limit: int, owner: str | None = None) -> dict[str, Any]:
        """One page, newest first; the cursor is the offset. ``owner``: a scope id, or ``_all``/None for all."""
        personal = owner == PERSONAL_SCOPE["id"]
        with self.docs.lock:
            items = [
                e
                for e in self.docs.all("experiment", newest_first=True)
                if (state is None or e["state"] == state)
                and (
                    owner in (None, "_all")
                    or e.get("organization_id") == owner
                    or (personal and e.get("organization_id") is None)
                )
            ]
        start = page_offset(cursor)
        page = items[start : start + limit]
        for exp in page:
            exp.setdefault("organization_id", None)
            self._refresh_tentative(exp)
        more = start + limit < len(items)
        return {"experiments": page, "next_cursor": str(start + limit) if more else None}

    def commit(self, experiment_id: str, tentative_links: dict[str, str]) -> dict[str, Any]:
        """Open → committed, resolving links to parents that were still open."""
        with self.docs.transaction():
            exp = self.get(experiment_id)
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
            if self.store.enforce_review_gates and not any(
                a["asset_type"] == "hypothesis_report"
                for a in self.store.links.linked("experiment_input", experiment_id, -1)
            ):
                raise conflict("a hypothesis_report input is required before commit", code="hypothesis_report_missing")
            exp.update(state="committed", committed_at=now_iso(), tentative_parents=[])
            self.docs.put("experiment", experiment_id, exp)
        return self.detail(experiment_id)

    def conclude(self, experiment_id: str) -> dict[str, Any]:
        """Committed → concluded."""
        with self.docs.transaction():
            exp = self.get(experiment_id)
            if exp["state"] != "committed":
                raise conflict(f"experiment is {exp['state']}; only a committed experiment can be concluded")
            if self.store.enforce_review_gates:
                docs = self.store.links.linked("experiment_input", experiment_id, -1) + self.store.assets.outputs_of(
                    experiment_id
                )
                if not any(a["asset_type"] == "takeaways_report" and a["state"] == "ready" for a in docs):
                    raise conflict("a takeaways_report is required before conclude", code="takeaways_report_missing")
            exp.update(state="concluded", concluded_at=now_iso())
            self.docs.put("experiment", experiment_id, exp)
        return self.detail(experiment_id)

    def retract(self, experiment_id: str, reason: str) -> dict[str, Any]:
        """Set the retraction flag (idempotent; a repeat updates the reason) and invalidate the outputs."""
        with self.docs.transaction():
            exp = self.get(experiment_id)
            exp.update(retracted=True, retracted_at=exp["retracted_at"] or now_iso(), retraction_reason=reason)
            self.docs.put("experiment", experiment_id, exp)
            invalidated = 0
            for asset in self.store.assets.outputs_of(experiment_id):
                if not asset["invalidated"]:
                    asset.update(invalidated=True, invalidation_reason=f"experiment retracted: {reason}")
                    self.docs.put("asset", asset["id"], asset)
                    invalidated += 1
            self.store.search.index_experiment(exp)
        return {"experiment": exp, "outputs_invalidated": invalidated}

    def upstream_retractions(self, experiment_id: str, depth: int) -> dict[str, Any]:
        """Retracted ancestors within ``depth`` generations, nearest first (the lineage's ancestors)."""
        ancestors = [a for a in self.lineage(experiment_id)["ancestors"] if a["depth"] <= depth]
        retractions = [
            {
                "experiment_id": a["id"],
                "title": a["title"],
                "retracted_at": a["retracted_at"],
                "reason": a["retraction_reason"],
                "depth": a["depth"],
            }
            for a in ancestors
            if a["retracted_at"] is not None
        ]
        return {
            "experiment_id": experiment_id,
            "depth": depth,
            "has_retractions": bool(retractions),
            "retractions": retractions,
        }

    def tentative_links(self, experiment_id: str) -> dict[str, Any]:
        """Parents still open (an open experiment's tentative links); a retracted parent cannot be promoted."""
        with self.docs.lock:
            exp = self.get(experiment_id)
            self._refresh_tentative(exp)
            parents = [self.get(p) for p in exp["tentative_parents"]] if exp["state"] == "open" else []
        return {
            "experiment_id": experiment_id,
            "tentative_links": [
                {
                    "parent_experiment_id": p["id"],
                    "parent_title": p["title"],
                    "parent_state": p["state"],
                    "promotable": not p["retracted"],
                }
                for p in parents
            ],
        }

    def delete(self, experiment_id: str) -> tuple[dict[str, Any], list[str]]:
        """Remove an open experiment with its variations, runs and links; returns the summary and asset ids."""
        with self.docs.transaction():
            exp = self.get(experiment_id)
            if exp["state"] != "open":
                raise conflict(f"experiment is {exp['state']}: retract it instead of deleting it")
            children = [e["id"] for e in self.docs.all("experiment") if experiment_id in e["parent_experiment_ids"]]
            if children:
                raise conflict("experiment has descendants", details={"descendants": children})
            variations = self.store.variations.of(experiment_id)
            runs = self.docs.all("run", f"{experiment_id}/")
            for v in variations:
                self.docs.delete("variation", f"{experiment_id}/{v['variation']}")
            for r in runs:
                self.docs.delete("run", f"{experiment_id}/{r['variation']}/{r['run']}")
            links = self.store.links.remove_experiment(experiment_id)
            outputs = [a["id"] for a in self.store.assets.outputs_of(experiment_id)]
            for asset_id in outputs:
                self.docs.delete("asset", asset_id)
                self.store.search.remove(asset_id)
            self.docs.delete("experiment", experiment_id)
            self.store.search.remove(experiment_id)
        summary = {
            "id": experiment_id,
            "variations_removed": len(variations),
            "runs_removed": len(runs),
            "links_removed": links,
        }
        return summary, outputs

    def lineage(self, experiment_id: str) -> dict[str, Any]:
        """Committed ancestors and all descendants, breadth first, with their depth."""
        with self.docs.lock:
            self.get(experiment_id)
            everything = {e["id"]: e for e in self.docs.all("experiment")}

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


def default_title(summary: str) -> str:
    """The title an experiment created without one gets: the summary's first line, at most 80 characters."""
    line = next((ln.strip() for ln in summary.splitlines() if ln.strip()), summary.strip()) or "Untitled experiment"
    if len(line) <= 80:
        return line
    cut = line[:80].rsplit(" ", 1)[0]
    return (cut if len(cut) >= 40 else line[:80]).rstrip(" ,;:") + "…"
