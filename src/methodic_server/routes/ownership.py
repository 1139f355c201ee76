"""Ownership and reach: move an experiment or asset into an organization, set an asset's visibility, bulk approval."""

from __future__ import annotations

from methodic_server.routes.base import EXPERIMENT, Operation, Services

ASSET = "/v1/assets/{asset_id}"


def operations(services: Services) -> list[Operation]:
    """POST .../move (experiments and assets), PUT .../visibility, POST /v1/assets/bulk-approve."""
    own = services.store.ownership
    return [
        Operation(
            "move_experiment",
            "POST",
            EXPERIMENT + "/move",
            lambda c: (200, own.move_experiment(c.params["experiment_id"], c.body, c.key_kind)),
            takes_body=True,
        ),
        Operation(
            "move_asset",
            "POST",
            ASSET + "/move",
            lambda c: (200, own.move_asset(c.params["asset_id"], c.body, c.key_kind)),
            takes_body=True,
        ),
        Operation(
            "set_asset_visibility",
            "PUT",
            ASSET + "/visibility",
            lambda c: (200, own.set_visibility(c.params["asset_id"], c.body["visibility"])),
            takes_body=True,
        ),
        Operation(
            "bulk_approve_assets",
            "POST",
            "/v1/assets/bulk-approve",
            lambda c: (200, own.bulk_approve(c.body, c.key_kind)),
            takes_body=True,
        ),
    ]
