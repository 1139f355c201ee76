"""One large component up in parts: parallel part PUTs on the shared pool, each part recorded as it lands.

The protocol is S3's: start a multipart upload (its ``upload_id`` is recorded in the ledger before
any part moves), presign part URLs in batches, PUT each part from its slice of the file (streamed in
1 MiB chunks, never a part in memory: memory is workers times a chunk), keep each part's ETag, complete
with the part list. Every acknowledged part is committed to the ledger (number, size, ETag, sha256)
before the next one is counted, so after kill -9 a resume re-sends only what is missing:

1. With every part recorded, the resume tries to complete at once (the crash may have come after the
   last part, or after the complete itself: completing again is answered with the same result).
2. Otherwise it asks the server which parts storage holds (ListParts). A recorded part storage still
   holds with the same ETag is kept. A part storage holds that the ledger never heard of (it landed
   after the last ledger write) is kept if its ETag matches the local slice (the md5 S3 uses, or the
   sha256 our storage uses: both computed in one local read, no upload); otherwise it is sent again.
   A recorded part storage does not hold is sent again. An upload storage no longer knows is started
   afresh.

A resume trusts a part recorded as sent only after re-reading its slice of the file: its sha256 must
still be the one recorded when the part was sent. Size, mtime and inode are checked too, but a file
rewritten in place with the same size and a restored mtime (or on a filesystem with coarse mtimes)
passes them, and keeping its old parts beside new ones would assemble a component mixing two versions.
A part whose bytes changed fails the component with :class:`~methodic.errors.FileChangedError`, and the
asset is never finalized, as for any file changed after registration. This re-read happens only on a
resume, only for parts recorded earlier: a fresh upload reads the file once.

Every size and part layout the server states (the start answer, the parts storage lists) and the part
size a tracker recorded are checked against the contract's bounds (:mod:`methodic.transfer.bounds`)
before anything is allocated or requested from them.

Integrity, in one read of the file: each part's sha256 is computed while the part is sent, and the
component's checksum is :func:`methodic_contract.part_checksum` of those digests (sha256 over the
concatenated part digests), which the server verifies against what storage holds at finalize. The
file is checked against its registered identity before every part and once more at the end.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

import httpx

from methodic._constants import LOGGER_NAME
from methodic.errors import (
    BadRequestError,
    FileChangedError,
    IntegrityError,
    NotFoundError,
    PartLayoutError,
    StorageError,
)
from methodic.transfer.bounds import PartLayout, checked_layout, checked_stored_parts
from methodic.transfer.parallel import run_shared
from methodic.transfer.storage import CHUNK_SIZE, UploadResult, upload_part
from methodic.transfer.tracker import PartRecord
from methodic_contract import MAX_PARTS, part_checksum, part_count, part_range

if TYPE_CHECKING:
    from collections.abc import Mapping

    from methodic.transfer.config import RetryPolicy
    from methodic.transfer.interfaces import AssetOperations
    from methodic.transfer.ledger import Ledger
    from methodic.transfer.pool import TransferPool
    from methodic.transfer.progress import ProgressSink
    from methodic.types import StoredPart

logger = logging.getLogger(f"{LOGGER_NAME}.uploads")

T = TypeVar("T")


class Retrying(Protocol):
    """Runs an idempotent asset operation with retries (``Uploads._retrying``)."""

    def __call__(self, call: Callable[[], T]) -> T:
        """The call's result, after retrying what may pass on retry."""


#: Part URLs asked for in one presign call (the contract allows up to 1,000).
PRESIGN_BATCH = 100
_MIB = 1 << 20


def choose_part_size(size: int, min_part_size: int) -> int:
    """The part size for ``size`` bytes: at least ``min_part_size``, and at most 10,000 parts (a whole MiB).

    With the default 8 MiB minimum, files up to 78 GiB go in 8 MiB parts; 5 TiB goes in 525 MiB parts.
    """
    needed = -(-size // MAX_PARTS)
    return max(min_part_size, -(-needed // _MIB) * _MIB)


def _same_etag(a: str, b: str) -> bool:
    return a.strip().strip('"') == b.strip().strip('"')


def _slice_sha256(path: Path, offset: int, length: int) -> str | None:
    """sha256 (hex) of one slice of the file, or None if the file ends before the slice does."""
    sha = hashlib.sha256()
    with path.open("rb") as f:
        f.seek(offset)
        remaining = length
        while remaining and (block := f.read(min(CHUNK_SIZE, remaining))):
            sha.update(block)
            remaining -= len(block)
    return None if remaining else sha.hexdigest()


def _slice_digests(path: Path, offset: int, length: int) -> tuple[str, str]:
    """md5 and sha256 (hex) of one slice of the file, in one read."""
    md5, sha = hashlib.md5(usedforsecurity=False), hashlib.sha256()
    with path.open("rb") as f:
        f.seek(offset)
        remaining = length
        while remaining and (block := f.read(min(CHUNK_SIZE, remaining))):
            md5.update(block)
            sha.update(block)
            remaining -= len(block)
    if remaining:
        raise IntegrityError(f"{path} is shorter than registered", component=path.name)
    return md5.hexdigest(), sha.hexdigest()


class _PartUrls:
    """Presigned part URLs, asked for in batches of the parts still to send (never logged or shown)."""

    def __init__(self, fetch: Callable[[Sequence[int]], dict[int, str]], wanted: Sequence[int]) -> None:
        self._fetch = fetch
        self._wanted = list(wanted)
        self._urls: dict[int, str] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<_PartUrls cached={len(self._urls)}>"

    def get(self, number: int) -> str:
        with self._lock:
            if number not in self._urls:
                start = self._wanted.index(number) if number in self._wanted else 0
                batch = [n for n in self._wanted[start:] if n not in self._urls][:PRESIGN_BATCH] or [number]
                self._urls.update(self._fetch(batch))
            return self._urls.pop(number)

    def fresh(self, number: int) -> str:
        """A new URL for one part (its URL expired or was refused)."""
        return self._fetch([number])[number]


class PartUpload:
    """Sends one registered component in parts and completes it; :meth:`run` returns its size and checksum."""

    def __init__(
        self,
        *,
        operations: AssetOperations,
        ledger: Ledger,
        asset_id: str,
        name: str,
        path: Path,
        size: int,
        min_part_size: int,
        pool: TransferPool,
        storage_http: httpx.Client,
        retry: RetryPolicy,
        retrying: Retrying,
        sink: ProgressSink | None,
        check_file: Callable[[], None],
        source: str | None = None,
    ) -> None:
        self.operations = operations
        self.ledger = ledger
        self.asset_id = asset_id
        self.name = name
        self.path = path
        self.size = size
        self.min_part_size = min_part_size
        self.pool = pool
        self.storage_http = storage_http
        self.retry = retry
        self.retrying = retrying
        self.sink = sink
        self.check_file = check_file
        #: The file as the user knows it (``path`` may be its staged link), for errors.
        self.source = source or str(path)
        self._verified: set[int] = set()
        self._verified_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<PartUpload {self.asset_id}/{self.name} {self.size} bytes>"

    def _recorded_upload(self) -> tuple[str | None, int | None]:
        recorded = self.ledger.get_asset(self.asset_id)
        component = None if recorded is None else next(c for c in recorded.components if c.name == self.name)
        if component is None:
            return None, None
        return component.upload_id, component.part_size

    def _layout(self, part_size: object, count: object = None) -> PartLayout:
        """The component's layout in parts of ``part_size``, within the contract's bounds (PartLayoutError)."""
        return checked_layout(self.size, part_size, asset_id=self.asset_id, component=self.name, count=count)

    def _start(self) -> tuple[str, int]:
        part_size = choose_part_size(self.size, self.min_part_size)
        started = self.retrying(
            lambda: self.operations.start_multipart(self.asset_id, self.name, size=self.size, part_size=part_size)
        )
        # The answer's layout is checked before it is recorded or anything is sent from it.
        if started.size != self.size:
            raise PartLayoutError(
                self.asset_id, self.name, "size_bytes", started.size, f"is not the {self.size} bytes being uploaded"
            )
        self._layout(started.part_size, started.part_count)
        self.ledger.start_multipart(self.asset_id, self.name, started.upload_id, started.part_size)
        logger.debug(
            "started a multipart upload of %s/%s: %d parts of %d bytes",
            self.asset_id,
            self.name,
            started.part_count,
            started.part_size,
        )
        return started.upload_id, started.part_size

    def run(self) -> UploadResult:
        """Send what is missing, complete, and return the component's size and part-wise checksum."""
        upload_id, part_size = self._recorded_upload()
        if upload_id is not None and part_size is not None:
            layout = self._layout(part_size)
            recorded = self.ledger.get_parts(self.asset_id, self.name, upload_id)
            if len(recorded) == layout.count and all(
                recorded.get(n) is not None and recorded[n].size == part_range(self.size, part_size, n)[1]
                for n in range(1, layout.count + 1)
            ):
                self._verify_recorded(recorded, layout)  # the file must still hold what was sent
                try:
                    result = self._complete(upload_id, part_size)
                    self._count_sent_before(part_size, ())
                    return result
                except (NotFoundError, BadRequestError) as exc:
                    logger.info("completing the recorded parts of %s failed (%s); asking storage", self.name, exc)
            recorded_id = upload_id
            try:
                stored = self.retrying(lambda: self.operations.list_parts(self.asset_id, self.name, recorded_id))
                to_send = self._reconcile(upload_id, layout, stored)
                self._count_sent_before(part_size, to_send)
            except NotFoundError:
                logger.info("storage no longer knows the upload of %s/%s; starting again", self.asset_id, self.name)
                upload_id, part_size = self._start()
                to_send = list(range(1, part_count(self.size, part_size) + 1))
        else:
            upload_id, part_size = self._start()
            to_send = list(range(1, part_count(self.size, part_size) + 1))
        self._send(upload_id, part_size, to_send)
        self.check_file()
        return self._complete(upload_id, part_size)

    def _count_sent_before(self, part_size: int, to_send: Sequence[int]) -> None:
        """A resumed component's progress starts at the parts an earlier process already sent.

        The total of a resumed transfer counts the whole component, so without this the bar of a
        resume would end short of 100% (as a resumed download's starts at the bytes already on disk).
        """
        if self.sink is None:
            return
        pending = set(to_send)
        done = sum(
            part_range(self.size, part_size, n)[1]
            for n in range(1, part_count(self.size, part_size) + 1)
            if n not in pending
        )
        self.sink.on_bytes(done)

    def _verify_recorded(self, recorded: Mapping[int, PartRecord], layout: PartLayout) -> None:
        """Re-read each part recorded as sent: its slice must still have the sha256 recorded when it was sent.

        Size and mtime cannot prove a file unchanged (rewritten in place, same size, mtime restored), and a
        component assembled from recorded old parts and newly sent ones would mix two versions. A mismatch
        raises :class:`~methodic.errors.FileChangedError`. The parts are read in parallel on the pool.
        """

        def check(number: int) -> None:
            offset, length = part_range(layout.size, layout.part_size, number)
            sha = _slice_sha256(self.path, offset, length)
            if sha is None or sha != recorded[number].sha256.lower():
                raise FileChangedError(
                    self.name,
                    self.source,
                    f"part {number} (bytes {offset}-{offset + length - 1}) no longer holds the bytes sent before"
                    " the interruption (the file was rewritten in place, although its size and modification time"
                    " are unchanged); resuming would mix two versions",
                )
            with self._verified_lock:
                self._verified.add(number)

        with self._verified_lock:
            numbers = [
                n
                for n, part in sorted(recorded.items())
                if 1 <= n <= layout.count
                and n not in self._verified
                and part.size == part_range(layout.size, layout.part_size, n)[1]
            ]
        failures = run_shared(self.pool, numbers, check)
        if failures:
            raise failures[0][1]
        if numbers:
            logger.debug("%s/%s: %d recorded parts re-read and still match", self.asset_id, self.name, len(numbers))

    def _reconcile(self, upload_id: str, layout: PartLayout, stored: list[StoredPart]) -> list[int]:
        """Keep the parts storage holds and the ledger (or the local file) vouches for; return those to send."""
        part_size = layout.part_size
        held = checked_stored_parts(stored, layout, asset_id=self.asset_id, component=self.name)
        recorded = self.ledger.get_parts(self.asset_id, self.name, upload_id)
        self._verify_recorded(recorded, layout)  # before any of them is kept: the file must still hold them
        to_send, vanished = [], []
        for number in range(1, layout.count + 1):
            offset, length = part_range(self.size, part_size, number)
            mine, theirs = recorded.get(number), held.get(number)
            if theirs is None or theirs.size != length:
                if mine is not None:
                    vanished.append(number)
                to_send.append(number)
            elif mine is not None and _same_etag(mine.etag, theirs.etag) and mine.size == length:
                continue
            else:  # landed after the last ledger write (or differs): does it hold this slice of the file?
                md5, sha = _slice_digests(self.path, offset, length)
                if _same_etag(theirs.etag, md5) or _same_etag(theirs.etag, sha):
                    part = PartRecord(part_number=number, size=length, etag=theirs.etag, sha256=sha)
                    self.ledger.mark_part_completed(self.asset_id, self.name, upload_id, part)
                else:
                    to_send.append(number)
        if vanished:
            self.ledger.forget_parts(self.asset_id, self.name, upload_id, vanished)
        logger.debug("%s/%s: storage holds %d parts, %d to send", self.asset_id, self.name, len(held), len(to_send))
        return to_send

    def _send(self, upload_id: str, part_size: int, numbers: list[int]) -> None:
        def presign(batch: Sequence[int]) -> dict[int, str]:
            urls, _ = self.retrying(lambda: self.operations.presign_parts(self.asset_id, self.name, upload_id, batch))
            return urls

        urls = _PartUrls(presign, numbers)

        def send_one(number: int) -> None:
            self.check_file()
            offset, length = part_range(self.size, part_size, number)
            result = upload_part(
                self.storage_http,
                urls.get(number),
                self.path,
                offset,
                length,
                progress=self.sink,
                retry=self.retry,
                refresh_url=lambda: urls.fresh(number),
                component=f"{self.name} (part {number})",
            )
            part = PartRecord(part_number=number, size=length, etag=result.etag, sha256=result.sha256)
            self.ledger.mark_part_completed(self.asset_id, self.name, upload_id, part)

        failures = run_shared(self.pool, numbers, send_one)
        if failures:
            raise failures[0][1]

    def _complete(self, upload_id: str, part_size: int) -> UploadResult:
        recorded = self.ledger.get_parts(self.asset_id, self.name, upload_id)
        count = part_count(self.size, part_size)
        missing = [n for n in range(1, count + 1) if n not in recorded]
        if missing:
            raise StorageError(f"{self.name}: parts {missing[:10]} were never acknowledged", component=self.name)
        ordered = [recorded[n] for n in range(1, count + 1)]
        checksum = part_checksum(bytes.fromhex(p.sha256) for p in ordered)
        done = self.retrying(
            lambda: self.operations.complete_multipart(
                self.asset_id, self.name, upload_id, [(p.part_number, p.etag) for p in ordered]
            )
        )
        if done.size != self.size or done.part_size != part_size:
            raise IntegrityError(
                f"{self.name}: storage assembled {done.size} bytes in parts of {done.part_size},"
                f" expected {self.size} in parts of {part_size}",
                component=self.name,
            )
        if done.sha256 is not None and done.sha256 != checksum:
            raise IntegrityError(
                f"{self.name}: storage holds parts whose checksum {done.sha256} is not the {checksum} that was sent",
                component=self.name,
            )
        return UploadResult(sha256=checksum, size=self.size)
