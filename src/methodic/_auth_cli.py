"""``methodic auth login`` and ``methodic auth status``: the credential files under ``~/.methodic``.

``login`` stores the key in ``credentials.yaml`` (the folder 0700, the file 0600, written whole and
renamed into place, so a crash leaves the old file or the new one) and the server URL and default
organization in ``config.yaml``; by default it first proves the key against the server and resolves an
organization given by slug; at a terminal without ``--organization``/``--personal`` it offers the caller's
organizations as the default (Enter keeps the current one). ``status`` shows what a client built with
``Chronicle.from_env()`` would use, the key masked. Neither prints a key.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from methodic._config import _read_yaml, clean_api_key, normalize_server_url
from methodic._constants import (
    CONFIG_DIR,
    CONFIG_FILE,
    CREDENTIALS_FILE,
    DEFAULT_SERVER_URL,
    ENV_API_KEY,
    ENV_CONFIG,
    ENV_SERVER_URL,
)
from methodic.errors import AuthenticationError, ChronicleError


def add_auth_commands(sub: Any) -> None:
    """Add ``auth login`` and ``auth status`` to the ``methodic`` parser's subcommands."""
    auth = sub.add_parser("auth", help="store or show the credentials in ~/.methodic")
    auth.set_defaults(help_of=auth)
    auth_sub = auth.add_subparsers(dest="auth_command", metavar="SUBCOMMAND")
    login = auth_sub.add_parser("login", help="store an API key (and optionally a server and default organization)")
    login.add_argument("--api-key", help="the key (sk_...) or an access token; asked for, hidden, when omitted")
    login.add_argument("--server-url", help=f"the Chronicle server, kept in config.yaml (default {DEFAULT_SERVER_URL})")
    which = login.add_mutually_exclusive_group()
    which.add_argument("--organization", metavar="ID_OR_SLUG", help="default organization of new experiments")
    which.add_argument("--personal", action="store_true", help="no default organization (your personal scope)")
    login.add_argument("--no-verify", action="store_true", help="store the key without checking it against the server")
    login.set_defaults(func=auth_login)
    status = auth_sub.add_parser("status", help="show the configuration a client would use (the key masked)")
    status.set_defaults(func=auth_status)


def _home() -> Path:
    return Path.home() / CONFIG_DIR


def _write_private(path: Path, data: dict[str, Any]) -> None:
    """Write a YAML mapping readable by the owner only, atomically (temp file in the same folder, then rename)."""
    import yaml

    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w") as out:  # mkstemp's file is 0600 from the start
            out.write(yaml.safe_dump(data, default_flow_style=False) if data else "")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def mask(key: str) -> str:
    """A key as it may be shown: its kind prefix and last four characters."""
    key = key.strip()
    if len(key) <= 12:
        return "****"
    prefix = key.split("_", 2)
    shown = "_".join(prefix[:2]) + "_" if key.startswith("sk_") and len(prefix) == 3 else ""
    return f"{shown}…{key[-4:]}"


def auth_login(args: argparse.Namespace) -> int:
    """Store the key (verified unless ``--no-verify``) and the settings given; exit 0, or 1/2 on failure."""
    key = (args.api_key or getpass.getpass("API key (input hidden): ")).strip()
    if not key:
        print("error: no API key given", file=sys.stderr)
        return 1
    key = clean_api_key(key)  # a malformed key is refused (ChronicleConfigError), never stored
    base = _home()
    stored = _read_yaml(base / CONFIG_FILE).get("server_url")  # where clients built from these files will go
    chosen = args.server_url or os.environ.get(ENV_SERVER_URL) or stored
    server_url = normalize_server_url(str(chosen or DEFAULT_SERVER_URL))
    default_note = "" if chosen else " (the default server; --server-url URL for another, e.g. a local one)"
    organization: str | None = None
    who = None
    if not args.no_verify:
        from methodic._client import Chronicle

        try:
            with Chronicle(server_url, key) as client:
                scopes = client.me.scopes()
        except AuthenticationError:
            print(f"error: {server_url}{default_note} refused the key", file=sys.stderr)
            return 1
        except ChronicleError as exc:
            print(
                f"error: could not check the key against {server_url}{default_note}: {exc} (--no-verify stores it"
                " anyway)",
                file=sys.stderr,
            )
            return 2
        who = next((s.name or s.slug for s in scopes if s.kind == "user"), None)
        if args.organization:
            found = [s for s in scopes if s.kind == "organization" and args.organization in (s.id, s.slug)]
            if not found:
                known = ", ".join(str(s.slug or s.id) for s in scopes if s.kind == "organization") or "none"
                print(f"error: you belong to no organization {args.organization!r} (yours: {known})", file=sys.stderr)
                return 1
            organization = str(found[0].id)
        elif not args.personal and sys.stdin.isatty():
            organization = _ask_organization([s for s in scopes if s.kind == "organization"])
    elif args.organization:
        organization = args.organization
    _write_private(base / CREDENTIALS_FILE, {**_read_yaml(base / CREDENTIALS_FILE), "api_key": key})
    config = _read_yaml(base / CONFIG_FILE)
    if args.server_url:
        config["server_url"] = server_url
    if organization is not None or args.personal:
        config.pop("organization_id", None)
        config.pop("organization_slug", None)
        if organization is not None:
            config["organization_id" if not args.no_verify else _org_key(organization)] = organization
    if args.server_url or organization is not None or args.personal:
        _write_private(base / CONFIG_FILE, config)
    checked = f"as {who} " if who else ""
    print(
        f"stored {mask(key)} for {server_url} {checked}in {base / CREDENTIALS_FILE} (0600)"
        + (" (not checked)" if args.no_verify else "")
    )
    if organization is not None:
        print(f"default organization: {organization}")
    elif args.personal:
        print("default organization: none (personal scope)")
    return 0


def _ask_organization(organizations: list[Any]) -> str | None:
    """At a terminal, offer the caller's organizations as the default: the id picked, or None to keep the current."""
    if not organizations:
        return None
    print("Your organizations:")
    for number, scope in enumerate(organizations, start=1):
        print(f"  {number}. {scope.slug or scope.id}" + (f" ({scope.name})" if scope.name else ""))
    while True:
        try:
            answer = input("Default organization (number or slug; Enter keeps the current one): ").strip()
        except EOFError:
            return None
        if not answer:
            return None
        if answer.isdigit() and 1 <= int(answer) <= len(organizations):
            return str(organizations[int(answer) - 1].id)
        found = [scope for scope in organizations if answer in (scope.slug, scope.id)]
        if found:
            return str(found[0].id)
        print(f"  none of them is {answer!r}; a number from the list, a slug, or Enter")


def _org_key(value: str) -> str:
    """Unverified, an organization is kept as an id when it looks like one, else as a slug (resolved on use)."""
    return "organization_id" if value.startswith("org_") or len(value) == 36 else "organization_slug"


def auth_status(args: argparse.Namespace) -> int:
    """Print the server, masked key, default organization and where each came from; exit 1 without a key."""
    base = _home()
    named = os.environ.get(ENV_CONFIG)
    files = [Path(named)] if named else [base / CONFIG_FILE, base / CREDENTIALS_FILE]
    merged: dict[str, Any] = {}
    for path in files:
        merged.update(_read_yaml(path))
    key = os.environ.get(ENV_API_KEY) or merged.get("api_key")
    configured = os.environ.get(ENV_SERVER_URL) or merged.get("server_url")
    present = [str(p) for p in files if p.is_file()]
    print(f"config files: {', '.join(present) if present else 'none'} (CHRONICLE_* variables override them)")
    print(f"server: {configured}" if configured else f"server: {DEFAULT_SERVER_URL} (the default: nothing sets one)")
    origin = " (from CHRONICLE_API_KEY)" if os.environ.get(ENV_API_KEY) else ""
    print(f"API key: {mask(str(key)) + origin if key else 'none'}")
    org_id = os.environ.get("CHRONICLE_ORGANIZATION_ID") or merged.get("organization_id")
    org_slug = os.environ.get("CHRONICLE_ORGANIZATION_SLUG") or merged.get("organization_slug")
    if org_id:
        print(f"default organization: {org_id}")
    elif org_slug:
        print(f"default organization: {org_slug!r} (a slug, resolved on first use)")
    else:
        print("default organization: none (personal scope)")
    if not key:
        print("no API key: run `methodic auth login` or set CHRONICLE_API_KEY", file=sys.stderr)
        return 1
    return 0
