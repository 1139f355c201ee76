"""Experiments as hosted-SDK code calls them (evidence §2.3 ``chronicle.experiments``, §3.1, §3.5), over real HTTP."""

from __future__ import annotations

import types

import pytest

from methodic import Chronicle, errors
from tests.helpers import CONFIG


def test_create_as_public_code_calls_it_needs_no_title(client: Chronicle) -> None:
    parent = client.experiments.create(hypothesis_summary="Warmup stabilises training", config_yaml=CONFIG)
    # R propose-experiment: hypothesis_summary, config_yaml, rationale, description, parent_experiment_ids; no title
    exp = client.experiments.create(
        hypothesis_summary="A longer warmup removes the loss spike at step 400",
        config_yaml=CONFIG,
        rationale="the spike coincides with the end of warmup",
        description="sweep warmup length",
        parent_experiment_ids=[parent.id],
    )
    assert exp.title == "A longer warmup removes the loss spike at step 400"  # the server's default
    assert exp.data.rationale == "the spike coincides with the end of warmup"
    # the parent was still open: a tentative link, listed on the create response
    assert exp._create_response is not None
    created = exp._create_response
    assert (created.experiment_id, created.variation, created.run) == (exp.id, 0, 0)  # the seeded variation and run
    assert [(t.parent_id, t.parent_state) for t in created.tentative_parents] == [(parent.id, "open")]
    long = client.experiments.create(hypothesis_summary="word " * 40)
    assert len(long.title) <= 81 and long.title.endswith("…")


def test_tentative_links_are_listed_until_commit_resolves_them(client: Chronicle) -> None:
    parent = client.experiments.create(title="parent", hypothesis_summary="p", config_yaml=CONFIG)
    exp = client.experiments.create(hypothesis_summary="child", parent_experiment_ids=[parent.id])
    links = client.experiments.tentative_links(exp.id)
    # promotable only once the parent has committed
    assert [(link.parent_id, link.parent_state, link.promotable) for link in links] == [(parent.id, "open", False)]
    assert links[0]["parent_state"] == "open"  # dict-style too
    with pytest.raises(errors.ConflictError) as unresolved:
        exp.commit()
    assert unresolved.value.code == "tentative_links_unresolved"
    exp.commit(tentative_links={parent.id: "promote"})
    assert client.experiments.tentative_links(exp.id) == []
    assert exp.tentative_links() == []


def test_iter_is_a_lazy_iterator_of_summaries_filtered_by_status(client: Chronicle) -> None:
    opened = [client.experiments.create(hypothesis_summary=f"open {i}") for i in range(3)]
    committed = client.experiments.create(hypothesis_summary="committed one").commit()
    committed.retract(reason="data leak")

    everything = client.experiments.iter(page_size=2)  # R status: chronicle.experiments.iter(status=None)
    assert isinstance(everything, types.GeneratorType)
    summaries = list(everything)
    assert {s.id for s in summaries} == {e.id for e in [*opened, committed]}
    only_open = list(client.experiments.iter(status="open"))
    assert {s.id for s in only_open} == {e.id for e in opened}
    assert all(s.state == "open" and s.retracted_at is None for s in only_open)
    (retracted,) = client.experiments.iter(status="committed")
    assert retracted.hypothesis_summary == "committed one"
    assert retracted.retracted_at is not None


def test_iter_by_owner(client: Chronicle) -> None:
    mine = client.experiments.create(hypothesis_summary="personal")
    org = client.experiments.create(hypothesis_summary="lab", organization_id="org_local")
    assert org.data.organization_id == "org_local"
    assert [e.id for e in client.experiments.iter(owner="org_local")] == [org.id]
    assert [e.id for e in client.experiments.iter(owner="user_local")] == [mine.id]
    assert {e.id for e in client.experiments.iter(owner="_all")} == {mine.id, org.id}
    with pytest.raises(errors.PermissionDeniedError, match="not a member of org_elsewhere"):
        client.experiments.create(hypothesis_summary="x", organization_id="org_elsewhere")


def _committed(client: Chronicle, summary: str, parents: list[str] | None = None) -> str:
    exp = client.experiments.create(hypothesis_summary=summary, config_yaml=CONFIG, parent_experiment_ids=parents)
    return exp.commit().id


def test_upstream_retractions_walk_the_ancestors(client: Chronicle) -> None:
    grandparent = _committed(client, "grandparent")
    parent = _committed(client, "parent", [grandparent])
    child = _committed(client, "child", [parent])
    clean = client.experiments.get_upstream_retractions(child)
    assert clean.has_retractions is False and clean.retractions == []

    client.experiments.retract(grandparent, reason="label noise in the dataset")
    found = client.experiments.get_upstream_retractions(child)  # R status: default depth 5
    assert found.has_retractions is True
    (retraction,) = found.retractions
    assert retraction.experiment_id == grandparent
    assert retraction.reason == "label noise in the dataset"
    assert retraction.retracted_at is not None
    assert retraction.depth == 2
    assert found["retractions"][0]["experiment_id"] == grandparent
    assert client.experiments.get_upstream_retractions(child, depth=1).has_retractions is False
    assert client.experiment(child).get_upstream_retractions().has_retractions is True
    with pytest.raises(errors.NotFoundError):
        client.experiments.get_upstream_retractions("no-such-experiment")


def test_add_inputs_links_several_assets_or_none(client: Chronicle) -> None:
    # datasets, not publications: a citation stays linkable after commit (until conclusion), a dataset does not
    exp = client.experiments.create(hypothesis_summary="builds on two datasets", config_yaml=CONFIG)
    first = client.assets.create_inline(asset_type="dataset", content={"title": "A"})
    second = client.assets.create_inline(asset_type="dataset", content={"title": "B"})
    bad = client.assets.create_inline(asset_type="dataset", content={"title": "C"})
    client.assets.invalidate(bad.id, reason="withdrawn")

    with pytest.raises(errors.ConflictError, match="invalidated"):
        client.experiments.add_inputs(exp.id, [first.id, bad.id])
    assert client.experiments.list_inputs(exp.id) == []  # all or none

    linked = client.experiments.add_inputs(exp.id, [first.id, second.id])
    assert linked.asset_ids == [first.id, second.id]
    assert [a.id for a in linked["linked"]] == [first.id, second.id]
    assert {a["id"] for a in client.experiments.list_inputs(exp.id)} == {first.id, second.id}
    exp.add_inputs(bad.id, allow_invalid_assets=True)
    assert len(exp.list_inputs()) == 3
    exp.commit()
    with pytest.raises(errors.ConflictError, match="frozen"):
        client.experiments.add_inputs(exp.id, [second.id])


def test_retract_result_indexes_as_a_dict(client: Chronicle, committed_run: tuple[str, int, int]) -> None:
    exp_id, variation, run = committed_run
    client.runs.start(exp_id, variation, run)
    client.assets.create_inline(
        asset_type="metrics", content={"loss": 0.1}, output_of={"experiment_id": exp_id, "variation": 0, "run": 0}
    )
    result = client.experiments.retract(exp_id, reason="bug in the data loader")
    assert result["outputs_invalidated"] == 1  # R retract-experiment indexes it
    assert result.outputs_invalidated == 1
    assert result["experiment"]["retraction_reason"] == "bug in the data loader"
    assert "outputs_invalidated" in result and result.get("missing", "default") == "default"
    assert result.experiment.retracted is True


def test_delete_returns_its_removal_summary(client: Chronicle) -> None:
    exp = client.experiments.create(hypothesis_summary="scratch", config_yaml=CONFIG)
    exp.variations.create(config_yaml="lr: 1\n")
    report = client.assets.create_inline(asset_type="hypothesis_report", content="# h")
    exp.link_input(report.id)
    summary = client.experiments.delete(exp.id)
    assert summary["id"] == exp.id
    # every variation is created with its pending run 0
    assert (summary["variations_removed"], summary["runs_removed"], summary["links_removed"]) == (2, 2, 1)
    assert summary.variations_removed == 2
    other = client.experiments.create(hypothesis_summary="scratch 2")
    assert other.delete()["variations_removed"] == 0
    committed = client.experiments.create(hypothesis_summary="kept").commit()
    with pytest.raises(errors.ConflictError, match="retract it instead"):
        client.experiments.delete(committed.id)


def test_get_reads_as_detail_and_like_the_handle(client: Chronicle) -> None:
    exp = client.experiments.create(hypothesis_summary="h", config_yaml=CONFIG, wandb_project="ripple")
    detail = client.experiments.get(exp.id)
    # R status: detail.experiment / detail.variations; R run-variation: getattr(exp, "wandb_project")
    assert detail.experiment.state == "open" and [v.variation for v in detail.variations] == [0]
    assert (detail.id, detail.state, detail.hypothesis_summary) == (exp.id, "open", "h")
    assert getattr(detail, "wandb_project", None) == "ripple"
    assert detail.committed_at is None and detail.retracted_at is None and detail.title == "h"
    # and the handle answers .experiment like the detail does
    assert exp.experiment.id == exp.id and [v.variation for v in exp.variations] == [0]
