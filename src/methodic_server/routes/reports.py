"""Reports: render an experiment's report of a kind; read a report back with its content."""

from __future__ import annotations

from methodic_server.routes.base import EXPERIMENT, Operation, Services, created_by


def operations(services: Services) -> list[Operation]:
    """POST .../reports/{kind}/render and GET /v1/reports/{asset_id}."""
    s = services.store
    return [
        Operation(
            "render_report",
            "POST",
            EXPERIMENT + "/reports/{kind}/render",
            lambda c: (201, s.reports.render(c.params["experiment_id"], c.params["kind"], c.body, created_by(c))),
            takes_body=True,
        ),
        Operation("get_report", "GET", "/v1/reports/{asset_id}", lambda c: (200, s.reports.get(c.params["asset_id"]))),
    ]
