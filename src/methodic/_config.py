"""Resolving client settings: keyword arguments, then environment, then ~/.methodic, then defaults."""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from methodic._constants import (
    CONFIG_DIR,
    CONFIG_FILE,
    CREDENTIALS_FILE,
    DEFAULT_MAX_UPLOAD_WORKERS,
    DEFAULT_SERVER_URL,
    DEFAULT_TIMEOUT,
    ENV_API_KEY,
    ENV_CONFIG,
    ENV_MAX_UPLOAD_WORKERS,
    ENV_ORGANIZATION_ID,
    ENV_ORGANIZATION_SLUG,
    ENV_SCRIBE_URL,
    ENV_SERVER_URL,
    ENV_TIMEOUT,
    LOGGER_NAME,
)
from methodic._key_scope import loopback
from methodic.errors import ChronicleConfigError

logger = logging.getLogger(LOGGER_NAME)

#: What a character of an API key found where none may be is called in an error message.
_ODD_CHARACTERS = {"\n": "a line break", "\r": "a carriage return", "\t": "a tab", " ": "a space"}


def clean_api_key(value: str) -> str:
    """The key without surrounding whitespace; ChronicleConfigError (never quoting the key) if it cannot be one.

    A key read from a file or a variable often ends in a newline (``echo $KEY > file``), which as part of the
    ``Authorization`` header would fail every call with an obscure "Illegal header value": surrounding
    whitespace is dropped. What is left must be one token of printable ASCII, as keys and tokens are; a
    space or line break inside, or quotes around it, means it was copied wrongly, and the message says where.
    """
    key = str(value).strip()
    if not key:
        raise ChronicleConfigError("api_key is empty (or only whitespace)")
    if len(key) >= 2 and key[0] == key[-1] and key[0] in "\"'":
        raise ChronicleConfigError(
            "api_key is wrapped in quotes; store the key itself (in YAML `api_key: sk_...`, in a shell"
            " `export CHRONICLE_API_KEY=sk_...`)"
        )
    for position, char in enumerate(key, start=1):
        if not "!" <= char <= "~":
            what = _ODD_CHARACTERS.get(char, "a non-ASCII character" if ord(char) > 127 else "a control character")
            raise ChronicleConfigError(
                f"api_key has {what} at character {position} of {len(key)}; a key is one line of printable ASCII"
                " without spaces: check the file or variable it came from (two keys in one, a wrapped copy)"
            )
    return key


def normalize_server_url(value: str) -> str:
    """``value`` as the client's base URL, or ChronicleConfigError saying what is wrong with it.

    It must name a scheme (``http://`` or ``https://``) and a host: a bare ``localhost:8000`` is refused here,
    at construction, instead of failing on the first call. Surrounding whitespace and trailing slashes are
    dropped. A base ending in ``/v1`` is taken as the server's root (with a debug log): every API path
    already starts with ``/v1``, so such a base can only have been copied from an endpoint's URL, and
    keeping it would send every call to ``/v1/v1/...`` (404).
    """
    url = str(value).strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        shown = url.rpartition("@")[2] if "@" in url else url  # never a password in a message
        host = shown.partition("/")[0].rpartition(":")[0] or shown.partition("/")[0]
        scheme = "http" if loopback(host) else "https"
        hint = f"; did you mean '{scheme}://{shown}'?" if shown and ":/" not in shown else ""
        raise ChronicleConfigError(
            f"server_url must be a full URL starting with http:// or https://, got {shown!r}{hint}"
        )
    if any(char.isspace() for char in url):
        raise ChronicleConfigError("server_url contains whitespace")
    if parts.query or parts.fragment:
        raise ChronicleConfigError("server_url must not have a query string or fragment (#...)")
    url = url.rstrip("/")
    if url.endswith("/v1"):
        url = url[: -len("/v1")].rstrip("/")
        logger.debug("server_url ended in /v1, which every API path adds itself: using %s", url)
    return url


@dataclass(frozen=True)
class Settings:
    """Fully resolved settings for a :class:`~methodic.Chronicle`."""

    server_url: str
    api_key: str
    organization_id: str | None
    timeout: float
    max_upload_workers: int
    organization_slug: str | None = None
    scribe_url: str | None = None
    #: Whether ``server_url`` is the built-in default because nothing configured one (errors then say so).
    server_url_from_default: bool = False

    def __repr__(self) -> str:
        return (
            f"Settings(server_url={self.server_url!r}, api_key='<redacted>', organization_id={self.organization_id!r},"
            f" organization_slug={self.organization_slug!r}, timeout={self.timeout!r},"
            f" max_upload_workers={self.max_upload_workers!r})"
        )


#: A config or credentials file larger than this is refused before it is parsed (a few lines are expected).
MAX_CONFIG_BYTES = 64 * 1024
#: Settings a file gives as text; a list or a mapping there is an error, never ``str()``-ed into a key or URL.
_TEXT_SETTINGS = ("api_key", "server_url", "organization_id", "organization_slug", "scribe_url")


def _no_alias_loader() -> Any:
    """A YAML safe loader that refuses aliases: an alias bomb (billion laughs) never expands, in time or memory."""
    import yaml

    class NoAliasLoader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):  # type: ignore[no-untyped-call]
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(
                    None, None, "aliases (*name) are not allowed in a methodic config file", event.start_mark
                )
            return super().compose_node(parent, index)

    return NoAliasLoader


def _read_yaml(path: Path) -> dict[str, Any]:
    """The mapping in a config or credentials file; ChronicleConfigError for anything else.

    Bounded: at most :data:`MAX_CONFIG_BYTES`, UTF-8, no YAML aliases, and every setting a scalar.
    """
    if not path.is_file():
        return {}
    import yaml  # only needed when a config file exists

    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ChronicleConfigError(f"cannot read {path}: {type(exc).__name__}") from exc
    if len(raw) > MAX_CONFIG_BYTES:
        raise ChronicleConfigError(f"{path} is larger than {MAX_CONFIG_BYTES} bytes; a config file is a few lines")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ChronicleConfigError(f"{path} is not UTF-8 text (byte {exc.start} cannot be decoded)") from None
    try:
        data = yaml.load(text, Loader=_no_alias_loader())  # noqa: S506 - a safe loader, without aliases
    except (yaml.YAMLError, ValueError, RecursionError) as exc:  # ValueError: an int past 4,300 digits
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) if isinstance(exc, yaml.YAMLError) else None
        problem = problem or type(exc).__name__
        raise ChronicleConfigError(f"cannot read {path}{where}: {problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ChronicleConfigError(f"{path} must be a mapping of `key: value` lines")
    for key in _TEXT_SETTINGS:
        value = data.get(key)
        if (value is not None and not isinstance(value, (str, int))) or isinstance(value, bool):
            raise ChronicleConfigError(f"{key} in {path} must be text, got a {type(value).__name__}")
    return data


def _number(name: str, raw: Any, kind: type[int] | type[float]) -> Any:
    """A positive, finite ``kind`` from a keyword, an environment variable or a file; ChronicleConfigError else."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise ChronicleConfigError(f"{name} must be a number, got a {type(raw).__name__}")
    try:
        value = kind(raw)
    except (TypeError, ValueError, OverflowError):
        shown = raw if len(str(raw)) <= 40 else f"{str(raw)[:40]}..."
        raise ChronicleConfigError(f"{name} must be a number, got {shown!r}") from None
    if not math.isfinite(value):
        raise ChronicleConfigError(f"{name} must be a finite number, got {raw!r}")
    if value <= 0:
        raise ChronicleConfigError(f"{name} must be positive, got {raw!r}")
    return value


def check_timeout(timeout: Any) -> float:
    """``timeout`` as a positive, finite float; ChronicleConfigError for NaN, infinity, zero or less."""
    value: float = _number("timeout", timeout, float)
    return value


def _pick_organization(*sources: Mapping[str, Any]) -> tuple[Any, Any]:
    """(organization_id, organization_slug) from the first source that sets either; both in one source is an error.

    An id in the environment and a slug in a keyword argument are not a conflict: the keyword wins whole.
    """
    for source in sources:
        org_id, slug = source.get("organization_id"), source.get("organization_slug")
        if org_id is not None and slug is not None:
            raise ChronicleConfigError("set organization_id or organization_slug, not both")
        if org_id is not None or slug is not None:
            return org_id, slug
    return None, None


def resolve_settings(
    overrides: Mapping[str, Any],
    *,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
    config_file: Path | None = None,
    credentials_file: Path | None = None,
) -> Settings:
    """Resolve each setting from the first source that has it; raise if there is no API key.

    Order: ``overrides`` (keyword arguments), then ``CHRONICLE_*`` environment variables, then
    ``~/.methodic/credentials.yaml`` (``api_key``) and ``~/.methodic/config.yaml`` (``server_url``,
    ``organization_id`` or ``organization_slug``), then the built-in defaults. One file given as
    ``config_file`` (or named by ``$CHRONICLE_CONFIG``) replaces both ``~/.methodic`` files; with
    ``credentials_file`` too, the pair replaces them (each may hold any setting; credentials win on overlap).
    """
    env = os.environ if environ is None else environ
    base = (home if home is not None else Path.home()) / CONFIG_DIR
    single = config_file if config_file is not None else (Path(env[ENV_CONFIG]) if env.get(ENV_CONFIG) else None)
    if single is not None or credentials_file is not None:
        for named in (single, credentials_file):
            if named is not None and not named.is_file():
                raise ChronicleConfigError(f"config file {named} does not exist")
        config = _read_yaml(single) if single is not None else {}
        credentials = {**config, **(_read_yaml(credentials_file) if credentials_file is not None else {})}
        config = credentials
    else:
        credentials = _read_yaml(base / CREDENTIALS_FILE)
        config = _read_yaml(base / CONFIG_FILE)
    where = credentials_file or single or base / CREDENTIALS_FILE

    def pick(key: str, env_name: str, file_values: Mapping[str, Any], default: Any = None) -> Any:
        if overrides.get(key) is not None:
            return overrides[key]
        if env.get(env_name):
            return env[env_name]
        if file_values.get(key) is not None:
            return file_values[key]
        return default

    api_key = pick("api_key", ENV_API_KEY, credentials)
    if not api_key or not str(api_key).strip():
        raise ChronicleConfigError(
            f"no API key: pass api_key=, set CHRONICLE_API_KEY, or write `api_key: sk_...` to {where}"
        )
    configured_url = pick("server_url", ENV_SERVER_URL, config)
    server_url = normalize_server_url(str(configured_url if configured_url is not None else DEFAULT_SERVER_URL))
    organization_id, organization_slug = _pick_organization(
        overrides,
        {
            "organization_id": env.get(ENV_ORGANIZATION_ID) or None,
            "organization_slug": env.get(ENV_ORGANIZATION_SLUG) or None,
        },
        config,
    )
    timeout = _number("timeout", pick("timeout", ENV_TIMEOUT, config, DEFAULT_TIMEOUT), float)
    workers = _number(
        "max_upload_workers",
        pick("max_upload_workers", ENV_MAX_UPLOAD_WORKERS, config, DEFAULT_MAX_UPLOAD_WORKERS),
        int,
    )
    return Settings(
        server_url=server_url,
        api_key=clean_api_key(str(api_key)),
        organization_id=str(organization_id) if organization_id is not None else None,
        organization_slug=str(organization_slug) if organization_slug is not None else None,
        scribe_url=pick("scribe_url", ENV_SCRIBE_URL, config),
        timeout=timeout,
        max_upload_workers=workers,
        server_url_from_default=configured_url is None,
    )
