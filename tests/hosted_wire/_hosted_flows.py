"""Seed flows (/work/shared/seeds/*.md) through the PUBLISHED hosted client, run in its own venv.

Usage: ``python -I _hosted_flows.py FLOW WORKDIR`` with CHRONICLE_SERVER_URL / CHRONICLE_API_KEY set.
Prints one JSON line per call: ``{"name", "ok", "error_type", "status", "message", "facts"}``. A call
whose inputs came from a failed call is reported ``ok: false`` with ``error_type: "Blocked"``. Never
imported by pytest (it imports the hosted ``methodic``).
"""

from __future__ import annotations

import hashlib
import json
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

CONFIG = "lr: 0.01\nsteps: 1000\n"
FAST = "lr: 0.05\nsteps: 1000\n"


class Failed:
    """The result of a call that raised (or was blocked)."""

    def __init__(self, name: str) -> None:
        self.name = name


class Recorder:
    def __init__(self) -> None:
        self.names: set[str] = set()

    def emit(self, record: dict[str, Any]) -> None:
        print(json.dumps(record, default=str), flush=True)

    def call(
        self,
        name: str,
        fn: Callable[[], Any],
        facts: Callable[[Any], dict[str, Any]] | None = None,
        needs: tuple[Any, ...] = (),
    ) -> Any:
        assert name not in self.names, f"duplicate call name {name}"
        self.names.add(name)
        blocked = [n.name for n in needs if isinstance(n, Failed)]
        if blocked:
            self.emit({"name": name, "ok": False, "error_type": "Blocked", "message": f"needs {blocked}"})
            return Failed(name)
        try:
            result = fn()
        except BaseException as exc:
            self.emit(
                {
                    "name": name,
                    "ok": False,
                    "error_type": type(exc).__name__,
                    "status": getattr(exc, "status_code", None),
                    "message": str(exc)[:400],
                    "where": traceback.format_exc(limit=-2)[-600:],
                }
            )
            return Failed(name)
        record: dict[str, Any] = {"name": name, "ok": True}
        if facts is not None:
            try:
                record["facts"] = facts(result)
            except BaseException as exc:
                record["facts_error"] = f"{type(exc).__name__}: {exc}"[:400]
        self.emit(record)
        return result


# ---------------------------------------------------------------- helpers (read raw results loosely)


def asset_id_of(resp: Any) -> str | None:
    """The id in a create response: flat ``{id}`` or wrapped ``{asset: {id}}``."""
    if isinstance(resp, dict):
        if isinstance(resp.get("id"), str):
            return resp["id"]
        inner = resp.get("asset")
        if isinstance(inner, dict) and isinstance(inner.get("id"), str):
            return inner["id"]
    return None


def status_of(resp: Any) -> Any:
    """The run state in a raw status response (a string, or ``status`` / ``state`` / ``run.state``)."""
    if isinstance(resp, str):
        return resp
    if isinstance(resp, dict):
        for key in ("status", "state"):
            if isinstance(resp.get(key), str):
                return resp[key]
        if isinstance(resp.get("run"), dict):
            return status_of(resp["run"])
    return repr(resp)[:100]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_checkpoint(folder: Path, seed: int) -> dict[str, str]:
    """Three files (one nested); returns component name → sha256."""
    files = {
        "model.bin": bytes((i * seed) % 251 for i in range(70_000)),
        "optimizer/state.pt": bytes((i * 7 + seed) % 256 for i in range(3_000)),
        "meta.json": json.dumps({"step": seed}).encode(),
    }
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return {name: sha(data) for name, data in files.items()}


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): sha(p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()}


def ids(items: Any) -> list[str]:
    out = []
    for item in items or []:
        out.append(item.get("id") if isinstance(item, dict) else getattr(item, "id", None))
    return out


def committed_variation0(r: Recorder, c: Any, tag: str) -> Any:
    """An experiment with variation 0 committed (run 0 pending): the runner's starting point."""
    exp = create_experiment(
        r,
        c,
        f"{tag}.setup.experiments.create",
        lambda e: {"variation": e._create_response.variation, "run": e._create_response.run},
        title=f"{tag} exp",
        hypothesis_summary=f"{tag} hypothesis",
        config_yaml=CONFIG,
    )
    r.call(f"{tag}.setup.experiments.commit", lambda: c.experiments.commit(exp.id), needs=(exp,))
    r.call(
        f"{tag}.setup.variations.commit",
        lambda: c.variations.commit(exp.id, 0, commit_without_hypothesis=True),
        needs=(exp,),
    )
    return exp


def create_experiment(
    r: Recorder,
    c: Any,
    name: str,
    facts: Callable[[Any], dict[str, Any]] | None = None,
    needs: tuple[Any, ...] = (),
    **kwargs: Any,
) -> Any:
    """``experiments.create`` as a tested call; if it fails, the flow goes on with an experiment made raw.

    The published client parses the create response strictly, so one wrong field there would block
    every later call of the flow. The fallback (a plain POST read loosely) keeps the rest measurable;
    the failed create itself is still reported.
    """
    exp = r.call(name, lambda: c.experiments.create(**kwargs), facts, needs)
    if not isinstance(exp, Failed) or any(isinstance(n, Failed) for n in needs):
        return exp
    try:
        body = {k: v for k, v in kwargs.items() if v is not None}
        resp = c._transport.post("/experiments", json=body)
        eid = resp.get("experiment_id") or resp["experiment"]["id"]
    except Exception as exc:
        r.emit({"name": "__note__", "message": f"{name}: raw fallback failed too: {type(exc).__name__}: {exc}"[:300]})
        return exp
    r.emit({"name": "__note__", "message": f"{name}: continuing with {eid}, created by a raw POST"})
    return c.experiment(eid)


# ---------------------------------------------------------------- flows


def flow_design(r: Recorder, c: Any, work: Path) -> None:
    """design.md (+ README quickstart): researcher lifecycle, variations, lineage, search, owner refs."""
    import methodic

    report = r.call(
        "assets.create_inline(hypothesis_report, markdown)",
        lambda: c.assets.create_inline(
            asset_type="hypothesis_report",
            content="# Wider\nA wider model lowers the loss.\n",
            content_type="text/markdown",
        ),
        lambda a: {"has_id": asset_id_of(a) is not None},
    )
    exp = create_experiment(
        r,
        c,
        "experiments.create",
        lambda e: {"has_id": bool(e.id), "variation": e._create_response.variation, "run": e._create_response.run},
        title="Wider probe",
        hypothesis_summary="A wider model lowers the loss",
        config_yaml=CONFIG,
        rationale="why",
        description="desc",
    )
    r.call("experiment.state (open)", lambda: exp.state, lambda s: {"state": s}, needs=(exp,))
    r.call(
        "datasets.link(experiment input)",
        lambda: c.datasets.link(asset_id_of(report), exp.id),
        needs=(exp, report),
    )
    r.call(
        "experiments.get",
        lambda: c.experiments.get(exp.id),
        lambda d: {
            "id_matches": d.experiment.id == exp.id,
            "state": d.experiment.state,
            "hypothesis_summary": d.experiment.hypothesis_summary,
            "variations": [v.variation for v in d.variations],
        },
        needs=(exp,),
    )
    r.call(
        "experiment.commit (handle, chained)",
        lambda: exp.commit(),
        lambda e: {"state": e.state, "committed_at_set": e.committed_at is not None},
        needs=(exp,),
    )
    var = r.call(
        "experiment.variations.create",
        lambda: exp.variations.create(config_yaml=FAST, name="fast", description="faster lr"),
        lambda v: {"variation": v.variation},
        needs=(exp,),
    )
    r.call(
        "variations.get",
        lambda: c.variations.get(exp.id, var.variation),
        lambda v: {
            "config_yaml": v.config_yaml,
            "config_json": v.config_json,
            "name": v.name,
            "state": v.state,
            "variation": v.variation,
        },
        needs=(exp, var),
    )
    r.call(
        "variations.update(hypothesis, expected_outcome)",
        lambda: c.variations.update(exp.id, var.variation, hypothesis="lr 0.05 beats 0.01", expected_outcome="lower"),
        lambda v: {"hypothesis": v.hypothesis, "expected_outcome": v.expected_outcome},
        needs=(exp, var),
    )
    r.call(
        "datasets.link(variation input)",
        lambda: c.datasets.link(asset_id_of(report), exp.id, variation=var.variation),
        needs=(exp, var, report),
    )
    r.call(
        "variations.list_inputs",
        lambda: c.variations.list_inputs(exp.id, var.variation),
        lambda items: {"contains_report": asset_id_of(report) in ids(items)},
        needs=(exp, var, report),
    )
    r.call(
        "variation.commit (handle)",
        lambda: var.commit(),
        lambda v: {"state": v.state, "committed_at_set": v.committed_at is not None},
        needs=(var,),
    )
    r.call(
        "variations.commit(0, commit_without_hypothesis=True)",
        lambda: c.variations.commit(exp.id, 0, commit_without_hypothesis=True),
        needs=(exp,),
    )
    r.call(
        "experiment.detail after commits",
        lambda: c.experiments.get(exp.id),
        lambda d: {"variation_states": {str(v.variation): v.state for v in d.variations}},
        needs=(exp,),
    )

    # list / iter with pagination
    more = [
        create_experiment(r, c, f"experiments.create (page {i})", hypothesis_summary=f"page {i}", config_yaml=CONFIG)
        for i in range(3)
    ]
    made = [e.id for e in [exp, *more] if not isinstance(e, Failed)]
    assert len(made) == 4, "the list checks need the 4 experiments"
    r.call(
        "experiments.list",
        lambda: c.experiments.list(),
        lambda page: {"contains_created": set(made) <= {s.id for s in page.results}, "count": len(page.results)},
    )
    r.call(
        "experiments.list(page_size=2)",
        lambda: c.experiments.list(page_size=2),
        lambda page: {"count": len(page.results), "has_next": page.next_page_token is not None},
    )
    r.call(
        "experiments.iter(page_size=2)",
        lambda: [s.id for s in c.experiments.iter(page_size=2)],
        lambda seen: {"contains_created": set(made) <= set(seen), "no_duplicates": len(seen) == len(set(seen))},
    )
    r.call(
        "experiments.list(status=open)",
        lambda: c.experiments.list(status="open"),
        lambda page: {
            "only_open": all(s.state == "open" for s in page.results),
            "has_open_page_exp": any(s.id in made[1:] for s in page.results),
            "excludes_committed": exp.id not in {s.id for s in page.results} if not isinstance(exp, Failed) else None,
        },
    )

    # lineage: a child of the committed experiment
    child = create_experiment(
        r,
        c,
        "experiments.create(parent_experiment_ids=[committed])",
        lambda e: {"tentative_parents": len(e._create_response.tentative_parents)},
        needs=(exp,),
        hypothesis_summary="child",
        config_yaml=CONFIG,
        parent_experiment_ids=[exp.id] if not isinstance(exp, Failed) else None,
    )
    r.call(
        "experiments.get_lineage(parent)",
        lambda: c.experiments.get_lineage(exp.id),
        lambda lin: {"descendants_include_child": child.id in [e.id for e in lin.descendants]},
        needs=(exp, child),
    )
    r.call(
        "experiments.get_lineage(child, direction=ancestors, depth=1)",
        lambda: c.experiments.get_lineage(child.id, direction="ancestors", depth=1),
        lambda lin: {"ancestors": [e.id == exp.id for e in lin.ancestors]},
        needs=(exp, child),
    )
    r.call(
        "experiment.get detail parent_ids (child)",
        lambda: c.experiments.get(child.id),
        lambda d: {"parent_is_exp": d.parent_ids == [exp.id]},
        needs=(exp, child),
    )

    # tentative links: a child of a still-open parent
    open_parent = create_experiment(
        r, c, "experiments.create(open parent)", hypothesis_summary="op", config_yaml=CONFIG
    )
    tchild = create_experiment(
        r,
        c,
        "experiments.create(parent still open)",
        lambda e: {
            "tentative_parents": [
                (t.parent_id == open_parent.id, t.parent_state, t.promotable)
                for t in e._create_response.tentative_parents
            ]
        },
        needs=(open_parent,),
        hypothesis_summary="tentative child",
        config_yaml=CONFIG,
        parent_experiment_ids=[open_parent.id] if not isinstance(open_parent, Failed) else None,
    )
    r.call(
        "experiments.tentative_links",
        lambda: c.experiments.tentative_links(tchild.id),
        lambda links: {"links": [(t.parent_id == open_parent.id, t.parent_state, t.promotable) for t in links]},
        needs=(tchild, open_parent),
    )
    r.call(
        "experiments.commit(tentative_links={parent: drop})",
        lambda: c.experiments.commit(tchild.id, tentative_links={open_parent.id: "drop"}),
        needs=(tchild, open_parent),
    )
    r.call(
        "experiments.tentative_links after drop",
        lambda: c.experiments.tentative_links(tchild.id),
        lambda links: {"count": len(links)},
        needs=(tchild,),
    )

    # owner-qualified reference @user/slug (slug read from the raw experiment record)
    scopes = r.call(
        "me.scopes",
        lambda: c.me.scopes(),
        lambda ss: {
            "kinds": sorted({s.kind for s in ss}),
            "user_scope_has_slug": any(s.kind == "user" and s.slug for s in ss),
        },
    )
    slug = r.call(
        "probe: experiment slug on the wire",
        lambda: c._transport.get(f"/experiments/{exp.id}")["experiment"]["slug"],
        lambda s: {"is_str": isinstance(s, str) and bool(s)},
        needs=(exp,),
    )
    r.call(
        "experiments.get(@user/slug)",
        lambda: c.experiments.get(f"@{next(s.slug for s in scopes if s.kind == 'user')}/{slug}"),
        lambda d: {"id_matches": d.experiment.id == exp.id},
        needs=(exp, scopes, slug),
    )
    r.call(
        "experiment(@user/slug).state",
        lambda: c.experiment(f"@{next(s.slug for s in scopes if s.kind == 'user')}/{slug}").state,
        lambda s: {"state": s},
        needs=(exp, scopes, slug),
    )

    # search
    r.call(
        "search.query",
        lambda: c.search.query("wider", filters={"asset_types": ["hypothesis_report"]}, page_size=10),
        lambda resp: {
            "results_are_typed": all(hasattr(x, "document_id") for x in resp.results),
            "total_size_is_int": isinstance(resp.total_size, int),
        },
    )
    r.call(
        "search.query(experiment hit)",
        lambda: c.search.query("wider"),
        lambda resp: {
            "finds_experiment": any(exp.id in (x.experiment_ids or []) or x.document_id == exp.id for x in resp.results)
        },
        needs=(exp,),
    )

    # conclude, after a takeaways report
    r.call(
        "assets.create_inline(takeaways_report, output_of experiment)",
        lambda: c.assets.create_inline(
            asset_type="takeaways_report", content={"summary": "wider helps"}, output_of={"experiment_id": exp.id}
        ),
        lambda a: {"has_id": asset_id_of(a) is not None},
        needs=(exp,),
    )
    r.call(
        "experiment.conclude (handle) -> ConflictError",
        lambda: _raises(lambda: exp.conclude(), methodic.ConflictError),
        lambda s: {"outcome": s},
        needs=(exp,),
    )
    r.call(
        "experiment.conclude(on_exist_action=keep) (handle)",
        lambda: exp.conclude(on_exist_action="keep"),
        lambda e: {"state": e.state, "concluded_at_set": e.concluded_at is not None},
        needs=(exp,),
    )

    # retraction and upstream retractions: retract the committed child's parent chain
    r.call("experiments.commit(child)", lambda: c.experiments.commit(child.id), needs=(child,))
    grandchild = create_experiment(
        r,
        c,
        "experiments.create(grandchild)",
        needs=(child,),
        hypothesis_summary="gc",
        config_yaml=CONFIG,
        parent_experiment_ids=[child.id] if not isinstance(child, Failed) else None,
    )
    r.call(
        "variations.retract",
        lambda: c.variations.retract(exp.id, var.variation, reason="bad seed"),
        needs=(exp, var),
    )
    r.call(
        "variation.retracted_at (handle)",
        lambda: c.variation(exp.id, var.variation).retracted_at,
        lambda at: {"set": at is not None},
        needs=(exp, var),
    )
    r.call(
        "experiments.retract(child)",
        lambda: c.experiments.retract(child.id, reason="leak"),
        needs=(child,),
    )
    r.call(
        "experiment.retracted_at",
        lambda: c.experiment(child.id).retracted_at,
        lambda at: {"set": at is not None},
        needs=(child,),
    )
    r.call(
        "experiments.get_upstream_retractions(grandchild)",
        lambda: c.experiments.get_upstream_retractions(grandchild.id, depth=3),
        lambda u: {
            "has_retractions": u.has_retractions,
            "retractions": [(x.experiment_id == child.id, x.depth, x.reason) for x in u.retractions],
        },
        needs=(grandchild, child),
    )

    # delete an open experiment
    doomed = create_experiment(r, c, "experiments.create(to delete)", hypothesis_summary="x", config_yaml=CONFIG)
    r.call("experiments.delete", lambda: c.experiments.delete(doomed.id), needs=(doomed,))

    def gone() -> str:
        try:
            c.experiments.get(doomed.id)
        except methodic.NotFoundError:
            return "NotFoundError"
        return "still there"

    r.call("experiments.get(deleted) -> NotFoundError", gone, lambda s: {"outcome": s}, needs=(doomed,))
    r.call(
        "experiments.delete(committed) -> ConflictError",
        lambda: _raises(lambda: c.experiments.delete(child.id), methodic.ConflictError),
        lambda s: {"outcome": s},
        needs=(child,),
    )


def _raises(fn: Callable[[], Any], expected: type[BaseException]) -> str:
    try:
        fn()
    except expected:
        return expected.__name__
    return "no error"


def flow_run_lifecycle(r: Recorder, c: Any, work: Path) -> None:
    """run-lifecycle.md: config → start → heartbeat → succeed | fail(crash) | fail(abandoned)."""
    exp = committed_variation0(r, c, "rl")
    run = c.run(exp.id, 0, 0) if not isinstance(exp, Failed) else exp
    r.call(
        "run.get_variation_config",
        lambda: run.get_variation_config(),
        lambda cfg: {"config_yaml": cfg.get("config_yaml"), "config_json": cfg.get("config_json")},
        needs=(exp,),
    )
    r.call("run.get_status (pending)", lambda: run.get_status(), lambda s: {"status": status_of(s)}, needs=(exp,))
    r.call(
        "run.start().heartbeat() (chained)",
        lambda: run.start().heartbeat(),
        lambda x: {"returns_run": x is run},
        needs=(exp,),
    )
    r.call("run.get_status (running)", lambda: run.get_status(), lambda s: {"status": status_of(s)}, needs=(exp,))
    r.call("run.heartbeat", lambda: run.heartbeat(), needs=(exp,))
    r.call("runs.heartbeat (namespace)", lambda: c.runs.heartbeat(exp.id, 0, 0), needs=(exp,))
    r.call("run.succeed", lambda: run.succeed(), lambda x: {"returns_run": x is run}, needs=(exp,))
    r.call("run.get_status (succeeded)", lambda: run.get_status(), lambda s: {"status": status_of(s)}, needs=(exp,))

    for i, reason in ((1, "crash"), (2, "abandoned")):
        var = r.call(
            f"variations.create(v{i})",
            lambda: c.variations.create(exp.id, config_yaml=FAST, hypothesis="h"),
            lambda v: {"variation": v.variation},
            needs=(exp,),
        )
        r.call(f"variations.commit(v{i})", lambda: c.variations.commit(exp.id, var.variation), needs=(exp, var))
        r.call(f"runs.start(v{i})", lambda: c.runs.start(exp.id, var.variation, 0), needs=(exp, var))
        r.call(
            f"run.fail(reason={reason})",
            lambda: c.run(exp.id, var.variation, 0).fail(reason=reason),
            needs=(exp, var),
        )
        r.call(
            f"runs.get_status(v{i}, failed_{reason})",
            lambda: c.runs.get_status(exp.id, var.variation, 0),
            lambda s: {"status": status_of(s)},
            needs=(exp, var),
        )
    r.call("chronicle.close", lambda: c.close())


def flow_assets(r: Recorder, c: Any, work: Path) -> None:
    """assets.md: inline, markdown, presigned three-step, states, validity flags, download, review gates."""
    import methodic

    exp = committed_variation0(r, c, "as")
    run = c.run(exp.id, 0, 0) if not isinstance(exp, Failed) else exp
    r.call("run.start", lambda: run.start(), needs=(exp,))
    takeaways = r.call(
        "run.upload_asset(takeaways_report)",
        lambda: run.upload_asset(asset_type="takeaways_report", content={"summary": "converged", "key_findings": []}),
        lambda a: {"has_id": asset_id_of(a) is not None},
        needs=(exp,),
    )
    research = r.call(
        "assets.create_inline(research_report)",
        lambda: c.assets.create_inline(asset_type="research_report", content={"notes": "..."}),
        lambda a: {"has_id": asset_id_of(a) is not None},
    )
    r.call(
        "assets.create_inline(markdown)",
        lambda: c.assets.create_inline(asset_type="hypothesis_report", content="# H\n", content_type="text/markdown"),
        lambda a: {"has_id": asset_id_of(a) is not None},
    )
    r.call(
        "assets.get(inline)",
        lambda: c.assets.get(asset_id_of(research)),
        lambda a: {"state": a.get("state"), "asset_type": a.get("asset_type")},
        needs=(research,),
    )

    src = work / "ckpt"
    digests = write_checkpoint(src, 3)
    info = r.call(
        "run.create_asset_presigned(3 components)",
        lambda: run.create_asset_presigned(asset_type="checkpoint", components=sorted(digests)),
        lambda i: {"components": sorted(i.upload_urls), "has_id": bool(i.asset_id)},
        needs=(exp,),
    )
    uploaded = r.call(
        "run.upload_component x3",
        lambda: {
            name: run.upload_component(info.upload_urls[name], src / name, "application/octet-stream")
            for name in sorted(digests)
        },
        lambda got: {"sha256s_match": got == digests},
        needs=(info,),
    )
    r.call(
        "assets.get(presigned, before finalize)",
        lambda: c.assets.get(info.asset_id),
        lambda a: {"state": a.get("state")},
        needs=(info,),
    )
    r.call(
        "run.finalize_asset(sha256s)",
        lambda: run.finalize_asset(info.asset_id, uploaded),
        needs=(info, uploaded),
    )
    r.call(
        "run.finalize_asset again (idempotent)",
        lambda: run.finalize_asset(info.asset_id),
        needs=(info,),
    )
    r.call(
        "assets.get(after finalize)",
        lambda: c.assets.get(info.asset_id),
        lambda a: {"state": a.get("state"), "asset_type": a.get("asset_type")},
        needs=(info,),
    )
    r.call(
        "assets.get(include_presigned=True)",
        lambda: c.assets.get(info.asset_id, include_presigned=True),
        lambda a: {"presigned_components": sorted((a.get("presigned_urls") or {}).keys())},
        needs=(info,),
    )
    r.call(
        "run.presign_asset(read)",
        lambda: run.presign_asset(info.asset_id),
        lambda urls: {
            "components": sorted(urls),
            "each_has_url": all(isinstance(u, dict) and u.get("url") for u in urls.values()),
        },
        needs=(info,),
    )
    r.call(
        "assets.download",
        lambda: c.assets.download(info.asset_id, work / "dl"),
        lambda out: {"files_match": tree_digest(Path(out)) == digests, "files": sorted(tree_digest(Path(out)))},
        needs=(info,),
    )
    r.call(
        "run.upload_file(single file)",
        lambda: run.upload_file(src / "model.bin", asset_type="model"),
        lambda asset_id: {"has_id": bool(asset_id)},
        needs=(exp,),
    )

    # validity flags
    r.call(
        "assets.deprecate",
        lambda: c.assets.deprecate(asset_id_of(takeaways), reason="superseded"),
        needs=(takeaways,),
    )
    r.call(
        "assets.invalidate",
        lambda: c.assets.invalidate(info.asset_id, reason="wrong data"),
        needs=(info,),
    )
    r.call(
        "assets.get(invalidated) keeps state",
        lambda: c.assets.get(info.asset_id),
        lambda a: {"state": a.get("state")},
        needs=(info,),
    )

    # review gates
    gated = r.call(
        "assets.create_inline(pending_reasons=[review_required])",
        lambda: c.assets.create_inline(
            asset_type="research_report", content={"x": 1}, pending_reasons=["review_required"]
        ),
        needs=(),
    )
    r.call(
        "assets.get(review-gated)",
        lambda: c.assets.get(asset_id_of(gated)),
        lambda a: {"state": a.get("state")},
        needs=(gated,),
    )
    r.call("assets.approve", lambda: c.assets.approve(asset_id_of(gated)), needs=(gated,))
    r.call(
        "assets.get(approved)",
        lambda: c.assets.get(asset_id_of(gated)),
        lambda a: {"state": a.get("state")},
        needs=(gated,),
    )
    rejected = r.call(
        "assets.create_inline(to reject)",
        lambda: c.assets.create_inline(
            asset_type="research_report", content={"x": 2}, pending_reasons=["review_required"]
        ),
    )
    r.call("assets.reject", lambda: c.assets.reject(asset_id_of(rejected), reason="no"), needs=(rejected,))
    r.call(
        "assets.get(rejected)",
        lambda: c.assets.get(asset_id_of(rejected)),
        lambda a: {"state": a.get("state")},
        needs=(rejected,),
    )

    # delete an unlinked asset
    r.call("assets.delete(unlinked)", lambda: c.assets.delete(asset_id_of(research)), needs=(research,))
    r.call(
        "assets.get(deleted) -> NotFoundError",
        lambda: _raises(lambda: c.assets.get(asset_id_of(research)), methodic.NotFoundError),
        lambda s: {"outcome": s},
        needs=(research,),
    )
    r.call("run.succeed", lambda: run.succeed(), needs=(exp,))


def flow_resumable_uploads(r: Recorder, c: Any, work: Path) -> None:
    """resumable-uploads.md: register_and_upload_async with an UploadTracker, wait, succeed."""
    from methodic import UploadTracker

    exp = committed_variation0(r, c, "ru")
    run = c.run(exp.id, 0, 0) if not isinstance(exp, Failed) else exp
    r.call("run.start", lambda: run.start(), needs=(exp,))
    tracker = UploadTracker(db_path=work / "uploads.sqlite")
    src = work / "checkpoint-1000"
    digests = write_checkpoint(src, 5)
    asset_id = r.call(
        "run.register_and_upload_async(tracker)",
        lambda: run.register_and_upload_async(local_dir=src, asset_type="checkpoint", upload_tracker=tracker),
        lambda a: {"has_id": bool(a)},
        needs=(exp,),
    )
    r.call("run.wait_for_uploads", lambda: run.wait_for_uploads(), needs=(asset_id,))
    r.call(
        "tracker after upload",
        lambda: (tracker.get_incomplete(), tracker.completed_sha256s(asset_id)),
        lambda t: {"incomplete": len(t[0]), "sha256s_match": t[1] == digests},
        needs=(asset_id,),
    )
    r.call(
        "assets.get(tracked upload)",
        lambda: c.assets.get(asset_id),
        lambda a: {"state": a.get("state"), "asset_type": a.get("asset_type")},
        needs=(asset_id,),
    )
    r.call(
        "run.download_asset(tracked upload)",
        lambda: run.download_asset(asset_id, work / "dl"),
        lambda out: {"files_match": tree_digest(Path(out)) == digests},
        needs=(asset_id,),
    )
    src2 = work / "checkpoint-2000"
    digests2 = write_checkpoint(src2, 9)
    r.call(
        "run.upload_directory_async(tracker) then succeed() waits",
        lambda: (run.upload_directory_async(src2, asset_type="checkpoint", upload_tracker=tracker), run.succeed()),
        needs=(exp,),
    )
    r.call(
        "tracker after succeed",
        lambda: tracker.get_incomplete(),
        lambda rows: {"incomplete": len(rows)},
    )
    r.call(
        "run.latest_output(checkpoint) is the newest",
        lambda: run.latest_output("checkpoint"),
        lambda a: {
            "found": a is not None,
            "is_not_first": a is not None and a.get("id") != asset_id,
            "state": (a or {}).get("state"),
        },
        needs=(exp, asset_id),
    )
    r.call(
        "download newest checkpoint",
        lambda: run.download_asset(run.latest_output("checkpoint")["id"], work / "dl2"),
        lambda out: {"files_match": tree_digest(Path(out)) == digests2},
        needs=(exp,),
    )
    r.call("run.get_status (succeeded)", lambda: run.get_status(), lambda s: {"status": status_of(s)}, needs=(exp,))


def flow_integrations(r: Recorder, c: Any, work: Path) -> None:
    """integrations.md: W&B start, environment + trainer config, checkpoints, resume, input-linked checkpoint."""
    from methodic import UploadTracker

    exp = committed_variation0(r, c, "in")
    run = c.run(exp.id, 0, 0) if not isinstance(exp, Failed) else exp
    r.call(
        "run.start(wandb_*)",
        lambda: run.start(
            wandb_run_id="abc123",
            wandb_entity="team",
            wandb_project="ripple-pde",
            wandb_dashboard_url="https://wandb.ai/team/ripple-pde/runs/abc123",
        ),
        needs=(exp,),
    )
    r.call("run.get_status (running)", lambda: run.get_status(), lambda s: {"status": status_of(s)}, needs=(exp,))
    r.call(
        "run.upload_environment",
        lambda: run.upload_environment({"python": "3.11", "trainer": {"framework": "my-trainer"}, "seed": 1234}),
        needs=(exp,),
    )
    r.call(
        "run.upload_asset(trainer_config, asset_config)",
        lambda: run.upload_asset(asset_type="trainer_config", content={"lr": 3e-4}, asset_config={"schema_version": 3}),
        lambda a: {"has_id": asset_id_of(a) is not None},
        needs=(exp,),
    )
    tracker = UploadTracker(db_path=work / "uploads.sqlite")
    src = work / "out" / "checkpoint-1"
    digests = write_checkpoint(src, 11)
    r.call(
        "run.upload_directory_async(checkpoint, tracker)",
        lambda: run.upload_directory_async(src, asset_type="checkpoint", upload_tracker=tracker),
        needs=(exp,),
    )
    snap = work / "out" / "snapshot"
    snap_digests = write_checkpoint(snap, 13)
    r.call(
        "run.upload_directory_async(snapshot, no tracker)",
        lambda: run.upload_directory_async(snap, asset_type="snapshot"),
        needs=(exp,),
    )
    r.call("run.wait_for_uploads", lambda: run.wait_for_uploads(), needs=(exp,))
    r.call(
        "run.list_outputs()",
        lambda: run.list_outputs(),
        lambda items: {
            "types": sorted(a.get("asset_type") for a in items),
            "all_ready": all(a.get("state") == "ready" for a in items),
            "entries_have_fields": all({"id", "asset_type", "name", "state", "created_at"} <= set(a) for a in items),
        },
        needs=(exp,),
    )
    r.call("run.succeed", lambda: run.succeed(), needs=(exp,))

    # a later process of the same variation resumes
    later = c.run(exp.id, 0, 0) if not isinstance(exp, Failed) else exp
    r.call(
        "run.list_outputs(across_runs=True)",
        lambda: later.list_outputs(across_runs=True),
        lambda items: {"types": sorted(a.get("asset_type") for a in items)},
        needs=(exp,),
    )
    r.call(
        "variation(...).list_outputs()",
        lambda: c.variation(exp.id, 0).list_outputs(),
        lambda items: {"types": sorted(a.get("asset_type") for a in items)},
        needs=(exp,),
    )
    ckpt = r.call(
        "run.latest_output(checkpoint)",
        lambda: later.latest_output("checkpoint"),
        lambda a: {"found": a is not None, "state": (a or {}).get("state"), "asset_type": (a or {}).get("asset_type")},
        needs=(exp,),
    )
    r.call(
        "run.download_asset(latest checkpoint)",
        lambda: later.download_asset(ckpt["id"], work / "resume"),
        lambda out: {"files_match": tree_digest(Path(out)) == digests, "files": sorted(tree_digest(Path(out)))},
        needs=(ckpt,),
    )
    r.call(
        "snapshot downloads too",
        lambda: later.download_asset(later.latest_output("snapshot")["id"], work / "snap"),
        lambda out: {"files_match": tree_digest(Path(out)) == snap_digests},
        needs=(exp,),
    )
    r.call(
        "run.latest_output(missing type) is None",
        lambda: later.latest_output("no_such_type"),
        lambda a: {"is_none": a is None},
        needs=(exp,),
    )

    # an input-linked checkpoint on an open variation
    var = r.call(
        "variations.create(branch)",
        lambda: c.variations.create(exp.id, config_yaml=FAST, hypothesis="branch"),
        needs=(exp,),
    )
    r.call(
        "datasets.link(checkpoint, variation)",
        lambda: c.datasets.link(ckpt["id"], exp.id, variation=var.variation),
        needs=(exp, var, ckpt),
    )
    r.call(
        "variation(...).list_inputs() finds the checkpoint",
        lambda: c.variation(exp.id, var.variation).list_inputs(),
        lambda items: {
            "checkpoint_ids_match": [a.get("id") for a in items if a.get("asset_type") == "checkpoint"] == [ckpt["id"]]
        },
        needs=(exp, var, ckpt),
    )
    r.call(
        "variations.unlink_input",
        lambda: c.variations.unlink_input(exp.id, var.variation, ckpt["id"]),
        needs=(exp, var, ckpt),
    )
    r.call(
        "variations.list_inputs after unlink",
        lambda: c.variations.list_inputs(exp.id, var.variation),
        lambda items: {"count": len(items)},
        needs=(exp, var),
    )


FLOWS = {
    "design": flow_design,
    "run-lifecycle": flow_run_lifecycle,
    "assets": flow_assets,
    "resumable-uploads": flow_resumable_uploads,
    "integrations": flow_integrations,
}


def main() -> int:
    flow, work = sys.argv[1], Path(sys.argv[2])
    from methodic import Chronicle

    recorder = Recorder()
    chronicle = recorder.call("Chronicle.from_env", Chronicle.from_env)
    if isinstance(chronicle, Failed):
        return 0
    with chronicle:
        FLOWS[flow](recorder, chronicle, work)
    print(json.dumps({"name": "__end__", "ok": True}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
