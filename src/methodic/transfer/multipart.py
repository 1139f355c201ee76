"""One large component up in parts on the storage gateway (the ``r2`` route), read once, sent in parallel.

The wire is :mod:`methodic.transfer.gateway_parts`. This module decides what goes on it:

**One read.** Finalize names each file by its whole sha256, so the file is read once, in order, a part
at a time into a buffer; the part's sha256 and the whole file's sha256 are computed from that buffer,
and the buffer is handed to the part pool to be PUT while the next part is read. Parallelism comes from
several buffers in flight; memory is bounded by their number (:func:`buffer_count`), never the file's
size, and the components a client sends at once share one budget of buffers (:class:`PartMemory`). The
trade-off, measured (benchmarks/RESULTS-multipart.md): streaming each part from its own slice of the file
would need no buffers, but the whole file's sha256 would then need a second read.

**Recorded as it lands.** The upload id is recorded in the ledger before any part moves, and each
acknowledged part (number, size, ETag, sha256) is committed before it counts, so after kill -9 the
rows on disk say what storage holds. A start whose answer never arrived (or a kill -9 between the
start and the ledger write) leaves an upload nobody knows: the gateway's idle sweep aborts it, and
storage reserved nothing for it. An upload is aborted only when its asset is given up
(``methodic uploads forget``/``prune``), never on a crash or a failure: that is what resume is for.

**Resume = the same call again.** A resume reads the file once more, in the same order. A part the
ledger recorded is kept only if the gateway still holds it with the recorded ETag (when the gateway
can list parts; ours can, as an extension, and a gateway that cannot is trusted on the ledger's word)
and if its bytes, re-read now, still have the sha256 recorded when it was sent. A recorded part whose
bytes changed fails the component with :class:`~methodic.errors.FileChangedError`: size and mtime
cannot prove a file unchanged (rewritten in place, same size, mtime restored or coarse), and keeping
old parts beside new ones would assemble an object mixing two versions. A part the gateway holds that
the ledger never heard of (it landed after the last ledger write) is kept when its ETag is the sha256
of the bytes just read (our gateway's ETags are); anything else is sent again. The whole file's sha256
comes out of that same read, so the resume, too, reads the file once, except for the few parts
missing before the last recorded one (those in flight at the crash): they are sent after the pass, once
every recorded part has matched, re-read then and checked against the sha256 the pass computed, so a
rewritten file is refused before a single byte of it is uploaded. If storage no longer knows the
recorded upload (404 NoSuchUpload at a part or at complete: aborted, expired, or completed just before a
crash, which a gateway that cannot list says only then), the component goes again, once, under a new one.

Every layout is checked against the contract's bounds (:mod:`methodic.transfer.bounds`) before a
buffer is allocated or a request is made.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent import futures
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

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
from methodic.transfer.put import open_regular
from methodic.transfer.retry import ByteReporter, UploadResult
from methodic_contract import MAX_PARTS, part_range

if TYPE_CHECKING:
    from methodic.transfer.gateway_parts import GatewayPart, GatewayParts
    from methodic.transfer.ledger import Ledger
    from methodic.transfer.pool import TransferPool
    from methodic.transfer.progress import ProgressSink

logger = logging.getLogger(f"{LOGGER_NAME}.uploads")

_MIB = 1 << 20
#: The part buffers of a client's components in parts hold at most this many bytes (40 MiB) together: with the
#: default 5 MiB parts, eight buffers, seven parts in flight while the next is read, which is what it takes to fill
#: storage that paces each connection at tens of MiB/s (benchmarks/RESULTS-multipart.md) while peak memory
#: stays under +64 MiB for the whole upload (tests/reliability/test_memory_and_logs.py; +54 MiB for 1 GiB in
#: benchmarks/bench_r2.py). A ninth buffer (45 or 48 MiB), so that all 8 part workers can send while the next
#: part is read, measured no faster at 32 or 64 MiB/s per connection and grew it to +58 MiB
#: (benchmarks/RESULTS-r2.md): per-part overhead and the CPU, not the buffer count, set the pace there.
PART_MEMORY = 40 * _MIB
#: How often a reader waiting for a free buffer looks whether a send has failed meanwhile (seconds).
_WAKE = 0.2


def choose_part_size(size: int, min_part_size: int, max_part_bytes: int | None) -> int:
    """The part size for ``size`` bytes: at least ``min_part_size`` (whole MiB), at most 10,000 parts.

    Never above the gateway's ``max_part_bytes``; a file that would need more than 10,000 parts of that
    size cannot go this route at all (PartLayoutError, before anything is sent).
    """
    needed = -(-size // MAX_PARTS)
    part_size = max(min_part_size, -(-needed // _MIB) * _MIB)
    if max_part_bytes is not None and part_size > max_part_bytes:
        part_size = max_part_bytes
    return part_size


def buffer_count(part_size: int, part_workers: int) -> int:
    """Buffers of one component: one per part worker plus the one being read, within :data:`PART_MEMORY`.

    At least two, so that reading the next part overlaps sending the last one.
    """
    return max(2, min(part_workers + 1, PART_MEMORY // max(part_size, 1)))


class PartMemory:
    """The part buffers of every component a client sends at once, within one budget (:data:`PART_MEMORY`).

    :func:`buffer_count` bounds one component; this bounds them together, so that peak memory does not grow
    with how many big files move at once (``max_upload_workers`` components, each with its buffers). Nothing
    is lost by it: all of them share the one part pool, which has no more parts in flight than its workers.
    A buffer that does not fit waits for another component to finish, whose buffers are then handed on as
    they are (not freed and made again: the allocator would keep the freed ones resident meanwhile); the
    last component to finish frees them. Two buffers always fit when nothing else is held (a part larger
    than half the budget, of a file over 195 GiB, still overlaps a read and a send).
    """

    def __init__(self, capacity: int = PART_MEMORY) -> None:
        self.capacity = capacity
        self._used = 0  # bytes of the buffers handed out and of the spare ones
        self._spare: list[bytearray] = []
        self._active = 0
        self._changed = threading.Condition()

    def __repr__(self) -> str:
        return f"<PartMemory {self._used} of {self.capacity} bytes, {len(self._spare)} spare buffers>"

    def enter(self) -> None:
        """A component starts taking buffers."""
        with self._changed:
            self._active += 1

    def take(self, size: int, wait: float = 0.0) -> bytearray | None:
        """A buffer of ``size`` bytes, waiting up to ``wait`` seconds for room; None if there is none."""
        deadline = time.monotonic() + wait
        with self._changed:
            while True:
                for index, spare in enumerate(self._spare):
                    if len(spare) == size:
                        return self._spare.pop(index)
                if self._used + size > max(self.capacity, 2 * size) and self._spare:
                    self._drop_spares()  # spares of another part size make room
                if self._used + size <= max(self.capacity, 2 * size):
                    self._used += size
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._changed.wait(left)
        return bytearray(size)

    def leave(self, buffers: list[bytearray], *, reusable: bool) -> None:
        """A component is done with its ``buffers``: spares for the others (if no request still reads them)."""
        with self._changed:
            self._active -= 1
            if reusable and self._active:
                self._spare.extend(buffers)
            else:
                self._used -= sum(len(b) for b in buffers)
            if not self._active:
                self._drop_spares()
            self._changed.notify_all()

    def _drop_spares(self) -> None:
        self._used -= sum(len(b) for b in self._spare)
        self._spare.clear()


def _read_exactly(f: BinaryIO, view: memoryview) -> int:
    """Fill ``view`` from ``f``; the bytes read (fewer only at the end of the file)."""
    got = 0
    while got < len(view):
        n = f.readinto(view[got:])  # type: ignore[attr-defined]
        if not n:
            break
        got += n
    return got


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
            whole = self._one_read(upload_id, layout, recorded, held, buffers)
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

    def _one_read(
        self,
        upload_id: str,
        layout: PartLayout,
        recorded: Mapping[int, PartRecord],
        held: Mapping[int, GatewayPart],
        buffers: list[bytearray],
    ) -> str:
        """Read the file once, in order; send each part storage does not hold; return the whole sha256.

        Each buffer taken from :attr:`memory` is appended to ``buffers`` (the caller gives them back). When this
        returns or raises an Exception, no request reads from them any more; a BaseException (the process
        stopping) does not wait for the requests in flight.
        """
        whole = hashlib.sha256()
        free: queue.Queue[bytearray] = queue.Queue()
        made = 0
        failures: list[BaseException] = []
        in_flight: list[Future[None]] = []  # every part sent; all are waited for before the buffers go
        lock = threading.Lock()
        kept = 0

        def send(number: int, buffer: bytearray, length: int, sha256: str) -> None:
            try:
                if failures:
                    return
                etag = self.wire.put(upload_id, number, _Progressed(buffer, length, self.sink), length)
                part = PartRecord(part_number=number, size=length, etag=etag, sha256=sha256)
                self.ledger.mark_part_completed(self.asset_id, self.name, upload_id, part)
            except BaseException as exc:
                with lock:
                    failures.append(exc)
                raise
            finally:
                free.put(buffer)

        def take_buffer() -> bytearray:
            nonlocal made
            while True:
                try:
                    return free.get_nowait()
                except queue.Empty:
                    pass
                # A buffer of its own while it has none (waiting for the budget), another only if it fits now.
                if made < self.buffers:
                    buffer = self.memory.take(layout.part_size, wait=_WAKE if made == 0 else 0.0)
                    if buffer is not None:
                        buffers.append(buffer)
                        made += 1
                        return buffer
                    if made == 0:
                        continue
                try:
                    return free.get(timeout=_WAKE)
                except queue.Empty:
                    if failures:
                        raise failures[0] from None

        def submit(number: int, buffer: bytearray, length: int, sha256: str) -> None:
            self.check_file()
            try:
                future = self.pool.submit(send, number, buffer, length, sha256)
            except BaseException:
                free.put(buffer)
                raise
            in_flight.append(future)

        last_recorded = max((n for n, p in recorded.items() if 1 <= n <= layout.count), default=0)
        deferred: list[tuple[int, int, int, str]] = []
        try:
            with open_regular(self.path) as f:
                for number in range(1, layout.count + 1):
                    if failures:
                        break
                    offset, length = part_range(layout.size, layout.part_size, number)
                    buffer = take_buffer()
                    view = memoryview(buffer)[:length]
                    got = _read_exactly(f, view)
                    if got != length:
                        free.put(buffer)
                        raise FileChangedError(
                            self.name, self.source, f"the file ended at byte {offset + got}, not {self.size}"
                        )
                    whole.update(view)
                    sha256 = hashlib.sha256(view).hexdigest()
                    if self._holds(upload_id, number, offset, length, sha256, recorded, held):
                        free.put(buffer)
                        kept += length
                        if self.sink is not None:
                            self.sink.on_bytes(length)
                        continue
                    if number < last_recorded:
                        # A gap before a part recorded earlier (a part in flight at the crash): sent only once every
                        # recorded part has been re-read and matched, so a rewritten file costs no upload at all.
                        free.put(buffer)
                        deferred.append((number, offset, length, sha256))
                        continue
                    submit(number, buffer, length, sha256)
                if not failures and f.read(1):
                    raise FileChangedError(self.name, self.source, f"the file grew past its {self.size} bytes")
                for number, offset, length, sha256 in deferred:  # a few parts: those in flight at the crash
                    if failures:
                        break
                    buffer = take_buffer()
                    view = memoryview(buffer)[:length]
                    f.seek(offset)
                    if _read_exactly(f, view) != length or hashlib.sha256(view).hexdigest() != sha256:
                        free.put(buffer)
                        raise FileChangedError(
                            self.name, self.source, f"part {number} (from byte {offset}) changed while it was read"
                        )
                    submit(number, buffer, length, sha256)
        except BaseException as exc:
            if not isinstance(exc, Exception):
                # The process is being stopped (Ctrl-C, SIGTERM as RunTerminated, SystemExit): no queued part
                # starts, and the parts in flight are not waited for (a stalled PUT would hold the way out for
                # minutes of timeouts and retries). Their buffers are never reused (this upload is over), and
                # what landed is in the ledger for a resume, as after a kill -9 at this moment.
                with lock:
                    failures.append(exc)
                for future in in_flight:
                    future.cancel()
                raise
            futures.wait(in_flight)  # a failure: the parts in flight finish before their buffers are let go
            raise
        # In-flight parts finish (or fail, recorded in failures by send itself) before this returns: a
        # buffer is never reused or dropped while a request still reads from it.
        futures.wait(in_flight)
        if failures:
            raise failures[0]
        if kept:
            logger.debug("%s/%s: %d bytes already in storage, re-read and matched", self.asset_id, self.name, kept)
        return whole.hexdigest()

    def _holds(
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
        if mine is not None and mine.size == length:
            if mine.sha256.lower() != sha256:
                raise FileChangedError(
                    self.name,
                    self.source,
                    f"part {number} (from byte {offset}) no longer holds the bytes sent before the interruption"
                    " (the file was rewritten in place, although its size and modification time are unchanged);"
                    " resuming would mix two versions",
                )
            return True
        theirs = held.get(number)
        if theirs is not None and theirs.etag.lower() == sha256 and theirs.size in (None, length):
            part = PartRecord(part_number=number, size=length, etag=theirs.etag, sha256=sha256)
            self.ledger.mark_part_completed(self.asset_id, self.name, upload_id, part)
            return True
        return False

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


class _Progressed:
    """A part's buffer as a request body, without a copy: sent in 1 MiB slices, each byte reported once.

    The slices are views of the buffer (the buffer is reused only after the request is over).
    """

    def __init__(self, buffer: bytearray, length: int, sink: ProgressSink | None) -> None:
        self.view = memoryview(buffer)[:length]
        self.reporter = ByteReporter(sink)

    def __iter__(self) -> Iterator[bytes]:
        sent = 0
        while sent < len(self.view):
            chunk = self.view[sent : sent + _MIB]
            sent += len(chunk)
            yield chunk  # type: ignore[misc]  # a memoryview is sent as bytes are, without copying
            self.reporter.at(sent)


def abort_upload(wire: GatewayParts, upload_id: str) -> None:
    """Abort a gateway upload of an asset that was given up (its parts freed); failures are logged, not raised."""
    try:
        wire.abort(upload_id)
    except ChronicleError as exc:
        logger.warning("could not abort the upload of %s (the gateway's sweep will): %s", wire.component, exc)
