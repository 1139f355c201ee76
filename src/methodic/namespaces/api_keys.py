"""``chronicle.api_keys``: mint, list, rotate, restrict and revoke your API keys.

A restriction is the key's authority ceiling: a map from privilege verb to the objects that verb is
limited to. :func:`org_ceiling_restriction` and :func:`experiment_ceiling_restriction` build the two
common shapes (a key that reads broadly but changes things only inside one organization, or one
experiment: the shape for a dispatched agent).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from methodic_api.api.api_keys import (
    create_api_key,
    list_api_keys,
    revoke_api_key,
    rotate_api_key,
    set_api_key_restriction,
)
from methodic_api.models.api_key_create import ApiKeyCreate
from methodic_api.models.api_key_restriction import ApiKeyRestriction

from methodic._operations import wraps_operation
from methodic.namespaces._base import Namespace
from methodic.types import ApiKey

#: The verbs that change things; a ceiling pins each of them and denies ``administer``.
MUTATING_VERBS = ("create", "write", "discuss", "delete", "trigger", "stop")


def _ceiling(object_type: str, object_id: str) -> dict[str, list[dict[str, str]]]:
    pin = {"object_type": object_type, "object_id": object_id}
    restriction = {verb: [dict(pin)] for verb in MUTATING_VERBS}
    restriction["administer"] = []
    return restriction


def org_ceiling_restriction(organization_id: str) -> dict[str, list[dict[str, str]]]:
    """Every changing verb limited to one organization, ``administer`` denied, reading unrestricted."""
    return _ceiling("organization", organization_id)


def experiment_ceiling_restriction(experiment_id: str) -> dict[str, list[dict[str, str]]]:
    """Every changing verb limited to one experiment, ``administer`` denied, reading unrestricted."""
    return _ceiling("experiment", experiment_id)


class ApiKeysNamespace(Namespace):
    """Your own keys. A restricted key mints and edits only keys within its own restriction."""

    @wraps_operation("create_api_key")
    def create(
        self,
        name: str,
        *,
        key_type: str = "agent",
        expires_at: str | None = None,
        restriction: Mapping[str, Any] | None = None,
    ) -> ApiKey:
        """Mint a key (``key_type``: ``agent`` for automation, or ``user``); the answer's ``.key`` is the secret.

        It is shown this once (and never in a repr): store it now. ``expires_at`` is an RFC 3339 time.
        """
        payload: dict[str, Any] = {"name": name, "key_type": key_type}
        if expires_at is not None:
            payload["expires_at"] = expires_at
        if restriction is not None:
            payload["restriction"] = dict(restriction)
        return self._call(create_api_key.sync_detailed, ApiKey, body=ApiKeyCreate.from_dict(payload))

    def create_org_bound(
        self, name: str, organization_id: str, *, key_type: str = "agent", expires_at: str | None = None
    ) -> ApiKey:
        """Mint a key that reads broadly but changes things only inside ``organization_id``."""
        return self.create(
            name, key_type=key_type, expires_at=expires_at, restriction=org_ceiling_restriction(organization_id)
        )

    @wraps_operation("list_api_keys")
    def list(self) -> list[ApiKey]:
        """Your keys (``id``, ``name``, ``key_type``, ``created_at``, ``expires_at``, ``restriction``), no secrets."""
        return self._list(list_api_keys.sync_detailed, ApiKey)

    @wraps_operation("rotate_api_key")
    def rotate(self, key_id: str) -> ApiKey:
        """A fresh secret (``.key``) for the same key; the old one stops working at once."""
        return self._call(rotate_api_key.sync_detailed, ApiKey, key_id=key_id)

    @wraps_operation("set_api_key_restriction")
    def set_restriction(self, key_id: str, restriction: Mapping[str, Any] | None) -> ApiKey:
        """Replace a key's restriction; ``None`` clears it (only an unrestricted key may)."""
        body = ApiKeyRestriction.from_dict({"restriction": None if restriction is None else dict(restriction)})
        return self._call(set_api_key_restriction.sync_detailed, ApiKey, key_id=key_id, body=body)

    @wraps_operation("revoke_api_key")
    def revoke(self, key_id: str) -> ApiKey:
        """Revoke a key: anything using it is refused from the next request on."""
        return self._call(revoke_api_key.sync_detailed, ApiKey, key_id=key_id)
