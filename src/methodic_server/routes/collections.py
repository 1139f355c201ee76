"""Collections: create, get and list them, change and list their members, associate them with experiments."""

from __future__ import annotations

from methodic_server.routes.base import EXPERIMENT, Answer, Ctx, Operation, Services, created_by, query_flag


def operations(services: Services) -> list[Operation]:
    """/v1/collections, /v1/collections/{id}, its /members, and /v1/experiments/{id}/collections."""
    s = services.store
    one = "/v1/collections/{collection_id}"

    def list_collections(c: Ctx) -> Answer:
        found = s.collections.of_scope(
            c.query.get("scope_id"), c.query.get("q"), query_flag(c, "include_archived"), c.key_kind
        )
        return 200, found

    return [
        Operation(
            "create_collection",
            "POST",
            "/v1/collections",
            lambda c: (201, s.collections.create(c.body, c.key_kind, created_by(c))),
            takes_body=True,
        ),
        Operation("list_collections", "GET", "/v1/collections", list_collections),
        Operation(
            "get_collection", "GET", one, lambda c: (200, s.collections.get(c.params["collection_id"], c.key_kind))
        ),
        Operation(
            "add_collection_members",
            "POST",
            one + "/members",
            lambda c: (200, s.collections.add(c.params["collection_id"], c.body, c.key_kind, created_by(c))),
            takes_body=True,
        ),
        Operation(
            "remove_collection_members",
            "DELETE",
            one + "/members",
            lambda c: (200, s.collections.remove(c.params["collection_id"], c.body, c.key_kind)),
            takes_body=True,
        ),
        Operation(
            "list_collection_members",
            "GET",
            one + "/members",
            lambda c: (200, s.collections.members(c.params["collection_id"], c.key_kind)),
        ),
        Operation(
            "associate_experiment_collections",
            "POST",
            EXPERIMENT + "/collections",
            lambda c: (200, s.collections.associate(c.params["experiment_id"], c.body, c.key_kind)),
            takes_body=True,
        ),
    ]
