"""Run routes: list, status, the lifecycle transitions (start, heartbeat, succeed, fail) and outputs."""

from __future__ import annotations

from typing import Any

from methodic_server.routes.base import RUN, Answer, Ctx, Handler, Operation, Services, locked


def operations(services: Services) -> list[Operation]:
    """The run operations; a worker key may drive only its own run."""
    s = services.store

    def transition(action: str) -> Handler:
        return lambda c: (
            200,
            s.runs.transition(c.params["experiment_id"], c.params["variation"], c.params["run"], action, c.body),
        )

    def heartbeat(c: Ctx) -> Answer:
        # the run is named in the body: one global route, as the hosted service has it
        experiment_id = s.experiments.resolve(c.body["experiment_id"])
        return 200, s.runs.transition(experiment_id, c.body["variation"], c.body["run"], "heartbeat", {})

    def outputs(c: Ctx) -> list[dict[str, Any]]:
        exp, var, run = c.params["experiment_id"], c.params["variation"], c.params["run"]
        s.runs.get(exp, var, run)
        return s.assets.outputs_of(exp, var, run)

    return [
        Operation(
            "get_run_status",
            "GET",
            RUN + "/status",
            lambda c: (
                200,
                locked(s, lambda: s.runs.get(c.params["experiment_id"], c.params["variation"], c.params["run"])),
            ),
            worker="read",
        ),
        Operation("start_run", "POST", RUN + "/start", transition("start"), takes_body=True, worker="run"),
        Operation("heartbeat_run", "POST", "/v1/heartbeat", heartbeat, takes_body=True, worker="run"),
        Operation("succeed_run", "POST", RUN + "/succeed", transition("succeed"), worker="run"),
        Operation("fail_run", "POST", RUN + "/fail", transition("fail"), takes_body=True, worker="run"),
        Operation(
            "list_run_outputs",
            "GET",
            RUN + "/outputs",
            lambda c: (200, locked(s, lambda: outputs(c))),
            worker="read",
        ),
    ]
