"""An asset's R2 copy: its status, and moving a ready asset there.

On the hosted service an asset's bytes live in GCS, R2 or both, and a move copies them in the background.
The local server keeps every asset's bytes once, in the store its storage gateway reads; an asset uploaded
on the ``r2`` route has its R2 copy from the start, and moving any other ready asset makes its copy ready at
once (nothing has to be copied). A server without a gateway has no R2 at all and says so (501).
"""

from __future__ import annotations

from typing import Any

from methodic_server.errors import ApiError, not_found
from methodic_server.gateway import Gateway, r2_copy
from methodic_server.routes.base import Answer, Ctx, Operation, Services

ASSET = "/v1/assets/{asset_id}"


def operations(services: Services) -> list[Operation]:
    """GET and PUT /v1/assets/{id}/r2."""
    s, options = services.store, services.options

    def status(asset: dict[str, Any], gateway_url: str) -> dict[str, Any]:
        copy = r2_copy(gateway_url, asset["id"])
        gcs = "present" if asset.get("upload_via") != "r2" else "absent"  # what the asset was uploaded to
        return copy | {"access": "authenticated", "retention": asset.get("expires_at"), "gcs_state": gcs}

    def has_copy(asset: dict[str, Any]) -> bool:
        return asset["state"] == "ready" and (asset.get("upload_via") == "r2" or bool(asset.get("r2_copy")))

    def get_status(c: Ctx) -> Answer:
        with s.lock:
            asset = s.assets.get(c.params["asset_id"])
        if not options.r2 or options.gateway_url is None or not has_copy(asset):
            raise not_found(f"asset {asset['id']} has no R2 copy")
        return 200, status(asset, options.gateway_url)

    def move(c: Ctx) -> Answer:
        if not options.r2 or options.gateway_url is None:
            raise ApiError(501, "r2_unavailable", "this local server offers the gcs route only: it has no R2")
        with s.docs.transaction():
            asset = s.assets.get(c.params["asset_id"])
            Gateway.check_readable(asset)  # 410 expired, 409 unless ready
            if not has_copy(asset):
                asset["r2_copy"] = True
                s.docs.put("asset", asset["id"], asset)
        return 200, status(asset, options.gateway_url)

    return [
        Operation("get_asset_r2_status", "GET", ASSET + "/r2", get_status, worker="read"),
        Operation("move_asset_to_r2", "PUT", ASSET + "/r2", move),
    ]
