"""Tags: the scope's vocabulary (find-or-create, list, rename, delete) and tagging assets and experiments."""

from __future__ import annotations

from methodic_server.routes.base import EXPERIMENT, Answer, Ctx, Operation, Services, created_by


def operations(services: Services) -> list[Operation]:
    """/v1/tags, /v1/tags/{tag_id}, /v1/tags/{tag_id}/objects, and the tags of an asset or an experiment."""
    s = services.store
    tag = "/v1/tags/{tag_id}"

    def create(c: Ctx) -> Answer:
        return s.tags.create(c.body, c.key_kind, created_by(c))

    def list_tags(c: Ctx) -> Answer:
        return 200, s.tags.of_scope(c.query.get("scope_id"), c.query.get("q"), c.key_kind)

    def get(c: Ctx) -> Answer:
        return 200, s.tags.readable(c.params["tag_id"], c.key_kind)

    ops = [
        Operation("create_tag", "POST", "/v1/tags", create, takes_body=True),
        Operation("list_tags", "GET", "/v1/tags", list_tags),
        Operation("get_tag", "GET", tag, get),
        Operation(
            "rename_tag",
            "PATCH",
            tag,
            lambda c: (200, s.tags.rename(c.params["tag_id"], c.body.get("name"), c.key_kind)),
            takes_body=True,
        ),
        Operation("delete_tag", "DELETE", tag, lambda c: (200, s.tags.delete(c.params["tag_id"], c.key_kind))),
        Operation(
            "list_tag_objects",
            "GET",
            tag + "/objects",
            lambda c: (200, s.tags.objects(c.params["tag_id"], c.key_kind)),
        ),
    ]
    for kind, prefix, param in (
        ("asset", "/v1/assets/{asset_id}", "asset_id"),
        ("experiment", EXPERIMENT, "experiment_id"),
    ):
        ops += _object_operations(services, kind, prefix + "/tags", param)
    return ops


def _object_operations(services: Services, kind: str, path: str, param: str) -> list[Operation]:
    """Tag, untag and list the tags of one kind of object (``asset`` or ``experiment``)."""
    s = services.store

    def tag(c: Ctx) -> Answer:
        return s.tags.tag(kind, c.params[param], c.body, c.key_kind, created_by(c))

    def untag(c: Ctx) -> Answer:
        return 200, s.tags.untag(kind, c.params[param], c.body.get("tag_id"), c.key_kind)

    return [
        Operation(f"tag_{kind}", "POST", path, tag, takes_body=True),
        Operation(f"untag_{kind}", "DELETE", path, untag, takes_body=True),
        Operation(f"list_{kind}_tags", "GET", path, lambda c: (200, s.tags.of_object(kind, c.params[param]))),
    ]
