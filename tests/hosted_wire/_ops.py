"""The operations compared request by request, written once against the published client's API.

Both clients run the same call (``call(chronicle, ctx, work)``), so a name or signature of ours that
differs shows up as our call failing. ``ours`` is set only where the published client's method lives
in a namespace we deliberately don't offer (``datasets.link``). Imported by the hosted driver too, so
nothing here imports ``methodic``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Call = Callable[[Any, dict[str, Any], Path], Any]
CONFIG = "lr: 0.01\nsteps: 1000\n"
DATASET_DOC = {"description": "Heat equation fields.", "pde": {"family": "heat"}, "structural": {"n_dims": 2}}


@dataclass(frozen=True)
class Op:
    name: str
    call: Call
    ours: Call | None = None
    #: The local server answers this one 501 (work it cannot do honestly): both clients must fail, same request.
    unavailable: bool = False


def _refused_501(call: Callable[[], Any]) -> str:
    """Run an operation the local server honestly refuses (501) so its request is still compared.

    Both clients raise their own error type, each with ``status_code``; anything but a 501 fails the op.
    """
    try:
        call()
    except Exception as exc:
        if getattr(exc, "status_code", None) == 501:
            return "refused with 501, as documented"
        raise
    raise AssertionError("expected the local server to answer 501")


def _run(ctx: dict[str, Any], key: str) -> tuple[str, int, int]:
    exp, var = ctx[key]
    return exp, var, 0


OPS: list[Op] = [
    # experiments
    Op(
        "experiments.create",
        lambda c, x, w: c.experiments.create(
            title="T",
            hypothesis_summary="h",
            config_yaml=CONFIG,
            rationale="r",
            description="d",
            parent_experiment_ids=[x["exp_committed"]],
        ),
    ),
    Op("experiments.get", lambda c, x, w: c.experiments.get(x["exp_open"])),
    Op("experiments.get(@user/slug)", lambda c, x, w: c.experiments.get(f"@{x['user_slug']}/{x['exp_open_slug']}")),
    Op("experiments.list(page_size=2)", lambda c, x, w: c.experiments.list(page_size=2)),
    Op(
        "experiments.list(status, created_by)",
        lambda c, x, w: c.experiments.list(status="open", created_by="user_local"),
    ),
    Op("experiments.iter", lambda c, x, w: list(c.experiments.iter(page_size=100))),
    Op("experiments.commit", lambda c, x, w: c.experiments.commit(x["exp_to_commit"])),
    Op(
        "experiments.commit(tentative_links)",
        lambda c, x, w: c.experiments.commit(x["tentative_child"], tentative_links={x["tentative_parent"]: "drop"}),
    ),
    Op("experiments.conclude", lambda c, x, w: c.experiments.conclude(x["exp_to_conclude"])),
    Op(
        "experiments.conclude(on_exist_action)",
        lambda c, x, w: c.experiments.conclude(x["exp_to_conclude2"], on_exist_action="keep"),
    ),
    Op(
        "experiments.retract",
        lambda c, x, w: c.experiments.retract(x["exp_to_retract"], reason="leak", document_asset_id=x["asset_ready"]),
    ),
    Op("experiments.delete", lambda c, x, w: c.experiments.delete(x["exp_to_delete"])),
    Op("experiments.get_lineage", lambda c, x, w: c.experiments.get_lineage(x["exp_committed"])),
    Op(
        "experiments.get_lineage(direction, depth)",
        lambda c, x, w: c.experiments.get_lineage(x["exp_committed"], direction="descendants", depth=2),
    ),
    Op("experiments.tentative_links", lambda c, x, w: c.experiments.tentative_links(x["tentative_child2"])),
    Op(
        "experiments.get_upstream_retractions",
        lambda c, x, w: c.experiments.get_upstream_retractions(x["exp_committed"], depth=3),
    ),
    Op(
        "inputs.link (experiment)",
        lambda c, x, w: c.datasets.link(x["asset_ready"], x["exp_open"]),
    ),
    Op(
        "inputs.link (variation)",
        lambda c, x, w: c.datasets.link(x["asset_ready"], x["exp_committed"], variation=x["var_open"]),
    ),
    # variations
    Op(
        "variations.create",
        lambda c, x, w: c.variations.create(
            x["exp_committed"],
            config_yaml=CONFIG,
            name="n",
            description="d",
            hypothesis="h",
            expected_outcome="o",
            launch_config={"gpus": 1},
        ),
    ),
    # tags
    Op("tags.create", lambda c, x, w: c.tags.create("Parity Tag")),
    Op("tags.create(scope_id)", lambda c, x, w: c.tags.create("parity tag", scope_id="org_local")),
    Op("tags.list", lambda c, x, w: c.tags.list()),
    Op("tags.list(scope_id, q)", lambda c, x, w: c.tags.list(scope_id="user_local", q="par")),
    Op("tags.get", lambda c, x, w: c.tags.get(x["tag"])),
    Op("tags.rename", lambda c, x, w: c.tags.rename(x["tag_to_rename"], "renamed")),
    Op("tags.objects", lambda c, x, w: c.tags.objects(x["tag_applied"])),
    Op("tags.tag_asset(tag)", lambda c, x, w: c.tags.tag_asset(x["asset_tagged"], tag="by-name")),
    Op("tags.tag_asset(tag_id)", lambda c, x, w: c.tags.tag_asset(x["asset_tagged"], tag_id=x["tag"])),
    Op("tags.asset_tags", lambda c, x, w: c.tags.asset_tags(x["asset_tagged"])),
    Op("tags.untag_asset", lambda c, x, w: c.tags.untag_asset(x["asset_tagged"], x["tag_applied"])),
    Op("tags.tag_experiment(tag)", lambda c, x, w: c.tags.tag_experiment(x["exp_tagged"], tag="by-name")),
    Op("tags.tag_experiment(tag_id)", lambda c, x, w: c.tags.tag_experiment(x["exp_tagged"], tag_id=x["tag"])),
    Op("tags.experiment_tags", lambda c, x, w: c.tags.experiment_tags(x["exp_tagged"])),
    Op("tags.untag_experiment", lambda c, x, w: c.tags.untag_experiment(x["exp_tagged"], x["tag_applied"])),
    Op("tags.delete", lambda c, x, w: c.tags.delete(x["tag_to_delete"])),
    Op("search.query(filters.tags)", lambda c, x, w: c.search.query("notes", filters={"tags": ["applied"]})),
    # collections
    Op("collections.create", lambda c, x, w: c.collections.create("Parity")),
    Op(
        "collections.create(description, scope_id)",
        lambda c, x, w: c.collections.create("Parity", description="d", scope_id="org_local"),
    ),
    Op("collections.get", lambda c, x, w: c.collections.get(x["collection"])),
    Op("collections.list", lambda c, x, w: c.collections.list()),
    Op(
        "collections.list(scope_id, q, include_archived)",
        lambda c, x, w: c.collections.list(scope_id="user_local", q="par", include_archived=True),
    ),
    Op(
        "collections.add",
        lambda c, x, w: c.collections.add(
            x["collection"], asset_ids=[x["asset_tagged"]], experiment_ids=[x["exp_tagged"]]
        ),
    ),
    Op(
        "collections.add(reindex_mode)",
        lambda c, x, w: c.collections.add(x["collection"], asset_ids=[x["asset_tagged"]], reindex_mode="eager"),
    ),
    Op("collections.members", lambda c, x, w: c.collections.members(x["collection"])),
    Op(
        "collections.remove",
        lambda c, x, w: c.collections.remove(x["collection_full"], asset_ids=[x["asset_tagged"]], reindex_mode="eager"),
    ),
    Op("collections.associate", lambda c, x, w: c.collections.associate(x["exp_tagged"], [x["collection"]])),
    Op(
        "search.query(scope.collections)",
        lambda c, x, w: c.search.query("notes", scope={"collections": [x["collection_full"]]}),
    ),
    # publications
    Op("publications.register(bibtex)", lambda c, x, w: c.publications.register(bibtex=x["bibtex_new"])),
    Op("publications.register(doi)", lambda c, x, w: c.publications.register(doi=x["doi_known"])),
    Op(
        "publications.register(bibtex, draft, confirm_create)",
        lambda c, x, w: c.publications.register(bibtex=x["bibtex_draft"], draft=True, confirm_create=True),
    ),
    Op("publications.search", lambda c, x, w: c.publications.search("operators")),
    Op("publications.search()", lambda c, x, w: c.publications.search()),
    Op(
        "publications.finalize",
        lambda c, x, w: c.publications.finalize(x["publication_draft"], bibtex=x["bibtex_final"]),
    ),
    Op("publications.get", lambda c, x, w: c.publications.get(x["publication"])),
    # reasoning errors, catalogs, review queue
    Op("reasoning_errors.report", lambda c, x, w: c.reasoning_errors.report("wrong inference")),
    Op(
        "reasoning_errors.report(every field)",
        lambda c, x, w: c.reasoning_errors.report(
            "one seed",
            kind="operational",
            description="d",
            experiment_id=x["exp_committed"],
            variation=0,
            claim_check_id="cc",
            user_confirmed=True,
            lesson_id=x["lesson"],
            evidence={"run": 0},
        ),
    ),
    Op(
        "reasoning_errors.reclassify",
        lambda c, x, w: c.reasoning_errors.reclassify(x["reasoning_error"], kind="operational", reason="the run broke"),
    ),
    Op("reasoning_errors.list", lambda c, x, w: c.reasoning_errors.list()),
    Op(
        "reasoning_errors.list(state, unmapped, reviewed_by, awaiting, limit)",
        lambda c, x, w: c.reasoning_errors.list(
            state="reported", unmapped=True, reviewed_by="user", awaiting="methodic_human", limit=5
        ),
    ),
    Op("failure_modes.list", lambda c, x, w: c.failure_modes.list()),
    Op(
        "failure_modes.list(q, family, signal)",
        lambda c, x, w: c.failure_modes.list(q="seed", family="evidence", signal=True),
    ),
    Op("operational_checks.list", lambda c, x, w: c.operational_checks.list()),
    Op(
        "operational_checks.list(q, experiment_id)",
        lambda c, x, w: c.operational_checks.list(q="stuck", experiment_id=x["exp_committed"]),
    ),
    Op(
        "operational_checks.suggest (501 locally: needs an LLM)",
        lambda c, x, w: _refused_501(
            lambda: c.operational_checks.suggest("bulk upload", experiment_id=x["exp_committed"])
        ),
    ),
    Op("review_queue.list", lambda c, x, w: c.review_queue.list()),
    Op(
        "review_queue.list(kind, experiment_id, state, limit)",
        lambda c, x, w: c.review_queue.list(
            kind="reasoning_error", experiment_id=x["exp_committed"], state="reported", limit=5
        ),
    ),
    # feed, activity, feedback
    Op("feed.list", lambda c, x, w: c.feed.list()),
    Op(
        "feed.list(every filter, before)",
        lambda c, x, w: c.feed.list(
            category=["activity", "new_report"],
            actionable=False,
            open=False,
            recipient="me",
            experiment=x["exp_committed"],
            kind="experiment.created",
            severity="info",
            before=x["feed_seq"],
            limit=5,
            order="seq",
        ),
    ),
    Op("feed.list(after_seq)", lambda c, x, w: c.feed.list(after_seq=x["feed_seq"], category="activity")),
    Op("feed.iter", lambda c, x, w: list(c.feed.iter(actionable=True, open=True, limit=50))),
    Op("feed.seen", lambda c, x, w: c.feed.seen(section="passive", through_seq=x["feed_seq"])),
    Op("activity.list", lambda c, x, w: c.activity.list()),
    Op("activity.list(limit, before)", lambda c, x, w: c.activity.list(limit=3, before=x["activity_cursor"])),
    Op("activity.iter", lambda c, x, w: list(c.activity.iter(limit=500))),
    Op("feedback.submit", lambda c, x, w: c.feedback.submit("gap: X", "gap", {"sdk_method": "x"}, "skill")),
    Op("feedback.submit(defaults)", lambda c, x, w: c.feedback.submit("nice")),
    Op(
        "feedback.report_error",
        lambda c, x, w: c.feedback.report_error(
            "ServerError", "boom", "File a.py:3\n", "GET", "/v1/experiments/{id}", 500
        ),
    ),
    Op("feedback.report_error(minimal)", lambda c, x, w: c.feedback.report_error("ValueError", "bad")),
    # findings and lessons
    Op(
        "experiments.record_finding",
        lambda c, x, w: c.experiments.record_finding(
            x["exp_committed"],
            status="working",
            summary="beats the baseline",
            evidence_variation=0,
            evidence_run=0,
            source_asset_id=x["asset_ready"],
        ),
    ),
    Op(
        "experiment.record_finding (handle)",
        lambda c, x, w: c.experiment(x["exp_committed"]).record_finding(
            status="partial", summary="mixed", evidence_variation=x["var_open"]
        ),
    ),
    Op(
        "experiments.dismiss_validation",
        lambda c, x, w: c.experiments.dismiss_validation(x["exp_committed"], x["finding"], reason="disagree"),
    ),
    Op(
        "experiments.record_lesson(body)",
        lambda c, x, w: c.experiments.record_lesson(
            x["exp_committed"],
            title="Normalise first",
            origin="researcher_correction",
            body={"believed": "b", "correction": "c", "evidence": "e", "instead": "i"},
            category="data",
            variation=0,
            evidence={"run": 0},
        ),
    ),
    Op(
        "experiment.record_lesson(body_md) (handle)",
        lambda c, x, w: c.experiment(x["exp_committed"]).record_lesson(title="t", origin="manual", body_md="prose"),
    ),
    Op("experiments.list_lessons", lambda c, x, w: c.experiments.list_lessons(x["exp_committed"])),
    Op(
        "experiments.list_lessons(status, category, include_ancestors=False)",
        lambda c, x, w: c.experiments.list_lessons(
            x["exp_committed"], status="all", category="data", include_ancestors=False
        ),
    ),
    Op("experiment.list_lessons (handle)", lambda c, x, w: c.experiment(x["exp_committed"]).list_lessons()),
    Op(
        "experiments.update_lesson",
        lambda c, x, w: c.experiments.update_lesson(
            x["exp_committed"], x["lesson"], title="t2", body={"believed": "b2"}, category="methodology"
        ),
    ),
    Op(
        "experiments.retire_lesson",
        lambda c, x, w: c.experiments.retire_lesson(
            x["exp_committed"], x["lesson_to_retire"], reason="wrong", superseded_by=x["lesson"]
        ),
    ),
    Op("lessons.list", lambda c, x, w: c.lessons.list()),
    Op(
        "lessons.list(scope, status, category, origin, limit)",
        lambda c, x, w: c.lessons.list(scope="user_local", status="all", category="data", origin="manual", limit=10),
    ),
    Op("variations.get", lambda c, x, w: c.variations.get(x["exp_committed"], 0)),
    Op(
        "variations.update",
        lambda c, x, w: c.variations.update(x["exp_committed"], x["var_open"], hypothesis="h2", name="n2"),
    ),
    Op("variations.commit", lambda c, x, w: c.variations.commit(x["exp_committed"], x["var_to_commit"])),
    Op(
        "variations.commit(commit_without_hypothesis)",
        lambda c, x, w: c.variations.commit(x["exp_committed"], x["var_to_commit2"], commit_without_hypothesis=True),
    ),
    Op("variations.retract", lambda c, x, w: c.variations.retract(x["exp_committed"], x["var_to_retract"], reason="r")),
    Op("variations.list_inputs", lambda c, x, w: c.variations.list_inputs(x["exp_committed"], 0)),
    Op("variations.list_outputs", lambda c, x, w: c.variations.list_outputs(x["exp_committed"], 0)),
    Op(
        "variations.unlink_input",
        lambda c, x, w: c.variations.unlink_input(x["exp_committed"], x["var_linked"], x["asset_ready"]),
    ),
    Op(
        "experiments.evaluation_support",
        lambda c, x, w: c.experiments.evaluation_support(
            x["exp_committed"],
            claims=[{"summary": "s", "status": "working", "evidence_variation": 0}],
            text="t",
            scope_variations=[0],
            finding_id=x["finding"],
        ),
        unavailable=True,
    ),
    Op("experiments.training_support", lambda c, x, w: c.experiments.training_support(x["exp_committed"])),
    Op(
        "experiment.set_report_settings (handle)",
        lambda c, x, w: c.experiment(x["exp_open"]).set_report_settings({"hypothesis": {"mode": "freeform"}}),
    ),
    # api keys
    Op("api_keys.create", lambda c, x, w: c.api_keys.create("ci", key_type="user", expires_at="2099-01-01T00:00:00Z")),
    Op("api_keys.create_org_bound", lambda c, x, w: c.api_keys.create_org_bound("org", "org_local")),
    Op("api_keys.list", lambda c, x, w: c.api_keys.list()),
    Op("api_keys.rotate", lambda c, x, w: c.api_keys.rotate(x["api_key"])),
    Op(
        "api_keys.set_restriction",
        lambda c, x, w: c.api_keys.set_restriction(
            x["api_key"], {"write": [{"object_type": "experiment", "object_id": x["exp_open"]}]}
        ),
    ),
    Op("api_keys.set_restriction(None)", lambda c, x, w: c.api_keys.set_restriction(x["api_key2"], None)),
    Op("api_keys.revoke", lambda c, x, w: c.api_keys.revoke(x["api_key3"])),
    # errata (an imported PDF is left out: ours finalizes with the PDF's sha256, the published client without)
    Op(
        "errata.create(markdown)",
        lambda c, x, w: c.errata.create(experiment_id=x["exp_committed"], markdown="# fix", name="fix"),
    ),
    Op(
        "errata.create(latex, variation)",
        lambda c, x, w: c.errata.create(experiment_id=x["exp_committed"], variation=0, latex="x"),
    ),
    Op("errata.create(asset)", lambda c, x, w: c.errata.create(asset_id=x["erratum"], markdown="on an erratum")),
    Op("errata.list(experiment)", lambda c, x, w: c.errata.list(experiment_id=x["exp_committed"])),
    Op("errata.list(variation)", lambda c, x, w: c.errata.list(experiment_id=x["exp_committed"], variation=0)),
    Op("errata.list(asset)", lambda c, x, w: c.errata.list(asset_id=x["erratum"])),
    Op("errata.delete", lambda c, x, w: c.errata.delete(x["erratum_to_detach"])),
    # ownership and reach
    Op(
        "experiments.move",
        lambda c, x, w: c.experiments.move(x["exp_to_move"], organization_id="org_local", visibility="private"),
    ),
    Op(
        "experiment.move (handle)",
        lambda c, x, w: c.experiment(x["exp_to_move2"]).move(organization_id="org_local", team_id="team_local"),
    ),
    Op(
        "assets.move",
        lambda c, x, w: c.assets.move(x["asset_unlinked"], organization_id="org_local", team_id="team_local"),
    ),
    Op("assets.set_visibility", lambda c, x, w: c.assets.set_visibility(x["asset_ready2"], "public")),
    Op("assets.bulk_approve(asset_ids)", lambda c, x, w: c.assets.bulk_approve([x["asset_review3"]])),
    Op("assets.grant_access", lambda c, x, w: c.assets.grant_access(x["asset_ready2"], "team_local", action="write")),
    Op("assets.share_with_scope", lambda c, x, w: c.assets.share_with_scope(x["asset_ready2"], "org_local")),
    Op("assets.list_access", lambda c, x, w: c.assets.list_access(x["asset_ready2"])),
    Op("assets.revoke_access", lambda c, x, w: c.assets.revoke_access(x["asset_ready2"], "org_local", "read")),
    Op("assets.move_to_r2", lambda c, x, w: c.assets.move_to_r2(x["asset_files"])),
    Op("assets.r2_status", lambda c, x, w: c.assets.r2_status(x["asset_files"])),
    Op(
        "reports.render(payload)",
        lambda c, x, w: c.reports.render(x["exp_committed"], "hypothesis", payload={"title": "t", "plan": ["a"]}),
    ),
    Op(
        "experiment.reports.research.render (handle)",
        lambda c, x, w: c.experiment(x["exp_committed"]).reports.research.render(payload={"title": "t"}),
    ),
    Op("reports.get", lambda c, x, w: c.reports.get(x["report"])),
    Op(
        "experiments.promote_lineage",
        lambda c, x, w: c.experiments.promote_lineage(x["tentative_child3"], x["committed_parent"]),
    ),
    Op(
        "experiment.promote_lineage (handle)",
        lambda c, x, w: c.experiment(x["tentative_child3"]).promote_lineage(x["committed_parent"]),
    ),
    # research prompts, rationale
    Op("research_prompts.create", lambda c, x, w: c.research_prompts.create("goal")),
    Op(
        "research_prompts.create(experiment_ids)",
        lambda c, x, w: c.research_prompts.create("goal", experiment_ids=[x["exp_open"]]),
    ),
    Op("research_prompts.get", lambda c, x, w: c.research_prompts.get(x["prompt"])),
    Op("research_prompts.list_for_experiment", lambda c, x, w: c.research_prompts.list_for_experiment(x["exp_open"])),
    Op(
        "research_prompts.attach(primary)",
        lambda c, x, w: c.research_prompts.attach(x["exp_open"], x["prompt"], primary=True),
    ),
    Op(
        "experiment.research_prompts.create (handle)",
        lambda c, x, w: c.experiment(x["exp_open"]).research_prompts.create("g"),
    ),
    Op("experiments.get_rationale", lambda c, x, w: c.experiments.get_rationale(x["exp_open"])),
    # the git integration: a branch binding works; the rest needs a GitHub App (501 here)
    Op(
        "variations.set_git_ref",
        lambda c, x, w: c.variations.set_git_ref(x["exp_committed"], x["var_open"], "variation/probe"),
    ),
    Op(
        "experiments.fork",
        lambda c, x, w: c.experiments.fork(
            x["exp_committed"], hypothesis_summary="h", rationale="r", config_yaml=CONFIG, slug="s"
        ),
        unavailable=True,
    ),
    Op("experiments.git_status", lambda c, x, w: c.experiments.git_status(x["exp_committed"]), unavailable=True),
    Op(
        "experiments.mint_git_token", lambda c, x, w: c.experiments.mint_git_token(x["exp_committed"]), unavailable=True
    ),
    # datasets: a folder as one asset (our transfer engine), the metadata document, the catalog
    Op(
        "datasets.upload(folder)", lambda c, x, w: c.datasets.upload(x["dataset_dir"], source="s", metadata=DATASET_DOC)
    ),
    Op(
        "datasets.upload(file, link)",
        lambda c, x, w: c.datasets.upload(x["dataset_file"], provenance={"rows": 2}, link_experiment=x["exp_open"]),
    ),
    Op(
        "datasets.register",
        lambda c, x, w: c.datasets.register(["a.bin", "b.bin"], name="d", provenance={"k": 1}, metadata=DATASET_DOC),
    ),
    Op(
        "datasets.register_by_reference",
        lambda c, x, w: c.datasets.register_by_reference(
            "gs://bucket/d", name="d", metadata=DATASET_DOC, size_bytes=10, visibility="private"
        ),
    ),
    Op(
        "datasets.register_by_reference(external)",
        lambda c, x, w: c.datasets.register_by_reference("hf://datasets/d", name="d", external=True),
    ),
    Op(
        "datasets.update_metadata",
        lambda c, x, w: c.datasets.update_metadata(x["dataset_ref"], metadata=DATASET_DOC, size_bytes=5),
    ),
    Op("datasets.list", lambda c, x, w: c.datasets.list()),
    Op(
        "datasets.list(filters)",
        lambda c, x, w: c.datasets.list(
            n_dims=2, precision="fp32", pde_family="heat", min_size=1, order_by="size_bytes", owner="user_local"
        ),
    ),
    Op("datasets.get", lambda c, x, w: c.datasets.get(x["dataset_ref"])),
    Op("datasets.provenance", lambda c, x, w: c.datasets.provenance(x["dataset_ref"])),
    # imports: PDFs into an organization's library, one batch finalize
    Op(
        "imports.research_reports",
        lambda c, x, w: c.imports.research_reports(x["import_dir"], organization_id="org_local", import_source="b"),
    ),
    # runs
    Op("runs.start", lambda c, x, w: c.runs.start(*_run(x, "run_pending"))),
    Op(
        "runs.start(wandb)",
        lambda c, x, w: c.runs.start(
            *_run(x, "run_pending2"),
            wandb_run_id="r1",
            wandb_entity="e",
            wandb_project="p",
            wandb_dashboard_url="https://wandb.ai/e/p/runs/r1",
        ),
    ),
    Op("runs.heartbeat", lambda c, x, w: c.runs.heartbeat(*_run(x, "run_running"))),
    Op("run.get_status", lambda c, x, w: c.run(*_run(x, "run_running")).get_status()),
    Op("runs.succeed", lambda c, x, w: c.runs.succeed(*_run(x, "run_running"))),
    Op("runs.fail", lambda c, x, w: c.runs.fail(*_run(x, "run_running2"), reason="abandoned")),
    Op("run.get_variation_config", lambda c, x, w: c.run(*_run(x, "run_running2")).get_variation_config()),
    Op("runs.list_outputs", lambda c, x, w: c.runs.list_outputs(x["exp_committed"], 0, 0)),
    Op("run.list_outputs(across_runs)", lambda c, x, w: c.run(x["exp_committed"], 0, 0).list_outputs(across_runs=True)),
    # assets
    Op(
        "assets.create_inline",
        lambda c, x, w: c.assets.create_inline(
            asset_type="takeaways_report",
            content={"s": 1},
            content_type="application/json",
            output_of={"experiment_id": x["exp_committed"]},
        ),
    ),
    Op(
        "assets.create_with_presigned(single file)",
        lambda c, x, w: c.assets.create_with_presigned(asset_type="model", components=["model.bin"]),
    ),
    Op(
        "assets.create_with_presigned(components)",
        lambda c, x, w: c.assets.create_with_presigned(
            asset_type="checkpoint",
            components=["a.bin", "b/c.bin"],
            name="ckpt",
            output_of={"experiment_id": x["exp_committed"], "variation": 0, "run": 0},
        ),
    ),
    Op(
        "assets.upload_component (storage PUT)",
        lambda c, x, w: c.assets.upload_component(x["upload_url"], Path(x["upload_file"]), "application/octet-stream"),
    ),
    Op(
        "run.upload_file (one gateway PUT with the key)",
        lambda c, x, w: c.run(*_run(x, "run_uploading")).upload_file(Path(x["upload_file"]), "model"),
    ),
    Op(
        "run.upload_file (gateway multipart: start, part PUTs, complete, finalize)",
        lambda c, x, w: c.run(*_run(x, "run_uploading")).upload_file(Path(x["big_file"]), "checkpoint"),
    ),
    Op(
        "assets.finalize(sha256s)",
        lambda c, x, w: c.assets.finalize(x["asset_uploaded"], {"model.bin": x["upload_sha256"]}),
    ),
    Op("assets.get(include_presigned)", lambda c, x, w: c.assets.get(x["asset_files"], include_presigned=True)),
    Op("assets.presign", lambda c, x, w: c.assets.presign(x["asset_files"], operation="read", components=["a.bin"])),
    Op("assets.download (storage GETs)", lambda c, x, w: c.assets.download(x["asset_files"], w / "dl")),
    Op("assets.approve", lambda c, x, w: c.assets.approve(x["asset_review"])),
    Op("assets.reject", lambda c, x, w: c.assets.reject(x["asset_review2"], reason="no")),
    Op("assets.deprecate", lambda c, x, w: c.assets.deprecate(x["asset_ready"], reason="old")),
    Op("assets.invalidate", lambda c, x, w: c.assets.invalidate(x["asset_ready2"], reason="bad")),
    Op("assets.delete", lambda c, x, w: c.assets.delete(x["asset_unlinked"])),
    # search, me
    Op(
        "search.query",
        lambda c, x, w: c.search.query(
            "loss", filters={"asset_types": ["takeaways_report"]}, experiment_context=[x["exp_committed"]], page_size=5
        ),
    ),
    Op("me.scopes", lambda c, x, w: c.me.scopes()),
    # last: it approves every review-gated asset, those the operations above use included
    Op("assets.bulk_approve(all_in_scope)", lambda c, x, w: c.assets.bulk_approve(all_in_scope=True)),
]
