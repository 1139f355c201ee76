"""Per-asset access grants: grant, revoke, list."""

from __future__ import annotations

from methodic_server.errors import bad_request
from methodic_server.routes.base import Answer, Ctx, Operation, Services


def operations(services: Services) -> list[Operation]:
    """POST/DELETE /v1/objects/asset/{id}/acl and GET /v1/auth/object-aces."""
    access = services.store.access
    acl = "/v1/objects/asset/{asset_id}/acl"

    def revoke(c: Ctx) -> Answer:
        principal, action = c.query.get("principal"), c.query.get("action")
        if not principal or not action:
            raise bad_request("revoking needs principal and action")
        return 200, access.revoke(c.params["asset_id"], principal, action)

    def entries(c: Ctx) -> Answer:
        if not c.query.get("type") or not c.query.get("id"):
            raise bad_request("listing access needs type and id")
        return 200, access.entries(c.query["type"], c.query["id"])

    return [
        Operation(
            "grant_asset_access",
            "POST",
            acl,
            lambda c: (200, access.grant(c.params["asset_id"], c.body["principal_id"], c.body.get("action", "read"))),
            takes_body=True,
        ),
        Operation("revoke_asset_access", "DELETE", acl, revoke),
        Operation("list_object_access", "GET", "/v1/auth/object-aces", entries),
    ]
