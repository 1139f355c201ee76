"""What every route module declares its operations with, and the helpers they share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from methodic_server.backend import ObjectStore
from methodic_server.errors import bad_request
from methodic_server.options import ApiOptions
from methodic_server.store import Store, now_iso
from methodic_server.store.documents import is_ascii_digits

#: The experiment, variation and run path prefixes, as the contract spells them.
EXPERIMENT = "/v1/experiments/{experiment_id}"
VARIATION = EXPERIMENT + "/variations/{variation}"
RUN = VARIATION + "/runs/{run}"


@dataclass
class Ctx:
    """What a handler gets: path parameters, query, JSON body and the caller."""

    params: dict[str, Any]
    query: dict[str, str]
    body: dict[str, Any]
    key_kind: str
    scope: dict[str, Any] | None


@dataclass(frozen=True)
class Caller:
    """Who a request comes from: the kind of key (user, worker, superadmin, public) and the key's scope."""

    key_kind: str
    scope: dict[str, Any] | None = None


#: What a handler answers: status and JSON payload, and optionally extra response headers.
Answer = tuple[int, Any] | tuple[int, Any, dict[str, str]]
Handler = Callable[[Ctx], Answer]


@dataclass
class Operation:
    """One operation of the contract and who may call it."""

    op_id: str
    method: str
    path: str
    handler: Handler
    takes_body: bool = False
    worker: str = "deny"  # deny | read | run (mutates the worker's own run) | asset (assets of its run)
    public: bool = False  # answers without a key
    #: an operation that speaks a protocol of its own (MCP's JSON-RPC) answers the raw request itself, not
    #: through the API's JSON bodies: ``endpoint(request, raw_body)``, the body None when it was over the
    #: server's limit and left unread (see routes/mcp.py)
    endpoint: Callable[[Any, bytes | None], Any] | None = None


@dataclass
class Services:
    """What the handlers work on."""

    store: Store
    storage: ObjectStore
    options: ApiOptions


def created_by(ctx: Ctx) -> str:
    """Who the caller is, as records name their creator."""
    return "local-user" if ctx.key_kind == "user" else ctx.key_kind


def query_flag(ctx: Ctx, name: str) -> bool:
    """A boolean query parameter (``true``/``false``; absent is false)."""
    raw = ctx.query.get(name, "false").lower()
    if raw not in ("true", "false", "1", "0"):
        raise bad_request(f"{name} must be true or false")
    return raw in ("true", "1")


def query_int(ctx: Ctx, name: str, default: int | None = None, lo: int = 0, hi: int = 10**9) -> int | None:
    """An integer query parameter within [lo, hi], or ``default`` when absent."""
    raw = ctx.query.get(name)
    if raw is None:
        return default
    if not is_ascii_digits(raw) or not lo <= int(raw) <= hi:
        raise bad_request(f"{name} must be an integer between {lo} and {hi}")
    return int(raw)


def locked(store: Store, fn: Callable[[], Any]) -> Any:
    """Run a read that touches several records as one transaction (the watchdog may write meanwhile)."""
    with store.transaction():
        return fn()


def iso(stamp: int) -> str:
    """An expiry stamp as the contract's timestamp."""
    return now_iso(stamp)
