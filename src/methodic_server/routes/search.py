"""Search, the caller's own scopes, and the public client configuration."""

from __future__ import annotations

from typing import Any

from methodic_server.errors import ApiError
from methodic_server.routes.base import Answer, Ctx, Operation, Services, locked
from methodic_server.store.scopes import known, scopes_of


def operations(services: Services) -> list[Operation]:
    """POST /v1/search, GET /v1/me/scopes and GET /v1/public/client-config."""
    s = services.store

    def search(c: Ctx) -> Answer:
        as_scope = c.body.get("as_scope")
        if as_scope is not None:
            # acting as another organization is a superadmin's right on the hosted service
            if c.key_kind != "admin":
                raise ApiError(403, "forbidden", "as_scope needs a superadmin key")
            if (known(as_scope) or {}).get("kind") != "organization":
                raise ApiError(400, "validation_error", f"as_scope {as_scope!r} is not a known organization")
        scope = c.body.get("scope")

        def run() -> dict[str, Any]:
            context: set[str] = set()
            boosted: set[str] = set()
            for ref in c.body.get("experiment_context") or []:
                try:
                    exp_id = s.experiments.resolve(ref)
                except ApiError:
                    continue  # context only boosts: an unknown experiment boosts nothing
                context.add(exp_id)
                family = s.experiments.lineage(exp_id)
                boosted |= {exp_id} | {n["id"] for n in family["ancestors"] + family["descendants"]}
                # the members of the collections associated with the experiment rank higher too
                for collection_id in s.collections.associated_with(exp_id):
                    boosted |= s.collections.member_ids(collection_id)
            allowed = _hard_scope(scope, context, c.key_kind)
            own = (c.scope or {}).get("experiment_id") if c.key_kind == "worker" else None
            return s.search.query(c.body, boosted=boosted, allowed=allowed, only_experiment=own)

        return 200, locked(s, run)

    def _hard_scope(scope: Any, context: set[str], key_kind: str) -> set[str] | None:
        """The ids (experiments and assets) a ``scope`` keeps results to, or None for no hard filter.

        The union of the named experiments and the members of the named collections (an experiment's
        documents include its outputs). A present but empty scope with ``experiment_context`` keeps the
        results to that context: its experiments and the members of their associated collections.
        """
        if scope is None:
            return None
        experiments = list(scope.get("experiments") or [])
        collections = list(scope.get("collections") or [])
        if not experiments and not collections:
            if not context:
                return None
            return context | {
                m for e in context for cid in s.collections.associated_with(e) for m in s.collections.member_ids(cid)
            }
        allowed = {s.experiments.resolve(ref) for ref in experiments}
        for collection_id in collections:
            s.collections.readable(collection_id, key_kind)  # 404 unknown, 403 another scope's
            allowed |= s.collections.member_ids(collection_id)
        return allowed

    return [
        Operation("search", "POST", "/v1/search", search, takes_body=True, worker="read"),
        Operation(
            "get_my_scopes",
            "GET",
            "/v1/me/scopes",
            lambda c: (200, {"scopes": scopes_of(c.key_kind)}),
            worker="read",
        ),
        Operation(
            "get_client_config",
            "GET",
            "/v1/public/client-config",
            # the storage gateway (Scribe) when the server offers the r2 route; null: presign reads here
            lambda c: (200, {"scribe_url": services.options.gateway_url if services.options.r2 else None}),
            worker="read",
            public=True,
        ),
    ]
