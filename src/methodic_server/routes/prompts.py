"""Research prompts, and an experiment's rationale (the goal and the reason an experiment was made)."""

from __future__ import annotations

from methodic_server.routes.base import EXPERIMENT, Operation, Services, created_by


def operations(services: Services) -> list[Operation]:
    """Create and read prompts, associate them with experiments; read an experiment's rationale."""
    s = services.store
    return [
        Operation(
            "create_research_prompt",
            "POST",
            "/v1/research-prompts",
            lambda c: (201, s.prompts.create(c.body["prompt"], created_by(c))),
            takes_body=True,
        ),
        Operation(
            "get_research_prompt",
            "GET",
            "/v1/research-prompts/{research_prompt_id}",
            lambda c: (200, s.prompts.get(c.params["research_prompt_id"])),
        ),
        Operation(
            "list_experiment_research_prompts",
            "GET",
            EXPERIMENT + "/research-prompts",
            lambda c: (200, s.prompts.of_experiment(c.params["experiment_id"])),
            worker="read",
        ),
        Operation(
            "attach_research_prompt",
            "POST",
            EXPERIMENT + "/research-prompts",
            lambda c: (
                200,
                s.prompts.attach(
                    c.params["experiment_id"], c.body["research_prompt_id"], bool(c.body.get("is_primary"))
                ),
            ),
            takes_body=True,
        ),
        Operation(
            "get_experiment_rationale",
            "GET",
            EXPERIMENT + "/rationale",
            lambda c: (200, {"rationale": s.experiments.get(c.params["experiment_id"]).get("rationale")}),
            worker="read",
        ),
    ]
