"""Server behaviour not covered through the client: raw auth, unknown routes, persistence, review gates."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from methodic import Chronicle, errors
from methodic_server import LocalChronicle
from methodic_server.errors import ApiError


def test_missing_bearer_unknown_paths_and_methods_have_error_bodies(server: LocalChronicle) -> None:
    with httpx.Client(base_url=server.url) as raw:
        for response, status in (
            (raw.get("/v1/me/scopes"), 401),
            (raw.get("/v1/nowhere", headers={"Authorization": f"Bearer {server.api_key}"}), 404),
            (raw.get("/v1/experiments/x/variations", headers={"Authorization": f"Bearer {server.api_key}"}), 405),
            (raw.post("/v1/experiments", content=b"{nope", headers={"Authorization": f"Bearer {server.api_key}"}), 400),
        ):
            assert response.status_code == status
            body = response.json()
            assert set(body) == {"code", "message", "details", "request_id"}
            assert response.headers["X-Request-Id"] == body["request_id"]


def test_validation_errors_name_the_field(client: Chronicle) -> None:
    with pytest.raises(errors.BadRequestError) as info:
        client.experiments.create(title="", hypothesis_summary="h")
    assert info.value.code == "validation_error" and "title" in str(info.value)
    with pytest.raises(errors.BadRequestError) as bad_yaml:
        client.experiments.create(title="t", hypothesis_summary="h", config_yaml="a: [unclosed")
    assert bad_yaml.value.code == "invalid_config_yaml"


def test_expired_key_is_401(server: LocalChronicle) -> None:
    key = server.mint_key(expires_in=0.2)
    with Chronicle(server.url, key) as chronicle:
        assert chronicle.me.scopes()
        time.sleep(0.3)
        with pytest.raises(errors.AuthenticationError) as info:
            chronicle.me.scopes()
    assert info.value.code == "key_expired"


def test_state_survives_a_restart_with_a_data_dir(tmp_path: Path) -> None:
    with (
        LocalChronicle(data_dir=tmp_path, validate_contract=True) as first,
        Chronicle(first.url, first.api_key) as chronicle,
    ):
        key = first.api_key
        exp = chronicle.experiments.create(title="persist", hypothesis_summary="h", config_yaml="a: 1\n").commit()
        report = chronicle.assets.create_inline(asset_type="research_report", content="# Durable notes")
    with (
        LocalChronicle(data_dir=tmp_path, validate_contract=True) as second,
        Chronicle(second.url, second.api_key) as chronicle,
    ):
        assert second.api_key == key
        assert chronicle.experiment(exp.id).state == "committed"
        assert chronicle.assets.get(report.id).content == "# Durable notes"
        assert chronicle.search.query("durable").results[0].document_id == report.id


def test_committed_and_concluded_objects_refuse_changes(server: LocalChronicle, client: Chronicle) -> None:
    exp = client.experiments.create(title="frozen", hypothesis_summary="h", config_yaml="a: 1\n").commit()
    report = client.assets.create_inline(asset_type="research_report", content="x")
    with pytest.raises(errors.ConflictError):
        exp.link_input(report.id)
    with pytest.raises(errors.ConflictError):
        exp.commit()
    with pytest.raises(errors.ConflictError):
        client.variations.commit(
            client.experiments.create(title="o", hypothesis_summary="h", config_yaml="a: 1").id,
            0,
            commit_without_hypothesis=True,
        )
    client.variations.commit(exp.id, 0, commit_without_hypothesis=True)
    with pytest.raises(errors.ConflictError):
        client.variations.commit(exp.id, 0, commit_without_hypothesis=True)
    with pytest.raises(ApiError) as pending:
        server.new_run(exp.id, 0)  # run 0 is still pending
    assert pending.value.status == 409
    exp.conclude()
    with pytest.raises(errors.ConflictError):
        exp.variations.create(config_yaml="b: 2")
    with pytest.raises(errors.ConflictError):
        exp.conclude()


def test_review_gates_when_enabled() -> None:
    with (
        LocalChronicle(enforce_review_gates=True, validate_contract=True) as srv,
        Chronicle(srv.url, srv.api_key) as chronicle,
    ):
        exp = chronicle.experiments.create(title="gated", hypothesis_summary="h")
        with pytest.raises(errors.ConflictError) as no_report:
            exp.commit()
        assert no_report.value.code == "hypothesis_report_missing"
        report = chronicle.assets.create_inline(
            asset_type="hypothesis_report", content="# H", content_type="text/markdown"
        )
        exp.link_input(report.id).commit()
        with pytest.raises(errors.ConflictError) as no_takeaways:
            exp.conclude()
        assert no_takeaways.value.code == "takeaways_report_missing"
        chronicle.assets.create_inline(
            asset_type="takeaways_report", content={"summary": "done"}, output_of={"experiment_id": exp.id}
        )
        with pytest.raises(errors.ConflictError) as exists:
            exp.conclude()  # the report exists now: keep it or regenerate it
        assert exists.value.code == "takeaways_report_exists"
        assert exp.conclude(on_exist_action="keep").state == "concluded"


def test_tentative_links_must_be_resolved_at_commit(client: Chronicle) -> None:
    parent = client.experiments.create(title="parent", hypothesis_summary="p")
    child = client.experiments.create(title="child", hypothesis_summary="c", parent_experiment_ids=[parent.id])
    assert [link.parent_id for link in child._create_response.tentative_parents] == [parent.id]
    with pytest.raises(errors.ConflictError) as info:
        child.commit()
    assert info.value.code == "tentative_links_unresolved"
    child.commit(tentative_links={parent.id: "drop"})
    assert child.detail.parent_ids == []


def test_search_sanitises_queries_and_filters_tags(client: Chronicle) -> None:
    client.assets.create_inline(asset_type="research_report", content="loss spikes at step 400", tags=["stability"])
    client.assets.create_inline(asset_type="research_report", content="loss curves are smooth", tags=["other"])
    assert len(client.search.query('loss: "a AND (').results) >= 2  # FTS5 syntax in user input is harmless
    tagged = client.search.query("loss", filters={"tags": ["stability"]}).results
    assert [h.snippet for h in tagged] and all("spikes" in h.snippet for h in tagged)


def test_new_run_plays_the_scheduler_under_its_rules_and_no_route_makes_a_run(
    server: LocalChronicle, client: Chronicle
) -> None:
    exp = client.experiments.create(title="queued", hypothesis_summary="h", config_yaml="a: 1\n").commit()
    with pytest.raises(ApiError) as still_open:
        server.new_run(exp.id, 0)
    assert (still_open.value.status, still_open.value.code) == (409, "conflict")
    assert "open" in still_open.value.message
    with pytest.raises(ApiError) as unknown:
        server.new_run(exp.id, 7)
    assert unknown.value.status == 404

    client.variations.commit(exp.id, 0, commit_without_hypothesis=True)
    client.run(exp.id, 0, 0).start()
    with pytest.raises(ApiError) as active:
        server.new_run(exp.id, 0)
    assert active.value.status == 409 and active.value.details == {"active_runs": [0]}
    assert [r.run for r in client.runs.list(exp.id, 0)] == [0]  # a refusal makes nothing

    client.run(exp.id, 0, 0).fail("crash: out of memory")
    assert server.new_run(exp.id, 0) == 1
    assert [(r.run, r.state) for r in client.runs.list(exp.id, 0)] == [(0, "failed_crash"), (1, "pending")]
    assert client.variation(exp.id, 0).run_count == 2

    # the hosted API has no route that makes a run, and neither has this one
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {server.api_key}"}) as raw:
        gone = raw.post(f"/v1/experiments/{exp.id}/variations/0/resume")
    assert (gone.status_code, gone.json()["message"]) == (404, "no such endpoint")
    assert [r.run for r in client.runs.list(exp.id, 0)] == [0, 1]
