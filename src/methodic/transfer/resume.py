"""Resume: finish what a crashed process left in an :class:`~methodic.UploadTracker`.

As huggingface_hub's "resume = call the same idempotent upload again": every pending asset of the
tracker is asked of the server, settled when it needs no upload (ready already, abandoned, a file
changed since registration), and otherwise handed to the same dispatch a fresh upload goes through
(:meth:`~methodic.transfer.upload.Uploads._dispatch`), which sends only the components the ledger does
not hold as completed. Every asset is tried, whatever happens to the others, and each is reported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from methodic.errors import ChronicleError, NotFoundError, UploadError
from methodic.transfer import staging
from methodic.transfer.display import TransferDisplay
from methodic.transfer.futures import ASSET, OutputTarget
from methodic.transfer.handover import register_leftovers
from methodic.transfer.session import UploadSession
from methodic.types import ResumeOutcome

if TYPE_CHECKING:
    from methodic.transfer.futures import AssetUpload
    from methodic.transfer.progress import ProgressOption
    from methodic.transfer.tracker import PendingUpload, UploadTracker
    from methodic.transfer.upload import Uploads
    from methodic.types import AssetRecord


def resume(uploads: Uploads, tracker: UploadTracker, *, progress: ProgressOption = None) -> list[AssetRecord]:
    """Finish what a crashed process left in ``tracker``; return the assets this call finalized.

    Every asset is tried, whatever happens to the others (see :func:`resume_each`). Raises
    UploadError, after doing everything that could be done, naming each asset that could not be
    rescued and why.
    """
    outcomes = resume_each(uploads, tracker, progress=progress)
    failures: list[tuple[str, str, BaseException]] = []
    for outcome in outcomes:
        if outcome.rescued:
            continue
        if outcome.errors:
            failures.extend((outcome.asset_id, label, exc) for label, exc in outcome.errors)
        else:
            failures.append((outcome.asset_id, ASSET, ChronicleError(f"{outcome.status}: {outcome.detail}")))
    if failures:
        raise UploadError(failures)
    return [o.asset for o in outcomes if o.status == "finalized" and o.asset is not None]


def resume_each(uploads: Uploads, tracker: UploadTracker, *, progress: ProgressOption = None) -> list[ResumeOutcome]:
    """Try every pending asset of ``tracker`` and say, per asset, what became of it; never stops early."""
    outcomes: list[ResumeOutcome] = []
    started: list[tuple[PendingUpload, AssetUpload]] = []
    display = TransferDisplay(label="resume")  # a blocking call: a display of its own, not the background one
    tracker.sweep_staging()  # what a process killed before recording its registration left behind
    # A checkpoint handed over but never registered (a kill -9 right after its save): registered now, sent below.
    outcomes.extend(register_leftovers(uploads, tracker))
    # ... and a session of its own: a resume reports each asset in its outcomes and waits for all of them, so
    # what it sends is no run's business (a rerun rescuing a first attempt's leftovers can still succeed).
    resumed = UploadSession(None)
    for pending in tracker.get_pending_uploads():
        try:
            outcome = _before_resume(uploads, tracker, pending)
            if outcome is not None:
                outcomes.append(outcome)
                continue
            target = (
                OutputTarget(pending.experiment_id, pending.variation, pending.run) if pending.experiment_id else None
            )
            started.append((pending, uploads._dispatch(pending.asset_id, tracker, progress, target, display, resumed)))
        except (ChronicleError, OSError) as exc:  # this asset only: the others are still tried
            outcomes.append(
                ResumeOutcome.of(pending.asset_id, pending.asset_type, "failed", str(exc), errors=((ASSET, exc),))
            )
    for pending, handle in started:
        outcomes.append(_after_resume(tracker, pending, handle))
    # Each failure is reported in these outcomes (handle.wait() marked it reported): not again at wait() or close().
    return outcomes


def _before_resume(uploads: Uploads, tracker: UploadTracker, pending: PendingUpload) -> ResumeOutcome | None:
    """Settle an asset that needs no upload (ready, abandoned, changed files); None if it must be uploaded."""

    def dead(state: str, detail: str) -> ResumeOutcome:
        tracker.mark_dead(pending.asset_id, state, detail)  # only if still pending
        recorded = tracker.get_asset(pending.asset_id)
        if recorded is not None and recorded.state == "finalized":  # a concurrent resume finished it
            return ResumeOutcome.of(pending.asset_id, pending.asset_type, "already_ready")
        staging.remove(pending.staging_dir)
        return ResumeOutcome.of(pending.asset_id, pending.asset_type, state, detail)

    try:
        asset = uploads._retrying(lambda: uploads.operations.get(pending.asset_id))
    except NotFoundError as exc:
        # Not proof that the asset is gone: a resume pointed at the wrong server (or a proxy) says the
        # same. Nothing is marked dead or deleted on a 404; the entry waits for the right server.
        detail = f"the server at hand does not know this asset (the wrong server?): {exc}"
        return ResumeOutcome.of(pending.asset_id, pending.asset_type, "failed", detail, errors=((ASSET, exc),))
    except ChronicleError as exc:
        return ResumeOutcome.of(pending.asset_id, pending.asset_type, "failed", str(exc), errors=((ASSET, exc),))
    if asset.state == "ready":
        # Finalized before the crash, but the tracker never heard: nothing to upload.
        tracker.mark_finalized(pending.asset_id)
        staging.remove(pending.staging_dir)
        return ResumeOutcome.of(pending.asset_id, pending.asset_type, "already_ready", asset=asset)
    if asset.state != "pending":
        return dead("abandoned", f"the server marked it {asset.state} (its run ended before it was finalized)")
    for component in pending.incomplete:
        change = staging.change_of(component.spec())
        if change is not None:
            where = component.source_path or component.local_path
            return dead("unrecoverable", f"{component.name} ({where}) changed after it was registered: {change}")
    return None


def _after_resume(tracker: UploadTracker, pending: PendingUpload, handle: AssetUpload) -> ResumeOutcome:
    try:
        asset = handle.wait()
    except UploadError as exc:
        errors = tuple((component, error) for _, component, error in exc.failures)
        recorded = tracker.get_asset(pending.asset_id)
        state = recorded.state if recorded is not None and recorded.state != "pending" else "failed"
        detail = recorded.failure if recorded is not None and recorded.failure else str(exc)
        return ResumeOutcome.of(pending.asset_id, pending.asset_type, state, detail, errors=errors)
    if asset.state != "ready":  # a distributed asset: our part is in, another node's is not yet
        detail = "this node's components are in storage; the asset becomes ready when the other nodes' are"
        return ResumeOutcome.of(pending.asset_id, pending.asset_type, "partial", detail, asset=asset)
    return ResumeOutcome.of(pending.asset_id, pending.asset_type, "finalized", asset=asset)
