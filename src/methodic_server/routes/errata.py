"""Errata: create (authored, or imported with an upload URL for the PDF), list per target, detach."""

from __future__ import annotations

from typing import Any

from methodic_server.routes.base import EXPERIMENT, VARIATION, Answer, Ctx, Operation, Services, created_by


def operations(services: Services) -> list[Operation]:
    """POST /v1/errata, DELETE /v1/errata/{id}, and the three per-target listings."""
    s, storage, options = services.store, services.storage, services.options

    def create(c: Ctx) -> Answer:
        erratum = s.errata.create(c.body, created_by(c))
        answer: dict[str, Any] = {"erratum": erratum}
        if c.body.get("direction") == "imported":
            asset = erratum["asset"]
            url, _ = storage.presign("PUT", asset["id"], asset["components"][0]["name"], options.presign_ttl)
            answer["upload_url"] = url  # a presigned PUT: the published client sends the PDF with no key
        return 201, answer

    return [
        Operation("create_erratum", "POST", "/v1/errata", create, takes_body=True),
        Operation(
            "delete_erratum",
            "DELETE",
            "/v1/errata/{errata_asset_id}",
            lambda c: (200, s.errata.detach(c.params["errata_asset_id"])),
        ),
        Operation(
            "list_asset_errata",
            "GET",
            "/v1/assets/{asset_id}/errata",
            lambda c: (200, s.errata.of({"asset_id": c.params["asset_id"]})),
            worker="read",
        ),
        Operation(
            "list_experiment_errata",
            "GET",
            EXPERIMENT + "/errata",
            lambda c: (200, s.errata.of({"experiment_id": c.params["experiment_id"]})),
            worker="read",
        ),
        Operation(
            "list_variation_errata",
            "GET",
            VARIATION + "/errata",
            lambda c: (
                200,
                s.errata.of({"experiment_id": c.params["experiment_id"], "variation": c.params["variation"]}),
            ),
            worker="read",
        ),
    ]
