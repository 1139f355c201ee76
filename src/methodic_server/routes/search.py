"""Search and the caller's own scopes."""

from __future__ import annotations

from typing import Any

from methodic_server.routes.base import Ctx, Operation, Services, locked


def operations(services: Services) -> list[Operation]:
    """POST /v1/search and GET /v1/me/scopes."""
    s = services.store

    def search(c: Ctx) -> tuple[int, Any]:
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
            lambda c: (
                200,
                {"scopes": [{"id": "user_local", "kind": "user", "name": "Local user", "slug": "local"}]},
            ),
            worker="read",
        ),
    ]
