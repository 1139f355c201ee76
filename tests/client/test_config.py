"""Chronicle.from_env: keyword arguments, then environment, then ~/.methodic, then defaults."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from methodic import Chronicle
from methodic._config import resolve_settings
from methodic.errors import ChronicleConfigError


def write(home: Path, name: str, text: str) -> None:
    (home / ".methodic").mkdir(exist_ok=True)
    (home / ".methodic" / name).write_text(text)


def test_defaults_and_files(tmp_path: Path) -> None:
    write(tmp_path, "credentials.yaml", "api_key: sk_user_fromfile\n")
    s = resolve_settings({}, environ={}, home=tmp_path)
    assert s.api_key == "sk_user_fromfile"
    assert s.server_url == "https://api.methodiclabs.ai"
    assert s.organization_id is None
    assert s.timeout == 30.0
    assert s.max_upload_workers == 2


def test_config_file_supplies_server_and_org(tmp_path: Path) -> None:
    write(tmp_path, "credentials.yaml", "api_key: sk_user_fromfile\n")
    write(tmp_path, "config.yaml", "server_url: https://ci-api.example/\norganization_id: org_1\n")
    s = resolve_settings({}, environ={}, home=tmp_path)
    assert s.server_url == "https://ci-api.example"
    assert s.organization_id == "org_1"


def test_environment_beats_files_and_keywords_beat_environment(tmp_path: Path) -> None:
    write(tmp_path, "credentials.yaml", "api_key: sk_user_file\n")
    write(tmp_path, "config.yaml", "server_url: https://file.example\norganization_id: org_file\n")
    env = {
        "CHRONICLE_API_KEY": "sk_user_env",
        "CHRONICLE_SERVER_URL": "https://env.example",
        "CHRONICLE_ORGANIZATION_ID": "org_env",
        "CHRONICLE_TIMEOUT": "12",
    }
    s = resolve_settings({}, environ=env, home=tmp_path)
    assert (s.api_key, s.server_url, s.organization_id, s.timeout) == (
        "sk_user_env",
        "https://env.example",
        "org_env",
        12.0,
    )
    s = resolve_settings({"api_key": "sk_user_kw", "server_url": "https://kw.example"}, environ=env, home=tmp_path)
    assert (s.api_key, s.server_url, s.organization_id) == ("sk_user_kw", "https://kw.example", "org_env")


def test_no_key_raises_before_any_network_call(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("CHRONICLE_API_KEY", raising=False)
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200)

    with pytest.raises(ChronicleConfigError) as info:
        Chronicle.from_env(transport=httpx.MockTransport(handler))
    assert "CHRONICLE_API_KEY" in str(info.value)
    assert calls == []


def test_from_env_builds_a_working_client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("CHRONICLE_API_KEY", "sk_user_envkey")
    monkeypatch.setenv("CHRONICLE_SERVER_URL", "https://env.example")
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"scopes": []})

    with Chronicle.from_env(transport=httpx.MockTransport(handler), max_upload_workers=3) as chronicle:
        chronicle.me.scopes()
        assert chronicle.transfers.pool.max_workers == 3
    assert str(seen[0].url) == "https://env.example/v1/me/scopes"
    assert seen[0].headers["Authorization"] == "Bearer sk_user_envkey"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("credentials.yaml", "- just\n- a list\n", "mapping"),
        ("config.yaml", "server_url: [unclosed\n", "cannot read"),
    ],
)
def test_malformed_files_give_a_config_error(tmp_path: Path, name: str, text: str, message: str) -> None:
    write(tmp_path, "credentials.yaml", "api_key: sk_user_x\n")
    write(tmp_path, name, text)
    with pytest.raises(ChronicleConfigError, match=message):
        resolve_settings({}, environ={}, home=tmp_path)


def test_bad_values_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ChronicleConfigError, match="http"):
        resolve_settings({"api_key": "k", "server_url": "ftp://x"}, environ={}, home=tmp_path)
    with pytest.raises(ChronicleConfigError, match="timeout"):
        resolve_settings({"api_key": "k"}, environ={"CHRONICLE_TIMEOUT": "soon"}, home=tmp_path)


def test_settings_repr_hides_the_key(tmp_path: Path) -> None:
    s = resolve_settings({"api_key": "sk_user_secretvalue"}, environ={}, home=tmp_path)
    assert "secretvalue" not in repr(s)


def test_organization_slug_and_id_come_whole_from_the_first_source_that_sets_either(tmp_path: Path) -> None:
    write(tmp_path, "credentials.yaml", "api_key: sk_user_file\n")
    write(tmp_path, "config.yaml", "organization_slug: file-org\n")
    from_file = resolve_settings({}, environ={}, home=tmp_path)
    assert (from_file.organization_id, from_file.organization_slug) == (None, "file-org")
    env = {"CHRONICLE_ORGANIZATION_ID": "org_env"}
    assert resolve_settings({}, environ=env, home=tmp_path).organization_slug is None  # the env id wins whole
    keyword = resolve_settings({"organization_slug": "kw-org"}, environ=env, home=tmp_path)
    assert (keyword.organization_id, keyword.organization_slug) == (None, "kw-org")
    with pytest.raises(ChronicleConfigError, match="not both"):
        resolve_settings({}, environ={**env, "CHRONICLE_ORGANIZATION_SLUG": "env-org"}, home=tmp_path)
    assert "organization_slug='file-org'" in repr(from_file) and "sk_user_file" not in repr(from_file)


def test_chronicle_config_names_one_file_that_replaces_both(tmp_path: Path) -> None:
    write(tmp_path, "credentials.yaml", "api_key: sk_user_home\n")
    single = tmp_path / "ci.yaml"
    single.write_text("api_key: sk_user_single\nserver_url: https://single.example\n")
    s = resolve_settings({}, environ={"CHRONICLE_CONFIG": str(single)}, home=tmp_path)
    assert (s.api_key, s.server_url) == ("sk_user_single", "https://single.example")
    with pytest.raises(ChronicleConfigError, match="does not exist"):
        resolve_settings({}, environ={"CHRONICLE_CONFIG": str(tmp_path / "nope.yaml")}, home=tmp_path)


def _from_files(**kwargs: object) -> Chronicle:
    return Chronicle.from_file(transport=httpx.MockTransport(lambda r: httpx.Response(200, json={})), **kwargs)  # type: ignore[arg-type]


def test_from_file_credentials_win_over_config_and_keywords_over_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "api_key: sk_user_config\nserver_url: https://config.example\ntimeout: 12\norganization_id: org_config\n"
    )
    credentials = tmp_path / "credentials.yaml"
    credentials.write_text("api_key: sk_user_credentials\nserver_url: https://credentials.example/\n")
    # neither the environment nor ~/.methodic is read by from_file
    monkeypatch.setenv("CHRONICLE_API_KEY", "sk_user_environment")
    monkeypatch.setenv("CHRONICLE_SERVER_URL", "https://environment.example")
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    write(tmp_path / "home", "credentials.yaml", "api_key: sk_user_home\n")

    with _from_files(config=config, credentials=credentials) as both:
        assert both._transport._api_key == "sk_user_credentials"
        assert both.server_url == "https://credentials.example"
        assert both.timeout == 12.0 and both.organization_id == "org_config"  # only the config file has them
    with _from_files(config=str(config), credentials=credentials, server_url="https://kw.example", timeout=3) as kw:
        assert (kw.server_url, kw.timeout, kw._transport._api_key) == ("https://kw.example", 3.0, "sk_user_credentials")
    with _from_files(config=config) as only_config:
        assert only_config._transport._api_key == "sk_user_config"
        assert only_config.server_url == "https://config.example"
    with _from_files(credentials=credentials) as only_credentials:
        assert only_credentials._transport._api_key == "sk_user_credentials"
        assert only_credentials.timeout == 30.0


def test_from_file_names_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(ChronicleConfigError, match="config file, a credentials file, or both"):
        Chronicle.from_file()
    credentials = tmp_path / "credentials.yaml"
    credentials.write_text("api_key: sk_user_credentials\n")
    with pytest.raises(ChronicleConfigError, match="does not exist"):
        Chronicle.from_file(tmp_path / "missing.yaml", credentials)
    with pytest.raises(ChronicleConfigError, match="does not exist"):
        Chronicle.from_file(credentials=tmp_path / "missing.yaml")
    (tmp_path / "config.yaml").write_text("server_url: https://config.example\n")
    with pytest.raises(ChronicleConfigError, match="no API key") as info:
        Chronicle.from_file(tmp_path / "config.yaml")
    assert "config.yaml" in str(info.value)
