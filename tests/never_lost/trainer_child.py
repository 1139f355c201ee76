"""A trainer that saves, rotates and rewrites checkpoints at random, for the kill -9 property test.

python trainer_child.py URL KEY EXP VARIATION RUN OUT_DIR TRACKER JOURNAL SEED SAVES

Every step is written to JOURNAL (one JSON line, flushed and fsynced) *before* it is done, so the
parent knows what was registered and what was touched afterwards, whenever the process is killed.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from methodic import Chronicle, UploadError, UploadTracker


def main() -> None:
    url, key, exp_id, variation, run_no, out, db, journal_path, seed, saves = sys.argv[1:11]
    rng = random.Random(int(seed))
    journal_file = Path(journal_path)

    def note(**event: Any) -> None:
        with journal_file.open("a") as journal:
            journal.write(json.dumps(event) + "\n")
            journal.flush()
            os.fsync(journal.fileno())

    with Chronicle(url, key, max_upload_workers=2) as chronicle:
        tracker = UploadTracker(db)
        run = chronicle.run(exp_id, int(variation), int(run_no))
        previous: Path | None = None
        for i in range(int(saves)):
            name = f"{seed}-{i}"
            folder = Path(out) / f"checkpoint-{name}"
            folder.mkdir(parents=True)
            hashes = {}
            for j in range(rng.randint(1, 3)):
                data = rng.randbytes(rng.randint(1, 300_000))
                (folder / f"part{j}.bin").write_bytes(data)
                hashes[f"part{j}.bin"] = hashlib.sha256(data).hexdigest()
            note(event="intent", folder=name, hashes=hashes)
            upload = run.upload_directory_async(folder, asset_type="checkpoint", upload_tracker=tracker, progress=False)
            note(event="registered", folder=name, asset_id=upload.asset_id)
            action = rng.choice(["rotate", "rotate", "rewrite", "replace", "nothing"])
            if action == "rotate" and previous is not None:
                note(event="deleted", folder=previous.name.removeprefix("checkpoint-"))
                shutil.rmtree(previous)
            elif action == "rewrite":  # torch.save into the same path: the registered bytes are destroyed
                note(event="rewritten", folder=name)
                victim = folder / rng.choice(sorted(hashes))
                with victim.open("r+b") as f:
                    f.write(rng.randbytes(max(1, victim.stat().st_size)))
            elif action == "replace":  # an atomic save (write, then rename over): the registered bytes survive
                victim = folder / rng.choice(sorted(hashes))
                tmp = folder / "tmp.partial"
                tmp.write_bytes(rng.randbytes(1000))
                os.replace(tmp, victim)
            previous = folder
            time.sleep(rng.uniform(0, 0.15))
        try:
            chronicle.wait_for_uploads()
        except UploadError as exc:
            print(f"UPLOAD ERRORS {len(exc.failures)}", flush=True)
        tracker.close()
    print("DONE", flush=True)


if __name__ == "__main__":
    main()
