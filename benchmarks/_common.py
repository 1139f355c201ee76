"""Shared pieces: a result row, the table printer, and a started run on a local server."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from methodic import Chronicle, Run


@dataclass
class Row:
    """One line of the table: SDK figure, baseline figure from the same run, their ratio, the target."""

    name: str
    sdk: str
    baseline: str
    ratio: float | None
    target: str
    ok: bool | None
    note: str = ""


def started_run(chronicle: Chronicle, variation: int = 0) -> Run:
    """A committed experiment's run 0 of ``variation``, started."""
    exp = chronicle.experiments.create(title="bench", hypothesis_summary="bench", config_yaml="lr: 1\n").commit()
    chronicle.variation(exp.id, 0).commit()
    return chronicle.run(exp.id, variation, 0).start()


def median(values: list[float]) -> float:
    """Median (robust to the occasional scheduler hiccup on a 2-core machine)."""
    return statistics.median(values)


def render(rows: list[Row], *, markdown: bool) -> str:
    """The table as aligned text or as Markdown."""
    header = ["benchmark", "SDK", "baseline", "ratio", "target", "ok"]
    lines = [
        [
            r.name,
            r.sdk,
            r.baseline,
            "—" if r.ratio is None else f"{r.ratio:.2f}×",
            r.target,
            "—" if r.ok is None else ("yes" if r.ok else "NO"),
        ]
        for r in rows
    ]
    if markdown:
        out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        out += ["| " + " | ".join(line) + " |" for line in lines]
        notes = [f"- {r.name}: {r.note}" for r in rows if r.note]
        return "\n".join(out + (["", *notes] if notes else []))
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=False)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [fmt.format(*header), fmt.format(*["-" * w for w in widths])]
    out += [fmt.format(*line) for line in lines]
    out += [f"  note: {r.name}: {r.note}" for r in rows if r.note]
    return "\n".join(out)
