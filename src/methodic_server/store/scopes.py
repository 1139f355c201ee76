"""The scopes the local server knows: a fixed set, enough to act by organization.

One personal scope, an organization and a team the local user belongs to, and one organization it
does not (so "not a member" and a superadmin's ``as_scope`` can be exercised).

The hosted service has real organizations; the local server has this fixed set, enough for code that
resolves an organization by slug, owns experiments and assets by organization, and filters search.
"""

from __future__ import annotations

from typing import Any

from methodic_server.errors import ApiError

PERSONAL_SCOPE: dict[str, str | None] = {
    "id": "user_local",
    "kind": "user",
    "name": "Local user",
    "slug": "local",
    "organization_id": None,
}
#: Every scope, the personal one first (the order /v1/me/scopes answers in); a team names its organization.
SCOPES: tuple[dict[str, str | None], ...] = (
    PERSONAL_SCOPE,
    {
        "id": "org_local",
        "kind": "organization",
        "name": "Local organization",
        "slug": "local-org",
        "organization_id": None,
    },
    {"id": "team_local", "kind": "team", "name": "Local team", "slug": "local-team", "organization_id": "org_local"},
)
#: An organization that exists but that no local key belongs to (only a superadmin may act as it).
FOREIGN_ORGANIZATION: dict[str, str | None] = {
    "id": "org_elsewhere",
    "kind": "organization",
    "name": "Elsewhere Inc.",
    "slug": "elsewhere",
    "organization_id": None,
}

#: Visibility values the hosted service accepts; the aliases name org_public.
VISIBILITIES = frozenset({"private", "org_public", "organization", "org", "team", "public", "scope_default"})


def owner_subject(organization_id: str | None) -> str:
    """The principal that owns a record: its organization, else the local user's personal scope."""
    return organization_id or str(PERSONAL_SCOPE["id"])


def known(scope_id: str) -> dict[str, str | None] | None:
    """The scope with this id, member or not, or None."""
    return next((s for s in (*SCOPES, FOREIGN_ORGANIZATION) if s["id"] == scope_id), None)


def scopes_of(key_kind: str) -> list[dict[str, str | None]]:
    """What /v1/me/scopes answers for a key of this kind (a worker acts in the personal scope only)."""
    return [dict(PERSONAL_SCOPE)] if key_kind == "worker" else [dict(s) for s in SCOPES]


def require_member(key_kind: str, scope_id: str, *, kind: str) -> None:
    """403 unless a key of ``key_kind`` may act in the ``kind`` scope ``scope_id`` (a superadmin may act in any)."""
    scope = known(scope_id)
    if scope is None or scope["kind"] != kind:
        raise ApiError(400, "validation_error", f"{scope_id!r} is not a known {kind}")
    if key_kind == "admin":
        return
    if not any(s["id"] == scope_id for s in scopes_of(key_kind)):
        raise ApiError(403, "forbidden", f"caller is not a member of {scope_id}")


def require_owner_member(key_kind: str, organization_id: str | None, what: str) -> None:
    """403 ``forbidden`` ("caller is not a member") unless ``key_kind`` may write into ``what`` of ``organization_id``.

    Naming ``organization_id`` in a body is checked by :func:`require_member`; this holds every other way
    of reaching an organization's objects to the same rule (an asset's ``output_of``, an experiment, run or
    asset in the path). A personal object (``None``) is the caller's; a superadmin may write anywhere; a
    worker key is confined to its own run by its scope instead.
    """
    if organization_id is None or key_kind in ("admin", "worker"):
        return
    if not any(s["id"] == organization_id for s in scopes_of(key_kind)):
        raise ApiError(403, "forbidden", f"caller is not a member of organization {organization_id}, which owns {what}")


def check_visibility(value: Any) -> None:
    """400 for a visibility the hosted service would refuse."""
    if value is not None and value not in VISIBILITIES:
        raise ApiError(400, "validation_error", f"visibility must be one of {', '.join(sorted(VISIBILITIES))}")
