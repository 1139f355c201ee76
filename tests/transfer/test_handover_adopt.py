"""A hand-over whose create reached the server before a kill goes into that asset on resume, and only into it.

The asset a killed process created carries the hand-over's id in ``asset_config``; nothing else is taken
for it (another process's asset of the same name and step, an asset finalized and waiting for a review),
and an asset that refuses its upload URLs is replaced by a new one without losing the hand-over. Driven
through a real :class:`~methodic.transfer.TransferManager` against :class:`tests.fakes.FakeAssets`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from methodic.errors import NotFoundError
from methodic.transfer import UploadTracker, handover
from methodic.transfer.resume import resume
from tests.transfer.test_engine_fake import TARGET, Engine, checkpoint, digests


@pytest.fixture
def engine() -> Iterator[Engine]:
    made = Engine()
    yield made
    made.manager.close(interrupt=True)


def _handed_over(tmp_path: Path) -> tuple[UploadTracker, handover.HandOver, dict[str, bytes]]:
    files = checkpoint(tmp_path)
    tracker = UploadTracker(tmp_path / "uploads.sqlite")
    handed = handover.stage(
        tmp_path / "ckpt",
        asset_type="checkpoint",
        target=TARGET,
        tracker=tracker,
        name="checkpoint-4",
        asset_config={"step": 4},
    )
    return tracker, handed, files


def _created(engine: Engine, files: dict[str, bytes], **config: Any) -> str:
    """An asset of the run made as a killed process's create call would have made it (nothing uploaded)."""
    made = engine.fake.create_with_presigned(
        asset_type="checkpoint",
        components=sorted(files),
        name="checkpoint-4",
        output_of=TARGET.as_dict(),
        asset_config={"step": 4, **config},
    )
    return str(made.asset_id)


def test_the_asset_created_for_the_hand_over_is_the_one_uploaded_and_another_alike_is_left_alone(
    engine: Engine, tmp_path: Path
) -> None:
    tracker, handed, files = _handed_over(tmp_path)
    orphan = _created(engine, files, handover_id=handed.handover_id)
    someone_elses = _created(engine, files)  # newer, same run, type, name and step: another process's
    with tracker:
        (ready,) = resume(engine.manager.uploads, tracker)
        assert ready.id == orphan
        assert handover.leftovers(tracker) == [] and tracker.get_pending_uploads() == []
    assert len(engine.fake.named("create_with_presigned")) == 2  # the two made above: none by the resume
    assert engine.fake.assets[orphan]["state"] == "ready"
    assert {n: (d.size, str(d)) for n, d in engine.fake.assets[orphan]["digests"].items()} == digests(files)
    assert engine.fake.assets[someone_elses]["state"] == "pending" and not engine.fake.assets[someone_elses]["digests"]


def test_an_asset_that_refuses_its_upload_urls_is_replaced_by_a_new_one(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tracker, handed, files = _handed_over(tmp_path)
    orphan = _created(engine, files, handover_id=handed.handover_id)
    presign = engine.fake.presign

    def deleted_meanwhile(asset_id: str, **kwargs: Any) -> Any:
        if asset_id == orphan:
            raise NotFoundError(f"asset {asset_id} not found", status_code=404, code="not_found")
        return presign(asset_id, **kwargs)

    monkeypatch.setattr(engine.fake, "presign", deleted_meanwhile)
    with tracker:
        (ready,) = resume(engine.manager.uploads, tracker)
        assert ready.id != orphan and handover.leftovers(tracker) == []
    assert engine.fake.assets[ready.id]["asset_config"]["handover_id"] == handed.handover_id
    assert {n: (d.size, str(d)) for n, d in engine.fake.assets[ready.id]["digests"].items()} == digests(files)


def test_an_asset_finalized_and_waiting_for_a_review_is_never_uploaded_into(engine: Engine, tmp_path: Path) -> None:
    tracker, handed, files = _handed_over(tmp_path)
    reviewed = _created(engine, files, handover_id=handed.handover_id)
    engine.fake.assets[reviewed]["pending_reasons"] = ["review_required"]
    with tracker:
        (ready,) = resume(engine.manager.uploads, tracker)
    assert ready.id != reviewed and not engine.fake.assets[reviewed]["digests"]


def test_a_listing_that_fails_registers_a_new_asset_as_before(engine: Engine, tmp_path: Path) -> None:
    tracker, handed, files = _handed_over(tmp_path)
    orphan = _created(engine, files, handover_id=handed.handover_id)

    def unreachable(*args: Any) -> Any:
        raise AttributeError("an AssetOperations of an older methodic has no run_outputs")

    engine.fake.run_outputs = unreachable  # type: ignore[method-assign]
    with tracker:
        (ready,) = resume(engine.manager.uploads, tracker)
    assert ready.id != orphan and engine.fake.assets[ready.id]["state"] == "ready"
