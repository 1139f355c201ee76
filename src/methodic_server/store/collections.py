"""Collections: named, scope-owned groupings of assets and experiments, and how search uses them.

A collection belongs to one scope (a user, team or organization); writing it (adding or removing members)
is for members of that scope. Membership is curatorial and grants nothing: a member must exist when it is
added (one that does not is skipped with a warning, never failing the batch), and listings show only the
members that still exist. An object may be in many collections.

Search uses collections two ways: ``scope.collections`` restricts results to the members (and the outputs
of member experiments), a hard filter; and collections associated with an experiment lift their members
when that experiment is in ``experiment_context``. Memberships are read when a search runs, so the hosted
service's ``reindex_mode`` (how soon its index sees a change) is accepted and has nothing to wait for here.

Memberships are keyed ``<collection_id>/<object_type>/<object_id>``; associations
``<experiment_id>/<collection_id>``.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from methodic_server.errors import ApiError, bad_request, not_found
from methodic_server.store.documents import now_iso
from methodic_server.store.scopes import PERSONAL_SCOPE
from methodic_server.store.tags import require_scope_member

if TYPE_CHECKING:
    from methodic_server.store import Store

REINDEX_MODES = ("lazy", "eager")


def _ids(body: dict[str, Any], name: str) -> list[str]:
    value = body.get(name) or []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise bad_request(f"{name} must be a list of ids")
    return list(dict.fromkeys(value))


class Collections:
    """Collections (``collection``), their members (``collection_member``), and experiment associations."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.docs = store.docs

    def _get(self, collection_id: str) -> dict[str, Any]:
        found = self.docs.get("collection", collection_id)
        if found is None:
            raise not_found(f"collection {collection_id} not found")
        return found

    def readable(self, collection_id: str, key_kind: str) -> dict[str, Any]:
        """The collection, 404 when there is none, 403 when the caller is not in the scope that owns it."""
        found = self._get(collection_id)
        require_scope_member(key_kind, found["scope_id"])
        return found

    def create(self, body: dict[str, Any], key_kind: str, created_by: str) -> dict[str, Any]:
        """A new collection in ``scope_id`` (the caller's personal scope by default)."""
        name = body.get("name")
        if not isinstance(name, str) or not name.strip():
            raise bad_request("a collection needs a non-empty name")
        scope_id = str(body.get("scope_id") or PERSONAL_SCOPE["id"])
        require_scope_member(key_kind, scope_id)
        stamp = now_iso()
        collection_id = str(uuid.uuid4())
        collection: dict[str, Any] = {
            "id": collection_id,
            "name": name.strip(),
            "description": body.get("description"),
            "scope_id": scope_id,
            "created_by": created_by,
            "created_at": stamp,
            "updated_at": stamp,
            "archived": False,
        }
        with self.docs.transaction():
            self.docs.put("collection", collection_id, collection)
        return self._counted(collection)

    def get(self, collection_id: str, key_kind: str) -> dict[str, Any]:
        """The collection with the counts of its members that still exist."""
        with self.docs.lock:
            return self._counted(self.readable(collection_id, key_kind))

    def of_scope(
        self, scope_id: str | None, q: str | None, include_archived: bool, key_kind: str
    ) -> list[dict[str, Any]]:
        """A scope's collections, newest first; ``q`` a case-insensitive substring of the name."""
        scope = scope_id or str(PERSONAL_SCOPE["id"])
        require_scope_member(key_kind, scope)
        needle = (q or "").casefold()
        with self.docs.lock:
            return [
                self._counted(c)
                for c in self.docs.all("collection", newest_first=True)
                if c["scope_id"] == scope
                and needle in c["name"].casefold()
                and (include_archived or not c.get("archived"))
            ]

    def add(self, collection_id: str, body: dict[str, Any], key_kind: str, added_by: str) -> dict[str, Any]:
        """Add the members that exist (once each); every other one is named in ``warnings``."""
        self._mode(body)
        wanted = [("asset", i) for i in _ids(body, "asset_ids")] + [
            ("experiment", i) for i in _ids(body, "experiment_ids")
        ]
        with self.docs.transaction():
            self.readable(collection_id, key_kind)
            added, warnings = 0, []
            for object_type, object_id in wanted:
                record = self._member_record(object_type, object_id)
                if record is None:
                    warnings.append(f"{object_type} {object_id} not found: skipped")
                    continue
                object_id = record["id"]  # an experiment may be named by its slug
                key = f"{collection_id}/{object_type}/{object_id}"
                if self.docs.get("collection_member", key) is None:
                    row = {
                        "collection_id": collection_id,
                        "object_type": object_type,
                        "object_id": object_id,
                        "added_at": now_iso(),
                        "added_by": added_by,
                    }
                    self.docs.put("collection_member", key, row)
                    added += 1
            self._touch(collection_id)
            return {"added": added, "warnings": warnings}

    def remove(self, collection_id: str, body: dict[str, Any], key_kind: str) -> dict[str, Any]:
        """Remove members; any member may be pruned, whether or not it still exists."""
        self._mode(body)
        wanted = [("asset", i) for i in _ids(body, "asset_ids")] + [
            ("experiment", i) for i in _ids(body, "experiment_ids")
        ]
        with self.docs.transaction():
            self.readable(collection_id, key_kind)
            removed = 0
            for object_type, object_id in wanted:
                record = self._member_record(object_type, object_id)
                key = f"{collection_id}/{object_type}/{record['id'] if record else object_id}"
                if self.docs.get("collection_member", key) is not None:
                    self.docs.delete("collection_member", key)
                    removed += 1
            self._touch(collection_id)
            return {"removed": removed}

    def members(self, collection_id: str, key_kind: str) -> dict[str, Any]:
        """Membership rows of the members that still exist, each with the member's name or title."""
        with self.docs.lock:
            self.readable(collection_id, key_kind)
            out: dict[str, list[dict[str, Any]]] = {"assets": [], "experiments": []}
            for row in self._rows(collection_id):
                record = self._member_record(row["object_type"], row["object_id"])
                if record is None:
                    continue
                if row["object_type"] == "asset":
                    extra = {"asset_id": record["id"], "name": record.get("name"), "asset_type": record["asset_type"]}
                else:
                    extra = {"experiment_id": record["id"], "title": record.get("title")}
                out[row["object_type"] + "s"].append({**row, **extra})
            return out

    def associate(self, experiment_id: str, body: dict[str, Any], key_kind: str) -> dict[str, Any]:
        """Associate collections with an experiment, once each; unknown or unreadable ones are warnings."""
        ids = _ids(body, "collection_ids")
        with self.docs.transaction():
            self.store.experiments.get(experiment_id)
            associated, warnings = 0, []
            for collection_id in ids:
                try:
                    self.readable(collection_id, key_kind)
                except ApiError as exc:
                    warnings.append(f"collection {collection_id} skipped: {exc.message}")
                    continue
                key = f"{experiment_id}/{collection_id}"
                if self.docs.get("collection_association", key) is None:
                    self.docs.put(
                        "collection_association",
                        key,
                        {"experiment_id": experiment_id, "collection_id": collection_id, "associated_at": now_iso()},
                    )
                    associated += 1
            return {"associated": associated, "warnings": warnings}

    # --- what search reads ----------------------------------------------------------------------

    def member_ids(self, collection_id: str) -> set[str]:
        """The ids of a collection's assets and experiments (search keeps documents of either)."""
        return {row["object_id"] for row in self._rows(collection_id)}

    def associated_with(self, experiment_id: str) -> list[str]:
        """The collections associated with an experiment."""
        rows = self.docs.all("collection_association", f"{experiment_id}/")
        return [row["collection_id"] for row in rows if row["experiment_id"] == experiment_id]

    # --- helpers --------------------------------------------------------------------------------

    def _rows(self, collection_id: str) -> list[dict[str, Any]]:
        rows = self.docs.all("collection_member", f"{collection_id}/")
        return [row for row in rows if row["collection_id"] == collection_id]

    def _counted(self, collection: dict[str, Any]) -> dict[str, Any]:
        counts = {"asset": 0, "experiment": 0}
        for row in self._rows(collection["id"]):
            if self._member_record(row["object_type"], row["object_id"]) is not None:
                counts[row["object_type"]] += 1
        return {
            **collection,
            "member_asset_count": counts["asset"],
            "member_experiment_count": counts["experiment"],
        }

    def _member_record(self, object_type: str, object_id: str) -> dict[str, Any] | None:
        try:
            if object_type == "asset":
                return self.store.assets.get(object_id)
            return self.store.experiments.get(self.store.experiments.resolve(object_id))
        except ApiError:
            return None

    def _touch(self, collection_id: str) -> None:
        found = self._get(collection_id)
        found["updated_at"] = now_iso()
        self.docs.put("collection", collection_id, found)

    @staticmethod
    def _mode(body: dict[str, Any]) -> None:
        if body.get("reindex_mode", "lazy") not in REINDEX_MODES:
            raise bad_request(f"reindex_mode must be one of {', '.join(REINDEX_MODES)}")
