"""Uploads belong to their run: one client, two runs, and each run's end answers for its own uploads only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from methodic import Chronicle, FileChangedError, UploadError
from methodic_server import LocalChronicle
from tests.helpers import CONFIG, write_checkpoint


def _started_run(client: Chronicle, title: str, *, start: bool = True) -> tuple[str, int, int]:
    exp = client.experiments.create(title=title, hypothesis_summary="h", config_yaml=CONFIG)
    exp.commit()
    client.variation(exp.id, 0).commit(commit_without_hypothesis=True)
    if start:
        client.run(exp.id, 0, 0).start()
    return (exp.id, 0, 0)


def _torn_upload(client: Chronicle, triple: tuple[str, int, int], folder: Path) -> str:
    """A checkpoint of ``triple`` whose file is rewritten in place after registration: its upload fails."""
    write_checkpoint(folder, {"a.pt": 1 << 20, "b.pt": 1 << 20})
    upload = client.run(*triple).upload_directory_async(folder, asset_type="checkpoint", progress=False)
    (folder / "b.pt").write_bytes(os.urandom(1 << 20))  # same inode, new bytes: the staged link sees it
    return upload.asset_id


def test_one_runs_failed_upload_never_surfaces_in_another_and_never_lets_its_own_run_succeed(
    server: LocalChronicle, client: Chronicle, tmp_path: Path
) -> None:
    server.faults.delay_storage(0.3)
    a, b = _started_run(client, "A"), _started_run(client, "B")
    run_a, run_b = client.run(*a), client.run(*b)
    write_checkpoint(tmp_path / "a", {"w.bin": 1 << 20})
    good = run_a.upload_directory_async(tmp_path / "a", asset_type="checkpoint", progress=False)
    bad = _torn_upload(client, b, tmp_path / "b")

    with pytest.raises(UploadError) as info:
        run_b.succeed()  # its upload is pending, then fails: never success
    assert {asset for asset, _, _ in info.value.failures} == {bad}
    assert any(isinstance(exc, FileChangedError) for _, _, exc in info.value.failures)
    assert run_b.refresh_state() == "running"

    run_a.succeed()  # B's failure (already reported to B) is none of A's business; A's upload is ready
    assert run_a.refresh_state() == "succeeded"
    assert client.assets.get(good.asset_id).state == "ready"
    client.wait_for_uploads()  # each failure is reported once


def test_a_run_succeeds_once_its_own_uploads_are_ready_while_another_runs_failure_waits_for_its_run(
    server: LocalChronicle, client: Chronicle, tmp_path: Path
) -> None:
    server.faults.delay_storage(0.3)
    a, b = _started_run(client, "A"), _started_run(client, "B")
    bad = _torn_upload(client, b, tmp_path / "b")
    write_checkpoint(tmp_path / "a", {"w.bin": 1 << 20})
    good = client.run(*a).upload_directory_async(tmp_path / "a", asset_type="checkpoint", progress=False)

    client.run(*a).succeed()  # a second handle on A answers for A's uploads: they are ready first
    assert client.assets.get(good.asset_id).state == "ready"
    assert client.run(*a).refresh_state() == "succeeded"

    with pytest.raises(UploadError) as info:
        client.run(*b).succeed()
    assert {asset for asset, _, _ in info.value.failures} == {bad}
    assert client.run(*b).refresh_state() == "running"
    with pytest.raises(UploadError):  # reported, yet still failed: B never succeeds over a lost checkpoint
        client.run(*b).succeed()
    assert client.run(*b).refresh_state() == "running"
    client.run(*b).fail("crash", drain_timeout=0)


def test_the_clients_wait_and_close_answer_for_every_run(server: LocalChronicle, tmp_path: Path) -> None:
    server.faults.delay_storage(0.2)
    chronicle = Chronicle(server.url, server.api_key)
    a, b = _started_run(chronicle, "A"), _started_run(chronicle, "B")
    first = _torn_upload(chronicle, a, tmp_path / "a")
    second = _torn_upload(chronicle, b, tmp_path / "b")
    with pytest.raises(UploadError) as info:
        chronicle.wait_for_uploads()
    assert {asset for asset, _, _ in info.value.failures} == {first, second}
    chronicle.close()  # reported once, by the wait


def test_a_runs_wait_for_uploads_and_lifecycle_answer_for_that_run_only(
    server: LocalChronicle, client: Chronicle, tmp_path: Path
) -> None:
    server.faults.delay_storage(0.3)
    a, b = _started_run(client, "A", start=False), _started_run(client, "B")
    bad = _torn_upload(client, b, tmp_path / "b")
    write_checkpoint(tmp_path / "a", {"w.bin": 1 << 20})
    with client.run(*a).lifecycle(heartbeat_interval=30) as run_a:
        good = run_a.upload_directory_async(tmp_path / "a", asset_type="checkpoint", progress=False)
    assert client.run(*a).refresh_state() == "succeeded"
    assert client.assets.get(good.asset_id).state == "ready"
    with pytest.raises(UploadError) as info:
        client.run(*b).wait_for_uploads()
    assert {asset for asset, _, _ in info.value.failures} == {bad}
    client.wait_for_uploads()  # B's failure was reported to B


def test_a_run_whose_uploads_the_client_stopped_never_counts_them_as_done(
    server: LocalChronicle, tmp_path: Path
) -> None:
    server.faults.delay_storage(2)
    chronicle = Chronicle(server.url, server.api_key)
    a = _started_run(chronicle, "A")
    write_checkpoint(tmp_path / "a", {"w.bin": 1 << 20})
    upload = chronicle.run(*a).upload_directory_async(tmp_path / "a", asset_type="checkpoint", progress=False)
    chronicle.close(interrupt_uploads=True)  # what a signal does: nothing is waited for
    for _ in range(2):  # named every time: it never landed
        with pytest.raises(UploadError) as info:
            chronicle.run(*a).wait_for_uploads()  # returns at once instead of waiting for what was cut short
        assert [(asset, label) for asset, label, _ in info.value.failures] == [(upload.asset_id, "<asset>")]
