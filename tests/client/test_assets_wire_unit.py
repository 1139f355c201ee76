"""Assets on the hosted wire, over an injected transport: create/presign/finalize bodies and answers, 410."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from methodic import Chronicle, errors
from methodic.types import FileSha256, PresignedUpload, PresignedUrls

KEY = "sk_user_abcdef12" + "0" * 32
SIGNED = "https://storage.test/b/a1/{name}?X-Goog-Signature=deadbeef"


class Recorder:
    """Answers each request with the next canned JSON body; remembers method, path and body."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.seen: list[tuple[str, str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        self.seen.append((request.method, request.url.path, body))
        answer = self.answers.pop(0)
        if isinstance(answer, httpx.Response):
            return answer
        return httpx.Response(200, json=answer)


def client_with(handler: Callable[[httpx.Request], httpx.Response]) -> Chronicle:
    # scribe_url="": no storage gateway, read presigns go to Chronicle
    return Chronicle("https://chronicle.test", KEY, transport=httpx.MockTransport(handler), scribe_url="")


def test_a_single_file_goes_in_the_single_file_shape() -> None:
    fake = Recorder(
        {
            "asset": {"id": "a1", "uri": "chronicle://assets/a1"},
            "upload_urls": [{"component": None, "url": SIGNED.format(name="model.bin")}],
            "upload": {"via": "gcs", "max_part_bytes": None},
        }
    )
    with client_with(fake) as chronicle:
        info = chronicle.assets.create_with_presigned(asset_type="checkpoint", components=["model.bin"])
    ((method, path, body),) = fake.seen
    assert (method, path) == ("POST", "/v1/assets")
    assert body["presign"] is True and body["name"] == "model.bin" and "components" not in body
    assert isinstance(info, PresignedUpload)
    assert (info.asset_id, info.asset_uri, info.via) == ("a1", "chronicle://assets/a1", "gcs")
    assert info.upload_urls == {"model.bin": SIGNED.format(name="model.bin")}  # the null component, by file name
    assert "deadbeef" not in repr(info)


def test_several_components_are_named_and_the_route_is_read() -> None:
    fake = Recorder(
        {
            "asset": {"id": "a1"},
            "upload_urls": [
                {"component": "model.bin", "url": "https://scribe.test/u/a1/model.bin"},
                {"component": "cfg.json", "url": "https://scribe.test/u/a1/cfg.json"},
                {"component": "broken", "url": None},
            ],
            "upload": {"via": "r2", "max_part_bytes": 1 << 26},
        },
        {"asset": {"id": "a2"}, "upload_urls": [{"component": "x", "url": "https://s/x"}]},  # no upload: gcs
    )
    with client_with(fake) as chronicle:
        info = chronicle.assets.create_with_presigned(
            asset_type="checkpoint", components=["model.bin", "cfg.json"], upload_targets=["r2", "gcs"], ttl_days=7
        )
        older = chronicle.assets.create_with_presigned(asset_type="image", components=["x"], name="plot")
    body = fake.seen[0][2]
    assert body["components"] == ["model.bin", "cfg.json"] and body["name"] == "checkpoint"
    assert body["upload_targets"] == ["r2", "gcs"] and body["ttl_days"] == 7
    assert sorted(info.upload_urls) == ["cfg.json", "model.bin"]  # an entry without a URL is skipped
    assert (info.via, info.max_part_bytes) == ("r2", 1 << 26)
    assert fake.seen[1][2]["components"] == ["x"] and fake.seen[1][2]["name"] == "plot"  # name differs: listed
    assert (older.asset_id, older.via, older.max_part_bytes) == ("a2", "gcs", None)


def test_finalize_sends_files_sorted_by_path_or_no_body() -> None:
    fake = Recorder({"id": "a1", "state": "ready"}, httpx.Response(200))
    with client_with(fake) as chronicle:
        ready = chronicle.assets.finalize("a1", {"z.bin": "b" * 64, "a.bin": "a" * 64})
        empty = chronicle.assets.finalize("a1")
    assert ready.state == "ready" and empty == {}  # an empty answer is fine
    assert fake.seen[0][:2] == ("PUT", "/v1/assets/a1/finalize")
    assert fake.seen[0][2] == {"files": [{"path": "a.bin", "sha256": "a" * 64}, {"path": "z.bin", "sha256": "b" * 64}]}
    assert fake.seen[1][2] is None


def test_get_with_presigned_urls_and_presign() -> None:
    url = SIGNED.format(name="model.bin")
    fake = Recorder(
        {"id": "a1", "state": "ready", "presigned_urls": {"model.bin": {"url": url}}},
        {"presigned_urls": {"model.bin": {"url": url}}, "expires_at": "2030-01-01T00:00:00Z"},
        {"presigned_urls": {"model.bin": {"url": url}}, "upload": {"via": "gcs", "max_part_bytes": None}},
    )
    with client_with(fake) as chronicle:
        asset = chronicle.assets.get("a1", include_presigned=True)
        read = chronicle.assets.presign("a1", components=["model.bin"])
        upload = chronicle.assets.presign("a1", operation="upload")
    assert asset.presigned_urls == {"model.bin": {"url": url}} and asset.download_urls == {"model.bin": url}
    assert isinstance(read, PresignedUrls) and read["model.bin"]["url"] == url and read.urls == {"model.bin": url}
    assert read.expires_at == "2030-01-01T00:00:00Z" and upload.upload == {"via": "gcs", "max_part_bytes": None}
    (_, get_path, _), (_, presign_path, read_body), (_, _, upload_body) = fake.seen
    assert get_path == "/v1/assets/a1" and presign_path == "/v1/assets/a1/presign"
    assert read_body == {"operation": "read", "components": ["model.bin"]} and upload_body == {"operation": "upload"}
    assert "deadbeef" not in repr(asset) + repr(read)


def test_flags_take_their_reason_by_position() -> None:
    fake = Recorder({"id": "a1", "state": "abandoned"}, {"id": "a1"}, {"id": "a1"})
    with client_with(fake) as chronicle:
        chronicle.assets.reject("a1", "cites the wrong run")
        chronicle.assets.deprecate("a1", "superseded")
        chronicle.assets.invalidate("a1", "label noise")
    assert [(m, p.rsplit("/", 1)[1], b) for m, p, b in fake.seen] == [
        ("PUT", "reject", {"reason": "cites the wrong run"}),
        ("PUT", "deprecate", {"reason": "superseded"}),
        ("PUT", "invalidate", {"reason": "label noise"}),
    ]


def test_lists_are_bare_arrays() -> None:
    fake = Recorder([{"id": "a1", "asset_type": "checkpoint"}, {"id": "a2"}])
    with client_with(fake) as chronicle:
        assert [a.id for a in chronicle.assets.list(asset_type="checkpoint")] == ["a1", "a2"]
    assert fake.seen[0][:2] == ("GET", "/v1/assets")


def test_an_expired_asset_is_a_typed_error() -> None:
    body = {"code": "asset_expired", "message": "the bytes are gone", "details": None, "request_id": "r"}
    with (
        client_with(lambda r: httpx.Response(410, json=body)) as chronicle,
        pytest.raises(errors.AssetExpiredError) as info,
    ):
        chronicle.assets.get("a1", include_presigned=True)
    assert isinstance(info.value, errors.APIStatusError) and info.value.status_code == 410


def test_upload_component_returns_the_files_sha256_with_its_size(tmp_path: Path) -> None:
    path = tmp_path / "model.bin"
    path.write_bytes(b"weights" * 1000)
    puts: list[httpx.Request] = []

    def storage(request: httpx.Request) -> httpx.Response:
        request.read()
        puts.append(request)
        return httpx.Response(200)

    with Chronicle(
        "https://chronicle.test",
        KEY,
        transport=httpx.MockTransport(lambda r: httpx.Response(500)),
        storage_transport=httpx.MockTransport(storage),
    ) as chronicle:
        digest = chronicle.assets.upload_component(SIGNED.format(name="model.bin"), path, "application/x-weights")
    assert isinstance(digest, FileSha256) and isinstance(digest, str)
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest() and digest.size == path.stat().st_size
    (put,) = puts
    assert put.method == "PUT" and put.headers["Content-Type"] == "application/x-weights"
    assert "Authorization" not in put.headers


def _gateway_client(handler: Callable[[httpx.Request], httpx.Response], scribe_url: str | None) -> Chronicle:
    return Chronicle("https://chronicle.test", KEY, transport=httpx.MockTransport(handler), scribe_url=scribe_url)


def test_read_presigns_go_to_the_storage_gateway_first() -> None:
    seen: list[httpx.Request] = []
    url = SIGNED.format(name="model.bin")

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "scribe.test":
            return httpx.Response(200, json={"presigned_urls": {"model.bin": {"url": url + "&edge=1"}}})
        return httpx.Response(200, json={"presigned_urls": {"model.bin": {"url": url}}})

    with _gateway_client(handler, "https://scribe.test/") as chronicle:
        read = chronicle.assets.presign("a1", components=["model.bin"])
        chronicle.assets.presign("a1", operation="upload")  # upload URLs always come from Chronicle
    assert read.urls == {"model.bin": url + "&edge=1"}
    assert [(r.method, str(r.url)) for r in seen] == [
        ("POST", "https://scribe.test/v1/assets/a1/presign"),
        ("POST", "https://chronicle.test/v1/assets/a1/presign"),
    ]
    assert seen[0].headers["Authorization"] == f"Bearer {KEY}"
    assert json.loads(seen[0].content) == {"operation": "read", "components": ["model.bin"]}


@pytest.mark.parametrize(
    "gateway",
    [
        httpx.Response(503, json={"message": "down"}),
        httpx.Response(200, json={"presigned_urls": {}}),
        httpx.Response(200, content=b"<html>"),
    ],
)
def test_a_failing_gateway_falls_back_to_chronicle(gateway: httpx.Response) -> None:
    hosts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.append(request.url.host)
        if request.url.host == "scribe.test":
            return gateway
        return httpx.Response(200, json={"presigned_urls": {"m": {"url": "https://storage.test/m?sig=1"}}})

    with _gateway_client(handler, "https://scribe.test") as chronicle:
        assert chronicle.assets.presign("a1").urls == {"m": "https://storage.test/m?sig=1"}
    assert hosts == ["scribe.test", "chronicle.test"]


def test_the_gateway_is_named_by_client_config_once_and_never_over_plain_http_elsewhere() -> None:
    def run(config: httpx.Response) -> list[str]:
        seen: list[str] = []

        def handler(request: httpx.Request) -> httpx.Response:
            seen.append(f"{request.url.host}{request.url.path}")
            if request.url.path == "/v1/public/client-config":
                return config
            return httpx.Response(200, json={"presigned_urls": {"m": {"url": "https://s/m"}}})

        with _gateway_client(handler, None) as chronicle:
            chronicle.assets.presign("a1")
            chronicle.assets.presign("a1")
        return seen

    named = run(httpx.Response(200, json={"scribe_url": "https://scribe.test"}))
    assert named == [
        "chronicle.test/v1/public/client-config",
        "scribe.test/v1/assets/a1/presign",
        "scribe.test/v1/assets/a1/presign",
    ]
    chronicle_only = ["chronicle.test/v1/assets/a1/presign"] * 2
    assert run(httpx.Response(404, json={"code": "not_found"}))[1:] == chronicle_only  # an older server
    assert run(httpx.Response(200, json={"scribe_url": None}))[1:] == chronicle_only
    # the API key never goes over plain http to another host
    assert run(httpx.Response(200, json={"scribe_url": "http://scribe.test"}))[1:] == chronicle_only
