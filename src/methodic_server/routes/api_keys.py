"""API key management: mint, list, rotate, restrict and revoke the caller's keys."""

from __future__ import annotations

from typing import Any

from methodic_server.routes.base import Ctx, Operation, Services
from methodic_server.store.api_keys import Restriction


def caller_restriction(ctx: Ctx) -> Restriction | None:
    """The restriction of the key that made the request (None: unrestricted)."""
    scope: dict[str, Any] = ctx.scope or {}
    restriction: Restriction | None = scope.get("restriction")
    return restriction


def operations(services: Services) -> list[Operation]:
    """POST/GET /v1/api-keys, DELETE /v1/api-keys/{id}, POST .../rotate, PUT .../restriction."""
    keys = services.store.api_keys
    one = "/v1/api-keys/{key_id}"
    return [
        Operation(
            "create_api_key",
            "POST",
            "/v1/api-keys",
            lambda c: (201, keys.create(c.body, caller_restriction(c))),
            takes_body=True,
        ),
        Operation("list_api_keys", "GET", "/v1/api-keys", lambda c: (200, keys.list())),
        Operation(
            "revoke_api_key", "DELETE", one, lambda c: (200, keys.revoke(c.params["key_id"], caller_restriction(c)))
        ),
        Operation(
            "rotate_api_key",
            "POST",
            one + "/rotate",
            lambda c: (200, keys.rotate(c.params["key_id"], caller_restriction(c))),
        ),
        Operation(
            "set_api_key_restriction",
            "PUT",
            one + "/restriction",
            lambda c: (200, keys.set_restriction(c.params["key_id"], c.body["restriction"], caller_restriction(c))),
            takes_body=True,
        ),
    ]
