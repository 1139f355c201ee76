"""Dump the public signatures of whichever ``methodic`` this interpreter imports, as JSON on stdout.

Run with the published client's python (its venv) and with ours; ``test_signatures.py`` compares them.
"""

from __future__ import annotations

import inspect
import json
import sys
from typing import Any

CHRONICLE_METHODS = ["__init__", "from_env", "from_file", "run", "experiment", "variation", "close"]
NAMESPACES = [
    "experiments",
    "variations",
    "runs",
    "assets",
    "search",
    "me",
    "lessons",
    "publications",
    "reasoning_errors",
    "failure_modes",
    "operational_checks",
    "review_queue",
    "feed",
    "activity",
    "feedback",
    "research_prompts",
    "api_keys",
    "errata",
    "reports",
    "tags",
    "collections",
    "datasets",
    "imports",
]
HANDLES = ["Run", "Experiment", "Variation", "UploadTracker"]


def params(fn: Any) -> list[list[Any]]:
    sig = inspect.signature(fn)
    return [[p.name, p.kind.name, p.default is not inspect.Parameter.empty] for p in sig.parameters.values()]


def public_methods(cls: type) -> dict[str, Any]:
    out = {}
    for name in dir(cls):
        if name.startswith("_"):
            continue
        attr = inspect.getattr_static(cls, name)
        if isinstance(attr, (staticmethod, classmethod)):
            attr = attr.__func__
        if inspect.isfunction(attr):
            out[name] = params(attr)
    return out


def main() -> int:
    import methodic

    dump: dict[str, Any] = {"functions": {}, "errors": {}}
    for name in CHRONICLE_METHODS:
        fn = getattr(methodic.Chronicle, name, None)
        dump["functions"][f"Chronicle.{name}"] = params(fn) if fn is not None else None
    chronicle = methodic.Chronicle("http://127.0.0.1:9", "sk_test")
    try:
        for ns in NAMESPACES:
            obj = getattr(chronicle, ns, None)
            if obj is None:
                dump["functions"][f"{ns}"] = None
                continue
            for meth, sig in public_methods(type(obj)).items():
                dump["functions"][f"{ns}.{meth}"] = sig
    finally:
        chronicle.close()
    for handle in HANDLES:
        cls = getattr(methodic, handle, None)
        if cls is None:
            dump["functions"][f"{handle}.__init__"] = None
            continue
        dump["functions"][f"{handle}.__init__"] = params(cls.__init__)
        for meth, sig in public_methods(cls).items():
            dump["functions"][f"{handle}.{meth}"] = sig
    import methodic.errors as errors

    for name, cls in vars(errors).items():
        if inspect.isclass(cls) and issubclass(cls, BaseException) and cls.__module__ == errors.__name__:
            dump["errors"][name] = {
                "mro": [c.__name__ for c in cls.__mro__],
                "exported": getattr(methodic, name, None) is cls,
            }
    json.dump(dump, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
