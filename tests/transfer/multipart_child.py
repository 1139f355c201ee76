"""Child process for the multipart kill -9 tests: uploads one checkpoint with small parts, through a tracker.

python multipart_child.py SERVER_URL API_KEY EXP VARIATION RUN CKPT_DIR TRACKER_DB THRESHOLD PART_SIZE WORKERS
"""

from __future__ import annotations

import sys
from pathlib import Path

from methodic import Chronicle, UploadTracker


def main() -> None:
    url, key, exp_id, variation, run, ckpt, db, threshold, part_size, workers = sys.argv[1:11]
    with Chronicle(
        url, key, max_upload_workers=int(workers), multipart_threshold=int(threshold), min_part_size=int(part_size)
    ) as chronicle:
        tracker = UploadTracker(db_path=Path(db))
        handle = chronicle.run(exp_id, int(variation), int(run))
        upload = handle.register_and_upload_async(
            local_dir=Path(ckpt), asset_type="checkpoint", upload_tracker=tracker, progress=False
        )
        print(f"REGISTERED {upload.asset_id}", flush=True)
        handle.wait_for_uploads()
        print("DONE", flush=True)


if __name__ == "__main__":
    main()
