"""``chronicle.collections``: named groupings of assets and experiments that a scope owns, and search within them.

Membership is curatorial and grants nothing: adding needs write access to the collection and a member
that exists (one that does not is skipped with a warning, the rest of the batch still added), and
listings show only the members you can read. Two ways a collection shapes search:
``search.query(..., scope={"collections": [id]})`` keeps results to its members (a hard filter), and
:meth:`CollectionsNamespace.associate` makes searches in an experiment's ``experiment_context`` rank the
members of its collections higher.
"""

from __future__ import annotations

import builtins

from methodic_api.api.collections import (
    add_collection_members,
    associate_experiment_collections,
    create_collection,
    get_collection,
    list_collection_members,
    list_collections,
    remove_collection_members,
)
from methodic_api.models.collection_associate import CollectionAssociate
from methodic_api.models.collection_create import CollectionCreate
from methodic_api.models.collection_members_change import CollectionMembersChange

from methodic._operations import wraps_operation
from methodic.namespaces._base import Namespace, opt
from methodic.types import Collection, CollectionMembers, MembershipChange

#: How soon the hosted service's search index sees a membership change; the membership itself is immediate.
REINDEX_MODES = ("lazy", "eager")


def _change(
    asset_ids: builtins.list[str] | None, experiment_ids: builtins.list[str] | None, reindex_mode: str
) -> CollectionMembersChange:
    """The add/remove body; ValueError (before anything is sent) for an unknown ``reindex_mode``."""
    if reindex_mode not in REINDEX_MODES:
        raise ValueError(f"reindex_mode must be one of {', '.join(REINDEX_MODES)}, not {reindex_mode!r}")
    return CollectionMembersChange(
        asset_ids=list(asset_ids or []), experiment_ids=list(experiment_ids or []), reindex_mode=reindex_mode
    )


class CollectionsNamespace(Namespace):
    """Create, list and curate collections; associate them with experiments."""

    @wraps_operation("create_collection")
    def create(self, name: str, *, description: str | None = None, scope_id: str | None = None) -> Collection:
        """A new collection owned by ``scope_id`` (your personal scope by default; one you cannot act in is 403)."""
        body = CollectionCreate(name=name, description=opt(description), scope_id=opt(scope_id))
        return self._call(create_collection.sync_detailed, Collection, body=body)

    @wraps_operation("get_collection")
    def get(self, collection_id: str) -> Collection:
        """One collection, with the counts of the members you can read."""
        return self._call(get_collection.sync_detailed, Collection, collection_id=collection_id)

    @wraps_operation("list_collections")
    def list(
        self, *, scope_id: str | None = None, q: str | None = None, include_archived: bool = False
    ) -> builtins.list[Collection]:
        """A scope's collections (your personal scope by default), newest first; ``q`` matches within names."""
        return self._list(
            list_collections.sync_detailed,
            Collection,
            scope_id=opt(scope_id),
            q=opt(q),
            include_archived="true" if include_archived else opt(None),
        )

    @wraps_operation("add_collection_members")
    def add(
        self,
        collection_id: str,
        *,
        asset_ids: builtins.list[str] | None = None,
        experiment_ids: builtins.list[str] | None = None,
        reindex_mode: str = "lazy",
    ) -> MembershipChange:
        """Add assets and experiments (each once); ``.added`` counts the new ones, ``.warnings`` the skipped.

        ``reindex_mode`` (``"lazy"`` or ``"eager"``) is how soon the hosted search sees the change; the
        membership itself is immediate. ValueError for another mode.
        """
        body = _change(asset_ids, experiment_ids, reindex_mode)
        return self._call(
            add_collection_members.sync_detailed, MembershipChange, collection_id=collection_id, body=body
        )

    @wraps_operation("remove_collection_members")
    def remove(
        self,
        collection_id: str,
        *,
        asset_ids: builtins.list[str] | None = None,
        experiment_ids: builtins.list[str] | None = None,
        reindex_mode: str = "lazy",
    ) -> MembershipChange:
        """Remove assets and experiments; ``.removed`` counts them. ValueError for an unknown ``reindex_mode``."""
        body = _change(asset_ids, experiment_ids, reindex_mode)
        return self._call(
            remove_collection_members.sync_detailed, MembershipChange, collection_id=collection_id, body=body
        )

    @wraps_operation("list_collection_members")
    def members(self, collection_id: str) -> CollectionMembers:
        """The members you can read, as membership rows (``.assets``, ``.experiments``)."""
        return self._call(list_collection_members.sync_detailed, CollectionMembers, collection_id=collection_id)

    @wraps_operation("associate_experiment_collections")
    def associate(self, experiment_id: str, collection_ids: builtins.list[str]) -> MembershipChange:
        """Associate collections with an experiment, so searches in its context rank their members higher.

        ``.associated`` counts the new associations; a collection that is unknown or not yours is a warning.
        """
        body = CollectionAssociate(collection_ids=list(collection_ids))
        return self._call(
            associate_experiment_collections.sync_detailed, MembershipChange, experiment_id=experiment_id, body=body
        )
