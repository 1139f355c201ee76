"""Review of issue 25 (big files through the storage gateway's r2 route): each test reproduces one bug found in
review, with real processes and real HTTP (a local Chronicle, or a small hostile server where the gateway must
lie); each failed before its fix.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import tracemalloc
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from methodic import Chronicle, UploadTracker
from methodic.errors import ChronicleError, PartLayoutError, StorageError, UploadError
from methodic.transfer.config import RetryPolicy
from methodic.transfer.gateway_parts import GatewayParts
from methodic.transfer.put import upload_file
from methodic_server import LocalChronicle
from tests.helpers import contract_checked, sha256_file, write_random
from tests.reliability.hostile_api import HostileServer, drip, endless_json
from tests.transfer.parts import CrashAfterParts, experiment, small_parts

MiB = 1 << 20


@pytest.fixture
def local() -> Iterator[LocalChronicle]:
    with contract_checked(max_part_bytes=MiB) as srv:
        yield srv


class Gateway:
    """A small hostile storage gateway on 127.0.0.1: ``answer(handler)`` decides every answer."""

    def __init__(self, answer: Any) -> None:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def handle_one(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, body = outer.answer(self)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_PUT = do_GET = do_DELETE = handle_one

        self.answer = answer
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/gateway/v1/uploads/a1/model.bin"

    def __enter__(self) -> Gateway:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


# -- 1. an upload storage forgot, on a gateway that cannot list parts ---------------------------------------------
class NoListing(httpx.HTTPTransport):
    """Real HTTP to the local gateway, except that it cannot list an upload's parts (as a gateway without the
    listing extension answers: 501)."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and "upload_id=" in request.url.query.decode():
            return httpx.Response(501, json={"code": "not_implemented", "message": "no part listing"})
        return super().handle_request(request)


def test_a_resume_starts_again_when_a_gateway_that_cannot_list_forgot_the_upload(
    local: LocalChronicle, tmp_path: Path
) -> None:
    """The tracker holds an upload id and parts; storage has since aborted the upload (its idle sweep, R2's
    lifecycle rule, or a complete before a kill -9: R2 answers NoSuchUpload to a second complete). A gateway
    that cannot list parts says so only at the next part PUT or at complete, with 404 NoSuchUpload; the
    resume then failed at every attempt, for ever, and the checkpoint could never become ready."""
    big = write_random(tmp_path / "ckpt" / "model.bin", 6 * MiB, seed=11)
    db = tmp_path / "uploads.sqlite"
    with small_parts(local, part_workers=1) as client:
        handle = client.assets._transfers().upload_directory(
            tmp_path / "ckpt", asset_type="checkpoint", output_of=experiment(client), tracker=CrashAfterParts(db)
        )
        with pytest.raises((UploadError, KeyboardInterrupt)):
            handle.wait(60)
            client.wait_for_uploads()
    with UploadTracker(db) as tracker:
        (pending,) = tracker.get_pending_uploads()
        (component,) = pending.components
        assert component.upload_id is not None and component.upload_url is not None
        with httpx.Client() as http:  # storage forgets the upload (what the gateway's idle sweep does)
            headers = {"Authorization": f"Bearer {local.api_key}"}
            GatewayParts(http, component.upload_url, headers, RetryPolicy(), component="model.bin").abort(
                component.upload_id
            )
        with small_parts(local, transport=NoListing()) as client:
            (outcome,) = client.assets._transfers().resume_each(tracker)
            assert outcome.status == "finalized", outcome.errors
            client.assets.download(pending.asset_id, tmp_path / "out")
        assert tracker.get_asset(pending.asset_id).state == "finalized"  # type: ignore[union-attr]
    assert sha256_file(tmp_path / "out" / "model.bin") == sha256_file(big)


# -- 2. answers that never end ------------------------------------------------------------------------------------
def test_gateway_answers_that_never_end_neither_fill_the_memory_nor_hang(tmp_path: Path) -> None:
    """Every gateway answer (start, part, list, complete, and the single PUT's) was read whole into memory:
    a 200 announcing 1 GiB grew the process by 900 MiB in one second, and a body dripping a byte at a time
    held the upload for ever (each read arrives within the read timeout)."""
    retry = RetryPolicy(max_attempts=2, sleep=lambda s: None)
    small = tmp_path / "small.bin"
    small.write_bytes(b"x" * 1000)
    with HostileServer(endless_json("200 OK")) as endless, httpx.Client(timeout=5) as http:
        wire = GatewayParts(http, endless.url + "/gateway/v1/uploads/a/b", {"Authorization": "Bearer k"}, retry,
                            component="b")  # fmt: skip
        tracemalloc.start()
        try:
            with pytest.raises(StorageError, match="longer than"):
                wire.start()
            with pytest.raises(StorageError, match="longer than"):
                wire.list("u1")
            upload_file(http, endless.url + "/gateway/v1/uploads/a/small.bin", small, retry=retry)  # answer unread
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert peak < 32 * MiB, f"{peak / MiB:.0f} MiB held for the answers"
    with HostileServer(drip(0.05)) as dripping, httpx.Client(timeout=1) as http:
        wire = GatewayParts(http, dripping.url + "/gateway/v1/uploads/a/b", {}, retry, component="b")
        started = time.monotonic()
        with pytest.raises(StorageError, match="still arriving"):
            wire.complete("u1", [(1, "e")])
        with pytest.raises(StorageError, match="still arriving"):
            upload_file(http, dripping.url + "/x", small, retry=retry)
    assert time.monotonic() - started < 10


# -- 3. the API key echoed back ------------------------------------------------------------------------------------
def test_a_gateway_that_echoes_the_api_key_never_gets_it_into_a_message_or_a_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The gateway's URLs take the API key; a gateway (or a proxy before it) that quotes the request's token
    in its error answer had it copied into StorageError's message and repr, and into the retry's debug log
    (only keys shaped like ``sk_…`` were scrubbed; a hosted key or an Auth0 token is not)."""
    key = "mk-live-8fJ2kQ0pZ7xV3nR6tY1wE4uI9oA5sD"

    def echo(request: BaseHTTPRequestHandler) -> tuple[int, bytes]:
        token = request.headers.get("Authorization", "").split()[-1]
        return 500, json.dumps({"code": "denied", "message": f"the token {token} may not write here"}).encode()

    small = tmp_path / "small.bin"
    small.write_bytes(b"x" * 1000)
    caplog.set_level(logging.DEBUG)
    retry = RetryPolicy(max_attempts=2, sleep=lambda s: None)
    with Gateway(echo) as gateway, httpx.Client() as http:
        headers = {"Authorization": f"Bearer {key}"}
        errors: list[StorageError] = []
        for call in (
            lambda: GatewayParts(http, gateway.url, headers, retry, component="model.bin").start(),
            lambda: GatewayParts(http, gateway.url, headers, retry, component="model.bin").put("u1", 1, [b"x"], 1),
            lambda: upload_file(http, gateway.url, small, retry=retry, headers=headers),
        ):
            with pytest.raises(StorageError) as caught:
                call()
            errors.append(caught.value)
    for error in errors:
        assert "may not write here" in str(error)  # the gateway's words are kept...
        assert key not in str(error) and key not in repr(error)  # ...without the key
    assert key not in caplog.text and "may not write here" in caplog.text


# -- 4. a hostile max_part_bytes -----------------------------------------------------------------------------------
class StatedPartLimit(httpx.HTTPTransport):
    """Real HTTP to the local Chronicle, with ``upload.max_part_bytes`` of every create answer replaced."""

    def __init__(self, value: object) -> None:
        super().__init__()
        self.value = value

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if request.method != "POST" or request.url.path != "/v1/assets":
            return response
        response.read()
        body = response.json()
        if isinstance(body.get("upload"), dict):
            body["upload"]["max_part_bytes"] = self.value
        return httpx.Response(response.status_code, json=body, headers={"X-Request-Id": "req_x"})


@pytest.mark.parametrize("value", ["abc", 0, -5, True, 2**70, [1], 1.5])
def test_a_hostile_max_part_bytes_is_refused_before_anything_is_registered(tmp_path: Path, value: object) -> None:
    """``max_part_bytes`` went unchecked from the create answer into the tracker: a string made every component
    fail with TypeError, 2**70 an OverflowError from SQLite, a list a TrackerError, and zero or a negative limit
    failed each component only after the asset was registered, so every later resume failed again."""
    write_random(tmp_path / "ckpt" / "model.bin", 3 * MiB)
    (tmp_path / "ckpt" / "config.json").write_text("{}")
    with (
        LocalChronicle(max_part_bytes=MiB) as srv,
        Chronicle(srv.url, srv.api_key, transport=StatedPartLimit(value), multipart_threshold=2 * MiB) as client,
        UploadTracker(tmp_path / "uploads.sqlite") as tracker,
    ):
        with pytest.raises(PartLayoutError, match="max_part_bytes"):
            client.assets._transfers().upload_directory(
                tmp_path / "ckpt", asset_type="checkpoint", output_of=experiment(client), tracker=tracker
            )
        assert tracker.get_assets() == []
        assert srv.storage_bytes_received == 0


def test_a_max_part_bytes_written_in_digits_is_taken_as_the_published_client_takes_it(tmp_path: Path) -> None:
    big = write_random(tmp_path / "ckpt" / "model.bin", 3 * MiB)
    with (
        LocalChronicle(max_part_bytes=MiB) as srv,
        Chronicle(srv.url, srv.api_key, transport=StatedPartLimit(str(MiB)), min_part_size=MiB) as client,
    ):
        ready = (
            client.assets._transfers()
            .upload_directory(tmp_path / "ckpt", asset_type="checkpoint", output_of=experiment(client))
            .wait(60)
        )
        assert ready.components[0]["sha256"] == sha256_file(big)


# -- 5. Ctrl-C while parts are in flight ---------------------------------------------------------------------------
STALLED_CHILD = textwrap.dedent(
    """
    import sys
    from methodic import Chronicle

    url, path = sys.argv[1:3]
    with Chronicle("http://127.0.0.1:9", "sk_test_0123456789abcdef", min_part_size=1 << 20) as client:
        print("sending", flush=True)
        client.transfers.upload_component(url, path, route="r2", max_part_bytes=1 << 20, progress=False)
    """
)


def test_ctrl_c_during_an_upload_in_parts_does_not_wait_for_stalled_parts(tmp_path: Path) -> None:
    """Ctrl-C while ``upload_component`` sent a big file in parts waited for every part in flight, each stalled
    PUT through its timeouts and retries: the process ignored the interrupt for minutes (a wait must never
    hold the caller's way out; a resume finishes what was cut off)."""

    def stall(request: BaseHTTPRequestHandler) -> tuple[int, bytes]:
        if request.command == "POST":
            return 200, json.dumps({"upload_id": "u1"}).encode()
        time.sleep(600)  # every part PUT stalls
        return 500, b"{}"

    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(24 * MiB))
    with Gateway(stall) as gateway:
        child = subprocess.Popen(
            [sys.executable, "-c", STALLED_CHILD, gateway.url, str(big)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert child.stdout is not None and child.stdout.readline().strip() == "sending"
            time.sleep(1.5)  # the parts are in flight, the reader waits for a free buffer
            interrupted = time.monotonic()
            child.send_signal(signal.SIGINT)
            child.wait(timeout=20)
            took = time.monotonic() - interrupted
        finally:
            child.kill()
            child.wait()
    assert took < 5, f"the interrupted upload exited {took:.1f}s after Ctrl-C"
    assert child.stderr is not None and "KeyboardInterrupt" in child.stderr.read()


# -- 6. the part buffers of several big files ----------------------------------------------------------------------
MEMORY_CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from methodic import Chronicle
    from methodic.transfer.futures import OutputTarget

    def rss(field):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) * 1024

    url, key, exp, folder, workers = sys.argv[1:6]
    with Chronicle(url, key, multipart_threshold=8 << 20, max_upload_workers=int(workers)) as client:
        client.me.scopes()  # warm up imports and connections before measuring
        base = rss("VmRSS:")
        upload = client.transfers.upload_directory(folder, asset_type="checkpoint", output_of=OutputTarget(exp))
        upload.wait(300)
        print(rss("VmHWM:") - base)
    """
)


def test_part_buffers_of_several_big_files_share_one_memory_budget(tmp_path: Path) -> None:
    """Each component in parts held up to 40 MiB of buffers, and ``max_upload_workers`` components go at once:
    a checkpoint of three big files at three upload workers grew the process by ~130 MiB (README: +64 MiB at
    most), although the part pool they share has no more parts in flight than for one file."""
    folder = tmp_path / "ckpt"
    for n in range(3):
        write_random(folder / f"shard-{n}.bin", 64 * MiB, seed=n)
    with (
        LocalChronicle(per_connection_bytes_per_second=24 * MiB) as srv,
        Chronicle(srv.url, srv.api_key) as client,
    ):
        exp = experiment(client).experiment_id
        result = subprocess.run(
            [sys.executable, "-c", MEMORY_CHILD, srv.url, srv.api_key, exp, str(folder), "3"],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert result.returncode == 0, result.stderr[-2000:]
    growth = int(result.stdout.strip().splitlines()[-1])
    assert growth < 64 * MiB, f"peak RSS grew by {growth / MiB:.1f} MiB for three 64 MiB files"


# -- 7. the local gateway: a listing while the upload completes ----------------------------------------------------
def test_a_listing_that_waited_for_a_complete_answers_the_completed_upload(tmp_path: Path) -> None:
    """GET ?upload_id that arrived while complete held the upload's lock then listed a directory complete had
    removed: the gateway dropped the connection with a FileNotFoundError traceback instead of answering."""
    from methodic_server.gateway_uploads import GatewayUploads

    uploads = GatewayUploads(tmp_path / "multipart")
    upload_id = uploads.start("a1", "model.bin", None)
    received = tmp_path / "multipart" / "a1" / f"gateway-{upload_id}" / "incoming"
    received.write_bytes(b"x" * 10)
    uploads.put_part("a1", upload_id, 1, str(received), 10, "e" * 64)
    listed: list[Any] = []
    with uploads.lock(upload_id):  # complete holds the lock...
        lister = threading.Thread(target=lambda: listed.append(uploads.parts("a1", "model.bin", upload_id)))
        lister.start()
        time.sleep(0.2)  # ...while a listing waits for it
        parts = [{"part_number": 1, "etag": "e" * 64, "size": 10}]
        uploads.finish("a1", upload_id, {"component": "model.bin", "answer": {}, "parts": parts})
    lister.join(5)
    assert listed == [{"upload_id": upload_id, "completed": True, "parts": parts}]


# -- 8. answers nested too deep to parse ---------------------------------------------------------------------------
def test_answers_nested_too_deep_to_parse_are_typed_errors(tmp_path: Path) -> None:
    """JSON nested deeper than Python's recursion limit (``[[[[…``, 200 KB) raises RecursionError, not ValueError:
    a gateway answering a start, a part or an error with it, a storage error body, or an API error body, made
    the SDK raise RecursionError from the middle of an upload (no retry, no typed error)."""
    nested = b"[" * 200_000
    retry = RetryPolicy(max_attempts=2, sleep=lambda s: None)
    small = tmp_path / "small.bin"
    small.write_bytes(b"x" * 1000)

    def answer(status: int) -> Any:
        return lambda request: (status, nested)

    with Gateway(answer(200)) as ok, Gateway(answer(500)) as failing, httpx.Client() as http:
        with pytest.raises(StorageError, match="without an upload id"):
            GatewayParts(http, ok.url, {}, retry, component="model.bin").start()
        with pytest.raises(StorageError, match="without an ETag"):
            GatewayParts(http, ok.url, {}, retry, component="model.bin").put("u1", 1, [b"x"], 1)
        with pytest.raises(StorageError, match="answered 500"):
            GatewayParts(http, failing.url, {}, retry, component="model.bin").start()
        with pytest.raises(StorageError, match="answered 500"):
            upload_file(http, failing.url, small, retry=retry)
        api = failing.url.split("/gateway/")[0]
        with Chronicle(api, "sk_test_0123456789abcdef") as client, pytest.raises(ChronicleError) as caught:
            client.experiments.get("7d1c0e4a-0000-4000-8000-000000000001")
        assert caught.value.status_code == 500  # type: ignore[attr-defined]


# -- 9. an ETag of any length --------------------------------------------------------------------------------------
def test_an_etag_longer_than_any_storage_gives_is_refused_before_it_is_recorded(tmp_path: Path) -> None:
    """A part's ETag went into the tracker and the complete body whatever its length (up to the whole answer):
    a gateway answering each part with a 1 MB ETag grew the tracker by 1 MB a part (10 GB for 10,000 parts)
    and made a complete no gateway takes. S3 and R2 ETags are a few dozen characters; upload ids are capped too."""
    long_etag = "a" * 1_000_000

    def answer(request: BaseHTTPRequestHandler) -> tuple[int, bytes]:
        if request.command == "GET":
            return 200, json.dumps({"parts": [{"part_number": 1, "etag": long_etag, "size": 1}]}).encode()
        return 200, json.dumps({"part_number": 1, "etag": long_etag}).encode()

    retry = RetryPolicy(max_attempts=1)
    with Gateway(answer) as gateway, httpx.Client() as http:
        wire = GatewayParts(http, gateway.url, {}, retry, component="model.bin")
        with pytest.raises(StorageError, match="ETag"):
            wire.put("u1", 1, [b"x"], 1)
        assert wire.list("u1") == {}  # a listed part with such an ETag is not one storage holds


# -- 10. a gateway URL the key may not go to -----------------------------------------------------------------------
class ClearGatewayUrls(httpx.HTTPTransport):
    """Real HTTP to the local Chronicle, whose create answers name r2 upload URLs on a plain-http host elsewhere."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if request.method != "POST" or request.url.path != "/v1/assets":
            return response
        response.read()
        body = response.json()
        for entry in body.get("upload_urls") or []:
            entry["url"] = entry["url"].replace("http://127.0.0.1", "http://storage.example.com")
        return httpx.Response(response.status_code, json=body, headers={"X-Request-Id": "req_x"})


def test_r2_upload_urls_the_key_may_not_go_to_are_refused_before_anything_is_registered(tmp_path: Path) -> None:
    """A server answering ``via: "r2"`` with plain-http URLs on another host: the key was (rightly) never sent,
    but only each component's upload found that out, after the asset was registered, so the tracker kept an
    asset that every ``methodic uploads resume`` failed again."""
    write_random(tmp_path / "ckpt" / "model.bin", 3 * MiB)
    with (
        LocalChronicle(max_part_bytes=MiB) as srv,
        Chronicle(srv.url, srv.api_key, transport=ClearGatewayUrls()) as client,
        UploadTracker(tmp_path / "uploads.sqlite") as tracker,
    ):
        with pytest.raises(ChronicleError, match="refusing to send the API key"):
            client.transfers.upload_directory(
                tmp_path / "ckpt", asset_type="checkpoint", output_of=experiment(client), tracker=tracker
            )
        assert tracker.get_assets() == []
        assert srv.storage_bytes_received == 0
