"""Storage under hostile or unlucky clients: racing PUTs, idle connections, aborted and interrupted uploads."""

from __future__ import annotations

import hashlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from methodic import Chronicle
from methodic_server import LocalChronicle
from tests.helpers import CONFIG


def _pending_asset(client: Chronicle, components: list[str]) -> tuple[str, dict[str, str]]:
    exp = client.experiments.create(title="t", hypothesis_summary="h", config_yaml=CONFIG)
    exp.commit()
    client.variation(exp.id, 0).commit(commit_without_hypothesis=True)
    info = client.run(exp.id, 0, 0).start().create_asset_presigned(asset_type="checkpoint", components=components)
    return info.asset_id, dict(info.upload_urls)


@pytest.fixture
def server() -> Iterator[LocalChronicle]:
    """These rules are the presigned storage's: a server that answers the presigned-PUT route (``gcs``)."""
    with LocalChronicle(validate_contract=True, upload_route="gcs") as srv:
        yield srv
        assert srv.contract_violations == [], srv.contract_violations


def test_racing_puts_leave_a_checksum_that_matches_the_bytes(server: LocalChronicle, client: Chronicle) -> None:
    names = [f"c{i}.bin" for i in range(100)]
    asset_id, urls = _pending_asset(client, names)
    barrier = threading.Barrier(2)

    def put(url: str, data: bytes) -> None:
        with httpx.Client(timeout=30) as raw:
            barrier.wait()
            assert raw.put(url, content=data).status_code == 200

    for name in names:  # one trial pair per component: two different bodies of one size, at once
        pair = [threading.Thread(target=put, args=(urls[name], os.urandom(256 * 1024))) for _ in range(2)]
        for thread in pair:
            thread.start()
        for thread in pair:
            thread.join()
    client.assets.finalize(asset_id)
    asset = client.assets.get(asset_id, include_presigned=True)
    with httpx.Client(timeout=30) as raw:
        for component in asset.components:
            stored = raw.get(asset.download_urls[component["name"]]).content
            assert (component["size_bytes"], component["sha256"]) == (len(stored), hashlib.sha256(stored).hexdigest())


def _storage_threads() -> int:
    return sum(1 for t in threading.enumerate() if t.name.startswith("Thread-") and "process_request" in t.name)


def test_idle_connections_are_bounded_and_reaped() -> None:
    with LocalChronicle(storage_idle_timeout=0.5, storage_max_connections=16) as server:
        parts = urlsplit(server.storage_url)
        baseline = threading.active_count()
        sockets = [socket.create_connection((parts.hostname, parts.port), timeout=10) for _ in range(300)]
        try:
            time.sleep(0.3)
            assert threading.active_count() <= baseline + 16
            # every connection is closed by the server: at once beyond the bound, after the idle timeout otherwise
            started = time.monotonic()
            for sock in sockets:
                while sock.recv(65536):
                    pass
            assert time.monotonic() - started < 5
            deadline = time.monotonic() + 5
            while threading.active_count() > baseline and time.monotonic() < deadline:
                time.sleep(0.05)
            assert threading.active_count() <= baseline
            # and storage still serves once the idle clients are gone
            assert httpx.get(server.storage_url + "/objects/a/b").status_code == 403
        finally:
            for sock in sockets:
                sock.close()


def _temporaries(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.startswith(".upload-")]


@pytest.mark.parametrize("client_goes", ["closes", "stalls"])
def test_an_upload_killed_midway_leaves_no_temporary(client_goes: str) -> None:
    with (
        LocalChronicle(validate_contract=True, storage_idle_timeout=0.5, upload_route="gcs") as server,
        Chronicle(server.url, server.api_key) as client,
    ):
        _, urls = _pending_asset(client, ["big.bin"])
        parts = urlsplit(urls["big.bin"])
        sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
        try:
            head = f"PUT {parts.path}?{parts.query} HTTP/1.1\r\nHost: x\r\nContent-Length: {10 * 1024 * 1024}\r\n\r\n"
            sock.sendall(head.encode() + os.urandom(3 * 1024 * 1024))
            deadline = time.monotonic() + 5
            while not _temporaries(server.data_dir) and time.monotonic() < deadline:
                time.sleep(0.01)
            assert _temporaries(server.data_dir), "the upload never started"
            if client_goes == "closes":
                sock.close()
            # a stalled client is cut off by the idle timeout, and its temporary goes with it
            deadline = time.monotonic() + 5
            while _temporaries(server.data_dir) and time.monotonic() < deadline:
                time.sleep(0.02)
            assert _temporaries(server.data_dir) == []
        finally:
            sock.close()


def test_temporaries_left_by_a_crash_are_removed_at_start(tmp_path: Path) -> None:
    with LocalChronicle(data_dir=tmp_path) as server, Chronicle(server.url, server.api_key) as client:
        asset_id, _ = _pending_asset(client, ["dir/m.bin"])
    # what a process killed mid-upload leaves: a temporary next to the object and one next to its checksum
    leftovers = [
        tmp_path / "objects" / asset_id / "dir" / ".upload-abc123",
        tmp_path / "objects-checksums" / asset_id / "dir" / ".upload-def456",
    ]
    for leftover in leftovers:
        leftover.parent.mkdir(parents=True, exist_ok=True)
        leftover.write_bytes(b"partial")
    with LocalChronicle(data_dir=tmp_path):
        assert _temporaries(tmp_path) == []
