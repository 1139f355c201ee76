"""Child process for the kill -9 tests: registers a multi-component checkpoint and uploads it.

python upload_child.py SERVER_URL API_KEY EXP VARIATION RUN CKPT_DIR TRACKER_DB
"""

from __future__ import annotations

import sys
from pathlib import Path

from methodic import Chronicle, UploadTracker


def main() -> None:
    url, key, exp_id, variation, run, ckpt, db = sys.argv[1:8]
    with Chronicle(url, key, max_upload_workers=2) as chronicle:
        tracker = UploadTracker(db_path=Path(db))
        handle = chronicle.run(exp_id, int(variation), int(run))
        print("STARTED", flush=True)
        upload = handle.register_and_upload_async(
            local_dir=Path(ckpt), asset_type="checkpoint", upload_tracker=tracker, progress=False
        )
        print(f"REGISTERED {upload.asset_id}", flush=True)
        handle.wait_for_uploads()
        print("DONE", flush=True)


if __name__ == "__main__":
    main()
