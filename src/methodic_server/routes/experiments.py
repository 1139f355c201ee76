"""Experiment routes: create, list, read, delete, commit, conclude, retract, lineage, inputs and outputs."""

from __future__ import annotations

from typing import Any

from methodic_server.errors import bad_request
from methodic_server.routes.base import (
    EXPERIMENT,
    Answer,
    Ctx,
    Operation,
    Services,
    created_by,
    locked,
    query_flag,
    query_int,
)
from methodic_server.store.scopes import check_visibility, require_member


def operations(services: Services) -> list[Operation]:
    """The experiment operations."""
    s, storage = services.store, services.storage
    e = EXPERIMENT

    def create_experiment(c: Ctx) -> Answer:
        if c.body.get("organization_id") is not None:
            require_member(c.key_kind, c.body["organization_id"], kind="organization")
        if c.body.get("team_id") is not None:
            require_member(c.key_kind, c.body["team_id"], kind="team")
        check_visibility(c.body.get("visibility"))
        return 201, s.experiments.create(c.body, created_by(c))

    def list_experiments(c: Ctx) -> Answer:
        page, more = s.experiments.list_page(
            status=c.query.get("status"),
            created_by=c.query.get("created_by"),
            owner=c.query.get("owner"),
            before=c.query.get("before"),
            limit=query_int(c, "limit", 100, 1, 500) or 100,
        )
        return 200, page, {"X-Has-More": "true" if more else "false"}

    def delete_experiment(c: Ctx) -> Answer:
        summary, asset_ids = s.experiments.delete(c.params["experiment_id"])
        for asset_id in asset_ids:
            storage.delete(asset_id)
        return 200, {**summary, "deleted": True}

    def conclude(c: Ctx) -> Answer:
        return 200, s.experiments.conclude(c.params["experiment_id"], c.body.get("on_exist_action"))

    def lineage(c: Ctx) -> Answer:
        direction = c.query.get("direction", "both")
        return 200, s.experiments.lineage(c.params["experiment_id"], direction, query_int(c, "depth", None, 1, 100))

    def upstream(c: Ctx) -> Answer:
        return 200, s.experiments.upstream_retractions(
            c.params["experiment_id"],
            query_int(c, "depth", None, 1, 100),
            c.query.get("since"),
            query_flag(c, "full_chain"),
        )

    def outputs(c: Ctx) -> list[dict[str, Any]]:
        s.experiments.get(c.params["experiment_id"])
        return s.assets.outputs_of(c.params["experiment_id"])

    def link_inputs(c: Ctx) -> Answer:
        if not c.body.get("asset_ids"):
            raise bad_request("asset_ids must name at least one asset")
        return 200, s.links.link_inputs(c.params["experiment_id"], None, c.body)

    return [
        Operation("create_experiment", "POST", "/v1/experiments", create_experiment, takes_body=True),
        Operation("list_experiments", "GET", "/v1/experiments", list_experiments),
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
        Operation("conclude_experiment", "POST", e + "/conclude", conclude, takes_body=True),
        Operation(
            "retract_experiment",
            "PUT",
            e + "/retract",
            lambda c: (
                200,
                s.experiments.retract(c.params["experiment_id"], c.body["reason"], c.body.get("document_asset_id")),
            ),
            takes_body=True,
        ),
        Operation("get_experiment_lineage", "GET", e + "/lineage", lineage, worker="read"),
        Operation("get_upstream_retractions", "GET", e + "/upstream-retractions", upstream, worker="read"),
        Operation(
            "promote_lineage",
            "POST",
            e + "/lineage/{parent_id}/promote",
            lambda c: (200, s.experiments.promote(c.params["experiment_id"], c.params["parent_id"])),
        ),
        Operation(
            "list_tentative_links",
            "GET",
            e + "/tentative-links",
            lambda c: (200, s.experiments.tentative_links(c.params["experiment_id"])),
            worker="read",
        ),
        Operation(
            "list_experiment_inputs",
            "GET",
            e + "/inputs",
            lambda c: (200, s.links.inputs(c.params["experiment_id"])),
            worker="read",
        ),
        Operation("link_experiment_inputs", "POST", e + "/inputs", link_inputs, takes_body=True),
        Operation(
            "list_experiment_outputs",
            "GET",
            e + "/outputs",
            lambda c: (200, locked(s, lambda: outputs(c))),
            worker="read",
        ),
    ]
