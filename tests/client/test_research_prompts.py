"""Research prompts and the rationale through the SDK over real HTTP, with the experiment handle's binding."""

from __future__ import annotations

import pytest

from methodic import Chronicle, errors
from tests.helpers import CONFIG


def test_prompts_through_the_namespace_and_the_handle(client: Chronicle) -> None:
    exp = client.experiments.create(hypothesis_summary="h", config_yaml=CONFIG, rationale="the baseline overfits")
    other = client.experiments.create(hypothesis_summary="h2", config_yaml=CONFIG)
    goal = client.research_prompts.create("Cheaper surrogates", experiment_ids=[exp.id, other.id])
    assert client.research_prompts.get(goal.id).prompt == "Cheaper surrogates"
    assert [(x.research_prompt.id, x.is_primary) for x in client.research_prompts.list_for_experiment(other.id)] == [
        (goal.id, False)
    ]
    made = exp.research_prompts.create("Stable rollouts", primary=True)
    listed = exp.research_prompts.list()
    assert [(x.research_prompt.prompt, x.is_primary) for x in listed] == [
        ("Cheaper surrogates", False),
        ("Stable rollouts", True),
    ]
    assert exp.research_prompts.attach(goal.id, primary=True)["is_primary"] is True
    assert [x.research_prompt.id for x in exp.research_prompts.list() if x.is_primary] == [goal.id]
    assert made.id != goal.id
    assert exp.get_rationale() == "the baseline overfits"
    assert client.experiments.get_rationale(other.id) is None
    with pytest.raises(errors.NotFoundError):
        client.research_prompts.get("no-such-prompt")
