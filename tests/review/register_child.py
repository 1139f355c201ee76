"""Started by test_review_28a: stage and create an asset, then stop where the tracker would record it.

Prints ``REGISTERING <staging folder>`` once the asset exists on the server and its files are staged, then
waits (for the parent's kill -9, or for ever): the moment between the create call and the tracker's row.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from methodic import Chronicle, UploadTracker


def main() -> None:
    folder, db = sys.argv[1:3]

    def stop_here(self: UploadTracker, asset_id: str, asset_type: str, components: Any, **kwargs: Any) -> None:
        print(f"REGISTERING {kwargs['staging_dir']}", flush=True)
        while True:
            time.sleep(1)

    UploadTracker.register_components = stop_here  # type: ignore[assignment,method-assign]
    with Chronicle.from_env() as chronicle, UploadTracker(db) as tracker:
        run = chronicle.run(os.environ["CHRONICLE_EXPERIMENT_ID"], 0, 0)
        run.upload_directory_async(folder, asset_type="checkpoint", upload_tracker=tracker, progress=False)


if __name__ == "__main__":
    main()
