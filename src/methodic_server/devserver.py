"""``methodic dev-server``: the local Chronicle in the foreground until SIGINT or SIGTERM."""

from __future__ import annotations

import argparse
import errno
import shlex
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from methodic_server.options import (
    DEFAULT_GATEWAY_UPLOAD_IDLE_TIMEOUT,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_PART_BYTES,
    UPLOAD_ROUTES,
)
from methodic_server.runtime import ChronicleServer, ServerStartError, check_api_key
from methodic_server.storage import DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS


def _api_key(value: str) -> str:
    """The type of --api-key: refuse short or malformed keys, since they would be guessable."""
    try:
        return check_api_key(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def build_parser() -> argparse.ArgumentParser:
    """The command's arguments."""
    parser = argparse.ArgumentParser(prog="methodic dev-server", description="Run a local Chronicle API and storage.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="API port (default: a free one)")
    parser.add_argument("--storage-port", type=int, default=0, help="storage port (default: a free one)")
    parser.add_argument("--data-dir", type=Path, default=None, help="keep state here across restarts")
    parser.add_argument(
        "--api-key",
        action="append",
        default=[],
        type=_api_key,
        help="accept this user key (repeatable): sk_user_ and 32+ letters or digits (worker keys are minted per run)",
    )
    parser.add_argument("--no-search", action="store_true", help="POST /v1/search answers 503")
    parser.add_argument("--heartbeat-timeout", type=float, default=900.0, help="seconds until a silent run is lost")
    parser.add_argument("--lost-timeout", type=float, default=172_800.0, help="seconds until a lost run fails")
    parser.add_argument("--enforce-review-gates", action="store_true", help="require reports to commit/conclude")
    parser.add_argument(
        "--max-body-bytes", type=int, default=DEFAULT_MAX_BODY_BYTES, help="largest API request body (413 beyond)"
    )
    parser.add_argument(
        "--storage-idle-timeout",
        type=float,
        default=DEFAULT_IDLE_TIMEOUT,
        help="seconds before a silent storage connection is closed",
    )
    parser.add_argument(
        "--storage-max-connections",
        type=int,
        default=DEFAULT_MAX_CONNECTIONS,
        help="storage connections served at once (more are answered 503)",
    )
    parser.add_argument(
        "--max-single-put-bytes",
        type=int,
        default=None,
        help="refuse a larger single storage PUT with 400 EntityTooLarge, as S3 does beyond 5 GiB",
    )
    parser.add_argument(
        "--per-connection-bytes-per-second",
        type=int,
        default=None,
        help="pace every storage connection to this rate, as one TCP stream to cloud storage is",
    )
    parser.add_argument(
        "--storage",
        choices=("local", "s3"),
        default="local",
        help="local: our own storage service; s3: presign against an S3-compatible bucket (boto3 credentials)",
    )
    parser.add_argument(
        "--upload-route",
        choices=UPLOAD_ROUTES,
        default="r2",
        help="r2: clients that can use it upload through the storage gateway (API key, multipart); "
        "gcs: presigned PUTs only",
    )
    parser.add_argument(
        "--max-part-bytes",
        type=int,
        default=DEFAULT_MAX_PART_BYTES,
        help="the gateway's largest single PUT or part (r2 route); larger files go up in parts",
    )
    parser.add_argument(
        "--gateway-upload-idle-timeout",
        type=float,
        default=DEFAULT_GATEWAY_UPLOAD_IDLE_TIMEOUT,
        help="seconds an unfinished gateway multipart upload may go untouched before it is aborted",
    )
    parser.add_argument("--s3-bucket", default=None, help="the bucket, with --storage s3")
    parser.add_argument(
        "--s3-endpoint-url", default=None, help="an S3-compatible endpoint (MinIO, R2, ...); default: AWS"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Start, print the addresses and key, wait for a signal, shut down cleanly."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.storage == "s3" and not args.s3_bucket:
        parser.error("--storage s3 needs --s3-bucket")
    if args.max_part_bytes < 1:
        parser.error("--max-part-bytes must be at least 1")
    temp = None if args.data_dir else tempfile.mkdtemp(prefix="methodic-dev-server-")
    data_dir = args.data_dir or Path(temp or ".")
    server = ChronicleServer(
        data_dir,
        host=args.host,
        port=args.port,
        storage_port=args.storage_port,
        api_keys=args.api_key,
        search=not args.no_search,
        heartbeat_timeout=args.heartbeat_timeout,
        lost_timeout=args.lost_timeout,
        enforce_review_gates=args.enforce_review_gates,
        max_body_bytes=args.max_body_bytes,
        storage_idle_timeout=args.storage_idle_timeout,
        storage_max_connections=args.storage_max_connections,
        max_single_put_bytes=args.max_single_put_bytes,
        per_connection_bytes_per_second=args.per_connection_bytes_per_second,
        storage=args.storage,
        s3_bucket=args.s3_bucket,
        s3_endpoint_url=args.s3_endpoint_url,
        upload_route=args.upload_route,
        max_part_bytes=args.max_part_bytes,
        gateway_upload_idle_timeout=args.gateway_upload_idle_timeout,
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        server.start()
    except ServerStartError as exc:
        flag = "--port" if exc.which == "api" else "--storage-port"
        hint = f" (pass another {flag}, or none for a free one)" if exc.errno == errno.EADDRINUSE else ""
        print(f"error: {exc}{hint}", file=sys.stderr)
        if temp:
            shutil.rmtree(temp, ignore_errors=True)
        return 1
    try:
        print(f"Chronicle API: {server.url}")
        print(f"Storage: {server.storage_url}")
        if server.gateway_url is not None:
            print(f"Storage gateway: {server.gateway_url} (upload route {args.upload_route})")
        print(f"API key: {server.api_key}")
        print(f"Data dir: {data_dir}{' (temporary)' if temp else ''}")
        print("To use it from another shell (Chronicle.from_env() and `methodic` read these):")
        print(f"  export CHRONICLE_SERVER_URL={shlex.quote(server.url)}")
        print(f"  export CHRONICLE_API_KEY={shlex.quote(server.api_key)}")
        print("Press Ctrl-C to stop.", flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        if temp:
            shutil.rmtree(temp, ignore_errors=True)
        print("Chronicle stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
