"""Variation routes: create, read (with its config), update, commit, retract, inputs and outputs.

No route makes a further run of a variation: the hosted scheduler does that, and the local server's
stand-in is the Python-level :meth:`methodic_server.LocalChronicle.new_run`.
"""

from __future__ import annotations

from typing import Any

from methodic_server.errors import bad_request
from methodic_server.routes.base import EXPERIMENT, VARIATION, Answer, Ctx, Operation, Services, created_by, locked


def operations(services: Services) -> list[Operation]:
    """The variation operations."""
    s = services.store
    v = VARIATION

    def outputs(c: Ctx) -> list[dict[str, Any]]:
        exp, var = c.params["experiment_id"], c.params["variation"]
        s.variations.get(exp, var)
        return s.assets.outputs_of(exp, var)

    def link_inputs(c: Ctx) -> Answer:
        if not c.body.get("asset_ids"):
            raise bad_request("asset_ids must name at least one asset")
        return 200, s.links.link_inputs(c.params["experiment_id"], c.params["variation"], c.body)

    return [
        Operation(
            "create_variation",
            "POST",
            EXPERIMENT + "/variations",
            lambda c: (201, s.variations.create(c.params["experiment_id"], c.body, created_by(c))),
            takes_body=True,
        ),
        Operation(
            "get_variation",
            "GET",
            v,
            lambda c: (200, locked(s, lambda: s.variations.get(c.params["experiment_id"], c.params["variation"]))),
            worker="read",
        ),
        Operation(
            "update_variation",
            "PUT",
            v,
            lambda c: (200, s.variations.update(c.params["experiment_id"], c.params["variation"], c.body)),
            takes_body=True,
        ),
        Operation(
            "retract_variation",
            "PUT",
            v + "/retract",
            lambda c: (
                200,
                s.variations.retract(
                    c.params["experiment_id"], c.params["variation"], c.body["reason"], c.body.get("document_asset_id")
                ),
            ),
            takes_body=True,
        ),
        Operation(
            "commit_variation",
            "PUT",
            v + "/commit",
            lambda c: (
                200,
                s.variations.commit(
                    c.params["experiment_id"], c.params["variation"], bool(c.body.get("commit_without_hypothesis"))
                ),
            ),
            takes_body=True,
        ),
        Operation(
            "list_variation_inputs",
            "GET",
            v + "/inputs",
            lambda c: (200, s.links.inputs(c.params["experiment_id"], c.params["variation"])),
            worker="read",
        ),
        Operation("link_variation_inputs", "POST", v + "/inputs", link_inputs, takes_body=True),
        Operation(
            "unlink_variation_input",
            "DELETE",
            v + "/inputs/{asset_id}",
            lambda c: (
                200,
                s.links.unlink_input(c.params["experiment_id"], c.params["variation"], c.params["asset_id"]),
            ),
        ),
        Operation(
            "list_variation_outputs",
            "GET",
            v + "/outputs",
            lambda c: (200, locked(s, lambda: outputs(c))),
            worker="read",
        ),
    ]
