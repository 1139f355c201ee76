"""(a) The seed flows through the PUBLISHED client against our local server: every call must work and be right.

The driver (``_hosted_flows.py``) runs each flow of /work/shared/seeds/*.md that the published client can
express, in the client's own venv, and reports each call as a JSON line. Here each call must have
succeeded and its facts (what a caller would read from the result) must be the expected ones. A failed
call names the published client's exception, e.g. ``KeyError 'experiment_id'`` = our create response
lacks the field it reads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from methodic_server import LocalChronicle
from tests.hosted_wire._venv import HostedClient

FAST = "lr: 0.05\nsteps: 1000\n"
CHECKPOINT_FILES = ["meta.json", "model.bin", "optimizer/state.pt"]

# Every call of each flow, in order, with the facts it must report (an empty dict: only that it worked).
EXPECTED: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "design": [
        ("Chronicle.from_env", {}),
        ("assets.create_inline(hypothesis_report, markdown)", {"has_id": True}),
        ("experiments.create", {"has_id": True, "variation": 0, "run": 0}),
        ("experiment.state (open)", {"state": "open"}),
        ("datasets.link(experiment input)", {}),
        (
            "experiments.get",
            {
                "id_matches": True,
                "state": "open",
                "hypothesis_summary": "A wider model lowers the loss",
                "variations": [0],
            },
        ),
        ("experiment.commit (handle, chained)", {"state": "committed", "committed_at_set": True}),
        ("experiment.variations.create", {"variation": 1}),
        (
            "variations.get",
            {
                "config_yaml": FAST,
                "config_json": {"lr": 0.05, "steps": 1000},
                "name": "fast",
                "state": "open",
                "variation": 1,
            },
        ),
        (
            "variations.update(hypothesis, expected_outcome)",
            {"hypothesis": "lr 0.05 beats 0.01", "expected_outcome": "lower"},
        ),
        ("datasets.link(variation input)", {}),
        ("variations.list_inputs", {"contains_report": True}),
        ("variation.commit (handle)", {"state": "committed", "committed_at_set": True}),
        ("variations.commit(0, commit_without_hypothesis=True)", {}),
        ("experiment.detail after commits", {"variation_states": {"0": "committed", "1": "committed"}}),
        ("experiments.create (page 0)", {}),
        ("experiments.create (page 1)", {}),
        ("experiments.create (page 2)", {}),
        ("experiments.list", {"contains_created": True}),
        ("experiments.list(page_size=2)", {"count": 2, "has_next": True}),
        ("experiments.iter(page_size=2)", {"contains_created": True, "no_duplicates": True}),
        ("experiments.list(status=open)", {"only_open": True, "has_open_page_exp": True, "excludes_committed": True}),
        ("experiments.create(parent_experiment_ids=[committed])", {"tentative_parents": 0}),
        ("experiments.get_lineage(parent)", {"descendants_include_child": True}),
        ("experiments.get_lineage(child, direction=ancestors, depth=1)", {"ancestors": [True]}),
        ("experiment.get detail parent_ids (child)", {"parent_is_exp": True}),
        ("experiments.create(open parent)", {}),
        ("experiments.create(parent still open)", {"tentative_parents": [[True, "open", False]]}),
        ("experiments.tentative_links", {"links": [[True, "open", False]]}),
        ("experiments.commit(tentative_links={parent: drop})", {}),
        ("experiments.tentative_links after drop", {"count": 0}),
        ("me.scopes", {"user_scope_has_slug": True}),
        ("probe: experiment slug on the wire", {"is_str": True}),
        ("experiments.get(@user/slug)", {"id_matches": True}),
        ("experiment(@user/slug).state", {"state": "committed"}),
        ("search.query", {"results_are_typed": True, "total_size_is_int": True}),
        ("search.query(experiment hit)", {"finds_experiment": True}),
        ("assets.create_inline(takeaways_report, output_of experiment)", {"has_id": True}),
        # a takeaways report exists: conclude must say what to do with it (keep or regenerate)
        ("experiment.conclude (handle) -> ConflictError", {"outcome": "ConflictError"}),
        ("experiment.conclude(on_exist_action=keep) (handle)", {"state": "concluded", "concluded_at_set": True}),
        ("experiments.commit(child)", {}),
        ("experiments.create(grandchild)", {}),
        ("variations.retract", {}),
        ("variation.retracted_at (handle)", {"set": True}),
        ("experiments.retract(child)", {}),
        ("experiment.retracted_at", {"set": True}),
        (
            "experiments.get_upstream_retractions(grandchild)",
            # the parent's own retraction at depth 1, and the grandparent's retracted variation at depth 2
            {"has_retractions": True, "retractions": [[True, 1, "leak"], [False, 2, "bad seed"]]},
        ),
        ("experiments.create(to delete)", {}),
        ("experiments.delete", {}),
        ("experiments.get(deleted) -> NotFoundError", {"outcome": "NotFoundError"}),
        ("experiments.delete(committed) -> ConflictError", {"outcome": "ConflictError"}),
    ],
    "run-lifecycle": [
        ("Chronicle.from_env", {}),
        ("rl.setup.experiments.create", {"variation": 0, "run": 0}),
        ("rl.setup.experiments.commit", {}),
        ("rl.setup.variations.commit", {}),
        (
            "run.get_variation_config",
            {"config_yaml": "lr: 0.01\nsteps: 1000\n", "config_json": {"lr": 0.01, "steps": 1000}},
        ),
        ("run.get_status (pending)", {"status": "pending"}),
        ("run.start().heartbeat() (chained)", {"returns_run": True}),
        ("run.get_status (running)", {"status": "running"}),
        ("run.heartbeat", {}),
        ("runs.heartbeat (namespace)", {}),
        ("run.succeed", {"returns_run": True}),
        ("run.get_status (succeeded)", {"status": "succeeded"}),
        ("variations.create(v1)", {"variation": 1}),
        ("variations.commit(v1)", {}),
        ("runs.start(v1)", {}),
        ("run.fail(reason=crash)", {}),
        ("runs.get_status(v1, failed_crash)", {"status": "failed_crash"}),
        ("variations.create(v2)", {"variation": 2}),
        ("variations.commit(v2)", {}),
        ("runs.start(v2)", {}),
        ("run.fail(reason=abandoned)", {}),
        ("runs.get_status(v2, failed_abandoned)", {"status": "failed_abandoned"}),
        ("chronicle.close", {}),
    ],
    "assets": [
        ("Chronicle.from_env", {}),
        ("as.setup.experiments.create", {"variation": 0, "run": 0}),
        ("as.setup.experiments.commit", {}),
        ("as.setup.variations.commit", {}),
        ("run.start", {}),
        ("run.upload_asset(takeaways_report)", {"has_id": True}),
        ("assets.create_inline(research_report)", {"has_id": True}),
        ("assets.create_inline(markdown)", {"has_id": True}),
        ("assets.get(inline)", {"state": "ready", "asset_type": "research_report"}),
        ("run.create_asset_presigned(3 components)", {"components": CHECKPOINT_FILES, "has_id": True}),
        ("run.upload_component x3", {"sha256s_match": True}),
        ("assets.get(presigned, before finalize)", {"state": "pending"}),
        ("run.finalize_asset(sha256s)", {}),
        ("run.finalize_asset again (idempotent)", {}),
        ("assets.get(after finalize)", {"state": "ready", "asset_type": "checkpoint"}),
        ("assets.get(include_presigned=True)", {"presigned_components": CHECKPOINT_FILES}),
        ("run.presign_asset(read)", {"components": CHECKPOINT_FILES, "each_has_url": True}),
        ("assets.download", {"files_match": True, "files": CHECKPOINT_FILES}),
        ("run.upload_file(single file)", {"has_id": True}),
        ("assets.deprecate", {}),
        ("assets.invalidate", {}),
        ("assets.get(invalidated) keeps state", {"state": "ready"}),
        ("assets.create_inline(pending_reasons=[review_required])", {}),
        ("assets.get(review-gated)", {"state": "pending"}),
        ("assets.approve", {}),
        ("assets.get(approved)", {"state": "ready"}),
        ("assets.create_inline(to reject)", {}),
        ("assets.reject", {}),
        ("assets.get(rejected)", {"state": "abandoned"}),
        ("assets.delete(unlinked)", {}),
        ("assets.get(deleted) -> NotFoundError", {"outcome": "NotFoundError"}),
        ("run.succeed", {}),
    ],
    "resumable-uploads": [
        ("Chronicle.from_env", {}),
        ("ru.setup.experiments.create", {"variation": 0, "run": 0}),
        ("ru.setup.experiments.commit", {}),
        ("ru.setup.variations.commit", {}),
        ("run.start", {}),
        ("run.register_and_upload_async(tracker)", {"has_id": True}),
        ("run.wait_for_uploads", {}),
        ("tracker after upload", {"incomplete": 0, "sha256s_match": True}),
        ("assets.get(tracked upload)", {"state": "ready", "asset_type": "checkpoint"}),
        ("run.download_asset(tracked upload)", {"files_match": True}),
        ("run.upload_directory_async(tracker) then succeed() waits", {}),
        ("tracker after succeed", {"incomplete": 0}),
        ("run.latest_output(checkpoint) is the newest", {"found": True, "is_not_first": True, "state": "ready"}),
        ("download newest checkpoint", {"files_match": True}),
        ("run.get_status (succeeded)", {"status": "succeeded"}),
    ],
    "integrations": [
        ("Chronicle.from_env", {}),
        ("in.setup.experiments.create", {"variation": 0, "run": 0}),
        ("in.setup.experiments.commit", {}),
        ("in.setup.variations.commit", {}),
        ("run.start(wandb_*)", {}),
        ("run.get_status (running)", {"status": "running"}),
        ("run.upload_environment", {}),
        ("run.upload_asset(trainer_config, asset_config)", {"has_id": True}),
        ("run.upload_directory_async(checkpoint, tracker)", {}),
        ("run.upload_directory_async(snapshot, no tracker)", {}),
        ("run.wait_for_uploads", {}),
        (
            "run.list_outputs()",
            {
                "types": ["checkpoint", "environment", "snapshot", "trainer_config", "wandb_run"],
                "all_ready": True,
                "entries_have_fields": True,
            },
        ),
        ("run.succeed", {}),
        (
            "run.list_outputs(across_runs=True)",
            {"types": ["checkpoint", "environment", "snapshot", "trainer_config", "wandb_run"]},
        ),
        (
            "variation(...).list_outputs()",
            {"types": ["checkpoint", "environment", "snapshot", "trainer_config", "wandb_run"]},
        ),
        ("run.latest_output(checkpoint)", {"found": True, "state": "ready", "asset_type": "checkpoint"}),
        ("run.download_asset(latest checkpoint)", {"files_match": True, "files": CHECKPOINT_FILES}),
        ("snapshot downloads too", {"files_match": True}),
        ("run.latest_output(missing type) is None", {"is_none": True}),
        ("variations.create(branch)", {}),
        ("datasets.link(checkpoint, variation)", {}),
        ("variation(...).list_inputs() finds the checkpoint", {"checkpoint_ids_match": True}),
        ("variations.unlink_input", {}),
        ("variations.list_inputs after unlink", {"count": 0}),
    ],
}


def _describe(record: dict[str, Any]) -> str:
    if record.get("error_type") == "Blocked":
        return f"blocked ({record.get('message')})"
    status = f" HTTP {record['status']}" if record.get("status") else ""
    return f"{record.get('error_type')}{status}: {record.get('message', '')[:240]}"


def check_flow(flow: str, records: list[dict[str, Any]], violations: list[str]) -> list[str]:
    """Every problem with one flow's report, one line each."""
    problems: list[str] = []
    notes = [r["message"] for r in records if r["name"] == "__note__"]
    calls = {r["name"]: r for r in records if not r["name"].startswith("__")}
    expected_names = [name for name, _ in EXPECTED[flow]]
    if not any(r["name"] == "__end__" for r in records):
        problems.append("the driver stopped before the end of the flow")
    for name in calls.keys() - set(expected_names):
        problems.append(f"{name}: reported but not expected (update EXPECTED)")
    for name, facts in EXPECTED[flow]:
        record = calls.get(name)
        if record is None:
            problems.append(f"{name}: never reported")
        elif not record["ok"]:
            problems.append(f"{name}: FAILED {_describe(record)}")
        elif "facts_error" in record:
            problems.append(f"{name}: worked, but its result could not be read: {record['facts_error']}")
        else:
            got = record.get("facts", {})
            wrong = {k: (got.get(k, "<missing>"), v) for k, v in facts.items() if got.get(k, "<missing>") != v}
            if wrong:
                problems.append(
                    f"{name}: worked but WRONG: "
                    + ", ".join(f"{k}={g!r} (expected {e!r})" for k, (g, e) in wrong.items())
                )
    problems += [f"contract violation: {v[:300]}" for v in violations]
    if problems and notes:
        problems += [f"(note) {n}" for n in notes]
    return problems


@pytest.mark.parametrize("flow", list(EXPECTED))
def test_seed_flow_through_the_published_client(flow: str, hosted: HostedClient, tmp_path: Path) -> None:
    with LocalChronicle(validate_contract=True) as server:
        records = hosted.run(
            "_hosted_flows.py",
            flow,
            str(tmp_path),
            env={"CHRONICLE_SERVER_URL": server.url, "CHRONICLE_API_KEY": server.api_key},
        )
        violations = list(server.contract_violations)
    problems = check_flow(flow, records, violations)
    calls = [r for r in records if not r["name"].startswith("__")]
    failed_calls = {p.split(":")[0] for p in problems if ": FAILED" in p or ": worked" in p or "never reported" in p}
    assert not problems, (
        f"seed flow {flow!r} through methodic-research 0.55.0: "
        f"{len(calls) - len(failed_calls)} of {len(EXPECTED[flow])} calls right\n  " + "\n  ".join(problems)
    )
