"""Tags: scope-owned keywords applied to assets and experiments, and the search filter they feed.

A tag belongs to one scope (a user, team or organization) and is unique there by its normalized form, so
"Turbulence", "turbulence" and "turbulence!" are one tag. Naming a tag when tagging an object finds or
creates it in the *object's* scope: the same word on an organization's asset and on a personal one is two
tags, each in the vocabulary of the scope that owns the object. Tags grant nothing; who may tag an object
is who may write it (locally: a member of the scope that owns it).

Taggings are stored object-first (``<object_type>/<object_id>/<tag_id>``), so an object's tags are one
prefix away; the tag names an object carries are copied into its search document so that
``filters.tags`` can match them, and a rename or delete re-stamps every document that carried the tag.
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any

from methodic_server.errors import ApiError, bad_request, conflict, not_found
from methodic_server.store.documents import now_iso
from methodic_server.store.scopes import PERSONAL_SCOPE, known, scopes_of

if TYPE_CHECKING:
    from methodic_server.store import Store

OBJECT_TYPES = ("asset", "experiment")


def normalize(name: str) -> str:
    """A tag's identity in its scope: case-folded, runs of anything but letters and digits made one ``-``."""
    return re.sub(r"[^\w]+|_+", "-", name.casefold()).strip("-")


def object_scope(record: dict[str, Any]) -> str:
    """The scope that owns an asset or experiment: its team, else its organization, else the personal scope."""
    return str(record.get("team_id") or record.get("organization_id") or PERSONAL_SCOPE["id"])


def require_scope_member(key_kind: str, scope_id: str) -> None:
    """400 for a scope the server does not know, 403 for one the caller may not act in (a superadmin may)."""
    if known(scope_id) is None:
        raise bad_request(f"{scope_id!r} is not a known user, team or organization")
    if key_kind != "admin" and not any(s["id"] == scope_id for s in scopes_of(key_kind)):
        raise ApiError(403, "forbidden", f"caller may not act in scope {scope_id}")


class Tags:
    """The tag vocabulary (``tag`` documents) and the taggings (``tagging`` documents)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.docs = store.docs

    # --- the vocabulary -------------------------------------------------------------------------

    def get(self, tag_id: str) -> dict[str, Any]:
        """The tag, or 404."""
        tag = self.docs.get("tag", tag_id)
        if tag is None:
            raise not_found(f"tag {tag_id} not found")
        return tag

    def readable(self, tag_id: str, key_kind: str) -> dict[str, Any]:
        """The tag, 404 when there is none, 403 when the caller may not act in its scope."""
        with self.docs.lock:
            tag = self.get(tag_id)
        require_scope_member(key_kind, tag["scope_id"])
        return tag

    def _by_name(self, scope_id: str, normalized: str) -> dict[str, Any] | None:
        return next(
            (t for t in self.docs.all("tag") if t["scope_id"] == scope_id and t["normalized"] == normalized), None
        )

    def _checked_name(self, name: Any) -> tuple[str, str]:
        if not isinstance(name, str) or not name.strip():
            raise bad_request("a tag needs a non-empty name")
        normalized = normalize(name)
        if not normalized:
            raise bad_request(f"tag name {name!r} has no letters or digits")
        if len(name) > 200:
            raise bad_request("a tag name is at most 200 characters")
        return name.strip(), normalized

    def find_or_create(self, name: Any, scope_id: str, created_by: str) -> tuple[bool, dict[str, Any]]:
        """``(created, tag)``: the scope's tag of this normalized name, made when there is none."""
        label, normalized = self._checked_name(name)
        existing = self._by_name(scope_id, normalized)
        if existing is not None:
            return False, existing
        tag = {
            "id": str(uuid.uuid4()),
            "scope_id": scope_id,
            "name": label,
            "normalized": normalized,
            "created_by": created_by,
            "created_at": now_iso(),
        }
        return True, self.docs.put("tag", tag["id"], tag)

    def create(self, body: dict[str, Any], key_kind: str, created_by: str) -> tuple[int, dict[str, Any]]:
        """``POST /v1/tags``: 201 with a new tag, 200 with the one the scope already had."""
        scope_id = str(body.get("scope_id") or PERSONAL_SCOPE["id"])
        require_scope_member(key_kind, scope_id)
        with self.docs.transaction():
            created, tag = self.find_or_create(body.get("name"), scope_id, created_by)
        return (201 if created else 200), tag

    def _usage(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.docs.all("tagging"):
            if self._target(row["object_type"], row["object_id"]) is not None:
                counts[row["tag_id"]] = counts.get(row["tag_id"], 0) + 1
        return counts

    def of_scope(self, scope_id: str | None, prefix: str | None, key_kind: str) -> list[dict[str, Any]]:
        """A scope's tags by name, each with its ``usage_count``; ``prefix`` narrows by the normalized name."""
        scope = scope_id or str(PERSONAL_SCOPE["id"])
        require_scope_member(key_kind, scope)
        wanted = normalize(prefix) if prefix else ""
        with self.docs.lock:
            usage = self._usage()
            found = [
                {**t, "usage_count": usage.get(t["id"], 0)}
                for t in self.docs.all("tag")
                if t["scope_id"] == scope and t["normalized"].startswith(wanted)
            ]
        return sorted(found, key=lambda t: (t["normalized"], t["id"]))

    def rename(self, tag_id: str, name: Any, key_kind: str) -> dict[str, Any]:
        """Give a tag a new name in place; 409 ``tag_exists`` when its scope has another tag of that name."""
        with self.docs.transaction():
            tag = self.get(tag_id)
            require_scope_member(key_kind, tag["scope_id"])
            label, normalized = self._checked_name(name)
            twin = self._by_name(tag["scope_id"], normalized)
            if twin is not None and twin["id"] != tag_id:
                raise conflict(
                    f"scope {tag['scope_id']} already has the tag {twin['name']!r}",
                    code="tag_exists",
                    details={"tag_id": twin["id"]},
                )
            tag.update(name=label, normalized=normalized)
            self.docs.put("tag", tag_id, tag)
            for row in self._taggings_of(tag_id):
                self._restamp(row["object_type"], row["object_id"])
            return tag

    def delete(self, tag_id: str, key_kind: str) -> dict[str, Any]:
        """Delete a tag and every tagging of it; the objects it marked lose it from their search documents."""
        with self.docs.transaction():
            tag = self.get(tag_id)
            require_scope_member(key_kind, tag["scope_id"])
            rows = self._taggings_of(tag_id)
            for row in rows:
                self.docs.delete("tagging", _key(row["object_type"], row["object_id"], tag_id))
            self.docs.delete("tag", tag_id)
            for row in rows:
                self._restamp(row["object_type"], row["object_id"])
            return {"id": tag_id, "deleted": True, "untagged": len(rows)}

    def objects(self, tag_id: str, key_kind: str) -> dict[str, Any]:
        """The assets and experiments that carry the tag and still exist, each record with its ``tagged_at``."""
        with self.docs.lock:
            tag = self.get(tag_id)
            require_scope_member(key_kind, tag["scope_id"])
            out: dict[str, list[dict[str, Any]]] = {"assets": [], "experiments": []}
            for row in self._taggings_of(tag_id):
                record = self._target(row["object_type"], row["object_id"])
                if record is not None:
                    out[row["object_type"] + "s"].append({**record, "tagged_at": row["tagged_at"]})
            return out

    # --- tagging objects ------------------------------------------------------------------------

    def tag(
        self, object_type: str, object_id: str, body: dict[str, Any], key_kind: str, created_by: str
    ) -> tuple[int, dict[str, Any]]:
        """Apply a tag named (found or created in the object's scope) or given by id; 201 when newly applied."""
        if (body.get("tag") is None) == (body.get("tag_id") is None):
            raise bad_request("exactly one of tag (a name) or tag_id is required")
        with self.docs.transaction():
            scope = object_scope(self._existing(object_type, object_id))
            require_scope_member(key_kind, scope)
            if body.get("tag_id") is not None:
                tag = self.get(str(body["tag_id"]))
                if tag["scope_id"] != scope:
                    raise bad_request(
                        f"tag {tag['id']} belongs to scope {tag['scope_id']}, and this {object_type} to {scope}: "
                        "tag it by name to use its own scope's tag"
                    )
            else:
                _, tag = self.find_or_create(body["tag"], scope, created_by)
            key = _key(object_type, object_id, tag["id"])
            row = self.docs.get("tagging", key)
            created = row is None
            if row is None:
                row = {
                    "tag_id": tag["id"],
                    "object_type": object_type,
                    "object_id": object_id,
                    "tagged_at": now_iso(),
                    "tagged_by": created_by,
                }
                self.docs.put("tagging", key, row)
                self._restamp(object_type, object_id)
            answer = {
                "tag": tag,
                "tag_id": tag["id"],
                "object_type": object_type,
                "object_id": object_id,
                "tagged_at": row["tagged_at"],
                "created": created,
            }
            return (201 if created else 200), answer

    def untag(self, object_type: str, object_id: str, tag_id: Any, key_kind: str) -> dict[str, Any]:
        """Remove a tag from an object; ``removed`` is false when the object did not carry it."""
        if not isinstance(tag_id, str) or not tag_id:
            raise bad_request("tag_id is required")
        with self.docs.transaction():
            scope = object_scope(self._existing(object_type, object_id))
            require_scope_member(key_kind, scope)
            self.get(tag_id)
            key = _key(object_type, object_id, tag_id)
            removed = self.docs.get("tagging", key) is not None
            if removed:
                self.docs.delete("tagging", key)
                self._restamp(object_type, object_id)
            return {"tag_id": tag_id, "object_type": object_type, "object_id": object_id, "removed": removed}

    def of_object(self, object_type: str, object_id: str) -> list[dict[str, Any]]:
        """The tags an object carries, by name, each with its ``tagged_at``."""
        with self.docs.lock:
            self._existing(object_type, object_id)
            found = []
            for row in self._taggings_on(object_type, object_id):
                tag = self.docs.get("tag", row["tag_id"])
                if tag is not None:
                    found.append({**tag, "tagged_at": row["tagged_at"]})
        return sorted(found, key=lambda t: (t["normalized"], t["id"]))

    def names_of(self, object_type: str, object_id: str) -> list[str]:
        """The names of the tags an object carries, as its search document lists them."""
        tags = (self.docs.get("tag", row["tag_id"]) for row in self._taggings_on(object_type, object_id))
        return [tag["name"] for tag in tags if tag is not None]

    # --- helpers --------------------------------------------------------------------------------

    def _taggings_on(self, object_type: str, object_id: str) -> list[dict[str, Any]]:
        # the key prefix narrows the scan; the exact comparison keeps LIKE's wildcards (``_``) from widening it
        rows = self.docs.all("tagging", f"{object_type}/{object_id}/")
        return [row for row in rows if row["object_type"] == object_type and row["object_id"] == object_id]

    def _taggings_of(self, tag_id: str) -> list[dict[str, Any]]:
        return [row for row in self.docs.all("tagging") if row["tag_id"] == tag_id]

    def _target(self, object_type: str, object_id: str) -> dict[str, Any] | None:
        try:
            return self._existing(object_type, object_id)
        except ApiError:
            return None

    def _existing(self, object_type: str, object_id: str) -> dict[str, Any]:
        if object_type == "asset":
            return self.store.assets.get(object_id)
        return self.store.experiments.get(object_id)

    def _restamp(self, object_type: str, object_id: str) -> None:
        """Copy the object's current tag names into its search document (if it has one)."""
        record = self._target(object_type, object_id)
        own = list(record.get("tags") or []) if record is not None and object_type == "asset" else []
        self.store.search.set_tags(object_id, list(dict.fromkeys(own + self.names_of(object_type, object_id))))


def _key(object_type: str, object_id: str, tag_id: str) -> str:
    return f"{object_type}/{object_id}/{tag_id}"
