"""``chronicle.me``: who the credentials belong to."""

from __future__ import annotations

from methodic_api.api.me import get_my_scopes

from methodic._models import Record, records
from methodic._operations import wraps_operation
from methodic.namespaces._base import Namespace
from methodic.types import Scope


class MeNamespace(Namespace):
    """The caller's identity."""

    @wraps_operation("get_my_scopes")
    def scopes(self) -> list[Scope]:
        """The scopes (user, organizations, teams) the caller can act as; the personal one first."""
        return records(Scope, self._call(get_my_scopes.sync_detailed, Record).get("scopes"))
