"""Deferred registration: a checkpoint is staged and recorded at once, registered with the server later.

Handing a checkpoint over used to cost the training thread a round trip to the server (the create call)
and a tracker transaction per save: on a quick run, a large part of what the SDK adds. A hand-over now
does only what must happen before the trainer goes on: the files are staged (hard-linked, so what gets
uploaded is the folder as it is now) and one durable row in the tracker's ``handovers`` table says what
they are and where they belong. A :class:`Registrar` thread then registers the asset (the create call),
records it like any upload and starts the transfer.

A process killed between the hand-over and the registration leaves that row and its staging folder:
``methodic uploads resume`` (and an integration starting on the same tracker, for a requeued job)
registers it first (:func:`register_leftovers`), then uploads it with the rest. A sweep never removes a
staging folder a hand-over names. A crash after the create call but before the registration was
recorded leaves a pending asset no tracker names (no request is idempotent on the wire). Its create
carried the hand-over's id (``asset_config["handover_id"]``), so the resume finds it among the run's
outputs and uploads the hand-over into it, instead of creating a second one that would leave the first
pending for good.
"""

from __future__ import annotations

import collections
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import fields as dc_fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from methodic._constants import LOGGER_NAME
from methodic.errors import APIConnectionError, ChronicleError, ServerError
from methodic.transfer import staging
from methodic.transfer.files import ComponentSpec, scan_directory, text_name
from methodic.transfer.register import register_staged
from methodic.transfer.tracker import check_recordable
from methodic.types import PresignedUpload, ResumeOutcome

if TYPE_CHECKING:
    from methodic.transfer.futures import AssetUpload, OutputTarget
    from methodic.transfer.tracker import UploadTracker
    from methodic.transfer.upload import Uploads
    from methodic.types import AssetRecord

logger = logging.getLogger(LOGGER_NAME)


@dataclass(frozen=True)
class HandOver:
    """One staged checkpoint, not registered yet: everything its create call and registration need."""

    handover_id: str
    asset_type: str
    name: str
    experiment_id: str
    variation: int | None
    run: int | None
    asset_config: dict[str, Any] | None
    local_dir: str
    staging_dir: str
    components: tuple[ComponentSpec, ...]

    def target(self) -> OutputTarget:
        """The run the asset is an output of."""
        from methodic.transfer.futures import OutputTarget

        return OutputTarget(self.experiment_id, self.variation, self.run)

    def staged(self) -> staging.StagedAsset:
        """The staged folder as :func:`staging.stage` returned it."""
        return staging.StagedAsset(directory=Path(self.staging_dir), components=list(self.components), copied=[])

    def to_json(self) -> str:
        """The row's ``record`` column (file names keep undecodable bytes through ``surrogateescape``)."""
        # Field by field, not dataclasses.asdict: that deep-copies every value first (a third of a hand-over's time).
        record = {f.name: getattr(self, f.name) for f in dc_fields(self)}
        record["components"] = [{f.name: getattr(c, f.name) for f in dc_fields(c)} for c in self.components]
        return json.dumps(record, ensure_ascii=True)

    @classmethod
    def from_json(cls, text: str) -> HandOver:
        """The hand-over a ``record`` column holds."""
        fields = json.loads(text)
        fields["components"] = tuple(ComponentSpec(**c) for c in fields["components"])
        return cls(**fields)


def stage(
    folder: Path,
    *,
    asset_type: str,
    target: OutputTarget,
    tracker: UploadTracker | None,
    name: str | None = None,
    asset_config: Mapping[str, Any] | None = None,
) -> HandOver:
    """Stage ``folder`` and, with a tracker, record the hand-over durably before returning.

    Scanning errors (an empty folder, a symlink out of it, an unreadable file) raise here, as from
    ``upload_directory``; nothing is left behind then.
    """
    staged = staging.stage(folder, scan_directory(folder), tracker=None if tracker is None else tracker.db_path)
    try:
        handover = HandOver(
            handover_id=uuid.uuid4().hex,
            asset_type=asset_type,
            name=name or text_name(folder.name),
            experiment_id=target.experiment_id,
            variation=target.variation,
            run=target.run,
            asset_config=None if asset_config is None else dict(asset_config),
            local_dir=os.fspath(folder.resolve()),
            staging_dir=os.fspath(staged.directory),
            components=tuple(staged.components),
        )
        if tracker is not None:
            check_recordable(
                [handover.local_dir, handover.staging_dir]
                + [p for c in staged.components for p in (c.local_path, c.source_path) if p is not None]
            )
            _record(tracker, handover)
    except BaseException:
        staging.remove(staged.directory)
        raise
    return handover


def _record(tracker: UploadTracker, handover: HandOver) -> None:
    with tracker._write() as conn:
        conn.execute(
            "INSERT INTO handovers (handover_id, handed_at, staging_dir, record) VALUES (?, ?, ?, ?)",
            (handover.handover_id, time.time(), handover.staging_dir, handover.to_json()),
        )


def forget(tracker: UploadTracker, handover_id: str) -> None:
    """The hand-over is registered (its asset row holds it now) or given up: drop its row.

    Not durable on its own: lost to a power cut, the row names a staging folder an asset row also names,
    which :func:`register_leftovers` recognises and drops.
    """
    with tracker._write(durable=False) as conn:
        conn.execute("DELETE FROM handovers WHERE handover_id = ?", (handover_id,))


def leftovers(tracker: UploadTracker) -> list[HandOver]:
    """The hand-overs recorded in ``tracker`` and not registered yet, oldest first."""
    rows = tracker._read("SELECT record FROM handovers ORDER BY handed_at, handover_id")
    return [HandOver.from_json(row["record"]) for row in rows]


def register_leftovers(uploads: Uploads, tracker: UploadTracker) -> list[ResumeOutcome]:
    """Register what a killed process handed over but never registered; the resume then uploads it.

    Returns an outcome only for those that cannot be: ``unrecoverable`` (a staged file changed or
    vanished), ``abandoned`` (the server refuses the asset: its run ended), ``failed`` (the server is
    unreachable: the hand-over stays for the next resume). Registered ones are pending uploads now.
    """
    outcomes: list[ResumeOutcome] = []
    handed = leftovers(tracker)
    if not handed:
        return outcomes
    assets = tracker._read("SELECT asset_id, staging_dir FROM assets")
    registered = {r["staging_dir"] for r in assets if r["staging_dir"]}
    created_unheard = _CreatedUnheard(uploads, {str(r["asset_id"]) for r in assets})
    for handover in handed:
        if handover.staging_dir in registered:  # registered just before the process died
            forget(tracker, handover.handover_id)
            continue

        def give_up(status: str, detail: str, error: BaseException | None = None, *, h: HandOver = handover) -> None:
            forget(tracker, h.handover_id)
            staging.remove(h.staging_dir)
            errors = () if error is None else (("<register>", error),)
            outcomes.append(ResumeOutcome.of(h.handover_id, h.asset_type, status, detail, errors=errors))

        changed = next(((c, why) for c in handover.components if (why := staging.change_of(c)) is not None), None)
        if changed is not None:
            component, why = changed
            give_up("unrecoverable", f"{component.name} ({component.source_path}) changed after its hand-over: {why}")
            continue
        try:
            orphan = created_unheard.find(handover)
            if orphan is None:
                _register(uploads, tracker, handover)
            else:
                try:
                    _register(uploads, tracker, handover, create=_adopt(uploads, orphan))
                except _NotAdoptable as exc:  # deleted or refused meanwhile: a new asset, as without it
                    logger.info("asset %s cannot take %s (%s): registering a new one", orphan.id, handover.name, exc)
                    _register(uploads, tracker, handover)
        except (APIConnectionError, ServerError) as exc:  # try again at the next resume
            detail = f"the hand-over could not be registered yet: {exc}"
            outcomes.append(
                ResumeOutcome.of(
                    handover.handover_id, handover.asset_type, "failed", detail, errors=(("<register>", exc),)
                )
            )
            continue
        except ChronicleError as exc:  # refused: the run ended, the key lost access...
            give_up("abandoned", f"the server refused to register the hand-over: {exc}", exc)
            continue
        forget(tracker, handover.handover_id)
    return outcomes


def _register(
    uploads: Uploads,
    tracker: UploadTracker | None,
    handover: HandOver,
    *,
    create: Callable[[Sequence[ComponentSpec]], PresignedUpload] | None = None,
    dispatch: bool = False,
    remove_on_failure: bool = False,
) -> AssetUpload:
    """Create (or, with ``create``, take) the hand-over's asset and record it; its create names the hand-over."""
    return register_staged(
        uploads,
        Path(handover.local_dir),
        handover.staged(),
        asset_type=handover.asset_type,
        output_of=handover.target(),
        tracker=tracker,
        name=handover.name,
        asset_config={**(handover.asset_config or {}), HANDOVER_KEY: handover.handover_id},
        dispatch=dispatch,
        remove_on_failure=remove_on_failure,
        create=create,
    )


#: The ``asset_config`` key naming the hand-over an asset was created for (how a resume recognises it).
HANDOVER_KEY = "handover_id"


class _NotAdoptable(ChronicleError):
    """The asset found for a hand-over refused its upload URLs (deleted, or no longer ours): make a new one."""


class _CreatedUnheard:
    """Finds the asset a killed process's create call made for a hand-over, when the answer never got recorded.

    It is the run's output whose ``asset_config`` names the hand-over (:data:`HANDOVER_KEY`), still
    ``pending`` for its upload, that no asset row of the tracker names. The run's outputs are read once, and
    only when there is a hand-over to register. A listing that fails finds nothing: the hand-over is then
    registered as a new asset, as before.
    """

    def __init__(self, uploads: Uploads, recorded: set[str]) -> None:
        self._uploads = uploads
        self._recorded = recorded  # the ids of the assets the tracker records
        self._outputs: dict[tuple[str, int, int], list[AssetRecord]] = {}

    def find(self, handover: HandOver) -> AssetRecord | None:
        """The pending asset created for ``handover`` and never recorded, or None."""
        if handover.variation is None or handover.run is None:
            return None
        key = (handover.experiment_id, handover.variation, handover.run)
        if key not in self._outputs:
            list_outputs = getattr(self._uploads.operations, "run_outputs", None)  # an older AssetOperations: none
            try:
                self._outputs[key] = [] if list_outputs is None else list(list_outputs(*key))
            except Exception as exc:  # cannot tell: register a new asset, as without this
                logger.debug("could not list the outputs of run %s: %s", key, exc)
                self._outputs[key] = []
        for asset in self._outputs[key]:
            if (asset.asset_config or {}).get(HANDOVER_KEY) != handover.handover_id or asset.id in self._recorded:
                continue
            reasons = asset.pending_reasons
            if asset.state != "pending" or (reasons and "upload_in_progress" not in reasons):
                continue  # finalized already (waiting for a review, say): nothing to upload into it
            self._recorded.add(asset.id)
            logger.info("hand-over %s goes into asset %s, created before the kill", handover.name, asset.id)
            return asset
        return None


def _adopt(uploads: Uploads, asset: AssetRecord) -> Callable[[Sequence[ComponentSpec]], PresignedUpload]:
    """A ``create`` for :func:`register_staged` that takes ``asset`` (created already) with fresh upload URLs."""

    def create(components: Sequence[ComponentSpec]) -> PresignedUpload:
        try:
            fresh = uploads.operations.presign(asset.id, operation="upload", components=[c.name for c in components])
        except (APIConnectionError, ServerError):
            raise  # the server is away: the hand-over waits for the next resume
        except ChronicleError as exc:
            raise _NotAdoptable(str(exc)) from exc
        route = fresh.upload or {}
        return PresignedUpload(
            asset_id=asset.id,
            asset_uri=asset.uri,
            upload_urls=fresh.urls,
            via=str(route.get("via") or "gcs"),
            max_part_bytes=route.get("max_part_bytes"),
            expires_at=fresh.expires_at,
            asset=asset,
        )

    return create


def has_leftovers(tracker: UploadTracker) -> bool:
    """Whether ``tracker`` holds a hand-over not registered yet."""
    return bool(tracker._read("SELECT 1 FROM handovers LIMIT 1"))


class DeferredUpload:
    """A handed-over checkpoint: its upload once the :class:`Registrar` registered it.

    ``done()`` is True once it was refused or its upload ended; ``has_failures()`` when either went
    wrong. :attr:`upload` is the :class:`~methodic.transfer.AssetUpload` once registered.
    """

    def __init__(self, handover: HandOver) -> None:
        self.handover = handover
        self.upload: AssetUpload | None = None
        self.error: BaseException | None = None
        self._registered = threading.Event()

    def __repr__(self) -> str:
        state = "refused" if self.error is not None else ("registered" if self.upload is not None else "handed over")
        return f"<DeferredUpload {self.handover.name} {state}>"

    @property
    def asset_id(self) -> str | None:
        """The asset's id once registered (None before, or if it was refused)."""
        return None if self.upload is None else str(self.upload)

    def registered(self, timeout: float | None = None) -> bool:
        """Wait up to ``timeout`` s for the registration (or its refusal); whether it happened."""
        return self._registered.wait(timeout)

    def done(self) -> bool:
        """Whether nothing more will happen to it: refused, or its upload ended."""
        if not self._registered.is_set():
            return False
        return self.upload is None or self.upload.done()

    def has_failures(self) -> bool:
        """Whether the registration was refused or a component failed."""
        return self.error is not None or (self.upload is not None and self.upload.has_failures())

    def wait(self, timeout: float | None = None) -> AssetRecord:
        """The ready asset; raises what refused it or what its upload met."""
        started = time.monotonic()
        if not self._registered.wait(timeout):
            raise TimeoutError(f"{self.handover.name} was not registered within {timeout} s")
        if self.error is not None:
            raise self.error
        assert self.upload is not None
        left = None if timeout is None else max(0.0, timeout - (time.monotonic() - started))
        return self.upload.wait(left)

    def _settle(self, upload: AssetUpload | None, error: BaseException | None) -> None:
        self.upload, self.error = upload, error
        self._registered.set()


class Registrar:
    """Registers hand-overs on a thread of its own, in the order they were made, then starts their uploads.

    ``before_first`` runs once before the first create call (an integration waits there for the
    environment snapshot, its run's first asset). ``refused(deferred, error)`` is told of each
    registration that failed; its staging folder is removed and its row forgotten, as a synchronous
    hand-over that raised would have left nothing (unless the tracker records the asset already, or the
    session ended: then a resume finishes it). The thread runs only while hand-overs wait, and is
    not a daemon: a script that ends without waiting still registers what it handed over (its uploads
    are then waited for at exit, as any upload is). :meth:`stop` leaves the rest to a resume.
    """

    def __init__(
        self,
        uploads: Uploads,
        tracker: UploadTracker | None,
        *,
        refused: Callable[[DeferredUpload, BaseException], None],
        before_first: Callable[[], None] | None = None,
    ) -> None:
        self._uploads = uploads
        self._tracker = tracker
        self._refused = refused
        self._before_first = before_first
        self._waiting: collections.deque[DeferredUpload] = collections.deque()
        self._unsettled = 0
        self._stopped = False
        self._idle = threading.Condition()
        self._running = False

    def submit(self, handover: HandOver) -> DeferredUpload:
        """Queue ``handover`` for registration; returns at once."""
        deferred = DeferredUpload(handover)
        with self._idle:
            if self._stopped:
                raise ChronicleError("the session ended: nothing more is registered")
            self._waiting.append(deferred)
            self._unsettled += 1
            if not self._running:
                self._running = True
                threading.Thread(target=self._work, name="methodic-handover", daemon=False).start()
        return deferred

    def wait(self, timeout: float | None = None) -> bool:
        """Wait up to ``timeout`` s until every hand-over so far is registered or refused; whether they are."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._idle:
            while self._unsettled:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._idle.wait(0.5 if left is None else min(left, 0.5))  # short: a signal is honoured meanwhile
            return True

    def stop(self) -> int:
        """Register nothing more (the run was failed): the hand-overs still waiting stay in the tracker.

        Returns how many. A registration under way finishes. Without a tracker they are lost, as uploads are.
        """
        with self._idle:
            self._stopped = True
            left = list(self._waiting)
            self._waiting.clear()
            self._unsettled -= len(left)
            self._idle.notify_all()
        for deferred in left:
            deferred._settle(None, ChronicleError(f"{deferred.handover.name} was not registered before the run ended"))
        return len(left)

    def _work(self) -> None:
        while True:
            with self._idle:
                if not self._waiting:
                    self._running = False
                    return
                deferred = self._waiting.popleft()
            upload: AssetUpload | None = None
            error: BaseException | None = None
            try:
                if self._before_first is not None:
                    first, self._before_first = self._before_first, None
                    first()
                upload = self._register(deferred.handover)
            except BaseException as exc:  # told to the training thread (refused), never raised here
                error = exc
                if not self._stopped and not _recorded(self._tracker, deferred.handover):
                    # Refused before the tracker held it: nothing to resume, as when a synchronous hand-over raised.
                    staging.remove(deferred.handover.staging_dir)
                    _forget(self._tracker, deferred.handover)
                # Otherwise (registered, then the client stopped; or the session ended) a resume finishes it.
                self._refused(deferred, exc)
            deferred._settle(upload, error)
            with self._idle:
                self._unsettled -= 1
                self._idle.notify_all()

    def _register(self, handover: HandOver) -> AssetUpload:
        upload = _register(self._uploads, self._tracker, handover, dispatch=True, remove_on_failure=True)
        _forget(self._tracker, handover)
        return upload


def register_now(uploads: Uploads, tracker: UploadTracker | None, handover: HandOver) -> AssetUpload:
    """Register a hand-over on this thread and start its upload, for a save that must be on the server when it returns.

    The integrations that register on the saving thread (Lightning, accelerate) still record the hand-over
    first, so a kill during the create call leaves what a deferred hand-over leaves: a row a resume
    registers, or adopts the asset of (see :func:`register_leftovers`). A registration that fails here
    leaves nothing, as a refused ``upload_directory_async`` did: the caller reports it.
    """
    try:
        upload = _register(uploads, tracker, handover, dispatch=True, remove_on_failure=True)
    except BaseException:
        if not _recorded(tracker, handover):
            staging.remove(handover.staging_dir)
            _forget(tracker, handover)
        raise
    _forget(tracker, handover)
    return upload


def _recorded(tracker: UploadTracker | None, handover: HandOver) -> bool:
    """Whether the tracker records an asset staged in ``handover``'s folder (registered before it failed)."""
    if tracker is None:
        return False
    try:
        rows = tracker._read("SELECT 1 FROM assets WHERE staging_dir = ?", (handover.staging_dir,))
    except ChronicleError:
        return True  # cannot tell: keep the files and the row, a resume decides
    return bool(rows)


def _forget(tracker: UploadTracker | None, handover: HandOver) -> None:
    if tracker is None:
        return
    try:
        forget(tracker, handover.handover_id)
    except ChronicleError as exc:  # a resume recognises a registered hand-over and drops it then
        logger.warning("could not drop the hand-over row of %s: %s", handover.name, exc)
