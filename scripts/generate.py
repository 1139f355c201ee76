"""Generate the typed bindings in generated/methodic_api from openapi.yaml, or check them for drift.

    python scripts/generate.py --write    regenerate generated/methodic_api in place
    python scripts/generate.py --check    regenerate into a temporary directory and compare

--check exits 0 when the committed tree matches, 1 on drift (with a unified diff and the lists of
stale and missing files), 2 when the generator itself fails. Generation never needs the network:
the pinned generator and ruff come from the dev extra, and the post-hooks run ruff --isolated so the
output is byte-identical wherever it runs.
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "methodic_api"
IGNORED_DIRS = {"__pycache__", ".ruff_cache", ".mypy_cache"}
# Our overrides of the generator's templates: models/__init__ (lazy model loading) and client (typing.Self on 3.10).
TEMPLATES = ROOT / "scripts" / "codegen_templates"


def generate(spec: Path, config: Path, out_dir: Path) -> None:
    """Run the pinned generator into out_dir/methodic_api and add the py.typed marker."""
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    target = out_dir / PACKAGE
    cmd = [
        sys.executable,
        "-m",
        "openapi_python_client",
        "generate",
        "--path",
        str(spec),
        "--config",
        str(config),
        "--meta",
        "none",
        "--output-path",
        str(target),
        "--fail-on-warning",
        "--custom-template-path",
        str(TEMPLATES),
    ]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=out_dir)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(2)
    (target / "py.typed").write_text("")


def _files(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and not IGNORED_DIRS.intersection(p.relative_to(root).parts)
    }


def compare(expected: Path, committed: Path) -> list[str]:
    """Describe every difference between a fresh generation and the committed tree."""
    problems: list[str] = []
    fresh, current = _files(expected), _files(committed) if committed.exists() else set()
    for name in sorted(current - fresh):
        problems.append(f"stale file (not generated any more): {name}")
    for name in sorted(fresh - current):
        problems.append(f"missing file (generated but not committed): {name}")
    for name in sorted(fresh & current):
        a = (committed / name).read_text().splitlines(keepends=True)
        b = (expected / name).read_text().splitlines(keepends=True)
        if a != b:
            diff = "".join(difflib.unified_diff(a, b, f"committed/{name}", f"generated/{name}"))
            problems.append(f"changed file: {name}\n{diff}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="regenerate the committed bindings")
    mode.add_argument("--check", action="store_true", help="fail if the committed bindings drifted from the spec")
    parser.add_argument("--spec", type=Path, default=ROOT / "openapi.yaml")
    parser.add_argument("--config", type=Path, default=ROOT / "openapi-client.yaml")
    parser.add_argument("--generated", type=Path, default=ROOT / "generated" / PACKAGE)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="methodic-gen-") as tmp:
        generate(args.spec.resolve(), args.config.resolve(), Path(tmp))
        fresh = Path(tmp) / PACKAGE
        if args.write:
            if args.generated.exists():
                shutil.rmtree(args.generated)
            shutil.copytree(fresh, args.generated, ignore=shutil.ignore_patterns(*IGNORED_DIRS))
            print(f"wrote {len(_files(args.generated))} files to {args.generated}")
            return 0
        problems = compare(fresh, args.generated)
    if problems:
        print("\n".join(problems))
        print(f"DRIFT: {len(problems)} difference(s) from {args.spec.name}; run `make generate`.")
        return 1
    print(f"OK: {len(_files(args.generated))} generated files match {args.spec.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
