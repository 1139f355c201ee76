"""Shared pieces: a result row, the table printer, a started run, and the dev server in its own process."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

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


class DevServer:
    """``methodic dev-server`` in a child process; its address and key read from what it prints."""

    def __init__(self, data_dir: Path, *options: str) -> None:
        # At the lowest CPU priority: in real use storage and the API run elsewhere, not on the trainer's
        # cores; niced, they still serve every request but take only cycles the trainer leaves.
        nice = ["nice", "-n", "19"] if shutil.which("nice") else []
        self.process = subprocess.Popen(
            [*nice, sys.executable, "-m", "methodic_server.devserver", "--data-dir", str(data_dir), *options],
            stdout=subprocess.PIPE,
            text=True,
        )
        found: dict[str, str] = {}
        assert self.process.stdout is not None
        for line in self.process.stdout:
            key, _, value = line.partition(": ")
            found[key.strip()] = value.strip()
            if "API key" in found:
                break
        self.url, self.api_key = found["Chronicle API"], found["API key"]

    def cpu_seconds(self) -> float:
        """The server process's CPU time so far (user and system, every thread), from /proc."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def bytes_written(self) -> int:
        """Bytes the server process has written to files so far (``wchar``), from /proc.

        Storage writes every body byte it receives to a file, so this counts what storage received (plus
        the API's small database writes); ``rchar`` would not: sockets are read with recv, which it misses.
        """
        for line in Path(f"/proc/{self.process.pid}/io").read_text().splitlines():
            if line.startswith("wchar:"):
                return int(line.split()[1])
        raise RuntimeError("no wchar in /proc/<pid>/io")

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def started_run(chronicle: Chronicle, variation: int = 0) -> Run:
    """A committed experiment's run 0 of ``variation``, started."""
    return pending_run(chronicle, variation).start()


def pending_run(chronicle: Chronicle, variation: int = 0) -> Run:
    """A committed experiment's run 0 of ``variation``, not started yet (an integration starts it)."""
    exp = chronicle.experiments.create(title="bench", hypothesis_summary="bench", config_yaml="lr: 1\n").commit()
    chronicle.variation(exp.id, 0).commit(commit_without_hypothesis=True)
    return chronicle.run(exp.id, variation, 0)


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
