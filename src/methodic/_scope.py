"""Which scope a call acts in: the organization passed on the call, else the client's default, else personal.

``methodic.PERSONAL`` (the hosted SDK's sentinel) forces the personal scope even when the client has a
default organization; ``None`` means "not given" and falls back to the default.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final


class _Personal:
    """The type of :data:`PERSONAL`: one instance, recognisable in reprs and comparisons."""

    _instance: _Personal | None = None

    def __new__(cls) -> _Personal:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "methodic.PERSONAL"

    def __reduce__(self) -> str:
        return "PERSONAL"


#: Pass as ``organization_id=`` to act in your personal scope although the client has a default organization.
PERSONAL: Final = _Personal()

#: An organization argument: a scope id, ``PERSONAL``, or None for "the client's default".
OrganizationArg = str | _Personal | None


def resolve_organization(explicit: OrganizationArg, default: Callable[[], str | None]) -> str | None:
    """The organization id a call sends (None: personal). The default is asked only when the call gave none."""
    if isinstance(explicit, _Personal):
        return None
    if explicit is not None:
        return explicit
    return default()


def no_default() -> str | None:
    """The default of a namespace built without a client: personal."""
    return None
