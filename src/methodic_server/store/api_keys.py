"""API keys a user mints, rotates, restricts and revokes; each really authenticates, and its restriction holds.

A key is a record (id, name, type, expiry, restriction) plus a row in the ``keys`` table that authenticates
its secret (stored as its hash only). The secret is in the answers of create and rotate, never anywhere else.

A restriction narrows a key below its owner's authority: a map from privilege verb to the objects the
verb is limited to (``{object_type: organization|experiment, object_id}``); an empty list denies the
verb, and a verb it does not name is not narrowed. A restricted caller mints or edits only keys whose
restriction lies within its own (the subset rule), and only an unrestricted caller clears one.
"""

from __future__ import annotations

import json
import secrets
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from methodic_server.errors import ApiError, bad_request, not_found
from methodic_server.store.documents import now_iso
from methodic_server.store.keys import key_hash

if TYPE_CHECKING:
    from methodic_server.store import Store

VERBS = ("read", "audit", "create", "write", "discuss", "delete", "trigger", "stop", "administer")
OBJECT_TYPES = ("organization", "experiment")
KEY_TYPES = ("agent", "user")
Restriction = dict[str, list[dict[str, str]]]


def checked_restriction(value: Any) -> Restriction | None:
    """A restriction in its canonical shape, or 400 naming what is wrong."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise bad_request("restriction must be an object: {verb: [{object_type, object_id}]}")
    out: Restriction = {}
    for verb, pins in value.items():
        if verb not in VERBS:
            raise bad_request(f"restriction names an unknown verb {verb!r}; verbs: {', '.join(VERBS)}")
        if not isinstance(pins, list):
            raise bad_request(f"restriction.{verb} must be a list of objects")
        out[verb] = []
        for pin in pins:
            if not isinstance(pin, dict) or pin.get("object_type") not in OBJECT_TYPES or not pin.get("object_id"):
                raise bad_request(f"restriction.{verb} holds {pin!r}; each is {{object_type, object_id}}")
            out[verb].append({"object_type": str(pin["object_type"]), "object_id": str(pin["object_id"])})
    return out


def within(child: Restriction | None, parent: Restriction | None) -> bool:
    """Whether a key restricted by ``child`` can do no more than one restricted by ``parent``."""
    if parent is None:
        return True
    if child is None:
        return False
    for verb, allowed in parent.items():
        if verb not in child:
            return False  # unrestricted in the child, limited in the parent
        pins = {(p["object_type"], p["object_id"]) for p in allowed}
        if any((p["object_type"], p["object_id"]) not in pins for p in child[verb]):
            return False
    return True


def _expiry(value: Any) -> float | None:
    if value is None:
        return None
    try:
        stamp = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise bad_request(f"expires_at is not an RFC 3339 time: {value!r}") from None
    if stamp.tzinfo is None:
        raise bad_request("expires_at needs a time zone (e.g. 2027-01-01T00:00:00Z)")
    if stamp.timestamp() <= datetime.now().timestamp():
        raise bad_request("expires_at is in the past")
    return stamp.timestamp()


class ApiKeys:
    """The minted keys' records (kind ``api_key``) and their rows in the ``keys`` table."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.docs = store.docs

    def _record(self, key_id: str) -> dict[str, Any]:
        record = self.docs.get("api_key", key_id)
        if record is None or record.get("revoked_at") is not None:
            raise not_found(f"API key {key_id} not found")
        return record

    def _authenticating(self, record: dict[str, Any], secret: str) -> None:
        """Point the record at ``secret``: its old secret, if any, stops authenticating in the same step."""
        if record.get("key_hash"):
            self.docs.db.execute("DELETE FROM keys WHERE key = ?", (record["key_hash"],))
        record["key_hash"] = key_hash(secret)
        scope = {"key_id": record["id"], "restriction": record["restriction"]}
        self.docs.db.execute(
            "INSERT OR REPLACE INTO keys VALUES (?, 'user', ?, ?)",
            (record["key_hash"], json.dumps(scope), record["_expires"]),
        )

    def create(self, body: dict[str, Any], caller: Restriction | None) -> dict[str, Any]:
        """A new key with its secret; the restriction must lie within the caller's."""
        key_type = body.get("key_type", "agent")
        if key_type not in KEY_TYPES:
            raise bad_request(f"key_type must be one of {', '.join(KEY_TYPES)}")
        restriction = checked_restriction(body.get("restriction"))
        if not within(restriction, caller):
            raise ApiError(403, "forbidden", "a restricted key can mint only keys within its own restriction")
        expires = _expiry(body.get("expires_at"))
        secret = _new_secret(key_type)
        record = {
            "id": f"key_{uuid.uuid4().hex[:20]}",
            "name": body["name"],
            "key_type": key_type,
            "created_at": now_iso(),
            "expires_at": None if expires is None else now_iso(expires),
            "restriction": restriction,
            "revoked_at": None,
            "_expires": expires,
        }
        with self.docs.transaction():
            self._authenticating(record, secret)
            self.docs.put("api_key", record["id"], record)
        return _public(record) | {"key": secret}

    def list(self) -> list[dict[str, Any]]:
        """Every key not revoked, oldest first, without secrets."""
        with self.docs.lock:
            return [_public(r) for r in self.docs.all("api_key") if r.get("revoked_at") is None]

    def rotate(self, key_id: str, caller: Restriction | None) -> dict[str, Any]:
        """A fresh secret for the same record."""
        with self.docs.transaction():
            record = self._record(key_id)
            if not within(record["restriction"], caller):
                raise ApiError(403, "forbidden", "a restricted key can rotate only keys within its own restriction")
            secret = _new_secret(record["key_type"])
            self._authenticating(record, secret)
            self.docs.put("api_key", key_id, record)
        return _public(record) | {"key": secret}

    def set_restriction(self, key_id: str, value: Any, caller: Restriction | None) -> dict[str, Any]:
        """Replace the restriction (within the caller's; clearing it takes an unrestricted caller)."""
        restriction = checked_restriction(value)
        if restriction is None and caller is not None:
            raise ApiError(403, "forbidden", "only an unrestricted key can clear a restriction")
        if not within(restriction, caller):
            raise ApiError(403, "forbidden", "a restricted key can set only a restriction within its own")
        with self.docs.transaction():
            record = self._record(key_id)
            if not within(record["restriction"], caller):
                raise ApiError(403, "forbidden", "a restricted key can edit only keys within its own restriction")
            record["restriction"] = restriction
            scope = {"key_id": key_id, "restriction": restriction}
            self.docs.db.execute("UPDATE keys SET scope = ? WHERE key = ?", (json.dumps(scope), record["key_hash"]))
            self.docs.put("api_key", key_id, record)
        return _public(record)

    def revoke(self, key_id: str, caller: Restriction | None) -> dict[str, Any]:
        """The key stops authenticating at once; its record stays, marked revoked."""
        with self.docs.transaction():
            record = self._record(key_id)
            if not within(record["restriction"], caller):
                raise ApiError(403, "forbidden", "a restricted key can revoke only keys within its own restriction")
            self.docs.db.execute("DELETE FROM keys WHERE key = ?", (record["key_hash"],))
            record["revoked_at"] = now_iso()
            self.docs.put("api_key", key_id, record)
        return _public(record)


def _new_secret(key_type: str) -> str:
    """A new secret in the hosted service's format for its type (``sk_agent_…`` or ``sk_user_…``)."""
    return f"sk_{key_type}_{secrets.token_urlsafe(32)}"


def _public(record: dict[str, Any]) -> dict[str, Any]:
    """A record as the API shows it: no hash, no internal fields."""
    return {k: v for k, v in record.items() if k != "key_hash" and not k.startswith("_")}
