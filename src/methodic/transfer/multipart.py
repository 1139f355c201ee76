"""One large component up in parts on the storage gateway (the ``r2`` route), read once, sent in parallel.

The wire is :mod:`methodic.transfer.gateway_parts`. This module decides what goes on it:

**Read as it is sent.** Finalize names each file by its whole sha256. Each part is read once into a
buffer, hashed, and handed to the part pool to be PUT while the next is read; the whole file's sha256 is
fed in order from the same buffers by a hasher thread (:mod:`methodic.transfer.part_pass`), so a first
upload reads the file once. Parallelism comes from several buffers in flight; memory is bounded by their
number, never the file's size, and the components a client sends at once share one budget of buffers
(:mod:`methodic.transfer.part_memory`). The trade-off, measured (benchmarks/RESULTS-multipart.md):
streaming each part from its own slice of the file would need no buffers, but the whole file's sha256
would then need a second read.

**Recorded as it lands.** The upload id is recorded in the ledger before any part moves, and each
acknowledged part (number, size, ETag, sha256) is committed before it counts, so after kill -9 the
rows on disk say what storage holds. A start whose answer never arrived (or a kill -9 between the
start and the ledger write) leaves an upload nobody knows: the gateway's idle sweep aborts it, and
storage reserved nothing for it. An upload is aborted only when its asset is given up
(``methodic uploads forget``/``prune``), never on a crash or a failure: that is what resume is for.

**Resume = the same call again.** A part the ledger recorded is kept only if the gateway still holds it
with the recorded ETag (when the gateway can list parts; ours can, as an extension, and a gateway that
cannot is trusted on the ledger's word) and if its bytes, re-read now, still have the hash recorded when
it was sent (:mod:`methodic.transfer.part_proof`). A recorded part whose bytes changed fails the component with
:class:`~methodic.errors.FileChangedError`: size and mtime cannot prove a file unchanged (rewritten in
place, same size, mtime restored or coarse), and keeping old parts beside new ones would assemble an
object mixing two versions. A part the gateway holds that the ledger never heard of (it landed after the
last ledger write) is kept when its ETag is the sha256 of the bytes just read (our gateway's ETags are);
anything else is sent again. The parts after the last recorded one are sent from the resume's first
moment, while the recorded ones are re-read and matched in order on another thread (which also computes
the whole sha256); the few missing before it (in flight at the crash) go once every recorded part has
matched. If storage no longer knows the recorded upload (404 NoSuchUpload at a part or at complete:
aborted, expired, or completed just before a crash, which a gateway that cannot list says only then),
the component goes again, once, under a new one.

Every layout is checked against the contract's bounds (:mod:`methodic.transfer.bounds`) before a
buffer is allocated or a request is made.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from methodic._constants import LOGGER_NAME
from methodic.errors import (
    BadRequestError,
    ChronicleError,
    FileChangedError,
    IntegrityError,
    NotFoundError,
    PartLayoutError,
    StorageError,
)
from methodic.transfer.bounds import PartLayout, checked_layout
from methodic.transfer.gateway_parts import UPLOAD_GONE_CODES
from methodic.transfer.ledger.records import PartRecord
from methodic.transfer.part_memory import PART_MEMORY, PartMemory, buffer_count, choose_part_size
from methodic.transfer.part_pass import PartPass
from methodic.transfer.retry import UploadResult
from methodic_contract import MAX_PARTS, part_range

if TYPE_CHECKING:
    from methodic.transfer.gateway_parts import GatewayPart, GatewayParts
    from methodic.transfer.ledger import Ledger
    from methodic.transfer.pool import TransferPool
    from methodic.transfer.progress import ProgressSink

__all__ = ["PART_MEMORY", "PartMemory", "PartUpload", "abort_upload", "buffer_count", "choose_part_size"]

logger = logging.getLogger(f"{LOGGER_NAME}.uploads")


class PartUpload:
    """Sends one registered component in parts through the gateway and completes it.

    :meth:`run` returns the component's size and whole-file sha256 (what finalize takes).
    """

    def __init__(
        self,
        *,
        wire: GatewayParts,
        ledger: Ledger,
        asset_id: str,
        name: str,
        path: Path,
        size: int,
        part_size: int,
        pool: TransferPool,
        buffers: int,
        sink: ProgressSink | None,
        check_file: Callable[[], None],
        source: str | None = None,
        memory: PartMemory | None = None,
    ) -> None:
        self.wire = wire
        self.ledger = ledger
        self.asset_id = asset_id
        self.name = name
        self.path = path
        self.size = size
        self.part_size = part_size
        self.pool = pool
        self.buffers = buffers
        self.sink = sink
        self.check_file = check_file
        #: The file as the user knows it (``path`` may be its staged link), for errors.
        self.source = source or str(path)
        #: The budget this component's buffers share with the client's other components in parts.
        self.memory = memory if memory is not None else PartMemory()

    def __repr__(self) -> str:
        return f"<PartUpload {self.asset_id}/{self.name} {self.size} bytes>"

    def _layout(self, part_size: object) -> PartLayout:
        """The component's layout in parts of ``part_size``, within the contract's bounds (PartLayoutError)."""
        return checked_layout(self.size, part_size, asset_id=self.asset_id, component=self.name)

    def _recorded(self) -> tuple[str | None, int | None]:
        component = self.ledger.get_component(self.asset_id, self.name)
        if component is None:
            return None, None
        return component.upload_id, component.part_size

    def _start(self) -> tuple[str, PartLayout]:
        layout = self._layout(self.part_size)
        if layout.count > MAX_PARTS:  # pragma: no cover - checked_layout refuses it first
            raise PartLayoutError(self.asset_id, self.name, "part_count", layout.count, f"exceeds {MAX_PARTS}")
        upload_id = self.wire.start()
        self.ledger.start_multipart(self.asset_id, self.name, upload_id, layout.part_size)
        logger.debug(
            "started a gateway multipart upload of %s/%s: %d parts of %d bytes",
            self.asset_id,
            self.name,
            layout.count,
            layout.part_size,
        )
        return upload_id, layout

    def run(self) -> UploadResult:
        """Send what storage does not provably hold, complete, and return the size and whole sha256."""
        upload_id, recorded_size = self._recorded()
        held: dict[int, GatewayPart] | None = None
        if upload_id is not None and recorded_size is not None:
            layout = self._layout(recorded_size)
            try:
                held = self._checked(self.wire.list(upload_id), layout)
            except NotFoundError:
                logger.info("storage no longer knows the upload of %s/%s; starting again", self.asset_id, self.name)
                upload_id, layout = self._start()
                held = {}
        else:
            upload_id, layout = self._start()
            held = {}
        recorded = self.ledger.get_parts(self.asset_id, self.name, upload_id)
        if held is not None:
            gone = [n for n, part in recorded.items() if n not in held or held[n].etag != part.etag.strip().strip('"')]
            if gone:
                self.ledger.forget_parts(self.asset_id, self.name, upload_id, gone)
                recorded = {n: p for n, p in recorded.items() if n not in gone}
        try:
            return self._send_and_complete(upload_id, layout, recorded, held or {})
        except StorageError as exc:
            if not (exc.status_code == 404 and exc.code in UPLOAD_GONE_CODES and self._still_ours(upload_id)):
                raise
        # Storage forgot the upload while this process relied on the ledger (a gateway that cannot list parts
        # says so only now, at a part or at complete): aborted, expired, or completed before a crash. Its parts
        # prove nothing any more, so the component goes again from the start, once, under a new upload.
        logger.info("storage no longer knows the upload of %s/%s; starting again", self.asset_id, self.name)
        upload_id, layout = self._start()
        return self._send_and_complete(upload_id, layout, {}, {})

    def _send_and_complete(
        self, upload_id: str, layout: PartLayout, recorded: Mapping[int, PartRecord], held: Mapping[int, GatewayPart]
    ) -> UploadResult:
        buffers: list[bytearray] = []  # taken from the memory budget; given back once the read is over
        reusable = False
        self.memory.enter()
        try:
            whole = PartPass(self, upload_id, layout, recorded, held, buffers).run()
            reusable = True
        except Exception:
            reusable = True  # a failure: every part in flight was waited for
            raise
        finally:
            self.memory.leave(buffers, reusable=reusable)
        self.check_file()
        return self._complete(upload_id, layout, whole)

    def _still_ours(self, upload_id: str) -> bool:
        """Whether the ledger still names ``upload_id`` for this unfinished component (no other process moved on)."""
        recorded = self.ledger.get_asset(self.asset_id, components=False)
        if recorded is None or recorded.state != "pending":
            return False
        component = self.ledger.get_component(self.asset_id, self.name)
        return component is not None and component.upload_id == upload_id and component.state != "completed"

    def _checked(self, held: dict[int, GatewayPart] | None, layout: PartLayout) -> dict[int, GatewayPart] | None:
        """The gateway's listing, refused (PartLayoutError) if it names parts this layout cannot have."""
        if held is None:
            return None
        if len(held) > layout.count:
            raise PartLayoutError(
                self.asset_id, self.name, "parts", len(held), f"is more stored parts than the upload's {layout.count}"
            )
        for number, part in held.items():
            expected = part_range(layout.size, layout.part_size, number)[1] if 1 <= number <= layout.count else None
            if expected is None or (part.size is not None and part.size != expected):
                raise PartLayoutError(
                    self.asset_id,
                    self.name,
                    "part_number",
                    number,
                    f"is not a part of {layout.count} parts of {layout.part_size} bytes with the size stated",
                )
        return held

    def holds(
        self,
        upload_id: str,
        number: int,
        offset: int,
        length: int,
        sha256: str,
        recorded: Mapping[int, PartRecord],
        held: Mapping[int, GatewayPart],
    ) -> bool:
        """Whether storage provably holds this part's bytes as just read (raises on a changed recorded part)."""
        mine = recorded.get(number)
        if mine is not None and mine.size == length and mine.sha256:
            self.matches_record(number, offset, sha256, mine)
            return True
        # A part recorded without its own sha256 (its midstate stood in for it, and is not usable here) is
        # provable only by the gateway's listing below; otherwise it is sent again.
        theirs = held.get(number)
        if theirs is not None and theirs.etag.lower() == sha256 and theirs.size in (None, length):
            part = PartRecord(part_number=number, size=length, etag=theirs.etag, sha256=sha256)
            self.ledger.mark_part_completed(self.asset_id, self.name, upload_id, part)
            return True
        return False

    def matches_record(self, number: int, offset: int, sha256: str, mine: PartRecord) -> None:
        """A recorded part's bytes, re-read now, must have the sha256 recorded when it was sent (FileChangedError)."""
        if mine.sha256.lower() != sha256:
            raise self.changed_since_sent(number, offset)

    def changed_since_sent(self, number: int, offset: int) -> FileChangedError:
        """The error for a recorded part whose bytes (or, by its midstate, some byte before it) changed."""
        return FileChangedError(
            self.name,
            self.source,
            f"part {number} (from byte {offset}) no longer holds the bytes sent before the interruption"
            " (the file was rewritten in place, although its size and modification time are unchanged);"
            " resuming would mix two versions",
        )

    def _complete(self, upload_id: str, layout: PartLayout, whole: str) -> UploadResult:
        recorded = self.ledger.get_parts(self.asset_id, self.name, upload_id)
        missing = [n for n in range(1, layout.count + 1) if n not in recorded]
        if missing:
            raise StorageError(f"{self.name}: parts {missing[:10]} were never acknowledged", component=self.name)
        ordered = [(n, recorded[n].etag) for n in range(1, layout.count + 1)]
        try:
            answer = self.wire.complete(upload_id, ordered)
        except BadRequestError as exc:  # pragma: no cover - the wire raises StorageError for 4xx
            raise StorageError(f"{self.name}: the gateway refused to complete: {exc}", component=self.name) from exc
        stated_size = answer.get("size_bytes", answer.get("size"))
        if isinstance(stated_size, int) and not isinstance(stated_size, bool) and stated_size != self.size:
            raise IntegrityError(
                f"{self.name}: storage assembled {stated_size} bytes, not the {self.size} that were sent",
                component=self.name,
            )
        stated_sha = answer.get("sha256")
        if isinstance(stated_sha, str) and stated_sha and stated_sha.lower() != whole:
            raise IntegrityError(
                f"{self.name}: storage assembled bytes whose sha256 {stated_sha} is not the {whole} that was read",
                component=self.name,
            )
        return UploadResult(sha256=whole, size=self.size)


def abort_upload(wire: GatewayParts, upload_id: str) -> None:
    """Abort a gateway upload of an asset that was given up (its parts freed); failures are logged, not raised."""
    try:
        wire.abort(upload_id)
    except ChronicleError as exc:
        logger.warning("could not abort the upload of %s (the gateway's sweep will): %s", wire.component, exc)
