"""Search and the caller's own scopes."""

from __future__ import annotations

from typing import Any

from methodic_server.errors import ApiError
from methodic_server.routes.base import Ctx, Operation, Services, locked
from methodic_server.store.scopes import known, scopes_of


def operations(services: Services) -> list[Operation]:
    """POST /v1/search and GET /v1/me/scopes."""
    s = services.store

    def search(c: Ctx) -> tuple[int, Any]:
        as_scope = c.body.get("as_scope")
        if as_scope is not None:
            # acting as another organization is a superadmin's right on the hosted service
            if c.key_kind != "admin":
                raise ApiError(403, "forbidden", "as_scope needs a superadmin key")
            if (known(as_scope) or {}).get("kind") != "organization":
                raise ApiError(400, "validation_error", f"as_scope {as_scope!r} is not a known organization")
        found: dict[str, Any] = locked(s, lambda: s.search.query(c.body))
        if c.key_kind == "worker":
            # a worker key sees its own experiment only, as on every other route
            own = (c.scope or {}).get("experiment_id")
            found["results"] = [r for r in found["results"] if r["experiment_id"] == own]
        return 200, found

    return [
        Operation(
            "search",
            "POST",
            "/v1/search",
            search,
            takes_body=True,
            worker="read",
        ),
        Operation(
            "get_my_scopes",
            "GET",
            "/v1/me/scopes",
            lambda c: (200, {"scopes": scopes_of(c.key_kind)}),
            worker="read",
        ),
    ]
