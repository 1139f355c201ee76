"""Variations as hosted-SDK code calls them (evidence §2.3 ``chronicle.variations``, §2.4, §3.2), over real HTTP."""

from __future__ import annotations

import pytest

from methodic import Chronicle, errors
from tests.helpers import CONFIG


def test_update_changes_an_open_variation_only(client: Chronicle) -> None:
    exp = client.experiments.create(hypothesis_summary="h", config_yaml=CONFIG).commit()
    record = client.variations.update(exp.id, 0, hypothesis="lr 0.01 converges", expected_outcome="loss < 0.1")
    assert (record.hypothesis, record.expected_outcome) == ("lr 0.01 converges", "loss < 0.1")
    assert client.variations.get(exp.id, 0).hypothesis == "lr 0.01 converges"
    exp.variations.create(config_yaml="lr: 0.1\n", name="fast")
    with pytest.raises(errors.ConflictError, match="already exists"):
        client.variations.update(exp.id, 0, name="fast")  # names stay unique
    with pytest.raises(TypeError):  # the hosted update takes name, description, hypothesis, expected_outcome only
        client.variations.update(exp.id, 0, config_yaml="lr: 1\n")  # type: ignore[call-arg]
    handle = exp.variations.update(1, description="ten times the rate")
    assert handle.data.description == "ten times the rate"
    client.variations.commit(exp.id, 0, commit_without_hypothesis=True)
    with pytest.raises(errors.ConflictError) as frozen:
        client.variations.update(exp.id, 0, hypothesis="too late")
    assert frozen.value.status_code == 409 and frozen.value.code == "variation_committed"
    with pytest.raises(ValueError, match="at least one field"):
        client.variations.update(exp.id, 1)


def test_retract_invalidates_the_variations_outputs_like_an_experiments(client: Chronicle) -> None:
    exp = client.experiments.create(hypothesis_summary="h", config_yaml=CONFIG).commit()
    exp.variations.create(config_yaml="lr: 0.1\n")
    for v in (0, 1):
        client.variations.commit(exp.id, v, commit_without_hypothesis=True)
        client.runs.start(exp.id, v, 0)
    bad = client.assets.create_inline(
        asset_type="metrics", content={"loss": 9}, output_of={"experiment_id": exp.id, "variation": 1, "run": 0}
    )
    good = client.assets.create_inline(
        asset_type="metrics", content={"loss": 1}, output_of={"experiment_id": exp.id, "variation": 0, "run": 0}
    )

    result = client.variations.retract(exp.id, 1, reason="wrong tokenizer")
    assert result["outputs_invalidated"] == 1
    assert result.variation.retracted_at is not None
    assert result.variation.retraction_reason == "wrong tokenizer"
    assert client.assets.get(bad.id)["invalidated"] is True
    assert client.assets.get(bad.id)["invalidation_reason"] == "variation 1 retracted: wrong tokenizer"
    assert client.assets.get(good.id)["invalidated"] is False
    # a retracted variation's output is refused as a new input, like any invalidated asset
    later = client.experiments.create(hypothesis_summary="builds on it")
    with pytest.raises(errors.ConflictError, match="invalidated"):
        later.link_input(bad.id)

    # the summaries embedded in the experiment carry retracted_at (R e2e reads the raw JSON)
    summaries = {v.variation: v for v in client.experiments.get(exp.id).variations}
    assert summaries[1].retracted_at is not None and summaries[0].retracted_at is None
    raw = client._transport.get(f"/experiments/{exp.id}")
    assert [v["retracted_at"] is not None for v in raw["variations"]] == [False, True]

    # the handle forms: exp.variations.retract(v, reason=) and Variation.retract(reason=)
    again = exp.variations.retract(1, reason="wrong tokenizer, confirmed")
    assert again["outputs_invalidated"] == 0  # idempotent; the reason is updated
    assert client.variations.get(exp.id, 1).retraction_reason == "wrong tokenizer, confirmed"
    assert exp.variations.get(0).retract(reason="superseded").retracted_at is not None
    assert client.assets.get(good.id)["invalidated"] is True
    with pytest.raises(errors.NotFoundError):
        client.variations.retract(exp.id, 7, reason="x")
