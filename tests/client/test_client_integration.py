"""Every namespace method and handle behaviour against the local server, over real HTTP."""

from __future__ import annotations

import httpx
import pytest

from methodic import Chronicle, Experiment, Run, SearchFilters, Variation, errors
from methodic_server import LocalChronicle
from tests.helpers import CONFIG


def test_researcher_flow_with_handles(client: Chronicle) -> None:
    exp = client.experiments.create(
        title="Ripple PDE",
        hypothesis_summary="A wider model lowers the loss",
        config_yaml=CONFIG,
        rationale="because",
        description="desc",
        wandb_project="ripple",
    )
    assert isinstance(exp, Experiment)
    assert exp.state == "open"
    assert exp.title == "Ripple PDE"
    assert exp.wandb_project == "ripple"
    assert exp.committed_at is None
    assert len(exp.variations) == 1  # config_yaml seeded variation 0

    variation = exp.commit().variations.create(config_yaml="lr: 0.1\n", name="fast", hypothesis="faster")
    assert exp.state == "committed"  # the cache was dropped by commit(); this read is fresh
    assert exp.committed_at is not None
    assert isinstance(variation, Variation)
    assert variation.variation == 1
    assert variation.name == "fast"
    assert variation.state == "open"
    assert variation.commit(commit_without_hypothesis=True).state == "committed"
    assert [v.variation for v in exp.variations] == [0, 1]
    assert exp.variations.get(1).run_count == 1

    detail = client.experiments.get(exp.id)
    assert detail.experiment.id == exp.id
    assert [v.variation for v in detail.variations] == [0, 1]

    exp.conclude()
    assert exp.state == "concluded"
    assert exp.concluded_at is not None


def test_namespace_methods_work_with_bare_ids(server: LocalChronicle, client: Chronicle) -> None:
    exp_id = client.experiments.create(title="bare", hypothesis_summary="ids only", config_yaml=CONFIG).id
    assert client.experiments.commit(exp_id).experiment.state == "committed"
    record = client.variations.get(exp_id, 0)
    assert record.config_yaml == CONFIG
    assert client.variations.commit(exp_id, 0, commit_without_hypothesis=True).state == "committed"
    config = client.variations.get_config(exp_id, 0)
    assert config.config_json["lr"] == 0.01
    assert config.config_json["model"] == {"hidden": 8}
    runs = client.runs.list(exp_id, 0)
    assert [(r.run, r.state) for r in runs] == [(0, "pending")]
    assert client.runs.start(exp_id, 0, 0).state == "running"
    assert client.runs.heartbeat(exp_id, 0, 0).last_heartbeat_at is not None
    assert client.runs.fail(exp_id, 0, 0, reason="abandoned").state == "failed_abandoned"
    assert server.new_run(exp_id, 0) == 1  # the scheduler's part: no client call makes a run
    assert client.runs.get(exp_id, 0, 1).state == "pending"
    assert client.experiments.conclude(exp_id).experiment.state == "concluded"


def test_list_experiments_is_one_page_and_iter_walks_every_page_lazily(client: Chronicle) -> None:
    ids = {client.experiments.create(title=f"e{i}", hypothesis_summary="h").id for i in range(7)}
    client.experiments.commit(sorted(ids)[0])

    page = client.experiments.list(page_size=3)
    assert len(page.results) == 3 and page.next_page_token is not None
    second = client.experiments.list(page_size=3, page_token=page.next_page_token)
    assert len(second.results) == 3
    assert not {e.id for e in page.results} & {e.id for e in second.results}
    last = client.experiments.list(page_size=3, page_token=second.next_page_token)
    assert len(last.results) == 1 and last.next_page_token is None

    listed = list(client.experiments.iter(page_size=3))
    assert len(listed) == 7 and {e.id for e in listed} == ids
    assert [e.created_at for e in listed] == sorted((e.created_at for e in listed), reverse=True)  # newest first
    committed = list(client.experiments.iter(status="committed", page_size=2))
    assert [e.id for e in committed] == [sorted(ids)[0]]
    iterator = client.experiments.iter(page_size=2)
    first = next(iterator)
    assert first.id in ids


def test_retract_delete_and_conflicts(client: Chronicle) -> None:
    exp = client.experiments.create(title="to retract", hypothesis_summary="h", config_yaml=CONFIG)
    exp.commit()
    client.variations.commit(exp.id, 0, commit_without_hypothesis=True)
    run = client.run(exp.id, 0, 0).start()
    out = run.upload_asset(asset_type="metrics", content={"loss": 0.5})
    with pytest.raises(errors.ConflictError) as info:
        client.experiments.delete(exp.id)
    assert info.value.status_code == 409
    assert info.value.request_id
    result = client.experiments.retract(exp.id, reason="bug in data loader")
    assert result.outputs_invalidated >= 1
    assert result.experiment.retracted is True
    assert client.assets.get(out.id).invalidated is True
    exp.retract(reason="updated reason")
    assert exp.retraction_reason == "updated reason"
    assert exp.retracted is True

    open_exp = client.experiments.create(title="to delete", hypothesis_summary="h", config_yaml=CONFIG)
    summary = client.experiments.delete(open_exp.id)
    assert summary.id == open_exp.id and summary.variations_removed == 1
    with pytest.raises(errors.NotFoundError):
        client.experiments.get(open_exp.id)


def test_lineage(client: Chronicle) -> None:
    parent = client.experiments.create(title="parent", hypothesis_summary="p").commit()
    child = client.experiments.create(title="child", hypothesis_summary="c", parent_experiment_ids=[parent.id])
    lineage = client.experiments.get_lineage(child.id)
    assert [a.id for a in lineage.ancestors] == [parent.id]
    assert [d.id for d in parent.get_lineage().descendants] == [child.id]


def test_inputs_links_and_flags(client: Chronicle) -> None:
    exp = client.experiments.create(title="inputs", hypothesis_summary="h", config_yaml=CONFIG)
    report = client.assets.create_inline(
        asset_type="hypothesis_report", content="# Hypothesis\nwider is better", content_type="text/markdown"
    )
    assert report.state == "ready"
    assert report["asset"]["asset_type"] == "hypothesis_report" and report.asset_type == "hypothesis_report"
    exp.link_input(report.id)
    assert [a["id"] for a in exp.list_inputs()] == [report.id]

    dataset = client.assets.create_inline(asset_type="dataset", content={"rows": 3})
    client.assets.deprecate(dataset.id, reason="old")
    assert client.assets.get(dataset.id).deprecated is True
    client.assets.invalidate(dataset.id, reason="leaked test set")
    with pytest.raises(errors.ConflictError):
        client.experiments.link_input(exp.id, dataset.id, variation=0)
    client.experiments.link_input(exp.id, dataset.id, variation=0, allow_invalid_assets=True)
    inputs = client.variation(exp.id, 0).list_inputs()  # its own inputs and the experiment's
    assert {a.id for a in inputs} == {dataset.id, report.id}
    unlinked = client.variations.unlink_input(exp.id, 0, dataset.id)
    assert unlinked.asset_id == dataset.id
    assert [a.id for a in client.variations.list_inputs(exp.id, 0)] == [report.id]
    with pytest.raises(errors.ConflictError):
        client.assets.delete(report.id)  # still an input of the experiment
    other = client.assets.create_inline(asset_type="note", content="x")
    assert client.assets.delete(other.id).deleted is True


def test_assets_list_and_presign(client: Chronicle, committed_run: tuple[str, int, int]) -> None:
    run = client.run(*committed_run).start()
    run.upload_asset(asset_type="metrics", content={"step": 1})
    pending = run.create_asset_presigned(asset_type="checkpoint", components=["model.bin"])
    assert pending.asset.state == "pending"
    assert set(pending.upload_urls) == {"model.bin"}
    assert "model.bin" not in repr(pending) or "signature" not in repr(pending)
    urls = client.assets.presign(pending.asset_id, operation="upload")
    assert set(urls) == set(urls.urls) == {"model.bin"}
    assert urls["model.bin"]["url"] == urls.urls["model.bin"]
    listed = list(client.assets.list(experiment_id=committed_run[0], page_size=1))
    assert {a.asset_type for a in listed} >= {"metrics", "checkpoint"}
    assert [a.asset_type for a in client.assets.list(asset_type="metrics", experiment_id=committed_run[0])] == [
        "metrics"
    ]
    assert next(a.id for a in client.experiments.list_outputs(committed_run[0])) == pending.asset_id


def test_run_handle_states_refresh_after_each_mutation(client: Chronicle, committed_run: tuple[str, int, int]) -> None:
    run = client.run(*committed_run)
    assert isinstance(run, Run)
    assert run.state == "pending"
    assert run.start().state == "running"
    assert run.heartbeat().last_heartbeat_at is not None
    assert run.succeed().state == "succeeded"
    assert run.finished_at is not None
    with pytest.raises(errors.ConflictError):
        run.heartbeat()
    assert client.run(committed_run[0], variation=0, run=0).state == "succeeded"


def test_chaining_from_the_seed(client: Chronicle, committed_run: tuple[str, int, int]) -> None:
    exp_id = committed_run[0]
    run = client.run(exp_id, 0, 0).start().heartbeat()
    assert run.state == "running"


def test_wandb_partial_triple_is_a_bad_request_with_its_code(
    client: Chronicle, committed_run: tuple[str, int, int]
) -> None:
    with pytest.raises(errors.BadRequestError) as info:
        client.run(*committed_run).start(wandb_run_id="abc")
    assert info.value.code == "wandb_partial_triple"
    assert info.value.status_code == 400
    run = client.run(*committed_run).start(wandb_run_id="abc", wandb_entity="team")
    assert run.state == "running"
    wandb = [a for a in run.list_outputs() if a.asset_type == "wandb_run"]
    assert wandb and wandb[0].asset_config is not None and wandb[0].asset_config["run_id"] == "abc"


def test_search_and_me(client: Chronicle) -> None:
    client.assets.create_inline(
        asset_type="research_report", content="# Warmup\nLearning-rate warmup stabilises training."
    )
    client.assets.create_inline(asset_type="takeaways_report", content={"summary": "warmup helped a lot"})
    hits = client.search.query("warmup", filters=SearchFilters(asset_types=["research_report"]))
    assert [h.title for h in hits.results] and all(h.asset_type == "research_report" for h in hits.results)
    assert hits.results[0].document_id
    both = client.search.query("warmup", filters={"asset_types": ["research_report", "takeaways_report"]})
    assert len(both.results) == 2
    scopes = client.me.scopes()
    assert scopes and scopes[0].kind == "user"


def test_search_without_search_is_a_503_server_error() -> None:
    with LocalChronicle(search=False, validate_contract=True) as srv, Chronicle(srv.url, srv.api_key) as chronicle:
        with pytest.raises(errors.ServerError) as info:
            chronicle.search.query("anything")
        assert info.value.status_code == 503
        assert srv.contract_violations == []


def test_wrong_key_and_worker_key_scope(server: LocalChronicle, committed_run: tuple[str, int, int]) -> None:
    with Chronicle(server.url, "sk_user_00000000" + "f" * 32) as bad, pytest.raises(errors.AuthenticationError):
        bad.me.scopes()
    exp_id = committed_run[0]
    worker_key = server.mint_worker_key(exp_id, 0, 0)
    with Chronicle(server.url, worker_key) as worker:
        worker.run(exp_id, 0, 0).start().heartbeat()
        with pytest.raises(errors.PermissionDeniedError) as info:
            worker.experiments.create(title="nope", hypothesis_summary="h")
        assert info.value.status_code == 403


def test_unknown_fields_and_states_from_a_newer_server(
    server: LocalChronicle, committed_run: tuple[str, int, int]
) -> None:
    """A proxy between client and server rewrites responses the way a newer server would."""
    upstream = httpx.Client()

    def newer_server(request: httpx.Request) -> httpx.Response:
        forwarded = upstream.send(
            upstream.build_request(request.method, request.url, headers=request.headers, content=request.content)
        )
        body = forwarded.json()
        if isinstance(body, dict) and "state" in body:
            body["state"] = "paused_by_operator"
            body["gpu_hours"] = 1.5
        if isinstance(body, dict) and "experiment" in body:
            body["experiment"]["state"] = "archived"
            body["experiment"]["owner_subject"] = {"sub": "x"}
            body["brand_new"] = [1, 2]
        return httpx.Response(forwarded.status_code, json=body, headers={"X-Request-Id": "proxied"})

    with Chronicle(server.url, server.api_key, transport=httpx.MockTransport(newer_server)) as chronicle:
        run = chronicle.run(*committed_run).start()
        assert run.state == "paused_by_operator"
        assert run.data["gpu_hours"] == 1.5
        exp = chronicle.experiment(committed_run[0])
        assert exp.state == "archived"
        assert exp.data["owner_subject"] == {"sub": "x"}
    upstream.close()


def test_handle_reprs_hold_no_secrets(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int]
) -> None:
    exp = client.experiment(committed_run[0])
    _ = exp.state
    for obj in (client, exp, client.variation(committed_run[0], 0), client.run(*committed_run), client.experiments):
        assert server.api_key not in repr(obj)
