"""Review of issue 24 (the hosted wire): each test reproduces one bug found in review; all fail on issue-24."""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from methodic import Chronicle
from methodic.errors import APIError, ConflictError
from methodic_server import LocalChronicle
from tests.helpers import CONFIG


@pytest.fixture
def server() -> Iterator[LocalChronicle]:
    with LocalChronicle() as srv:
        yield srv


@pytest.fixture
def client(server: LocalChronicle) -> Iterator[Chronicle]:
    with Chronicle(server.url, server.api_key) as chronicle:
        yield chronicle


# -- the commit gate -----------------------------------------------------------------------------------
def test_run_cannot_start_before_its_variation_is_committed(client: Chronicle) -> None:
    """Variation create now makes pending run 0 at once; start must still wait for the commits.

    At 69a5428 run 0 only came into being at variation commit, so a run of an open (uncommitted, still
    editable) experiment could not start. Now ``start`` on it answers 200 and the run trains and succeeds
    before anything was committed: the commit gate (the hypothesis frozen before results) is gone.
    """
    exp = client.experiments.create(title="t", hypothesis_summary="h", config_yaml=CONFIG)
    assert client.experiments.get(exp.id).experiment.state == "open"
    assert client.variations.get(exp.id, 0).state == "open"
    with pytest.raises(ConflictError):
        client.runs.start(exp.id, 0, 0)


def test_run_of_an_open_variation_of_a_committed_experiment_cannot_start(client: Chronicle) -> None:
    exp = client.experiments.create(title="t", hypothesis_summary="h", config_yaml=CONFIG)
    exp.commit()
    client.variations.commit(exp.id, 0, commit_without_hypothesis=True)
    v = client.variations.create(exp.id, config_yaml=CONFIG).variation  # open, no hypothesis yet
    with pytest.raises(ConflictError):
        client.runs.start(exp.id, v, 0)


# -- worker keys and experiment references -------------------------------------------------------------
def _committed(client: Chronicle) -> tuple[str, str, str]:
    exp = client.experiments.create(title="t", hypothesis_summary="h", config_yaml=CONFIG)
    exp.commit()
    client.variations.commit(exp.id, 0, commit_without_hypothesis=True)
    slug = str(client.experiments.get(exp.id).experiment.slug)
    user = next(str(s.slug) for s in client.me.scopes() if s.kind == "user")
    return exp.id, slug, user


@pytest.mark.parametrize("form", ["owner-qualified", "bare slug"])
def test_worker_key_uploads_a_checkpoint_of_its_run_named_by_reference(
    server: LocalChronicle, client: Chronicle, tmp_path: Path, form: str
) -> None:
    """A runner holding ``chronicle.run("@user/slug", 0, 0)`` with its worker key can start and heartbeat
    (paths and the heartbeat body are resolved before the scope check) but every checkpoint upload is 403:
    ``_authorise_worker`` compares create_asset's ``output_of.experiment_id`` with the key's id unresolved.
    """
    exp_id, slug, user = _committed(client)
    ref = f"@{user}/{slug}" if form == "owner-qualified" else slug
    (tmp_path / "model.bin").write_bytes(b"weights" * 100)
    with Chronicle(server.url, server.mint_worker_key(exp_id, 0, 0)) as worker:
        run = worker.run(ref, 0, 0).start().heartbeat()
        assert run.state == "running"
        asset_id = run.upload_file(tmp_path / "model.bin", "checkpoint")  # PermissionDeniedError today
    assert client.assets.get(asset_id).experiment_id == exp_id


# -- the storage gateway never gets the key in clear ---------------------------------------------------
def _gateway_client(scribe_url: str | None, named: str | None, seen: list[httpx.Request]) -> Chronicle:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/v1/public/client-config":
            return httpx.Response(200, json={"scribe_url": named})
        if request.url.path.endswith("/presign"):
            return httpx.Response(200, json={"presigned_urls": {"a.bin": {"url": "https://storage.example/a?sig=x"}}})
        return httpx.Response(404, json={"code": "not_found", "message": "no"})

    return Chronicle(
        "https://chronicle.example",
        "sk_user_secret_key_123456",
        scribe_url=scribe_url,
        transport=httpx.MockTransport(handler),
    )


def test_gateway_on_chronicles_host_over_http_gets_no_key_when_chronicle_is_https() -> None:
    """``Gateway._trusted`` compares netlocs only: Chronicle at https://chronicle.example naming its gateway
    http://chronicle.example (same netloc, no TLS) gets the bearer token sent in clear."""
    seen: list[httpx.Request] = []
    with _gateway_client(None, "http://chronicle.example", seen) as chronicle:
        chronicle.assets.presign("7d1c0e4a-0000-4000-8000-000000000001", operation="read")
    clear = [r for r in seen if r.url.scheme == "http" and "authorization" in r.headers]
    assert clear == [], [str(r.url) for r in clear]


def test_configured_http_gateway_gets_no_key() -> None:
    """A gateway given by CHRONICLE_SCRIBE_URL / scribe_url= skips the https check entirely (the module
    promises the key goes only to an https gateway or one on Chronicle's own host)."""
    seen: list[httpx.Request] = []
    with _gateway_client("http://scribe.example", None, seen) as chronicle:
        chronicle.assets.presign("7d1c0e4a-0000-4000-8000-000000000001", operation="read")
    clear = [r for r in seen if r.url.scheme == "http" and "authorization" in r.headers]
    assert clear == [], [str(r.url) for r in clear]


# -- finalize's hash check -----------------------------------------------------------------------------
def test_finalize_with_a_path_twice_does_not_skip_the_hash_check(client: Chronicle, tmp_path: Path) -> None:
    """``files`` naming a component twice: the server keeps the last entry (a dict by name), so a wrong
    sha256 for that very file is accepted silently instead of a 409 component_mismatch (or a 400)."""
    data = b"checkpoint bytes" * 64
    (tmp_path / "a.bin").write_bytes(data)
    (tmp_path / "b.bin").write_bytes(data + b"!")
    info = client.assets.create_with_presigned(asset_type="model", components=["a.bin", "b.bin"], name="m")
    sha_a = client.assets.upload_component(info.upload_urls["a.bin"], tmp_path / "a.bin")
    sha_b = client.assets.upload_component(info.upload_urls["b.bin"], tmp_path / "b.bin")
    assert str(sha_a) == hashlib.sha256(data).hexdigest()
    files = [
        {"path": "a.bin", "sha256": "0" * 64},  # wrong
        {"path": "a.bin", "sha256": str(sha_a)},
        {"path": "b.bin", "sha256": str(sha_b)},
    ]
    with pytest.raises(APIError) as caught:
        client._transport.put(f"/assets/{info.asset_id}/finalize", json={"files": files})
    assert caught.value.status_code in (400, 409)
    assert client.assets.get(info.asset_id).state == "pending"


# -- methodic auth login -------------------------------------------------------------------------------
def test_auth_login_checks_the_key_against_the_configured_server(
    server: LocalChronicle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``login`` without --server-url verifies the key against CHRONICLE_SERVER_URL or the hosted default,
    never the server_url config.yaml names (the one every client built from the files will use): the key
    for a self-hosted server is sent to another server, and login fails."""
    import methodic._auth_cli as auth_cli

    home = tmp_path / "home"
    (home / ".methodic").mkdir(parents=True)
    (home / ".methodic" / "config.yaml").write_text(json.dumps({"server_url": server.url}))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("CHRONICLE_SERVER_URL", raising=False)
    monkeypatch.delenv("CHRONICLE_CONFIG", raising=False)
    contacted: list[str] = []
    real = Chronicle.__init__

    def spy(self: Chronicle, server_url: str, *args: object, **kwargs: object) -> None:
        contacted.append(server_url)
        real(self, server_url, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Chronicle, "__init__", spy)
    monkeypatch.setattr(auth_cli, "DEFAULT_SERVER_URL", "http://127.0.0.1:9")  # never the real hosted service
    args = argparse.Namespace(
        api_key=server.api_key, server_url=None, organization=None, personal=False, no_verify=False
    )
    assert auth_cli.auth_login(args) == 0
    assert contacted == [server.url]


# -- tolerant reading on the resume path ----------------------------------------------------------------
def test_resume_survives_a_checkpoint_whose_asset_config_is_not_an_object() -> None:
    """``checkpoint_step`` calls ``.get`` on whatever ``asset_config`` is: a ready checkpoint whose config came
    back as a string (or a list) makes ``find_checkpoint(step=...)`` and ``download_checkpoint`` raise
    AttributeError at resume time, instead of treating the step as unknown."""
    from methodic.run import checkpoint_folder_name, checkpoint_step
    from methodic.types import AssetRecord

    asset = AssetRecord({"id": "a1", "asset_type": "checkpoint", "state": "ready", "asset_config": '{"step": 3}'})
    assert checkpoint_step(asset) is None
    assert checkpoint_folder_name(asset) == "checkpoint-a1"


def test_variation_config_json_subscript_is_a_dict_when_the_server_sent_none() -> None:
    """types.VariationRecord documents ``train(**cfg["config_json"])`` working, ``{}`` when the server sent
    none; only the attribute is ``{}``: the subscript the hosted-SDK code uses raises KeyError (or is None)."""
    from methodic.types import VariationRecord

    for sent in ({"variation": 0}, {"variation": 0, "config_json": None}):
        cfg = VariationRecord(sent)
        assert cfg.config_json == {}
        assert cfg["config_json"] == {}
