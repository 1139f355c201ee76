"""The ``methodic`` command: credentials (auth), the local dev server, upload trackers (status, resume, forget, prune).

``methodic uploads resume`` exits 1 when some asset could not be rescued, after trying every one.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from methodic._auth_cli import add_auth_commands
from methodic.errors import ChronicleError

if TYPE_CHECKING:
    from methodic.transfer.handover import HandOver
    from methodic.transfer.tracker import PendingUpload


def _existing_tracker(path: Path) -> Path:
    if not path.is_file():
        raise ChronicleError(f"no upload tracker at {path}")
    return path


def _status_rows(assets: Sequence[PendingUpload]) -> list[dict[str, Any]]:
    """One JSON-ready row per asset: what ``uploads status --json`` prints and the table shows."""
    rows = []
    for upload in assets:
        rows.append(
            {
                "asset_id": upload.asset_id,
                "asset_type": upload.asset_type,
                "experiment_id": upload.experiment_id,
                "variation": upload.variation,
                "run": upload.run,
                "state": upload.state,
                "components_done": sum(1 for c in upload.components if c.state == "completed"),
                "components_total": len(upload.components),
                "bytes_total": sum(c.size for c in upload.components),
                "failure": upload.failure,
                "incomplete": [
                    {"name": c.name, "state": c.state, "size": c.size, "last_error": c.last_error}
                    for c in upload.incomplete
                ],
            }
        )
    return rows


def _table(header: Sequence[str], lines: Sequence[Sequence[str]]) -> list[str]:
    """Columns padded to their widest cell (the last one left ragged)."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines, strict=False)]
    out = []
    for line in (header, *lines):
        cells = [str(cell).ljust(width) for cell, width in zip(line, widths, strict=False)]
        out.append("  ".join(cells).rstrip())
    return out


def _handover_rows(handed: Sequence[HandOver]) -> list[dict[str, Any]]:
    """One JSON-ready row per checkpoint handed over but not registered yet (a kill -9 came in between)."""
    return [
        {
            "handover_id": h.handover_id,
            "asset_type": h.asset_type,
            "name": h.name,
            "experiment_id": h.experiment_id,
            "variation": h.variation,
            "run": h.run,
            "components_total": len(h.components),
            "bytes_total": sum(c.size for c in h.components),
            "local_dir": h.local_dir,
        }
        for h in handed
    ]


def _uploads_status(args: argparse.Namespace) -> int:
    from methodic.transfer.display import format_bytes
    from methodic.transfer.files import shown_path
    from methodic.transfer.handover import leftovers
    from methodic.transfer.tracker import UploadTracker

    with UploadTracker(_existing_tracker(args.tracker), read_only=True) as tracker:  # looking changes nothing
        assets = tracker.get_assets()
        summary = tracker.summary()
        handed = _handover_rows(leftovers(tracker))
        ever_used = tracker.has_registered_assets() or bool(handed)
    rows = _status_rows(assets)
    if args.json:
        document = {
            "tracker": str(args.tracker),
            "ever_used": ever_used,
            "components": summary,
            "assets": rows,
            "handed_over": handed,
        }
        print(json.dumps(document, indent=2))
        return 0
    print(f"tracker: {args.tracker}")
    if not ever_used:
        print("no upload was ever registered in this tracker")
        return 0
    header = ("ASSET", "TYPE", "RUN", "DONE", "SIZE", "STATE")
    lines = [
        (
            row["asset_id"],
            row["asset_type"],
            f"{row['experiment_id'] or '-'}/{row['variation']}/{row['run']}" if row["run"] is not None else "-",
            f"{row['components_done']}/{row['components_total']}",
            format_bytes(row["bytes_total"]),
            row["state"],
        )
        for row in rows
    ] + [
        (
            h["handover_id"],
            h["asset_type"],
            f"{h['experiment_id']}/{h['variation']}/{h['run']}",
            f"0/{h['components_total']}",
            format_bytes(h["bytes_total"]),
            "handed_over",
        )
        for h in handed
    ]
    for line in _table(header, lines):
        print(line)
    print("components: " + ", ".join(f"{state}={count}" for state, count in sorted(summary.items())))
    for h in handed:
        print(
            f"{h['asset_type']} {h['name']} ({shown_path(h['local_dir'])}): handed over, not registered yet"
            " (the process stopped first); `methodic uploads resume` registers and uploads it"
        )
    unfinished = [row for row in rows if row["state"] != "finalized"]
    if not unfinished and not handed:
        print("nothing to resume")
        return 0
    for row in unfinished:
        if row["failure"] or row["incomplete"]:
            print(f"asset {row['asset_id']} ({row['state']}):")
        if row["failure"]:
            print(f"  why: {row['failure']}")
        for component in row["incomplete"]:
            error = f" ({component['last_error']})" if component["last_error"] else ""
            print(f"  {component['state']:<10} {component['name']} {component['size']} bytes{error}")
    return 0


_ADVICE = {
    "abandoned": "its run was failed before it finished; the bytes cannot be made ready any more",
    "unrecoverable": "the registered files are gone or changed; save the checkpoint again from a running trainer",
    "failed": "run `methodic uploads resume` again once the problem is fixed (it retries what failed)",
}


def _uploads_resume(args: argparse.Namespace) -> int:
    from methodic import Chronicle
    from methodic.transfer.tracker import UploadTracker

    progress = False if args.no_progress else None
    with UploadTracker(_existing_tracker(args.tracker)) as tracker, Chronicle.from_env() as chronicle:
        outcomes = chronicle.transfers.resume_each(tracker, progress=progress)
    for outcome in outcomes:
        detail = f": {outcome.detail}" if outcome.detail else ""
        print(f"{outcome.status:<14} {outcome.asset_id} ({outcome.asset_type}){detail}")
    lost = [o for o in outcomes if not o.rescued]
    finalized = sum(1 for o in outcomes if o.status == "finalized")
    partial = sum(1 for o in outcomes if o.status == "partial")
    waiting = f"; {partial} waiting for other nodes' components" if partial else ""
    ready = len(outcomes) - len(lost) - partial
    print(f"resumed {finalized} asset(s): {ready} of {len(outcomes)} asset(s) ready{waiting}")
    if not lost:
        return 0
    for status in sorted({o.status for o in lost}):
        print(f"{status}: {_ADVICE.get(status, '')}", file=sys.stderr)
    if any(o.status in ("abandoned", "unrecoverable") for o in lost):
        print(
            f"dead entries are skipped from now on; `methodic uploads prune --tracker {args.tracker}` drops them",
            file=sys.stderr,
        )
    return 1


def _abort_given_up(dropped: list[PendingUpload]) -> None:
    """Free the storage of the unfinished gateway uploads of assets given up (needs credentials; else say so)."""
    unfinished = [
        a for a in dropped if a.route == "r2" and any(c.upload_id and c.state != "completed" for c in a.components)
    ]
    if not unfinished:
        return
    from methodic import Chronicle
    from methodic.errors import ChronicleConfigError

    try:
        chronicle = Chronicle.from_env()
    except ChronicleConfigError:
        print(
            f"{len(unfinished)} asset(s) left unfinished uploads in storage; without credentials they are not aborted"
            " now (the storage gateway frees them after its idle timeout)",
            file=sys.stderr,
        )
        return
    with chronicle:
        aborted = sum(chronicle.transfers.abort_unfinished(asset) for asset in unfinished)
    print(f"aborted {aborted} unfinished upload(s) in storage")


def _uploads_forget(args: argparse.Namespace) -> int:
    from methodic.transfer.tracker import UploadTracker

    with UploadTracker(_existing_tracker(args.tracker)) as tracker:
        dropped = tracker.forget(args.asset_id)
    if dropped is None:
        print(f"error: asset {args.asset_id} is not in {args.tracker}", file=sys.stderr)
        return 1
    print(f"forgot {dropped.asset_id} ({dropped.asset_type}, {dropped.state})")
    _abort_given_up([dropped])
    return 0


def _uploads_prune(args: argparse.Namespace) -> int:
    from methodic.transfer.tracker import UploadTracker

    with UploadTracker(_existing_tracker(args.tracker)) as tracker:
        dropped = tracker.prune()
    for asset in dropped:
        print(f"dropped {asset.asset_id} ({asset.asset_type}, {asset.state})")
    print(f"pruned {len(dropped)} asset(s)")
    _abort_given_up(dropped)
    return 0


class _VersionAction(argparse.Action):
    """``--version``: print :func:`methodic._distribution.version_report` (read only when asked: it scans metadata)."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        from methodic._distribution import version_report

        print(version_report())
        parser.exit(0)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and docs)."""
    parser = argparse.ArgumentParser(prog="methodic", description="methodic: the Chronicle SDK's command line")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    parser.add_argument(
        "--version", action=_VersionAction, help="the version, the distribution and where it imports from"
    )
    parser.set_defaults(func=None, help_of=parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("dev-server", help="run a local Chronicle server and storage service", add_help=False)
    add_auth_commands(sub)

    uploads = sub.add_parser("uploads", help="inspect or resume uploads recorded in an UploadTracker")
    uploads.set_defaults(help_of=uploads)
    uploads_sub = uploads.add_subparsers(dest="uploads_command", metavar="SUBCOMMAND")
    status = uploads_sub.add_parser("status", help="show what a crashed process left unfinished")
    status.add_argument("--tracker", type=Path, required=True, help="the tracker's SQLite file")
    status.add_argument("--json", action="store_true", help="print one JSON document (for scripts)")
    status.set_defaults(func=_uploads_status)
    resume = uploads_sub.add_parser(
        "resume", help="re-upload incomplete components and finalize (configured through CHRONICLE_* / ~/.methodic)"
    )
    resume.add_argument("--tracker", type=Path, required=True, help="the tracker's SQLite file")
    resume.add_argument("--no-progress", action="store_true", help="no progress bars")
    resume.set_defaults(func=_uploads_resume)
    forget = uploads_sub.add_parser("forget", help="drop one asset's entries (and its staged files) from a tracker")
    forget.add_argument("asset_id", help="the asset to forget")
    forget.add_argument("--tracker", type=Path, required=True, help="the tracker's SQLite file")
    forget.set_defaults(func=_uploads_forget)
    prune = uploads_sub.add_parser("prune", help="drop finalized, abandoned and unrecoverable assets from a tracker")
    prune.add_argument("--tracker", type=Path, required=True, help="the tracker's SQLite file")
    prune.set_defaults(func=_uploads_prune)
    return parser


def _plugin_command(name: str, argv: list[str]) -> int:
    """Run a subcommand another package registers under the ``methodic.commands`` entry-point group.

    The client never imports the local server: ``dev-server`` comes from ``methodic_server`` this way.
    """
    from importlib.metadata import entry_points

    found = list(entry_points(group="methodic.commands", name=name))
    try:
        if not found:
            raise ImportError(f"no installed package provides the {name!r} command")
        command = found[0].load()
    except ImportError as exc:
        print(
            f"error: `methodic {name}` needs the local Chronicle server: pip install 'methodic-sdk[server]' ({exc})",
            file=sys.stderr,
        )
        return 1
    return int(command(argv))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``methodic`` console script."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        if args_list and args_list[0] == "dev-server":
            return _plugin_command("dev-server", args_list[1:])
        return _run(args_list)
    except BrokenPipeError:
        # The reader went away (`methodic uploads status | head -1`): what it wanted it has; stop quietly, and
        # point stdout at /dev/null so the interpreter's last flush at exit does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 128 + signal.SIGPIPE


def _run(args_list: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(args_list)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    if args.func is None:  # a command group without its subcommand: show what it offers, as a usage error
        args.help_of.print_help(sys.stderr)
        return 2
    try:
        code = int(args.func(args))
    except ChronicleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        code = 1
    sys.stdout.flush()  # inside the BrokenPipeError guard
    return code


if __name__ == "__main__":
    raise SystemExit(main())
