"""The PUBLISHED client uploads and downloads through our storage gateway (run in the client's own venv).

Usage: ``python -I _hosted_gateway.py WORKDIR EXPERIMENT_ID BIG_BYTES`` with CHRONICLE_SERVER_URL and
CHRONICLE_API_KEY set; run 0 of variation 0 must be running. Prints one JSON line per step
(``{"name", "ok", ...}``), and last ``{"name": "__calls__", ...}``: the gateway requests the client made
(method and query keys) and its R2 downloads (successes and errors), counted by wrapping its own methods.
Never imported by pytest (it imports the hosted ``methodic``).
"""

from __future__ import annotations

import hashlib
import json
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

CALLS: dict[str, Any] = {"r2_requests": [], "r2_downloads": 0, "r2_download_errors": []}


def emit(record: dict[str, Any]) -> None:
    print(json.dumps(record, default=str), flush=True)


def step(name: str, fn: Callable[[], Any], facts: Callable[[Any], dict[str, Any]]) -> Any:
    try:
        result = fn()
    except BaseException as exc:
        emit(
            {
                "name": name,
                "ok": False,
                "error": f"{type(exc).__name__}: {exc}"[:600],
                "where": traceback.format_exc()[-1500:],
            }
        )
        return None
    emit({"name": name, "ok": True, **facts(result)})
    return result


def data_of(size: int, seed: int) -> bytes:
    block = hashlib.sha256(str(seed).encode()).digest() * 4096  # 128 KiB that does not repeat per part
    return (block * (size // len(block) + 1))[:size]


def tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def instrument() -> None:
    """Count the client's gateway requests and R2 downloads (wrapping, not changing, its methods)."""
    from methodic.assets import AssetsAPI

    request, download = AssetsAPI._r2_request, AssetsAPI._download_r2

    def counted_request(self: Any, method: str, url: str, **kwargs: Any) -> Any:
        CALLS["r2_requests"].append([method, sorted((kwargs.get("params") or {}).keys())])
        return request(self, method, url, **kwargs)

    def counted_download(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            out = download(self, *args, **kwargs)
        except BaseException as exc:
            CALLS["r2_download_errors"].append(f"{type(exc).__name__}: {exc}"[:300])
            raise
        CALLS["r2_downloads"] += 1
        return out

    AssetsAPI._r2_request = counted_request  # type: ignore[method-assign]
    AssetsAPI._download_r2 = counted_download  # type: ignore[method-assign]


def main() -> int:
    work, experiment_id, big = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    from methodic import Chronicle, UploadTracker

    instrument()
    src = work / "src"
    (src / "ckpt" / "optimizer").mkdir(parents=True)
    files = {
        "big.bin": data_of(big, 1),
        "small.bin": data_of(1000, 2),
        "ckpt/model.bin": data_of(big, 3),
        "ckpt/optimizer/state.pt": data_of(3000, 4),
    }
    for name, data in files.items():
        (src / name).write_bytes(data)
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    with Chronicle.from_env() as chronicle:
        run = chronicle.run(experiment_id, 0, 0)
        big_id = step(
            "upload_file(big)", lambda: run.upload_file(src / "big.bin", asset_type="model"), lambda a: {"asset_id": a}
        )
        small_id = step(
            "upload_file(small)",
            lambda: run.upload_file(src / "small.bin", asset_type="model"),
            lambda a: {"asset_id": a},
        )
        tracker = UploadTracker(db_path=work / "uploads.sqlite")
        ckpt_id = step(
            "register_and_upload_async(checkpoint)",
            lambda: run.register_and_upload_async(
                local_dir=src / "ckpt", asset_type="checkpoint", upload_tracker=tracker
            ),
            lambda a: {"asset_id": a},
        )
        step("wait_for_uploads", run.wait_for_uploads, lambda _: {})
        step(
            "tracker sha256s",
            lambda: tracker.completed_sha256s(ckpt_id),
            lambda got: {
                "match": got
                == {"model.bin": digests["ckpt/model.bin"], "optimizer/state.pt": digests["ckpt/optimizer/state.pt"]}
            },
        )
        for name, asset_id, expected in (
            ("big", big_id, {"big.bin": digests["big.bin"]}),
            ("small", small_id, {"small.bin": digests["small.bin"]}),
            (
                "checkpoint",
                ckpt_id,
                {"model.bin": digests["ckpt/model.bin"], "optimizer/state.pt": digests["ckpt/optimizer/state.pt"]},
            ),
        ):
            out = work / f"dl-{name}"
            step(
                f"download_asset({name})",
                lambda asset_id=asset_id, out=out: run.download_asset(asset_id, out),
                lambda _, out=out, expected=expected: {
                    "files_match": tree(out) == expected,
                    "files": sorted(tree(out)),
                },
            )
    emit({"name": "__calls__", **CALLS})
    return 0


if __name__ == "__main__":
    sys.exit(main())
