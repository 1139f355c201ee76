"""One transfer by the PUBLISHED client, for byte-for-byte comparisons with ours (run in the client's own venv).

Usage, with CHRONICLE_SERVER_URL and CHRONICLE_API_KEY set and run 0 of variation 0 of EXPERIMENT_ID running:

- ``python -I _hosted_transfer.py upload EXPERIMENT_ID FILE``: ``run.upload_file`` (the r2 route, in parts
  above the server's ``max_part_bytes``); prints ``{"name": "upload", "ok", "asset_id"}``.
- ``python -I _hosted_transfer.py download EXPERIMENT_ID ASSET_ID DEST``: ``run.download_asset``; prints
  ``{"name": "download", "ok", "files": {path: sha256}, "r2_downloads": n}`` (n: reads of an R2 manifest).

Never imported by pytest (it imports the hosted ``methodic``).
"""

from __future__ import annotations

import hashlib
import json
import sys
import traceback
from pathlib import Path
from typing import Any


def emit(record: dict[str, Any]) -> None:
    print(json.dumps(record, default=str), flush=True)


def digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def main() -> int:
    command, experiment_id = sys.argv[1], sys.argv[2]
    from methodic.assets import AssetsAPI

    from methodic import Chronicle

    reads = {"r2": 0}
    original = AssetsAPI._download_r2

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        reads["r2"] += 1
        return original(self, *args, **kwargs)

    AssetsAPI._download_r2 = counted  # type: ignore[method-assign]
    try:
        with Chronicle.from_env() as chronicle:
            run = chronicle.run(experiment_id, 0, 0)
            if command == "upload":
                asset_id = run.upload_file(Path(sys.argv[3]), asset_type="model")
                emit({"name": "upload", "ok": True, "asset_id": asset_id})
            else:
                dest = Path(sys.argv[4])
                run.download_asset(sys.argv[3], dest)
                files = {str(p.relative_to(dest)): digest(p) for p in sorted(dest.rglob("*")) if p.is_file()}
                emit({"name": "download", "ok": True, "files": files, "r2_downloads": reads["r2"]})
    except BaseException as exc:
        emit(
            {
                "name": command,
                "ok": False,
                "error": f"{type(exc).__name__}: {exc}"[:600],
                "where": traceback.format_exc()[-1500:],
            }
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
