"""Run under an ASCII file-system encoding (PYTHONUTF8=0 LC_ALL=C) by test_review_28a: one upload or download.

Prints ``<exception type>: <message>`` of what it raised (or ``ok``), in ASCII, on stdout.
"""

from __future__ import annotations

import sys

from methodic import Chronicle, UploadTracker


def main() -> None:
    url, key, experiment, mode, path = sys.argv[1:6]
    with Chronicle(url, key) as chronicle:
        run = chronicle.run(experiment, 0, 0)
        try:
            if mode == "upload":
                run.upload_directory_async(path, asset_type="checkpoint", progress=False).wait()
            elif mode == "upload-tracked":
                with UploadTracker(sys.argv[6]) as tracker:
                    run.upload_directory_async(path, asset_type="checkpoint", upload_tracker=tracker, progress=False)
            else:
                chronicle.assets.download(mode, path, progress=False)
        except Exception as exc:
            print(f"{type(exc).__name__}: {exc}".encode("ascii", "backslashreplace").decode("ascii"))
            return
    print("ok")


if __name__ == "__main__":
    main()
