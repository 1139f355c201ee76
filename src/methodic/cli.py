"""The ``methodic`` command: the local dev server, and the upload tracker's status and resume."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from methodic.errors import ChronicleError


def _existing_tracker(path: Path) -> Path:
    if not path.is_file():
        raise ChronicleError(f"no upload tracker at {path}")
    return path


def _uploads_status(args: argparse.Namespace) -> int:
    from methodic.transfer.tracker import UploadTracker

    with UploadTracker(_existing_tracker(args.tracker)) as tracker:
        pending = tracker.get_pending_uploads()
        summary = tracker.summary()
        ever_used = tracker.has_registered_assets()
    print(f"tracker: {args.tracker}")
    if not ever_used:
        print("no upload was ever registered in this tracker")
        return 0
    print("components: " + ", ".join(f"{state}={count}" for state, count in sorted(summary.items())))
    if not pending:
        print("nothing to resume")
        return 0
    for upload in pending:
        done = sum(1 for c in upload.components if c.state == "completed")
        where = f"{upload.experiment_id}/{upload.variation}/{upload.run}"
        print(f"asset {upload.asset_id} ({upload.asset_type}, run {where}): {done}/{len(upload.components)} complete")
        for component in upload.incomplete:
            error = f" ({component.last_error})" if component.last_error else ""
            print(f"  {component.state:<10} {component.name} {component.size} bytes{error}")
    return 0


def _uploads_resume(args: argparse.Namespace) -> int:
    from methodic import Chronicle
    from methodic.transfer.tracker import UploadTracker

    progress = False if args.no_progress else None
    with UploadTracker(_existing_tracker(args.tracker)) as tracker, Chronicle.from_env() as chronicle:
        finalized = chronicle.resume_uploads(tracker, progress=progress)
    for asset in finalized:
        print(f"finalized {asset.id} ({asset.asset_type}, {len(asset.components)} components)")
    print(f"resumed {len(finalized)} asset(s)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and docs)."""
    parser = argparse.ArgumentParser(prog="methodic", description="methodic: the Chronicle SDK's command line")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("dev-server", help="run a local Chronicle server and storage service", add_help=False)

    uploads = sub.add_parser("uploads", help="inspect or resume uploads recorded in an UploadTracker")
    uploads_sub = uploads.add_subparsers(dest="uploads_command", required=True)
    status = uploads_sub.add_parser("status", help="show what a crashed process left unfinished")
    status.add_argument("--tracker", type=Path, required=True, help="the tracker's SQLite file")
    status.set_defaults(func=_uploads_status)
    resume = uploads_sub.add_parser(
        "resume", help="re-upload incomplete components and finalize (configured through CHRONICLE_* / ~/.methodic)"
    )
    resume.add_argument("--tracker", type=Path, required=True, help="the tracker's SQLite file")
    resume.add_argument("--no-progress", action="store_true", help="no progress bars")
    resume.set_defaults(func=_uploads_resume)
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
            f"error: `methodic {name}` needs the local Chronicle server: pip install 'methodic-research[server]'"
            f" ({exc})",
            file=sys.stderr,
        )
        return 1
    return int(command(argv))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``methodic`` console script."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] == "dev-server":
        return _plugin_command("dev-server", args_list[1:])
    parser = build_parser()
    args = parser.parse_args(args_list)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    try:
        return int(args.func(args))
    except ChronicleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
