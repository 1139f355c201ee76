"""``chronicle.tags``: keywords a scope owns, applied to assets and experiments, and filterable in search.

A tag belongs to one scope and is found by its normalized name (``"Vortex Shedding"`` and
``"vortex-shedding"`` are one tag), so tagging by name never makes near-duplicates. Tagging an object by
name finds or creates the tag in the *object's* scope. Tags grant nothing: tagging needs write access to
the object. ``search.query(..., filters={"tags": [...]})`` keeps the results that carry any listed tag.
"""

from __future__ import annotations

import builtins

from methodic_api.api.tags import (
    create_tag,
    delete_tag,
    get_tag,
    list_asset_tags,
    list_experiment_tags,
    list_tag_objects,
    list_tags,
    rename_tag,
    tag_asset,
    tag_experiment,
    untag_asset,
    untag_experiment,
)
from methodic_api.models.tag_create import TagCreate
from methodic_api.models.tag_ref import TagRef
from methodic_api.models.tag_rename import TagRename
from methodic_api.models.tag_untag import TagUntag

from methodic._operations import wraps_operation
from methodic.namespaces._base import Namespace, opt
from methodic.types import Tag, TagDeleted, TaggedObjects, Tagging, Untagged


def _tag_ref(tag: str | None, tag_id: str | None) -> TagRef:
    """The ``{tag}`` or ``{tag_id}`` body; ValueError (before anything is sent) unless exactly one is given."""
    if (tag is None) == (tag_id is None):
        raise ValueError("pass exactly one of tag (a name) or tag_id")
    return TagRef.from_dict({"tag": tag} if tag is not None else {"tag_id": tag_id})


class TagsNamespace(Namespace):
    """The tag vocabulary of a scope, and the tags of assets and experiments."""

    @wraps_operation("create_tag")
    def create(self, name: str, *, scope_id: str | None = None) -> Tag:
        """Find or create the tag ``name`` in ``scope_id`` (your personal scope by default); idempotent.

        A scope you cannot act in is refused (PermissionDeniedError).
        """
        body = TagCreate(name=name, scope_id=opt(scope_id))
        return self._call(create_tag.sync_detailed, Tag, body=body)

    @wraps_operation("list_tags")
    def list(self, *, scope_id: str | None = None, q: str | None = None) -> builtins.list[Tag]:
        """A scope's tags by name, each with its ``usage_count``, for autocompletion; ``q`` is a name prefix."""
        return self._list(list_tags.sync_detailed, Tag, scope_id=opt(scope_id), q=opt(q))

    @wraps_operation("get_tag")
    def get(self, tag_id: str) -> Tag:
        """One tag (NotFoundError when there is none)."""
        return self._call(get_tag.sync_detailed, Tag, tag_id=tag_id)

    @wraps_operation("rename_tag")
    def rename(self, tag_id: str, name: str) -> Tag:
        """Rename a tag everywhere it is applied, search included.

        ConflictError (code ``tag_exists``) when the scope already has a tag of that name.
        """
        return self._call(rename_tag.sync_detailed, Tag, tag_id=tag_id, body=TagRename(name=name))

    @wraps_operation("delete_tag")
    def delete(self, tag_id: str) -> TagDeleted:
        """Delete a tag and remove it from every object that carries it."""
        return self._call(delete_tag.sync_detailed, TagDeleted, tag_id=tag_id)

    @wraps_operation("list_tag_objects")
    def objects(self, tag_id: str) -> TaggedObjects:
        """The assets and experiments that carry a tag (``.assets``, ``.experiments``)."""
        return self._call(list_tag_objects.sync_detailed, TaggedObjects, tag_id=tag_id)

    @wraps_operation("tag_asset")
    def tag_asset(self, asset_id: str, *, tag: str | None = None, tag_id: str | None = None) -> Tagging:
        """Apply a tag to an asset: by name (found or created in the asset's scope) or by id; idempotent.

        ValueError unless exactly one of ``tag`` and ``tag_id`` is given.
        """
        return self._call(tag_asset.sync_detailed, Tagging, asset_id=asset_id, body=_tag_ref(tag, tag_id))

    @wraps_operation("untag_asset")
    def untag_asset(self, asset_id: str, tag_id: str) -> Untagged:
        """Remove a tag from an asset (``.removed`` false when it did not carry it)."""
        return self._call(untag_asset.sync_detailed, Untagged, asset_id=asset_id, body=TagUntag(tag_id=tag_id))

    @wraps_operation("list_asset_tags")
    def asset_tags(self, asset_id: str) -> builtins.list[Tag]:
        """The tags an asset carries, by name."""
        return self._list(list_asset_tags.sync_detailed, Tag, asset_id=asset_id)

    @wraps_operation("tag_experiment")
    def tag_experiment(self, experiment_id: str, *, tag: str | None = None, tag_id: str | None = None) -> Tagging:
        """Apply a tag to an experiment (an id or slug): by name (found or created in its scope) or by id.

        ValueError unless exactly one of ``tag`` and ``tag_id`` is given.
        """
        body = _tag_ref(tag, tag_id)
        return self._call(tag_experiment.sync_detailed, Tagging, experiment_id=experiment_id, body=body)

    @wraps_operation("untag_experiment")
    def untag_experiment(self, experiment_id: str, tag_id: str) -> Untagged:
        """Remove a tag from an experiment (``.removed`` false when it did not carry it)."""
        body = TagUntag(tag_id=tag_id)
        return self._call(untag_experiment.sync_detailed, Untagged, experiment_id=experiment_id, body=body)

    @wraps_operation("list_experiment_tags")
    def experiment_tags(self, experiment_id: str) -> builtins.list[Tag]:
        """The tags an experiment carries, by name."""
        return self._list(list_experiment_tags.sync_detailed, Tag, experiment_id=experiment_id)
