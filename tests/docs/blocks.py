"""Code blocks of the docs and the README, and the markers that say how a test runs each one.

A marker is an HTML comment on the line right above a fence (invisible in the rendered page):

- ``<!-- doctest: continue -->``: runs after the block before it on the same page, in its namespace (a
  page that builds up one program over several blocks).
- ``<!-- doctest: prelude=NAME -->``: runs after the prelude ``NAME`` of ``tests/docs/preludes.py``,
  which defines what the page says comes from your own code (a model, a ``Run``, a trainer's arguments).
- ``<!-- doctest: pytest -->``: a test module; written to a file and run with pytest in a subprocess.
- ``<!-- doctest: bash -->``: a shell block that runs (``bash -euo pipefail``) against the local server.
- ``<!-- doctest: skip | reason: ... | equivalent: tests/path.py::test_name -->``: cannot run here (a GPU,
  many nodes, the whole suite); the named test does the same thing and must exist.

Python blocks run unless skipped; shell blocks must say ``bash`` or ``skip``; blocks of any other
language (``text``, none) are output or protocol sketches, not code.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHELL = {"bash", "sh", "shell", "console"}
_MARKER = re.compile(r"^\s*<!--\s*doctest:\s*(.*?)\s*-->\s*$")
_FENCE = re.compile(r"^(\s*)```\s*([\w+-]*)\s*$")


@dataclass
class Block:
    path: Path
    line: int  # 1-based line of the opening fence
    lang: str
    code: str
    marker: dict[str, str] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def parse_marker(text: str) -> dict[str, str]:
    marker: dict[str, str] = {}
    for part in text.split("|"):
        key, value = re.split(r"[:=]", part, maxsplit=1) if re.search(r"[:=]", part) else (part, "")
        marker[key.strip()] = value.strip()
    return marker


def blocks_of(path: Path) -> list[Block]:
    lines = path.read_text().splitlines()
    found: list[Block] = []
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        indent, lang = opening.group(1), opening.group(2).lower()
        j = i + 1
        while j < len(lines) and lines[j].strip() != "```":
            j += 1
        body = [ln[len(indent) :] if ln.startswith(indent) else ln for ln in lines[i + 1 : j]]
        marker_line = _MARKER.match(lines[i - 1]) if i > 0 else None
        marker = parse_marker(marker_line.group(1)) if marker_line else {}
        found.append(Block(path, i + 1, lang, textwrap.dedent("\n".join(body)) + "\n", marker))
        i = j + 1
    return found


def doc_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def groups() -> list[list[Block]]:
    """Runnable units: a block together with the ``continue`` blocks that follow it on its page."""
    units: list[list[Block]] = []
    for path in doc_files():
        last: list[Block] | None = None
        for block in blocks_of(path):
            if block.lang != "python" and block.lang not in SHELL:
                continue
            if "continue" in block.marker:
                assert last is not None, f"{block.where}: `continue` with no block before it"
                last.append(block)
                continue
            last = [block]
            units.append(last)
    return units
