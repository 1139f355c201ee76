"""Dataset routes: the metadata document of an asset (``PATCH /v1/assets/{asset_id}/metadata``).

Registration by reference and the catalog filters ride on ``POST``/``GET /v1/assets`` (routes/assets.py).
"""

from __future__ import annotations

from methodic_server.routes.base import Answer, Ctx, Operation, Services, created_by


def operations(services: Services) -> list[Operation]:
    """PATCH /v1/assets/{asset_id}/metadata."""
    s = services.store

    def update_metadata(c: Ctx) -> Answer:
        return 200, s.datasets.update_metadata(c.params["asset_id"], c.body, created_by(c), c.key_kind)

    return [
        Operation("update_asset_metadata", "PATCH", "/v1/assets/{asset_id}/metadata", update_metadata, takes_body=True),
    ]
