"""Experiments: open → committed → concluded, with a retraction flag; lineage through parent links."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from methodic_server.errors import bad_request, conflict, not_found
from methodic_server.store.documents import now_iso, parse_iso
from methodic_server.store.scopes import PERSONAL_SCOPE, SCOPES, owner_subject

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
        # records from before experiments had an owner scope or these fields
        for key in (
            "organization_id",
            "team_id",
            "visibility",
            "accelerate_config_yaml",
            "launch_config",
            "report_settings",
        ):
            exp.setdefault(key, None)
        exp.setdefault("retraction_document_asset_id", None)
        exp["owner_subject"] = owner_subject(exp["organization_id"])
        return exp

    def resolve(self, ref: str) -> str:
        """The experiment id a path names: its id, a bare slug, ``@user/slug``, ``o/org/slug`` or ``u/user/slug``.

        The reference may arrive URL-encoded as one segment (``%40alice%2Fslug``). A bare slug is looked up
        among the experiments the caller can read (every experiment, locally); an owner-qualified one among
        that owner's. 404 when nothing matches.
        """
        if "%" in ref:
            ref = unquote(ref)
        if "/" not in ref and self.docs.get("experiment", ref) is not None:
            return ref
        owner: str | None = None
        kind = ""
        parts = ref.split("/")
        if len(parts) == 2 and parts[0].startswith("@"):
            kind, owner, slug = "u", parts[0][1:], parts[1]
        elif len(parts) == 3 and parts[0] in ("u", "o"):
            kind, owner, slug = parts[0], parts[1], parts[2]
        elif len(parts) == 1:
            slug = ref
        else:
            raise not_found(f"experiment {ref} not found")
        organization = _owner_organization(kind, owner) if kind else None
        for exp in self.docs.all("experiment", newest_first=True):
            if exp.get("slug") != slug:
                continue
            if kind and exp.get("organization_id") != organization:
                continue
            return str(exp["id"])
        raise not_found(f"experiment {ref} not found")

    def _variation_summaries(self, experiment_id: str) -> list[dict[str, Any]]:
        return [
            {
                "variation": v["variation"],
                "created_at": v["created_at"],
                "run_count": v["run_count"],
                "state": v["state"],
                "description": v["description"],
                "latest_status": v["latest_status"],
                "committed_at": v["committed_at"],
                "retracted_at": v["retracted_at"],
                "name": v["name"],
                "hypothesis": v["hypothesis"],
            }
            for v in self.store.variations.of(experiment_id)
        ]

    def detail(self, experiment_id: str) -> dict[str, Any]:
        """ExperimentDetail: the experiment, its explicit parents and a summary of each variation."""
        with self.docs.lock:
            exp = self.get(experiment_id)
            self._refresh_tentative(exp)
            return {
                "experiment": exp,
                "parent_ids": self._explicit_parents(exp),
                "variations": self._variation_summaries(experiment_id),
            }

    def _refresh_tentative(self, exp: dict[str, Any]) -> None:
        """An open experiment's tentative parents: those that are still open (a committed one counts as explicit)."""
        if exp["state"] == "open":
            exp["tentative_parents"] = [
                p for p in exp["parent_experiment_ids"] if (self.docs.get("experiment", p) or {}).get("state") == "open"
            ]

    def _explicit_parents(self, exp: dict[str, Any]) -> list[str]:
        """Parents that count as lineage: every parent but one that is still open (a tentative link)."""
        return [
            p
            for p in exp["parent_experiment_ids"]
            if (self.docs.get("experiment", p) or {}).get("state", "open") != "open"
        ]

    def create(self, body: dict[str, Any], created_by: str) -> dict[str, Any]:
        """Create an open experiment; ``config_yaml`` seeds variation 0. Answers ExperimentCreated.

        Without a title (the hosted SDK's callers often pass only ``hypothesis_summary``) the title is
        the summary's first line, cut at a word boundary to 80 characters, as the UI displays it.
        """
        parents = list(dict.fromkeys(body.get("parent_experiment_ids") or []))
        title = body.get("title") or default_title(body["hypothesis_summary"])
        with self.docs.transaction():
            for index, parent in enumerate(parents):
                parents[index] = self.resolve(parent)
                record = self.get(parents[index])
                if record["retracted_at"] is not None and not body.get("allow_retracted_parent"):
                    raise conflict(
                        f"parent {record['id']} is retracted; pass allow_retracted_parent to build on it anyway",
                        code="parent_retracted",
                        details={"parent_id": record["id"], "retraction_reason": record["retraction_reason"]},
                    )
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
                "accelerate_config_yaml": body.get("accelerate_config_yaml"),
                "launch_config": body.get("launch_config"),
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
                "retraction_document_asset_id": None,
                "organization_id": body.get("organization_id"),
                "team_id": body.get("team_id"),
                "visibility": body.get("visibility"),
            }
            self.docs.put("experiment", exp_id, exp)
            self.store.events.record(
                "experiment.created",
                "experiment.create",
                "experiment",
                exp_id,
                experiment_id=exp_id,
                payload={"title": title},
            )
            seeded = None
            if body.get("config_yaml") is not None:
                seed: dict[str, Any] = {
                    k: body[k] for k in ("config_yaml", "accelerate_config_yaml", "launch_config") if k in body
                }
                seeded = self.store.variations.new(exp_id, seed, created_by)["variation"]
            self.store.search.index_experiment(exp)
        with self.docs.lock:
            exp = self.get(exp_id)
            self._refresh_tentative(exp)
            tentative = [self._tentative_entry(self.get(p)) for p in exp["tentative_parents"]]
        return {
            "experiment_id": exp_id,
            "variation": seeded,
            "run": None if seeded is None else 0,
            "tentative_parents": tentative,
            "experiment": exp,
        }

    @staticmethod
    def _tentative_entry(parent: dict[str, Any]) -> dict[str, Any]:
        """A TentativeParent: promotable once the parent has committed and while it is not retracted."""
        return {
            "parent_id": parent["id"],
            "parent_state": parent["state"],
            "promotable": parent["state"] != "open" and parent["retracted_at"] is None,
            "parent_title": parent["title"],
        }

    def list_page(
        self,
        *,
        status: str | None,
        created_by: str | None,
        owner: str | None,
        before: str | None,
        limit: int,
    ) -> tuple[list[dict[str, Any]], bool]:
        """One page of ExperimentSummary, newest first, and whether more follow.

        ``before`` is ``<created_at>_<id>`` of the previous page's last row; ``owner`` a scope id (``_all`` or
        None: every experiment).
        """
        cursor: tuple[str, str] | None = None
        if before is not None:
            stamp, sep, last_id = before.rpartition("_")
            if not sep or not stamp or not last_id:
                raise bad_request("before must be <created_at>_<id> of the previous page's last experiment")
            try:
                parse_iso(stamp)
            except ValueError as exc:
                raise bad_request(f"before: {stamp!r} is not an RFC 3339 timestamp") from exc
            cursor = (stamp, last_id)
        personal = owner == PERSONAL_SCOPE["id"]
        with self.docs.transaction():
            rows = [
                self.get(e["id"])
                for e in self.docs.all("experiment")
                if (status is None or e["state"] == status)
                and (created_by is None or e.get("created_by") == created_by)
                and (
                    owner in (None, "_all")
                    or e.get("organization_id") == owner
                    or (personal and e.get("organization_id") is None)
                )
            ]
            rows.sort(key=lambda e: (e["created_at"], e["id"]), reverse=True)
            if cursor is not None:
                rows = [e for e in rows if (e["created_at"], e["id"]) < cursor]
            page = [self._summary(e) for e in rows[:limit]]
        return page, len(rows) > limit

    def _summary(self, exp: dict[str, Any]) -> dict[str, Any]:
        """ExperimentSummary: the list row; ``status`` is the newest run's state."""
        variations = self.docs.all("variation", f"{exp['id']}/")
        runs = [self.store.runs.refresh(r) for r in self.docs.all("run", f"{exp['id']}/")]
        newest = max(runs, key=lambda r: (r["created_at"], r["variation"], r["run"]), default=None)
        return {
            "id": exp["id"],
            "hypothesis_summary": exp["hypothesis_summary"],
            "variation_count": len(variations),
            "created_at": exp["created_at"],
            "created_by": exp["created_by"],
            "state": exp["state"],
            "status": None if newest is None else newest["state"],
            "committed_at": exp["committed_at"],
            "concluded_at": exp["concluded_at"],
            "retracted_at": exp["retracted_at"],
            "title": exp["title"],
            "slug": exp["slug"],
            "owner_subject": exp["owner_subject"],
            "organization_id": exp["organization_id"],
        }

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
            self.store.events.record(
                "experiment.committed", "experiment.commit", "experiment", experiment_id, experiment_id=experiment_id
            )
        return self.detail(experiment_id)

    def set_report_settings(self, experiment_id: str, settings: dict[str, Any]) -> dict[str, Any]:
        """Replace how the experiment's reports are made; frozen once it is committed."""
        with self.docs.transaction():
            exp = self.get(experiment_id)
            if exp["state"] != "open":
                raise conflict(f"experiment is {exp['state']}; its report settings are frozen at commit")
            exp["report_settings"] = settings
            self.docs.put("experiment", experiment_id, exp)
            return exp

    def conclude(self, experiment_id: str, on_exist_action: str | None = None) -> dict[str, Any]:
        """Committed → concluded.

        The local server writes no takeaways report. When one is already an output of the experiment, the
        caller must say what to do with it (409 ``takeaways_report_exists`` otherwise): ``keep`` keeps it;
        ``regenerate`` cannot regenerate here, so it keeps it too, and the response's ``takeaways_report``
        says so (``regenerated: false``).
        """
        if on_exist_action not in (None, "keep", "regenerate"):
            raise bad_request("on_exist_action must be keep or regenerate")
        with self.docs.transaction():
            exp = self.get(experiment_id)
            if exp["state"] != "committed":
                raise conflict(f"experiment is {exp['state']}; only a committed experiment can be concluded")
            reports = [
                a
                for a in self.store.assets.outputs_of(experiment_id)
                if a["asset_type"] == "takeaways_report" and a["state"] != "abandoned"
            ]
            if reports and on_exist_action is None:
                raise conflict(
                    "a takeaways report already exists; pass on_exist_action keep or regenerate",
                    code="takeaways_report_exists",
                    details={"asset_ids": [a["id"] for a in reports]},
                )
            if self.store.enforce_review_gates:
                docs = self.store.links.linked("experiment_input", experiment_id, -1) + self.store.assets.outputs_of(
                    experiment_id
                )
                if not any(a["asset_type"] == "takeaways_report" and a["state"] == "ready" for a in docs):
                    raise conflict("a takeaways_report is required before conclude", code="takeaways_report_missing")
            exp.update(state="concluded", concluded_at=now_iso())
            self.docs.put("experiment", experiment_id, exp)
            self.store.events.record(
                "experiment.concluded", "experiment.conclude", "experiment", experiment_id, experiment_id=experiment_id
            )
        detail = self.detail(experiment_id)
        if reports:
            detail["takeaways_report"] = {
                "asset_ids": [a["id"] for a in reports],
                "on_exist_action": on_exist_action,
                "regenerated": False,
                "message": (
                    "kept the existing takeaways report"
                    if on_exist_action == "keep"
                    else "this server cannot generate takeaways reports; the existing one was kept unchanged"
                ),
            }
        return detail

    def retract(self, experiment_id: str, reason: str, document_asset_id: str | None = None) -> dict[str, Any]:
        """Set the retraction flag (idempotent; a repeat updates the reason) and invalidate the outputs."""
        with self.docs.transaction():
            exp = self.get(experiment_id)
            if document_asset_id is not None:
                self.store.assets.get(document_asset_id)
            exp.update(
                retracted=True,
                retracted_at=exp["retracted_at"] or now_iso(),
                retraction_reason=reason,
                retraction_document_asset_id=document_asset_id or exp["retraction_document_asset_id"],
            )
            stored = {k: v for k, v in exp.items() if k != "owner_subject"}
            self.docs.put("experiment", experiment_id, stored)
            invalidated = 0
            for asset in self.store.assets.outputs_of(experiment_id):
                if not asset["invalidated"]:
                    asset.update(invalidated=True, invalidation_reason=f"experiment retracted: {reason}")
                    self.docs.put("asset", asset["id"], asset)
                    invalidated += 1
            self.store.search.index_experiment(exp)
            self.store.events.record(
                "experiment.retracted",
                "experiment.retract",
                "experiment",
                experiment_id,
                experiment_id=experiment_id,
                severity="warning",
                payload={"reason": reason, "outputs_invalidated": invalidated},
            )
        return {"experiment": exp, "outputs_invalidated": invalidated}

    def upstream_retractions(
        self, experiment_id: str, depth: int | None, since: str | None, full_chain: bool
    ) -> dict[str, Any]:
        """Retracted ancestors, and retracted variations of ancestors, nearest first (explicit parent links)."""
        if since is not None:
            try:
                floor = parse_iso(since)
            except ValueError as exc:
                raise bad_request(f"since: {since!r} is not an RFC 3339 timestamp") from exc
        with self.docs.lock:
            lineage = self.lineage(experiment_id, "ancestors", depth)
            retractions: list[dict[str, Any]] = []
            for ancestor in lineage["ancestors"]:
                found = []
                if ancestor["retracted_at"] is not None:
                    found.append(
                        {
                            "experiment_id": ancestor["id"],
                            "retracted_at": ancestor["retracted_at"],
                            "reason": ancestor["retraction_reason"],
                            "depth": ancestor["depth"],
                            "variation": None,
                            "document_asset_id": ancestor["retraction_document_asset_id"],
                            "title": ancestor["title"],
                        }
                    )
                for var in self.docs.all("variation", f"{ancestor['id']}/"):
                    if var.get("retracted_at") is not None:
                        found.append(
                            {
                                "experiment_id": ancestor["id"],
                                "retracted_at": var["retracted_at"],
                                "reason": var.get("retraction_reason"),
                                "depth": ancestor["depth"],
                                "variation": var["variation"],
                                "document_asset_id": var.get("retraction_document_asset_id"),
                                "title": ancestor["title"],
                            }
                        )
                for entry in found:
                    if since is not None and parse_iso(entry["retracted_at"]) < floor:
                        continue
                    if full_chain:
                        entry["chain"] = list(ancestor["chain"])
                    retractions.append(entry)
        return {"experiment_id": experiment_id, "has_retractions": bool(retractions), "retractions": retractions}

    def promote(self, experiment_id: str, parent_ref: str) -> dict[str, Any]:
        """Make a parent link lineage: 404 unless it is a parent, 409 while that parent is still open.

        A link counts as lineage once its parent has committed (the local server promotes it then), so a
        promotion after that only confirms it: promoting again is the same answer.
        """
        with self.docs.lock:
            exp = self.get(experiment_id)
            parent = self.get(self.resolve(parent_ref))
            if parent["id"] not in exp["parent_experiment_ids"]:
                raise not_found(f"experiment {parent['id']} is not a parent of {experiment_id}")
            if parent["state"] == "open":
                raise conflict(
                    f"parent {parent['id']} is still open: a link to it is promotable once it commits",
                    code="parent_not_committed",
                )
        return {"experiment_id": experiment_id, "parent_id": parent["id"], "promoted": True}

    def tentative_links(self, experiment_id: str) -> dict[str, Any]:
        """Parents still open (an open experiment's tentative links); none once it is committed."""
        with self.docs.lock:
            exp = self.get(experiment_id)
            self._refresh_tentative(exp)
            parents = [self.get(p) for p in exp["tentative_parents"]] if exp["state"] == "open" else []
            return {
                "experiment_id": experiment_id,
                "tentative_links": [self._tentative_entry(p) for p in parents],
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

    def lineage(self, experiment_id: str, direction: str = "both", depth: int | None = None) -> dict[str, Any]:
        """Ancestors and descendants through explicit parent links, breadth first: full records with ``depth``.

        Each node also carries ``chain``: the experiment ids from this experiment to it.
        """
        if direction not in ("ancestors", "descendants", "both"):
            raise bad_request("direction must be ancestors, descendants or both")
        with self.docs.lock:
            self.get(experiment_id)
            everything = {e["id"]: self.get(e["id"]) for e in self.docs.all("experiment")}

            def walk(start: str, step: Callable[[str], list[str]]) -> list[dict[str, Any]]:
                seen, frontier, out, level = {start}, [(start, [start])], [], 0
                while frontier and (depth is None or level < depth):
                    level += 1
                    nxt = []
                    for node, chain in frontier:
                        for other in step(node):
                            if other in seen or other not in everything:
                                continue
                            seen.add(other)
                            nxt.append((other, [*chain, other]))
                            out.append({**everything[other], "depth": level, "chain": [*chain, other]})
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
                "ancestors": walk(experiment_id, parents) if direction != "descendants" else [],
                "descendants": walk(experiment_id, children) if direction != "ancestors" else [],
            }


def _owner_organization(kind: str, owner: str | None) -> str | None:
    """The organization_id an owner-qualified reference's experiments have (None: personal); 404 for a stranger."""
    for scope in SCOPES:
        if owner in (scope["id"], scope["slug"]) and scope["kind"] == ("user" if kind == "u" else "organization"):
            return None if kind == "u" else scope["id"]
    if kind == "u" and owner == "local-user":  # the subject experiments' created_by names
        return None
    raise not_found(f"no {'user' if kind == 'u' else 'organization'} {owner!r} on this server")


def default_title(summary: str) -> str:
    """The title an experiment created without one gets: the summary's first line, at most 80 characters."""
    line = next((ln.strip() for ln in summary.splitlines() if ln.strip()), summary.strip()) or "Untitled experiment"
    if len(line) <= 80:
        return line
    cut = line[:80].rsplit(" ", 1)[0]
    return (cut if len(cut) >= 40 else line[:80]).rstrip(" ,;:") + "…"
