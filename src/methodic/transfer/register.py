"""Registering a staged folder: the create call, the ledger's record, then the upload (split from ``upload.py``).

:meth:`Uploads.upload_directory <methodic.transfer.upload.Uploads.upload_directory>` stages and calls this at
once; a deferred hand-over (:mod:`methodic.transfer.handover`) calls it later, off the training thread.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from methodic._constants import UPLOAD_TARGETS
from methodic.transfer import staging
from methodic.transfer.bounds import checked_max_part_bytes
from methodic.transfer.claims import release_claim
from methodic.transfer.files import ComponentSpec, text_name
from methodic.transfer.futures import AssetUpload, OutputTarget
from methodic.transfer.ledger import Ledger, MemoryLedger
from methodic.transfer.tracker import check_recordable

if TYPE_CHECKING:
    from methodic.transfer.progress import ProgressOption
    from methodic.transfer.tracker import UploadTracker
    from methodic.transfer.upload import Uploads
    from methodic.types import PresignedUpload


def register_staged(
    uploads: Uploads,
    folder: Path,
    staged: staging.StagedAsset,
    *,
    asset_type: str,
    output_of: OutputTarget | None,
    tracker: UploadTracker | None = None,
    name: str | None = None,
    asset_config: Mapping[str, Any] | None = None,
    progress: ProgressOption = None,
    ttl_days: int | None = None,
    create: Callable[[Sequence[ComponentSpec]], PresignedUpload] | None = None,
    dispatch: bool = True,
    remove_on_failure: bool = True,
) -> AssetUpload:
    """Register a folder :func:`staging.stage` staged, record it in ``tracker`` and (``dispatch``) upload it.

    What ``Uploads.upload_directory`` does once the files are staged; a deferred hand-over
    (:mod:`methodic.transfer.handover`) calls it later, off the training thread. On any failure the staging
    folder is removed (unless ``remove_on_failure=False``: a resume keeps a hand-over for the next try).
    ``dispatch=False`` only registers (a resume dispatches it with the rest).
    """
    try:
        if tracker is not None:  # a path the tracker cannot record is refused before the server hears of it
            check_recordable(
                [os.fspath(folder.resolve()), os.fspath(staged.directory)]
                + [p for c in staged.components for p in (c.local_path, c.source_path) if p is not None]
            )
        if create is not None:
            presigned = create(staged.components)
        else:
            if output_of is None:
                raise ValueError("an asset uploaded without output_of needs its own create")
            presigned = uploads.operations.create_with_presigned(
                asset_type=asset_type,
                components=[s.name for s in staged.components],
                name=name or text_name(folder.name),
                output_of=output_of.as_dict(),
                asset_config=asset_config,
                upload_targets=list(UPLOAD_TARGETS),
                ttl_days=ttl_days,
            )
        from methodic.transfer.upload import refuse_gateway_route  # upload.py imports this module

        refuse_gateway_route(presigned)
        if presigned.via == "r2":  # URLs the key may not go to fail now, not at every resume of a registered asset
            for url in presigned.upload_urls.values():
                uploads.operations.gateway_headers(url)
        ledger: Ledger = tracker if tracker is not None else MemoryLedger()
        ledger.register_components(
            presigned.asset_id,
            asset_type,
            staged.components,
            experiment_id=None if output_of is None else output_of.experiment_id,
            variation=None if output_of is None else output_of.variation,
            run=None if output_of is None else output_of.run,
            upload_urls=presigned.upload_urls,
            urls_expire_at=presigned.expires_at,
            local_dir=folder.resolve(),
            staging_dir=staged.directory,
            route=presigned.via,
            max_part_bytes=checked_max_part_bytes(presigned.max_part_bytes, asset_id=presigned.asset_id),
        )
    except BaseException:
        if remove_on_failure:
            staging.remove(staged.directory)
        raise
    release_claim(staged.directory)  # recorded: from now on the ledger owns the staging folder
    if not dispatch:
        return AssetUpload(presigned.asset_id, [c.name for c in staged.components])
    return uploads._dispatch(presigned.asset_id, ledger, progress, output_of)
