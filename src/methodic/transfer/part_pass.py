"""One component's parts read, checked, sent and hashed: two readers, so that a resume sends from its first moment.

:class:`PartPass` is the read of :mod:`methodic.transfer.multipart`. Finalize needs the whole file's sha256,
which can only be computed in order; a resume must also re-read every part it keeps and match it with the
sha256 recorded when it was sent. Done in one in-order read, nothing missing could move before the recorded
half had been re-read and hashed twice (0.8 s of a 1 GiB resume's 2.2 s, benchmarks/RESULTS-r2.md). So the
work is split between three threads:

- **the sender** (the caller's thread) reads the parts after the last recorded one, in order, into buffers of
  the shared budget (:class:`~methodic.transfer.part_memory.PartMemory`), hashes each part and hands it to the
  part pool at once. Then it sends the few parts missing before the last recorded one (in flight at the crash),
  once every recorded part has matched, each re-read and checked against the sha256 the checker saw.
- **the hasher** reads the recorded parts in order in 1 MiB chunks and feeds them to the whole-file sha256.
  Past them it takes the sender's parts in order: a part whose buffer is still held (the sender pins every
  buffer once the hasher has caught up) is hashed from that buffer, the very bytes sent; one whose buffer
  went already is read again in chunks.
- **the checker** hashes the hasher's chunks part by part, meanwhile (the two sha256 passes run on two
  cores): a recorded part must have the sha256 recorded when it was sent (a changed one fails the component:
  resuming would mix two versions), a part read again the sha256 the sender computed (else the component
  fails); a part the gateway holds unrecorded is kept if its ETag is that sha256. So the whole sha256 is
  always of the bytes that were sent or matched.

Where the whole sha256's state can be saved (:mod:`~methodic.transfer.midstate`: Linux with OpenSSL), each
byte is hashed once on the client. The hasher hands its state at each part's end to the checker, which
publishes it once every part before has matched (so it covers only bytes that were sent or matched), and a
part is recorded with it (its "midstate") when the hasher has passed it by the time storage acknowledged it.
A resume then proves a recorded part with a midstate by the whole state at its end (every byte up to there
is what was hashed when it was sent: stronger than its own sha256), with no checker pass; parts without
one keep the per-part check. A part the sender hands over pinned (the hasher hashes that very buffer) skips
its own sha256 unless storage is asked whether it holds it: its record carries the midstate instead (one
acknowledged before its midstate was published is recorded again with it once it is; a kill -9 in between
leaves it with neither, and a resume sends it again). Each part is also
recorded with its xxh3-128: a resume proves the leading run of parts that carry it and a midstate by that
fast hash alone and goes on from the last one's midstate (:mod:`~methodic.transfer.part_proof`).

A first upload has nothing recorded: the hasher has caught up from the start, every buffer is pinned until it
is both sent and hashed, and the file is read once. Before either thread starts, a resume re-reads the first
and the last recorded part: a file rewritten as a whole (a trainer saving under the same name) is refused
before a byte of it goes. A rewrite inside the recorded half is found by the checker while the rest is sent:
some bytes go for nothing, none is kept.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
from collections.abc import Mapping
from concurrent import futures
from concurrent.futures import Future
from dataclasses import replace
from typing import TYPE_CHECKING, BinaryIO

from methodic._constants import LOGGER_NAME
from methodic.errors import FileChangedError
from methodic.transfer import midstate, part_proof
from methodic.transfer.ledger.records import PartRecord
from methodic.transfer.part_memory import WAKE, Progressed, read_exactly
from methodic.transfer.put import open_regular
from methodic_contract import part_range

if TYPE_CHECKING:
    from methodic.transfer.bounds import PartLayout
    from methodic.transfer.gateway_parts import GatewayPart
    from methodic.transfer.multipart import PartUpload

    _Whole = midstate.Sha256State | hashlib._Hash

logger = logging.getLogger(f"{LOGGER_NAME}.uploads")

_CHUNK = 1 << 20
#: Chunks in flight between the hasher and the checker (a few MiB of memory besides the part buffers).
_CHUNKS = 3


class PartPass:
    """Send what storage does not provably hold of one component and compute its whole sha256 (:meth:`run`).

    Each buffer taken from the upload's memory budget is appended to ``buffers`` (the caller gives them back).
    When :meth:`run` returns or raises an Exception, no request and no hasher reads from them any more; a
    BaseException (the process stopping) does not wait for the requests in flight.
    """

    def __init__(
        self,
        upload: PartUpload,
        upload_id: str,
        layout: PartLayout,
        recorded: Mapping[int, PartRecord],
        held: Mapping[int, GatewayPart],
        buffers: list[bytearray],
    ) -> None:
        self.up = upload
        self.upload_id = upload_id
        self.layout = layout
        self.recorded = recorded
        self.held = held
        self.buffers = buffers
        #: The last recorded part: the hasher re-reads up to it, the sender starts after it.
        self.frontier = max((n for n in recorded if 1 <= n <= layout.count), default=0)
        self.free: queue.Queue[bytearray] = queue.Queue()
        self.failures: list[BaseException] = []
        self.in_flight: list[Future[None]] = []  # every part sent; all are waited for before the buffers go
        self.changed = threading.Condition()
        #: Set once the hasher has read past the recorded parts: from then on the sender pins its buffers.
        self.caught_up = self.frontier == 0
        #: Set once the checker has matched every recorded part (or at once when nothing was recorded).
        self.matched = self.frontier == 0
        #: What the hasher read from the file, for the checker to hash part by part: ("start", number),
        #: ("chunk", buffer, length), ("end", number, offset, length, the sender's sha256 or None); None ends it.
        self.checks: queue.Queue[tuple[object, ...] | None] = queue.Queue()
        self.chunks: queue.Queue[bytearray] = queue.Queue()  # made when first needed (a first upload needs none)
        self.chunks_made = 0
        #: Part number -> (sha256, the buffer if pinned for the hasher, length), as the sender read it.
        self.published: dict[int, tuple[str, bytearray | None, int]] = {}
        self.users: dict[int, int] = {}  # id(buffer) -> how many still read it (its send, the hasher)
        self.deferred: list[tuple[int, int, int, str]] = []  # missing parts before the frontier, from the hasher
        self.whole: str | None = None
        #: Part number -> the whole sha256's state after it, once the checker has passed every part up to it
        #: (so each byte it covers is one that was sent or matched); a part is recorded with it when known.
        self.midstates: dict[int, str] = {}
        #: Parts storage acknowledged before their midstate was known: recorded again with it once it is.
        self.unstated: dict[int, PartRecord] = {}
        #: The hasher's whole sha256 when its state can be saved (:mod:`~methodic.transfer.midstate`), else None.
        self.saving = midstate.load()
        self.kept = 0
        self.made = 0

    def __repr__(self) -> str:
        return f"<PartPass {self.up.asset_id}/{self.up.name} after part {self.frontier}>"

    # -- both threads ---------------------------------------------------------------------------------
    def _fail(self, exc: BaseException) -> None:
        with self.changed:
            self.failures.append(exc)
            self.changed.notify_all()

    def _release(self, buffer: bytearray) -> None:
        """One reader of ``buffer`` is done with it; the last one gives it back."""
        with self.changed:
            left = self.users.get(id(buffer), 1) - 1
            if left > 0:
                self.users[id(buffer)] = left
                return
            self.users.pop(id(buffer), None)
        self.free.put(buffer)

    def _keep(self, length: int) -> None:
        with self.changed:
            self.kept += length
        if self.up.sink is not None:
            self.up.sink.on_bytes(length)

    # -- the sender -----------------------------------------------------------------------------------
    def run(self) -> str:
        """Send, wait for every part in flight, and return the whole file's sha256."""
        part_proof.spot_check(self.up, self.layout, self.recorded, self.frontier)
        hasher = threading.Thread(target=self._hash_in_order, name=f"methodic-hash-{self.up.name}", daemon=True)
        checker = threading.Thread(target=self._check_in_order, name=f"methodic-check-{self.up.name}", daemon=True)
        hasher.start()
        checker.start()
        try:
            self._send_tail()
            self._send_deferred()
            for thread in (hasher, checker):
                while thread.is_alive():
                    thread.join(WAKE)
        except BaseException as exc:
            self._fail(exc)
            if not isinstance(exc, Exception):
                # The process is being stopped (Ctrl-C, SIGTERM as RunTerminated, SystemExit): no queued part
                # starts, and the parts in flight are not waited for (a stalled PUT would hold the way out for
                # minutes of timeouts and retries). Their buffers are never reused (this upload is over), and
                # what landed is in the ledger for a resume, as after a kill -9 at this moment.
                for future in self.in_flight:
                    future.cancel()
                raise
            futures.wait(self.in_flight)  # a failure: the parts in flight finish before their buffers are let go
            hasher.join()  # they stop at their next part: failures are set
            self.checks.put(None)
            checker.join()
            raise
        # In-flight parts finish (or fail, recorded in failures by send itself) before this returns: a
        # buffer is never reused or dropped while a request still reads from it.
        futures.wait(self.in_flight)
        if self.failures:
            raise self.failures[0]
        if self.kept:
            logger.debug(
                "%s/%s: %d bytes already in storage, re-read and matched", self.up.asset_id, self.up.name, self.kept
            )
        assert self.whole is not None  # the hasher ended without a failure
        return self.whole

    def _take_buffer(self) -> bytearray:
        while True:
            try:
                return self.free.get_nowait()
            except queue.Empty:
                pass
            # A buffer of its own while it has none (waiting for the budget), another only if it fits now.
            if self.made < self.up.buffers:
                buffer = self.up.memory.take(self.layout.part_size, wait=WAKE if self.made == 0 else 0.0)
                if buffer is not None:
                    self.buffers.append(buffer)
                    self.made += 1
                    return buffer
                if self.made == 0:
                    if self.failures:
                        raise self.failures[0]
                    continue
            try:
                return self.free.get(timeout=WAKE)
            except queue.Empty:
                if self.failures:
                    raise self.failures[0] from None

    def _send(self, number: int, buffer: bytearray, length: int, sha256: str, fast: str) -> None:
        try:
            if self.failures:
                return
            up = self.up
            etag = up.wire.put(self.upload_id, number, Progressed(buffer, length, up.sink), length)
            with self.changed:
                state = self.midstates.get(number)
            part = PartRecord(part_number=number, size=length, etag=etag, sha256=sha256, midstate=state, fast=fast)
            up.ledger.mark_part_completed(up.asset_id, up.name, self.upload_id, part)
            if state is None:
                with self.changed:  # published meanwhile: recorded here; else by the checker when it is
                    state = self.midstates.get(number)
                    if state is None:
                        self.unstated[number] = part
                if state is not None:
                    up.ledger.mark_part_completed(up.asset_id, up.name, self.upload_id, replace(part, midstate=state))
        except BaseException as exc:
            self._fail(exc)
            raise
        finally:
            self._release(buffer)

    def _submit(self, number: int, buffer: bytearray, length: int, sha256: str) -> None:
        try:
            self.up.check_file()
            fast = part_proof.fast_hash(memoryview(buffer)[:length])  # ~0.2 ms for 5 MiB: see part_proof
            future = self.up.pool.submit(self._send, number, buffer, length, sha256, fast)
        except BaseException:
            self._release(buffer)
            raise
        self.in_flight.append(future)

    def _send_tail(self) -> None:
        """Read the parts after the frontier in order; send each storage does not hold; publish each to the hasher."""
        layout = self.layout
        first = self.frontier + 1
        with open_regular(self.up.path) as f:
            f.seek(part_range(layout.size, layout.part_size, first)[0] if first <= layout.count else layout.size)
            for number in range(first, layout.count + 1):
                if self.failures:
                    return
                offset, length = part_range(layout.size, layout.part_size, number)
                buffer = self._take_buffer()
                view = memoryview(buffer)[:length]
                got = read_exactly(f, view)
                if got != length:
                    self.free.put(buffer)
                    raise FileChangedError(
                        self.up.name, self.up.source, f"the file ended at byte {offset + got}, not {self.up.size}"
                    )
                with self.changed:
                    pin = self.caught_up and not self.failures
                sha256 = self._part_sha256(number, view, pin)
                send = not self.up.holds(self.upload_id, number, offset, length, sha256, self.recorded, self.held)
                with self.changed:
                    users = int(send) + int(pin)
                    if users:
                        self.users[id(buffer)] = users
                    self.published[number] = (sha256, buffer if pin else None, length)
                    self.changed.notify_all()
                if not users:
                    self.free.put(buffer)
                if not send:
                    self._keep(length)
                    continue
                self._submit(number, buffer, length, sha256)
            if not self.failures and f.read(1):
                raise FileChangedError(self.up.name, self.up.source, f"the file grew past its {self.up.size} bytes")

    def _part_sha256(self, number: int, view: memoryview, pin: bool) -> str:
        """The part's own sha256, or "" where the midstate stands in for it (pinned, nothing to match: see above).

        A part whose buffer may go before the hasher reads it keeps its sha256: the re-read must match it.
        """
        if pin and self.saving is not None and number not in self.recorded and number not in self.held:
            return ""
        return hashlib.sha256(view).hexdigest()

    def _send_deferred(self) -> None:
        """The parts missing before the frontier (in flight at the crash), once every recorded part matched."""
        with self.changed:
            while not self.matched and not self.failures:
                self.changed.wait(WAKE)
        if self.failures:
            raise self.failures[0]
        if not self.deferred:
            return
        with open_regular(self.up.path) as f:
            for number, offset, length, sha256 in self.deferred:  # a few parts: those in flight at the crash
                if self.failures:
                    return
                buffer = self._take_buffer()
                view = memoryview(buffer)[:length]
                f.seek(offset)
                if read_exactly(f, view) != length or hashlib.sha256(view).hexdigest() != sha256:
                    self.free.put(buffer)
                    raise FileChangedError(
                        self.up.name, self.up.source, f"part {number} (from byte {offset}) changed while it was read"
                    )
                self._submit(number, buffer, length, sha256)

    # -- the hasher and the checker --------------------------------------------------------------------
    def _hash_in_order(self) -> None:
        try:
            self.whole = self._whole()
        except BaseException as exc:  # handed to the sender, which raises it
            self._fail(exc)
        finally:
            self.checks.put(None)

    def _whole(self) -> str | None:
        """The whole sha256: the recorded parts and the sent ones whose buffer went are read again (and checked).

        Where states can be saved (:mod:`~methodic.transfer.midstate`), a recorded part with a midstate is
        proven by the whole state at its end (no per-part pass), and each part's end state is handed to the
        checker, which publishes it for the part's record once every part before it has matched.
        """
        layout = self.layout
        saving = self.saving
        whole: _Whole = saving if saving is not None else hashlib.sha256()
        with open_regular(self.up.path) as f:
            proven = self._prove_fast(f) if saving is not None else 0
            if proven:  # every byte up to its end matched: the whole sha256 goes on from its midstate
                saving = midstate.load(self.recorded[proven].midstate)
                assert saving is not None  # states could be saved a moment ago
                whole = saving
            for number in range(proven + 1, self.frontier + 1):
                if self.failures:
                    return None
                offset, length = part_range(layout.size, layout.part_size, number)
                mine = self.recorded.get(number)
                if saving is not None and mine is not None and mine.midstate and mine.size == length:
                    self._feed(f, number, offset, length, whole, None, check=False)
                    if saving.state_hex() != mine.midstate.lower():
                        raise self.up.changed_since_sent(number, offset)
                    self.checks.put(("proven", number, length))
                else:
                    self._feed(f, number, offset, length, whole, None)
                    if saving is not None:
                        self.checks.put(("mid", number, saving.state_hex()))
            with self.changed:
                self.caught_up = True
                self.changed.notify_all()
            for number in range(self.frontier + 1, layout.count + 1):
                with self.changed:
                    while number not in self.published and not self.failures:
                        self.changed.wait(WAKE)
                    if self.failures:
                        return None
                    sha256, buffer, length = self.published.pop(number)
                if buffer is not None:
                    whole.update(memoryview(buffer)[:length])
                    self._release(buffer)
                else:
                    offset = part_range(layout.size, layout.part_size, number)[0]
                    self._feed(f, number, offset, length, whole, sha256)
                if saving is not None:
                    self.checks.put(("mid", number, saving.state_hex()))
        return whole.hexdigest()

    def _prove_fast(self, f: BinaryIO) -> int:
        """How many leading recorded parts the fast hash proved (part_proof.py); 0 if a failure stopped it."""
        count = part_proof.provable_run(self.recorded, self.layout, self.frontier)
        proven = lambda number, length: self.checks.put(("proven", number, length))  # noqa: E731
        stopped = lambda: bool(self.failures)  # noqa: E731
        up, layout, recorded = self.up, self.layout, self.recorded
        return count if count and part_proof.prove_run(up, f, layout, recorded, count, proven, stopped) else 0

    def _chunk(self) -> bytearray:
        if self.chunks_made < _CHUNKS and self.chunks.empty():
            self.chunks_made += 1
            return bytearray(min(_CHUNK, self.layout.part_size))
        while True:
            try:
                return self.chunks.get(timeout=WAKE)
            except queue.Empty:
                if self.failures:
                    raise self.failures[0] from None

    def _feed(
        self,
        f: BinaryIO,
        number: int,
        offset: int,
        length: int,
        whole: _Whole,
        sent: str | None,
        check: bool = True,
    ) -> None:
        """Read a part into the whole sha256 and hand the same bytes to the checker (it hashes them meanwhile).

        With ``check`` False the bytes go to the whole sha256 only (the caller proves the part by its midstate).
        """
        if check:
            self.checks.put(("start", number))
        f.seek(offset)
        done = 0
        while done < length:
            chunk = self._chunk()
            view = memoryview(chunk)[: min(len(chunk), length - done)]
            got = read_exactly(f, view)
            if got != len(view):
                self.chunks.put(chunk)
                raise FileChangedError(
                    self.up.name, self.up.source, f"the file ended at byte {offset + done + got}, not {self.up.size}"
                )
            whole.update(view)
            if check:
                self.checks.put(("chunk", chunk, got))
            else:
                self.chunks.put(chunk)
            done += got
        if check:
            self.checks.put(("end", number, offset, length, sent))

    def _check_in_order(self) -> None:
        try:
            part = hashlib.sha256()
            while (item := self.checks.get()) is not None:
                if item[0] == "start":
                    part = hashlib.sha256()
                elif item[0] == "mid":  # every part up to this one matched or was sent: its state may be recorded
                    number, state = item[1], item[2]
                    assert isinstance(number, int) and isinstance(state, str)
                    with self.changed:
                        self.midstates[number] = state
                        late = self.unstated.pop(number, None)
                    if late is not None:  # acknowledged before its state was known: a resume may prove it now
                        self._record_late(replace(late, midstate=state))
                elif item[0] == "proven" and isinstance(item[1], int) and isinstance(item[2], int):
                    self._proven(item[1], item[2])  # a recorded part proven by its midstate
                elif item[0] == "chunk":
                    chunk, got = item[1], item[2]
                    assert isinstance(chunk, bytearray) and isinstance(got, int)
                    part.update(memoryview(chunk)[:got])
                    self.chunks.put(chunk)
                else:
                    number, offset, length, sent = item[1:]
                    assert isinstance(number, int) and isinstance(offset, int) and isinstance(length, int)
                    self._checked(number, offset, length, part.hexdigest(), sent if isinstance(sent, str) else None)
        except BaseException as exc:  # handed to the sender, which raises it
            self._fail(exc)

    def _record_late(self, part: PartRecord) -> None:
        """Record ``part`` again with its midstate, on the part pool (lost, it only costs a resume a re-send).

        Not on the checker's thread: it would open a database connection of its own for every component.
        """
        up = self.up
        try:
            future = up.pool.submit(up.ledger.mark_part_completed, up.asset_id, up.name, self.upload_id, part)
        except Exception as exc:  # the pool is closing: the part stays recorded without its midstate
            logger.debug("part %d of %s/%s: midstate not recorded: %s", part.part_number, up.asset_id, up.name, exc)
            return
        self.in_flight.append(future)

    def _checked(self, number: int, offset: int, length: int, sha256: str, sent: str | None) -> None:
        """A part the hasher read: a recorded one matched (or kept, or deferred); a sent one must be as sent."""
        if sent is not None:
            if sha256 != sent:
                raise FileChangedError(
                    self.up.name, self.up.source, f"part {number} (from byte {offset}) changed while it was sent"
                )
            return
        if self.up.holds(self.upload_id, number, offset, length, sha256, self.recorded, self.held):
            self._keep(length)
        else:
            self.deferred.append((number, offset, length, sha256))
        self._passed(number)

    def _proven(self, number: int, length: int) -> None:
        """A recorded part whose midstate matched: storage holds it, as sent (kept without a per-part pass)."""
        self._keep(length)
        self._passed(number)

    def _passed(self, number: int) -> None:
        if number == self.frontier:
            with self.changed:
                self.matched = True
                self.changed.notify_all()
