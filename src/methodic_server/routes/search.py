"""Search and the caller's own scopes."""

from __future__ import annotations

from methodic_server.routes.base import Operation, Services, locked


def operations(services: Services) -> list[Operation]:
    """POST /v1/search and GET /v1/me/scopes."""
    s = services.store
    return [
        Operation(
            "search",
            "POST",
            "/v1/search",
            lambda c: (200, locked(s, lambda: s.search.query(c.body))),
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
