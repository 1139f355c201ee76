"""Experiment routes: create, list, read, delete, commit, conclude, retract, lineage, inputs and outputs."""

from __future__ import annotations

from typing import Any

from methodic_server.routes.base import (
    EXPERIMENT,
    Ctx,
    Operation,
    Services,
    assets_body,
    created_by,
    locked,
    query_int,
)
from methodic_server.store.scopes import require_member


def operations(services: Services) -> list[Operation]:
    """The experiment operations."""
    s, storage = services.store, services.storage
    e = EXPERIMENT

    def create_experiment(c: Ctx) -> tuple[int, Any]:
        if c.body.get("organization_id") is not None:
            require_member(c.key_kind, c.body["organization_id"], kind="organization")
        return 201, s.experiments.create(c.body, created_by(c))

    def delete_experiment(c: Ctx) -> tuple[int, Any]:
        summary, asset_ids = s.experiments.delete(c.params["experiment_id"])
        for asset_id in asset_ids:
            storage.delete(asset_id)
        return 200, summary

    def outputs(c: Ctx) -> list[dict[str, Any]]:
        s.experiments.get(c.params["experiment_id"])
        return s.assets.outputs_of(c.params["experiment_id"])

    return [
        Operation(
            "create_experiment",
            "POST",
            "/v1/experiments",
            create_experiment,
            takes_body=True,
        ),
        Operation(
            "list_experiments",
            "GET",
            "/v1/experiments",
            lambda c: (
                200,
                s.experiments.list_page(
                    c.query.get("state"),
                    c.query.get("cursor"),
                    query_int(c, "limit", 50, 1, 200) or 50,
                    c.query.get("owner"),
                ),
            ),
        ),
        Operation(
            "get_experiment", "GET", e, lambda c: (200, s.experiments.detail(c.params["experiment_id"])), worker="read"
        ),
        Operation("delete_experiment", "DELETE", e, delete_experiment),
        Operation(
            "commit_experiment",
            "PUT",
            e + "/commit",
            lambda c: (
                200,
                s.experiments.commit(c.params["experiment_id"], dict(c.body.get("tentative_links") or {})),
            ),
            takes_body=True,
        ),
        Operation(
            "conclude_experiment",
            "PUT",
            e + "/conclude",
            lambda c: (200, s.experiments.conclude(c.params["experiment_id"])),
        ),
        Operation(
            "retract_experiment",
            "PUT",
            e + "/retract",
            lambda c: (200, s.experiments.retract(c.params["experiment_id"], c.body["reason"])),
            takes_body=True,
        ),
        Operation(
            "get_experiment_lineage",
            "GET",
            e + "/lineage",
            lambda c: (200, s.experiments.lineage(c.params["experiment_id"])),
            worker="read",
        ),
        Operation(
            "get_upstream_retractions",
            "GET",
            e + "/upstream-retractions",
            lambda c: (
                200,
                s.experiments.upstream_retractions(c.params["experiment_id"], query_int(c, "depth", 5, 1, 50) or 5),
            ),
            worker="read",
        ),
        Operation(
            "list_tentative_links",
            "GET",
            e + "/tentative-links",
            lambda c: (200, s.experiments.tentative_links(c.params["experiment_id"])),
            worker="read",
        ),
        Operation(
            "add_experiment_inputs",
            "POST",
            e + "/inputs/batch",
            lambda c: (201, assets_body(s.links.add_inputs(c.params["experiment_id"], c.body))),
            takes_body=True,
        ),
        Operation(
            "list_experiment_inputs",
            "GET",
            e + "/inputs",
            lambda c: (200, assets_body(s.links.inputs(c.params["experiment_id"]))),
            worker="read",
        ),
        Operation(
            "link_experiment_input",
            "POST",
            e + "/inputs",
            lambda c: (201, s.links.link_input(c.params["experiment_id"], c.body)),
            takes_body=True,
        ),
        Operation(
            "list_experiment_outputs",
            "GET",
            e + "/outputs",
            lambda c: (200, assets_body(locked(s, lambda: outputs(c)))),
            worker="read",
        ),
    ]
