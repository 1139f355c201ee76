"""The one way a module of this package defers imports: a PEP 562 ``__getattr__`` built from a table.

``import methodic`` must stay light (the import benchmark holds it to +150 ms over ``import httpx``),
so names whose modules pull in sqlite3, generated models or endpoint code resolve on first access.
Each resolved name is stored in the module's globals, so the lookup happens once.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_getattr(module_globals: dict[str, Any], table: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` resolving ``name`` through ``table``: ``"package.module"`` or ``"package.module:attr"``.

    Without ``:attr`` the attribute has the public name itself.
    """
    owner = module_globals["__name__"]

    def __getattr__(name: str) -> Any:
        target = table.get(name)
        if target is None:
            raise AttributeError(f"module {owner!r} has no attribute {name!r}")
        module, _, attribute = target.partition(":")
        value = getattr(importlib.import_module(module), attribute or name)
        module_globals[name] = value
        return value

    return __getattr__
