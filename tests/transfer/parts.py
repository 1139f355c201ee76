"""What the gateway-multipart tests share with the review and S3 suites: a small-parts client, a target, a crash."""

from __future__ import annotations

import httpx

from methodic import Chronicle, UploadTracker
from methodic.transfer.futures import OutputTarget
from methodic.transfer.tracker import PartRecord
from methodic_server import LocalChronicle
from tests.helpers import MiB


def small_parts(
    server: LocalChronicle, *, part_workers: int = 4, transport: httpx.BaseTransport | None = None
) -> Chronicle:
    """A client that sends anything over 2 MiB in 1 MiB parts, so multipart paths run on small files."""
    return Chronicle(
        server.url,
        server.api_key,
        multipart_threshold=2 * MiB,
        min_part_size=MiB,
        max_part_workers=part_workers,
        storage_transport=transport,
    )


def experiment(client: Chronicle) -> OutputTarget:
    """A fresh experiment to upload into, as the engine's output target."""
    exp = client.experiments.create(title="t", hypothesis_summary="h", config_yaml="lr: 1")
    return OutputTarget(exp.id)


class CrashAfterParts(UploadTracker):
    """A tracker whose process 'dies' right after storage acknowledged part ``crash_at`` (before recording it)."""

    crash_at = 3

    def mark_part_completed(self, asset_id: str, name: str, upload_id: str, part: PartRecord) -> None:
        if part.part_number >= self.crash_at:
            raise KeyboardInterrupt("killed between the part's PUT and its tracker row")
        super().mark_part_completed(asset_id, name, upload_id, part)
