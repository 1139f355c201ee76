"""One contract, two ledgers: what the transfer engine relies on, checked against MemoryLedger and UploadTracker alike.

Every test takes the ``ledger`` fixture, run once per ledger. Where the two differ on purpose, the test
is skipped for the one that lacks the behaviour, with the reason: the memory ledger keeps nothing past
the process, so it forgets an asset once it is finalized or dead, and lists nothing for a resume. The
SQLite-only properties (durability across processes, file vetting, migrations) stay in test_tracker.py.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from methodic import TrackerError, UploadTracker
from methodic.transfer.files import ComponentSpec
from methodic.transfer.ledger import Ledger, MemoryLedger, PartRecord
from methodic.types import ComponentDigest

#: Why the memory ledger keeps no finalized or dead asset: nothing can come back for it in this process (no
#: resume without a tracker), and a long run registers thousands, so keeping them would only grow.
FORGETS_ENDED_ASSETS = "the memory ledger forgets an asset once it is finalized or dead (nothing can resume it)"
#: Why the memory ledger lists nothing for a resume and has no forget/prune: nothing of it survives the process.
NO_RESUME = "the memory ledger keeps nothing past the process: no pending listing, forget or prune to resume from"
SECRET = "signature=secret"


@pytest.fixture(params=["memory", "sqlite"])
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Ledger]:
    if request.param == "memory":
        yield MemoryLedger()
        return
    with UploadTracker(tmp_path / "ledger.sqlite") as tracker:
        yield tracker


def durable(ledger: Ledger, reason: str) -> UploadTracker:
    """The ledger, when it is the SQLite one; the test is skipped for the memory ledger, for ``reason``."""
    if not isinstance(ledger, UploadTracker):
        pytest.skip(reason)
    return ledger


def specs(*names: str, root: str = "/data") -> list[ComponentSpec]:
    return [
        ComponentSpec(name=n, local_path=f"{root}/{n}", size=10 + i, source_path=f"/src/{n}", mtime_ns=7, inode=9 + i)
        for i, n in enumerate(names)
    ]


def register(
    ledger: Ledger, asset_id: str = "a1", components: list[ComponentSpec] | None = None, **extra: object
) -> None:
    components = specs("b.bin", "a.bin", "c.bin") if components is None else components
    ledger.register_components(
        asset_id,
        "checkpoint",
        components,
        upload_urls={c.name: f"http://storage/{c.name}?{SECRET}" for c in components},
        urls_expire_at="2030-01-01T00:00:00Z",
        **extra,  # type: ignore[arg-type]
    )


def states(ledger: Ledger, asset_id: str = "a1") -> dict[str, str]:
    recorded = ledger.get_asset(asset_id)
    assert recorded is not None
    return {c.name: c.state for c in recorded.components}


def part(number: int, etag: str = "e") -> PartRecord:
    return PartRecord(part_number=number, size=100 * number, etag=f"{etag}{number}", sha256=f"{number:064x}")


# -- registration ------------------------------------------------------------------------------------------------
def test_a_registered_asset_reads_back_with_every_field(ledger: Ledger) -> None:
    register(
        ledger,
        experiment_id="e1",
        variation=2,
        run=3,
        local_dir="/ckpt",
        staging_dir="/stage",
        shared=True,
        route="r2",
        max_part_bytes=1 << 20,
    )
    recorded = ledger.get_asset("a1")
    assert recorded is not None
    assert (recorded.asset_id, recorded.asset_type, recorded.experiment_id, recorded.variation, recorded.run) == (
        "a1",
        "checkpoint",
        "e1",
        2,
        3,
    )
    assert (recorded.local_dir, recorded.staging_dir, recorded.shared) == ("/ckpt", "/stage", True)
    assert (recorded.state, recorded.route, recorded.max_part_bytes, recorded.failure) == (
        "pending",
        "r2",
        1 << 20,
        None,
    )
    b = ledger.get_component("a1", "b.bin")
    assert b is not None and b.spec() == specs("b.bin")[0]
    assert (b.state, b.sha256, b.attempts, b.last_error, b.upload_id, b.part_size) == (
        "registered",
        None,
        0,
        None,
        None,
        None,
    )
    assert b.upload_url == f"http://storage/b.bin?{SECRET}" and b.url_expires_at == "2030-01-01T00:00:00Z"


def test_components_come_back_sorted_by_name_and_one_at_a_time(ledger: Ledger) -> None:
    register(ledger)
    recorded = ledger.get_asset("a1")
    assert recorded is not None and [c.name for c in recorded.components] == ["a.bin", "b.bin", "c.bin"]
    assert recorded.incomplete == recorded.components
    alone = ledger.get_asset("a1", components=False)
    assert alone is not None and alone.components == () and alone.route == recorded.route
    component = ledger.get_component("a1", "c.bin")
    assert component == recorded.components[2]
    assert ledger.get_component("a1", "nope.bin") is None and ledger.get_component("nope", "a.bin") is None
    assert ledger.get_asset("nope") is None


def test_a_registration_is_all_or_nothing(ledger: Ledger) -> None:
    with pytest.raises(TrackerError, match="at least one component"):
        register(ledger, components=[])
    with pytest.raises(TrackerError, match=r"duplicate component names .*\['a.bin'\]"):
        register(ledger, components=[*specs("a.bin", "b.bin"), *specs("a.bin")])
    assert ledger.get_asset("a1") is None and ledger.get_component("a1", "b.bin") is None
    register(ledger, components=specs("a.bin", "b.bin"))
    assert states(ledger) == {"a.bin": "registered", "b.bin": "registered"}


def test_the_same_registration_again_does_nothing_and_any_other_raises(ledger: Ledger) -> None:
    register(ledger)
    ledger.mark_completed("a1", "a.bin", sha256="1" * 64)
    register(ledger)  # a repeat of the same call: nothing changes, the completion stays
    assert states(ledger) == {"a.bin": "completed", "b.bin": "registered", "c.bin": "registered"}
    with pytest.raises(TrackerError, match="one call"):
        register(ledger, components=specs("b.bin", "a.bin", "c.bin", "d.bin"))  # a late component would race finalize
    with pytest.raises(TrackerError, match="one call"):
        register(ledger, components=specs("b.bin", "a.bin", "c.bin", root="/elsewhere"))  # same names, other files
    assert states(ledger) == {"a.bin": "completed", "b.bin": "registered", "c.bin": "registered"}


# -- component states --------------------------------------------------------------------------------------------
def test_uploading_counts_attempts_and_never_undoes_a_completion(ledger: Ledger) -> None:
    register(ledger)
    ledger.mark_uploading("a1", "a.bin")
    ledger.mark_uploading("a1", "a.bin")
    a = ledger.get_component("a1", "a.bin")
    assert a is not None and (a.state, a.attempts) == ("uploading", 2)
    ledger.mark_completed("a1", "a.bin", sha256="1" * 64)
    ledger.mark_uploading("a1", "a.bin")  # a second process resuming the same asset: the bytes are in storage
    a = ledger.get_component("a1", "a.bin")
    assert a is not None and (a.state, a.attempts, a.sha256) == ("completed", 3, "1" * 64)


def test_completed_records_the_digest_and_size_and_clears_the_error(ledger: Ledger) -> None:
    register(ledger)
    ledger.mark_failed("a1", "a.bin", "boom")
    ledger.mark_completed("a1", "a.bin", sha256="1" * 64, size=99)
    ledger.mark_completed("a1", "b.bin", sha256="2" * 64)  # no size: the registered one stays
    ledger.mark_completed("a1", "b.bin", sha256="2" * 64)  # a repeat changes nothing
    a, b = ledger.get_component("a1", "a.bin"), ledger.get_component("a1", "b.bin")
    assert a is not None and (a.state, a.sha256, a.size, a.last_error) == ("completed", "1" * 64, 99, None)
    assert b is not None and (b.state, b.sha256, b.size) == ("completed", "2" * 64, 10)
    recorded = ledger.get_asset("a1")
    assert recorded is not None and [c.name for c in recorded.incomplete] == ["c.bin"]


def test_failed_keeps_a_truncated_error_and_never_undoes_a_completion(ledger: Ledger) -> None:
    register(ledger)
    ledger.mark_failed("a1", "a.bin", "x" * 5000)
    ledger.mark_completed("a1", "b.bin", sha256="2" * 64)
    ledger.mark_failed("a1", "b.bin", "late failure of a retried attempt")
    a, b = ledger.get_component("a1", "a.bin"), ledger.get_component("a1", "b.bin")
    assert a is not None and a.state == "failed" and a.last_error == "x" * 1000
    assert b is not None and (b.state, b.last_error, b.sha256) == ("completed", None, "2" * 64)


def test_failing_many_marks_all_of_them_or_none(ledger: Ledger) -> None:
    register(ledger)
    ledger.mark_completed("a1", "c.bin", sha256="3" * 64)
    with pytest.raises(TrackerError, match=r"'nope\.bin'.*not registered"):
        ledger.mark_failed_many("a1", ["a.bin", "nope.bin"], "cancelled")
    assert states(ledger) == {"a.bin": "registered", "b.bin": "registered", "c.bin": "completed"}
    ledger.mark_failed_many("a1", ["a.bin", "b.bin", "c.bin"], "cancelled")
    ledger.mark_failed_many("a1", [], "nothing")
    assert states(ledger) == {"a.bin": "failed", "b.bin": "failed", "c.bin": "completed"}
    a = ledger.get_component("a1", "a.bin")
    assert a is not None and a.last_error == "cancelled"


@pytest.mark.parametrize(
    "change",
    ["mark_uploading", "mark_completed", "mark_failed", "start_multipart", "update_upload_urls"],
)
def test_changing_a_component_that_was_never_registered_raises(ledger: Ledger, change: str) -> None:
    register(ledger)
    for asset_id, name in (("a1", "nope.bin"), ("nope", "a.bin")):
        with pytest.raises(TrackerError, match="not registered"):
            if change == "mark_uploading":
                ledger.mark_uploading(asset_id, name)
            elif change == "mark_completed":
                ledger.mark_completed(asset_id, name, sha256="1" * 64)
            elif change == "mark_failed":
                ledger.mark_failed(asset_id, name, "boom")
            elif change == "start_multipart":
                ledger.start_multipart(asset_id, name, "up-1", 1 << 20)
            else:
                ledger.update_upload_urls(asset_id, {name: "http://storage/x"}, None)
    assert states(ledger) == {"a.bin": "registered", "b.bin": "registered", "c.bin": "registered"}


def test_fresh_urls_replace_the_recorded_ones_all_or_none(ledger: Ledger) -> None:
    register(ledger)
    with pytest.raises(TrackerError, match="not registered"):
        ledger.update_upload_urls("a1", {"a.bin": "http://storage/new-a", "nope.bin": "http://storage/x"}, "2031")
    a = ledger.get_component("a1", "a.bin")
    assert a is not None and a.upload_url == f"http://storage/a.bin?{SECRET}"
    ledger.update_upload_urls("a1", {"a.bin": "http://storage/new-a", "b.bin": "http://storage/new-b"}, "2031")
    a, c = ledger.get_component("a1", "a.bin"), ledger.get_component("a1", "c.bin")
    assert a is not None and (a.upload_url, a.url_expires_at) == ("http://storage/new-a", "2031")
    assert c is not None and (c.upload_url, c.url_expires_at) == (
        f"http://storage/c.bin?{SECRET}",
        "2030-01-01T00:00:00Z",
    )


def test_a_route_named_later_is_recorded_and_an_unknown_asset_refused(ledger: Ledger) -> None:
    register(ledger)
    ledger.set_route("a1", "r2", 5 << 20)
    recorded = ledger.get_asset("a1", components=False)
    assert recorded is not None and (recorded.route, recorded.max_part_bytes) == ("r2", 5 << 20)
    with pytest.raises(TrackerError, match="not registered"):
        ledger.set_route("nope", "r2", None)


def test_secrets_stay_out_of_reprs(ledger: Ledger) -> None:
    register(ledger)
    recorded = ledger.get_asset("a1")
    assert SECRET not in repr(recorded) and SECRET not in repr(ledger)
    assert SECRET not in repr(ledger.get_component("a1", "a.bin"))


# -- multipart uploads ---------------------------------------------------------------------------------------------
def test_parts_read_back_with_upload_id_number_etag_and_digest(ledger: Ledger) -> None:
    register(ledger)
    ledger.start_multipart("a1", "a.bin", "up-1", 8 << 20)
    a = ledger.get_component("a1", "a.bin")
    assert a is not None and (a.upload_id, a.part_size, a.state) == ("up-1", 8 << 20, "registered")
    assert ledger.get_parts("a1", "a.bin", "up-1") == {}
    for number in (3, 1, 2):
        ledger.mark_part_completed("a1", "a.bin", "up-1", part(number))
    ledger.mark_part_completed("a1", "a.bin", "up-1", part(2, etag="again"))  # a part sent again replaces its record
    recorded = ledger.get_parts("a1", "a.bin", "up-1")
    assert recorded == {1: part(1), 2: part(2, etag="again"), 3: part(3)}
    recorded.clear()  # the caller's copy, not the ledger's
    assert sorted(ledger.get_parts("a1", "a.bin", "up-1")) == [1, 2, 3]
    assert ledger.get_parts("a1", "a.bin", "other") == {} and ledger.get_parts("a1", "b.bin", "up-1") == {}


def test_forgotten_parts_are_gone_and_forgetting_again_is_harmless(ledger: Ledger) -> None:
    register(ledger)
    ledger.start_multipart("a1", "a.bin", "up-1", 8 << 20)
    for number in (1, 2, 3):
        ledger.mark_part_completed("a1", "a.bin", "up-1", part(number))
    ledger.forget_parts("a1", "a.bin", "up-1", [1, 3])
    ledger.forget_parts("a1", "a.bin", "up-1", [1, 3, 7])
    assert ledger.get_parts("a1", "a.bin", "up-1") == {2: part(2)}


def test_a_new_upload_id_drops_the_old_parts_and_the_same_one_keeps_them(ledger: Ledger) -> None:
    register(ledger)
    ledger.start_multipart("a1", "a.bin", "up-1", 8 << 20)
    ledger.start_multipart("a1", "b.bin", "up-b", 8 << 20)
    ledger.mark_part_completed("a1", "a.bin", "up-1", part(1))
    ledger.mark_part_completed("a1", "b.bin", "up-b", part(1))
    ledger.start_multipart("a1", "a.bin", "up-1", 8 << 20)  # a resume going on with the same upload
    assert ledger.get_parts("a1", "a.bin", "up-1") == {1: part(1)}
    ledger.start_multipart("a1", "a.bin", "up-2", 16 << 20)  # storage forgot up-1: a new upload starts
    assert ledger.get_parts("a1", "a.bin", "up-1") == {} and ledger.get_parts("a1", "a.bin", "up-2") == {}
    a = ledger.get_component("a1", "a.bin")
    assert a is not None and (a.upload_id, a.part_size) == ("up-2", 16 << 20)
    assert ledger.get_parts("a1", "b.bin", "up-b") == {1: part(1)}  # another component's parts are its own


def test_threads_recording_parts_at_once_lose_none(ledger: Ledger) -> None:
    register(ledger)
    for name in ("a.bin", "b.bin"):
        ledger.start_multipart("a1", name, f"up-{name}", 1 << 20)
    errors: list[BaseException] = []

    def send(name: str, first: int) -> None:
        try:
            for number in range(first, first + 10):
                ledger.mark_part_completed("a1", name, f"up-{name}", part(number))
        except BaseException as exc:  # reported below, with the thread's own traceback
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(n, f)) for n in ("a.bin", "b.bin") for f in (1, 11)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for name in ("a.bin", "b.bin"):
        assert ledger.get_parts("a1", name, f"up-{name}") == {n: part(n) for n in range(1, 21)}


# -- shared assets ---------------------------------------------------------------------------------------------------
def test_a_shared_asset_keeps_every_files_digest(ledger: Ledger) -> None:
    files = {"a.bin": ComponentDigest(size=10, sha256="a" * 64), "z/other-rank.bin": ComponentDigest(5, "f" * 64)}
    register(ledger, components=specs("a.bin"), shared=True, files=files)
    register(ledger, "solo", components=specs("a.bin"))
    assert ledger.asset_files("a1") == files
    assert ledger.asset_file("a1", "z/other-rank.bin") == ComponentDigest(5, "f" * 64)
    assert ledger.asset_file("a1", "missing.bin") is None
    assert ledger.asset_files("solo") == {} and ledger.asset_file("solo", "a.bin") is None
    assert ledger.asset_files("nope") == {}


# -- the end of an asset -----------------------------------------------------------------------------------------
def test_finalizing_ends_the_asset_for_the_engine_and_again_is_harmless(ledger: Ledger) -> None:
    register(ledger)
    for name in ("a.bin", "b.bin", "c.bin"):
        ledger.mark_completed("a1", name, sha256="1" * 64)
    recorded = ledger.get_asset("a1")
    assert recorded is not None and recorded.incomplete == ()
    ledger.mark_finalized("a1")
    ledger.mark_finalized("a1")
    after = ledger.get_asset("a1", components=False)
    assert after is None or after.state == "finalized"  # forgotten (memory) or recorded as finalized (tracker)
    ledger.mark_finalized("never-registered")  # nothing to end: nothing happens


def test_a_dead_state_must_be_one_of_the_dead_states(ledger: Ledger) -> None:
    register(ledger)
    with pytest.raises(TrackerError, match="not one of"):
        ledger.mark_dead("a1", "finalized", "not a dead state")
    recorded = ledger.get_asset("a1", components=False)
    assert recorded is not None and recorded.state == "pending"
    ledger.mark_dead("a1", "unrecoverable", "a.bin changed")
    ledger.mark_dead("a1", "abandoned", "again")  # a repeat changes nothing more
    after = ledger.get_asset("a1", components=False)
    assert after is None or (after.state, after.failure) == ("unrecoverable", "a.bin changed")


def test_an_ended_asset_stays_recorded_with_its_state(ledger: Ledger) -> None:
    tracker = durable(ledger, FORGETS_ENDED_ASSETS)
    register(tracker, "done")
    register(tracker, "dead")
    tracker.mark_finalized("done")
    tracker.mark_dead("dead", "abandoned", "the run failed first")
    tracker.mark_dead("done", "abandoned", "too late: finalized stays finalized")
    done, dead = tracker.get_asset("done"), tracker.get_asset("dead")
    assert done is not None and (done.state, done.failure, len(done.components)) == ("finalized", None, 3)
    assert dead is not None and (dead.state, dead.failure) == ("abandoned", "the run failed first")


def test_pending_listing_is_oldest_first_without_ended_assets(ledger: Ledger) -> None:
    tracker = durable(ledger, NO_RESUME)
    for asset_id in ("c", "a", "done", "b", "dead"):
        register(tracker, asset_id)
        time.sleep(0.002)  # registration times apart: the order is theirs, not the ids'
    tracker.mark_finalized("done")
    tracker.mark_dead("dead", "unrecoverable", "gone")
    assert [p.asset_id for p in tracker.get_pending_uploads()] == ["c", "a", "b"]
    assert [p.asset_id for p in tracker.get_assets()] == ["c", "a", "done", "b", "dead"]


def test_forget_drops_one_asset_and_prune_every_ended_one(ledger: Ledger) -> None:
    tracker = durable(ledger, NO_RESUME)
    for asset_id in ("keep", "gone", "done", "dead"):
        register(tracker, asset_id)
        tracker.start_multipart(asset_id, "a.bin", "up", 1 << 20)
        tracker.mark_part_completed(asset_id, "a.bin", "up", part(1))
    tracker.mark_finalized("done")
    tracker.mark_dead("dead", "abandoned", "run failed")
    forgotten = tracker.forget("gone")
    assert forgotten is not None and forgotten.asset_id == "gone" and tracker.forget("gone") is None
    assert tracker.get_asset("gone") is None and tracker.get_parts("gone", "a.bin", "up") == {}
    assert sorted(a.asset_id for a in tracker.prune()) == ["dead", "done"]
    assert [a.asset_id for a in tracker.get_assets()] == ["keep"] and tracker.prune() == []
    assert tracker.get_parts("keep", "a.bin", "up") == {1: part(1)} and tracker.get_parts("done", "a.bin", "up") == {}
