"""(c) Every core name of the PUBLISHED client exists in ours with a compatible signature.

Compatible: the same positional parameters in the same order with the same names; every keyword name
of theirs accepted by ours; nothing required of ours that theirs lets callers omit. Ours may add
optional parameters. ``LEFT_OUT`` names what we deliberately don't offer, and must only name things
that really are missing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.hosted_wire._venv import HERE, HostedClient, clean_env

# name -> why we don't offer it (hosted-platform features outside the local server's scope).
LEFT_OUT: dict[str, str] = {}

# Compared nowhere: a handle is made by chronicle.experiment()/variation()/run(), never constructed by callers.
NOT_COMPARED = {"Experiment.__init__", "Variation.__init__", "Run.__init__"}


def _dump(python: Path) -> dict[str, Any]:
    done = subprocess.run(
        [str(python), "-I", str(HERE / "_signatures.py")], capture_output=True, text=True, env=clean_env(), timeout=60
    )
    assert done.returncode == 0, f"signature dump with {python} failed:\n{done.stderr[-3000:]}"
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def dumps(hosted: HostedClient) -> tuple[dict[str, Any], dict[str, Any]]:
    return _dump(hosted.python), _dump(Path(sys.executable))


POSITIONAL = {"POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD"}


def incompatibilities(theirs: list[list[Any]], ours: list[list[Any]]) -> list[str]:
    """How ``ours`` fails to accept every call ``theirs`` accepts (self excluded)."""
    theirs = [p for p in theirs if p[0] not in ("self", "cls")]
    ours = [p for p in ours if p[0] not in ("self", "cls")]
    problems = []
    their_pos = [p[0] for p in theirs if p[1] in POSITIONAL]
    our_pos = [p[0] for p in ours if p[1] in POSITIONAL]
    if our_pos[: len(their_pos)] != their_pos:
        problems.append(f"positional parameters {our_pos} (theirs: {their_pos})")
    our_kinds = {p[1] for p in ours}
    our_keywords = {p[0] for p in ours if p[1] in ("POSITIONAL_OR_KEYWORD", "KEYWORD_ONLY")}
    for name, kind, _ in theirs:
        if (
            kind in ("POSITIONAL_OR_KEYWORD", "KEYWORD_ONLY")
            and name not in our_keywords
            and "VAR_KEYWORD" not in our_kinds
        ):
            problems.append(f"no keyword {name!r}")
        if kind in ("VAR_POSITIONAL", "VAR_KEYWORD") and kind not in our_kinds:
            problems.append(f"no {'*args' if kind == 'VAR_POSITIONAL' else '**kwargs'} ({name})")
    their_optional = {p[0] for p in theirs if p[2]}
    their_names = {p[0] for p in theirs}
    for name, kind, has_default in ours:
        if kind in ("VAR_POSITIONAL", "VAR_KEYWORD") or has_default:
            continue
        if name not in their_names:
            problems.append(f"requires {name!r}, which theirs doesn't have")
        elif name in their_optional:
            problems.append(f"requires {name!r}, which is optional in theirs")
    return problems


def test_left_out_only_names_what_is_missing(dumps: tuple[dict[str, Any], dict[str, Any]]) -> None:
    theirs, ours = dumps
    unknown = [n for n in LEFT_OUT if n not in theirs["functions"]]
    present = [n for n in LEFT_OUT if ours["functions"].get(n) is not None]
    assert not unknown, f"LEFT_OUT names what the published client doesn't have: {unknown}"
    assert not present, f"LEFT_OUT names what we now offer (take them off the list): {present}"


def test_every_published_name_exists_with_a_compatible_signature(
    dumps: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    theirs, ours = dumps
    missing, incompatible = [], []
    for name, their_sig in sorted(theirs["functions"].items()):
        if name in LEFT_OUT or name in NOT_COMPARED or their_sig is None:
            continue
        our_sig = ours["functions"].get(name)
        if our_sig is None:
            missing.append(name)
        elif problems := incompatibilities(their_sig, our_sig):
            incompatible.append(f"{name}: " + "; ".join(problems))
    report = []
    if missing:
        report.append(f"{len(missing)} missing from ours:\n    " + "\n    ".join(missing))
    if incompatible:
        report.append(f"{len(incompatible)} incompatible:\n    " + "\n    ".join(incompatible))
    assert not report, "\n".join(report)


def test_error_classes_exist_with_the_same_bases(dumps: tuple[dict[str, Any], dict[str, Any]]) -> None:
    theirs, ours = dumps
    problems = []
    for name, info in sorted(theirs["errors"].items()):
        mine = ours["errors"].get(name)
        if mine is None or not mine["exported"]:
            problems.append(f"{name}: not offered as methodic.{name}")
            continue
        lost = [base for base in info["mro"] if base not in mine["mro"]]
        if lost:
            problems.append(f"{name}: does not derive from {lost} (ours: {mine['mro']})")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("command", [["auth", "login"], ["auth", "status"]])
def test_cli_has_the_auth_commands(command: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "methodic", *command, "--help"],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=60,
    )
    assert done.returncode == 0, f"`methodic {' '.join(command)}` is missing:\n{done.stderr[-1000:]}"
