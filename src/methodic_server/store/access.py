"""Per-asset access grants: (principal, action) pairs beside an asset's owners, and who may read it.

The local server has one user, who owns everything it makes; its other principal is a run's worker key,
which reads its own experiment's assets and inputs. A grant to ``everyone`` (or a ``public`` visibility)
is what else such a key may read, so grants and visibility are enforced on reads where the local server
has someone to refuse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from methodic_server.errors import bad_request
from methodic_server.store.documents import now_iso
from methodic_server.store.scopes import owner_subject

if TYPE_CHECKING:
    from methodic_server.store import Store

ACTIONS = ("read", "write", "delete", "administer")
EVERYONE = "everyone"


class Access:
    """Grants keyed ``asset/<id>/<principal>/<action>``."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.docs = store.docs

    def grant(self, asset_id: str, principal: str, action: str) -> dict[str, Any]:
        """Add the grant (again: unchanged)."""
        if action not in ACTIONS:
            raise bad_request(f"action must be one of {', '.join(ACTIONS)}")
        if not principal.strip():
            raise bad_request("principal_id is empty")
        with self.docs.transaction():
            self.store.assets.get(asset_id)
            key = f"asset/{asset_id}/{principal}/{action}"
            existing = self.docs.get("grant", key)
            if existing is not None:
                return existing
            entry = {
                "object_type": "asset",
                "object_id": asset_id,
                "principal_id": principal,
                "action": action,
                "source": "grant",
                "granted_at": now_iso(),
            }
            return self.docs.put("grant", key, entry)

    def revoke(self, asset_id: str, principal: str, action: str) -> dict[str, Any]:
        """Remove the grant; ``removed`` says whether there was one."""
        with self.docs.transaction():
            self.store.assets.get(asset_id)
            key = f"asset/{asset_id}/{principal}/{action}"
            removed = self.docs.get("grant", key) is not None
            self.docs.delete("grant", key)
        return {"removed": removed}

    def entries(self, object_type: str, object_id: str) -> dict[str, Any]:
        """The owner's entry, then every grant, in the order they were made."""
        if object_type != "asset":
            raise bad_request("type must be asset")
        with self.docs.lock:
            asset = self.store.assets.get(object_id)
            owner = {
                "object_type": "asset",
                "object_id": object_id,
                "principal_id": owner_subject(asset["organization_id"]),
                "action": "administer",
                "source": "owner",
            }
            grants = self.docs.all("grant", f"asset/{object_id}/")
        return {"object_type": "asset", "object_id": object_id, "aces": [owner, *grants]}

    def readable_by_anyone(self, asset: dict[str, Any]) -> bool:
        """Whether a key that is no owner of the asset may read it: public, or granted to everyone."""
        if asset.get("visibility") == "public":
            return True
        return self.docs.get("grant", f"asset/{asset['id']}/{EVERYONE}/read") is not None
