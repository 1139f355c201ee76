"""What a ledger records about an upload, as plain frozen data: parts, components and assets.

Every ledger (:class:`~methodic.transfer.ledger.memory.MemoryLedger`, the SQLite
:class:`~methodic.UploadTracker`) hands out these records and nothing else, so the engine, the resume
and the CLI read the same types whichever ledger holds the state. They are snapshots: a record never
changes after it is read, and a change goes through the ledger (the trade-off: a reader that wants the
newest state asks again, which is what the engine does before each step).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from methodic.transfer.files import ComponentSpec

__all__ = ["COMPONENT_STATES", "DEAD_ASSET_STATES", "PartRecord", "PendingUpload", "TrackedComponent"]

#: States of a component: ``registered`` → ``uploading`` → ``completed`` (or ``failed``, retried by a resume).
COMPONENT_STATES = ("registered", "uploading", "completed", "failed")
#: Asset states in which nothing more can be done (a resume skips them, prune drops them).
DEAD_ASSET_STATES = ("abandoned", "unrecoverable")


@dataclass(frozen=True)
class PartRecord:
    """One part of a multipart upload that storage acknowledged: its number, size, ETag and sha256.

    ``midstate`` is the whole file's sha256 state after this part (:mod:`methodic.transfer.midstate`, hex), when
    it was known as the part was recorded: a resume then proves the part (and every byte before it) by one
    in-order pass instead of a second, per-part one. None from older trackers and where states cannot be saved.
    ``sha256`` is empty when the part's own sha256 was never computed (its bytes went into the whole sha256
    only, the midstate standing in): such a part without a usable midstate is sent again, never assumed held.
    """

    part_number: int
    size: int
    etag: str
    sha256: str
    midstate: str | None = field(default=None, repr=False)
    #: The part's xxh3-128 (hex) as sent: with the midstate, a resume proves the part by a ~25 GB/s re-read
    #: instead of a sha256 pass (:mod:`methodic.transfer.part_proof`). None from older trackers.
    fast: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class TrackedComponent:
    """One component as the ledger last recorded it (``upload_url`` is kept out of the repr: it is a secret)."""

    name: str
    local_path: str
    size: int
    content_type: str
    state: str
    sha256: str | None
    upload_url: str | None = field(repr=False)
    url_expires_at: str | None
    attempts: int
    last_error: str | None
    source_path: str | None = None
    mtime_ns: int | None = None
    inode: int | None = None
    upload_id: str | None = None
    part_size: int | None = None

    def spec(self) -> ComponentSpec:
        """The component as it was registered (for checking that its file is unchanged)."""
        return ComponentSpec(
            name=self.name,
            local_path=self.local_path,
            size=self.size,
            content_type=self.content_type,
            source_path=self.source_path,
            mtime_ns=self.mtime_ns,
            inode=self.inode,
        )


@dataclass(frozen=True)
class PendingUpload:
    """An asset that was registered (and, from :meth:`~methodic.UploadTracker.get_asset`, maybe finalized or dead)."""

    asset_id: str
    asset_type: str
    experiment_id: str | None
    variation: int | None
    run: int | None
    components: tuple[TrackedComponent, ...]
    local_dir: str | None = None
    state: str = "pending"
    staging_dir: str | None = None
    failure: str | None = None
    #: Other components of the asset are uploaded elsewhere (a distributed upload); this holds its local part.
    shared: bool = False
    #: The upload route the server chose at create: ``"gcs"`` (presigned PUTs; also None, from older trackers) or
    #: ``"r2"`` (the storage gateway's URLs, which take the API key and multipart on the URL itself).
    route: str | None = None
    #: The gateway's largest part (and largest single PUT) on the ``r2`` route.
    max_part_bytes: int | None = None

    @property
    def incomplete(self) -> tuple[TrackedComponent, ...]:
        """Components still to upload (a killed process may have left some ``uploading``)."""
        return tuple(c for c in self.components if c.state != "completed")
