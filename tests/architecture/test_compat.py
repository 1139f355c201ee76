"""Every second name lives in methodic/_compat.py and says which canonical method it calls; nothing else forwards.

A pure forwarder outside _compat (a public method whose body is one ``return self.other(...)`` of another
public method, handing its arguments on unchanged) is an alias without a home: the test names it. Every alias
is inherited where users find it, and its docstring names the canonical method, which exists.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import methodic._compat as compat
from methodic import Chronicle, Experiment, Run, Variation
from methodic.namespaces.assets import AssetsNamespace
from methodic.namespaces.experiments import ExperimentsNamespace
from methodic.namespaces.runs import RunsNamespace
from methodic.namespaces.variations import VariationsNamespace

SRC = Path(compat.__file__).resolve().parent
WHERE = {
    compat.ChronicleAliases: Chronicle,
    compat.ExperimentsAliases: ExperimentsNamespace,
    compat.VariationsAliases: VariationsNamespace,
    compat.RunsAliases: RunsNamespace,
    compat.AssetsAliases: AssetsNamespace,
    compat.ExperimentAliases: Experiment,
    compat.VariationAliases: Variation,
    compat.RunAliases: Run,
}

CANONICAL_OWNERS = {
    "chronicle": Chronicle,
    "experiments": ExperimentsNamespace,
    "variations": VariationsNamespace,
    "runs": RunsNamespace,
    "assets": AssetsNamespace,
    "Experiment": Experiment,
    "Variation": Variation,
    "Run": Run,
}


def _aliases(mixin: type) -> dict[str, object]:
    return {n: f for n, f in vars(mixin).items() if inspect.isfunction(f) and not n.startswith("_")}


def test_every_alias_mixin_is_inherited_and_every_alias_names_an_existing_canonical_method() -> None:
    mixins = {c for c in vars(compat).values() if isinstance(c, type) and c.__name__.endswith("Aliases")}
    assert mixins == set(WHERE)
    listed = compat.__doc__ or ""
    for mixin, owner in WHERE.items():
        assert issubclass(owner, mixin), owner
        for name, fn in _aliases(mixin).items():
            assert getattr(owner, name) is fn, f"{owner.__name__}.{name} is not the alias"
            doc = inspect.getdoc(fn) or ""
            found = re.match(r"Alias of ``([\w.]+)", doc)
            assert found, f"{mixin.__name__}.{name}: the docstring must start with 'Alias of ``canonical``'"
            owner_name, _, method = found.group(1).partition(".")
            canonical = CANONICAL_OWNERS[owner_name]
            assert callable(getattr(canonical, method, None)), f"{found.group(1)} does not exist"
            assert (canonical, method) != (owner, name), f"{owner.__name__}.{name} names itself"
            assert re.search(rf"\b{name}\b", listed), f"{name} is missing from the module's table"


def _forwarders(path: Path) -> list[str]:
    found = []
    for cls in (n for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.ClassDef)):
        public = {f.name for f in cls.body if isinstance(f, ast.FunctionDef) and not f.name.startswith("_")}
        for fn in (f for f in cls.body if isinstance(f, ast.FunctionDef) and not f.name.startswith("_")):
            body = [b for b in fn.body if not (isinstance(b, ast.Expr) and isinstance(b.value, ast.Constant))]
            if len(body) == 1 and isinstance(body[0], ast.Return) and isinstance(body[0].value, ast.Call):
                target = body[0].value.func
                to_self = isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                if to_self and target.value.id == "self" and target.attr in public and _passes_through(body[0].value):
                    found.append(f"{path.relative_to(SRC)}: {cls.name}.{fn.name} -> {target.attr}")
    return found


def _passes_through(call: ast.Call) -> bool:
    """Arguments handed on as they came (names, constants, a list of names): a second name, not a preset."""
    values = [*call.args, *(k.value for k in call.keywords)]
    plain = (ast.Name, ast.Constant, ast.Starred)
    return all(
        isinstance(v, plain) or (isinstance(v, ast.List) and all(isinstance(e, plain) for e in v.elts)) for v in values
    )


def test_no_alias_outside_compat() -> None:
    modules = [SRC / "_client.py", SRC / "run.py", SRC / "_run_uploads.py", SRC / "_run_outputs.py"]
    modules += sorted((SRC / "handles").glob("*.py")) + sorted((SRC / "namespaces").glob("*.py"))
    assert [hit for path in modules for hit in _forwarders(path)] == []
