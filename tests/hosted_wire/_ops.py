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
]
