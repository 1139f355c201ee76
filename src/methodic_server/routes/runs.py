"""Run routes: list, read, the lifecycle transitions (start, heartbeat, succeed, fail) and outputs."""

from __future__ import annotations

from typing import Any

from methodic_server.routes.base import RUN, VARIATION, Ctx, Handler, Operation, Services, assets_body, locked


def operations(services: Services) -> list[Operation]:
    """The run operations; a worker key may drive only its own run."""
    s = services.store

    def transition(action: str) -> Handler:
        return lambda c: (
            200,
            s.runs.transition(c.params["experiment_id"], c.params["variation"], c.params["run"], action, c.body),
        )

    def outputs(c: Ctx) -> list[dict[str, Any]]:
        exp, var, run = c.params["experiment_id"], c.params["variation"], c.params["run"]
        s.runs.get(exp, var, run)
        return s.assets.outputs_of(exp, var, run)

    return [
        Operation(
            "list_runs",
            "GET",
            VARIATION + "/runs",
            lambda c: (200, {"runs": s.runs.of(c.params["experiment_id"], c.params["variation"])}),
            worker="read",
        ),
        Operation(
            "get_run",
            "GET",
            RUN,
            lambda c: (
                200,
                locked(s, lambda: s.runs.get(c.params["experiment_id"], c.params["variation"], c.params["run"])),
            ),
            worker="read",
        ),
        Operation("start_run", "PUT", RUN + "/start", transition("start"), takes_body=True, worker="run"),
        Operation("heartbeat_run", "PUT", RUN + "/heartbeat", transition("heartbeat"), worker="run"),
        Operation("succeed_run", "PUT", RUN + "/succeed", transition("succeed"), worker="run"),
        Operation("fail_run", "PUT", RUN + "/fail", transition("fail"), takes_body=True, worker="run"),
        Operation(
            "list_run_outputs",
            "GET",
            RUN + "/outputs",
            lambda c: (200, assets_body(locked(s, lambda: outputs(c)))),
            worker="read",
        ),
    ]
