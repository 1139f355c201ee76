"""The one shared HTTP layer: configures httpx, maps every non-2xx to a typed error, logs each call.

Namespaces call generated endpoint functions through :meth:`Transport.call`. Error mapping lives in
an httpx response hook, so it runs before the generated code tries to parse an error body (which
might be a proxy's HTML page), and there is exactly one place where status codes become exceptions.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import quote, unquote

import httpx
from methodic_api.client import Client
from methodic_api.types import Response

from methodic._bounded import BoundedTransport, ResponseTooLarge, UnsupportedEncoding
from methodic._config import clean_api_key, normalize_server_url
from methodic._constants import DEFAULT_MAX_RESPONSE_BYTES, LOGGER_NAME, REQUEST_ID_HEADER
from methodic._key_scope import key_may_go_to
from methodic._models import Record, records
from methodic._redact import redact_library_logs, redact_text, redact_url
from methodic._tls import default_ssl_context
from methodic._version import USER_AGENT
from methodic.errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    AuthenticationError,
    ChronicleError,
    ClientClosedError,
    UnsafePathError,
    error_class_for_status,
)

logger = logging.getLogger(LOGGER_NAME)

R = TypeVar("R", bound=Record)

_START = "methodic_started_at"

_CLOSED = (
    "this Chronicle client is closed (close() was called or its `with` block ended); make a new client"
    " (e.g. Chronicle.from_env()) for more calls"
)


class _ThroughCallersClient(httpx.BaseTransport):
    """Sends our requests through a caller's ``httpx.Client`` (its transport, pool, auth, hooks), unchanged."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._client.send(request, stream=True, follow_redirects=False)

    def close(self) -> None:
        """The caller's client is the caller's to close."""


def _on_request(request: httpx.Request) -> None:
    request.extensions[_START] = time.perf_counter()


def _elapsed_ms(request: httpx.Request) -> float:
    started = request.extensions.get(_START)
    return (time.perf_counter() - started) * 1000 if isinstance(started, float) else -1.0


def error_from_response(response: httpx.Response, *, secret: str = "") -> APIError:
    """Build the typed exception for a non-2xx response (its body must already be read)."""
    body: Any = None
    code: str | None = None
    message: str | None = None
    request_id = response.headers.get(REQUEST_ID_HEADER)
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: nested too deep
        text = response.text.strip()
        snippet = " ".join(text.split())[:200]
        content_type = response.headers.get("content-type", "unknown content type")
        message = f"non-JSON error response ({content_type})" + (f": {snippet}" if snippet else ", empty body")
    if isinstance(body, dict):
        code = body.get("code") if isinstance(body.get("code"), str) else None
        message = body.get("message") if isinstance(body.get("message"), str) else None
        request_id = request_id or (body.get("request_id") if isinstance(body.get("request_id"), str) else None)
    if not message:
        message = response.reason_phrase or "request failed"
    cls = error_class_for_status(response.status_code)
    return cls(
        redact_text(message, secret),
        status_code=response.status_code,
        code=code,
        request_id=request_id,
        body=body,
        method=response.request.method,
        path=response.request.url.path,
    )


class Transport:
    """Owns the API's httpx client and the generated ``AuthenticatedClient`` that wraps it."""

    def __init__(
        self,
        server_url: str,
        api_key: str,
        *,
        timeout: float,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        api_key = clean_api_key(api_key)
        self.server_url = normalize_server_url(server_url)
        self.display_url = redact_url(self.server_url)  # never a password in a message or a repr
        self._api_key = api_key  # kept to scrub it from error messages
        redact_library_logs()
        self.timeout = httpx.Timeout(timeout)
        # Only encodings the bounded transport can decode with a cap on the output.
        headers = {"Authorization": f"Bearer {api_key}", "User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
        if http_client is not None:
            # A caller's client keeps its transport, pool, auth and hooks, and is never modified: our
            # client sends through it, with the caller's default headers and (if set) its timeout.
            headers = {**http_client.headers, **headers}
            if http_client.timeout != httpx.Timeout(None):
                self.timeout = http_client.timeout
            transport = _ThroughCallersClient(http_client)
        # Every call ends within its timeout, start to end (httpx's own timeouts are per read), and no
        # body may grow past max_response_bytes, decompressed.
        bounded = BoundedTransport(
            transport if transport is not None else httpx.HTTPTransport(verify=default_ssl_context()),
            max_body_bytes=max_response_bytes,
            deadline=self.timeout.read if self.timeout.read is not None else timeout,
        )
        self.http = httpx.Client(
            base_url=self.server_url,
            headers=headers,
            timeout=self.timeout,
            transport=bounded,
            follow_redirects=False,
            event_hooks={"request": [_on_request], "response": [self._on_response]},
        )
        # The generated client only routes calls to our httpx client; the bearer token lives in its headers.
        self.api = Client(base_url=self.server_url, timeout=self.timeout).set_httpx_client(self.http)
        #: Set (by ``Chronicle.from_env``/``from_file``) when the URL is the built-in default because nothing
        #: configured one: connection errors and 401s then say so, until a call succeeds.
        self.default_url_note: str | None = None

    def mark_default_url(self) -> None:
        """Say in connection errors and 401s that the URL is the default one, nobody's choice."""
        self.default_url_note = (
            f" ({self.display_url} is the default server URL: no server_url=, CHRONICLE_SERVER_URL or config-file"
            " server_url was set. A key from a local server (`methodic dev-server`, LocalChronicle) works only"
            " at that server: set CHRONICLE_SERVER_URL to the URL it printed)"
        )

    def __repr__(self) -> str:
        return f"<Transport server_url={self.display_url!r}>"

    def _on_response(self, response: httpx.Response) -> None:
        request = response.request
        if response.is_success:
            self.default_url_note = None  # the URL works: whoever chose it, it is the right one
            logger.debug(
                "%s %s -> %d request_id=%s %.1fms",
                request.method,
                request.url.path,
                response.status_code,
                response.headers.get(REQUEST_ID_HEADER),
                _elapsed_ms(request),
            )
            return
        response.read()
        error = error_from_response(response, secret=self._api_key)
        if self.default_url_note and isinstance(error, AuthenticationError):
            error.message += self.default_url_note
        logger.debug(
            "%s %s -> %d code=%s request_id=%s %.1fms",
            request.method,
            request.url.path,
            response.status_code,
            error.code,
            error.request_id,
            _elapsed_ms(request),
        )
        raise error

    def call(self, endpoint: Callable[..., Response[Any]], expected: type[R], /, **kwargs: Any) -> R:
        """Call the operation of a generated endpoint and read its JSON object as ``expected``, or raise a typed error.

        The generated module builds the request (method, path, query, body: exactly the contract); the
        response is read tolerantly into a record: unknown keys kept, missing ones read as None, an empty
        body (a lifecycle call may answer with nothing) an empty record. Only a body that is not a JSON
        object at all is a contract mismatch.
        """
        body, _ = self._send(endpoint, kwargs)
        if body is None:
            return expected()
        if not isinstance(body, dict):
            raise APIResponseValidationError(
                f"expected a JSON object from {_operation_name(endpoint)}, got {type(body).__name__}"
            )
        return expected(body)

    def call_list(
        self, endpoint: Callable[..., Response[Any]], item: type[R], /, **kwargs: Any
    ) -> tuple[list[R], httpx.Headers]:
        """Call an operation whose answer is a JSON array; its items as ``item`` records, and the response headers.

        A server that still wraps the array in an object (``{"assets": [...]}``) is read too: the one list
        it holds is taken.
        """
        body, headers = self._send(endpoint, kwargs)
        if isinstance(body, dict):
            lists = [v for v in body.values() if isinstance(v, list)]
            body = lists[0] if len(lists) == 1 else None
        if body is None:
            body = []
        if not isinstance(body, list):
            raise APIResponseValidationError(
                f"expected a JSON array from {_operation_name(endpoint)}, got {type(body).__name__}"
            )
        return records(item, body), headers

    def _send(self, endpoint: Callable[..., Response[Any]], kwargs: Mapping[str, Any]) -> tuple[Any, httpx.Headers]:
        build = getattr(sys.modules[endpoint.__module__], "_get_kwargs")  # noqa: B009 - the generated request builder
        request: dict[str, Any] = build(**kwargs)
        method = str(request["method"]).upper()
        url = owner_qualified(str(request["url"]), one_segment=True)
        headers = dict(request.get("headers") or {})
        if "json" not in request:
            headers.pop("Content-Type", None)  # no body, no content type (as the hosted client sends it)
        return self._request(method, url, params=request.get("params"), json=request.get("json"), headers=headers)

    def _request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> tuple[Any, httpx.Headers]:
        if url.startswith("/"):
            confine_path(url)
        kwargs: dict[str, Any] = {"params": dict(params) if params else None, "headers": headers}
        if json is not None:
            kwargs["json"] = json
        if timeout is not None:
            kwargs["timeout"] = timeout
        where = self.display_url if url.startswith("/") else redact_url(url)
        if self.http.is_closed:
            raise ClientClosedError(_CLOSED)
        try:
            response = self.http.request(method, url, **kwargs)
        except APIError:
            raise
        except httpx.TimeoutException as exc:
            waited = timeout if timeout is not None else self.timeout.read
            raise APITimeoutError(f"request timed out after {waited}s: {type(exc).__name__}") from exc
        except httpx.TransportError as exc:
            reason = redact_text(str(exc) or type(exc).__name__, self._api_key)
            note = self.default_url_note if url.startswith("/") else None
            raise APIConnectionError(f"could not reach {where}: {reason}{note or ''}") from exc
        except ResponseTooLarge as exc:
            raise APIResponseValidationError(
                f"{exc} (Chronicle(max_response_bytes=...) raises the limit); the body was not read further"
            ) from None
        except UnsupportedEncoding as exc:
            raise APIResponseValidationError(str(exc)) from None
        except RuntimeError:
            if self.http.is_closed:  # closed by another thread while this call was starting
                raise ClientClosedError(_CLOSED) from None
            raise
        if not response.content:
            return None, response.headers
        try:
            return response.json(), response.headers
        except (ValueError, RecursionError) as exc:
            raise APIResponseValidationError(
                f"{method} {redact_url(url)} answered {response.status_code} with a body that is not JSON",
                status_code=response.status_code,
                request_id=response.headers.get(REQUEST_ID_HEADER),
            ) from exc

    # -- raw requests: the escape hatch for endpoints without a wrapper -----------------------------
    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> Any:
        """Call any endpoint of this server and return its parsed JSON (None for an empty body).

        ``path`` is version-free as hosted-SDK code writes it (``/experiments/{id}/outputs``; ``/v1``
        is added) or already versioned (``/v1/me/scopes``). It is always a path on this client's
        server: a full URL is refused, so the bearer token never goes anywhere else. Failures raise
        the same typed errors as every wrapped call (NotFoundError, ConflictError, ...).
        """
        body, _ = self._request(method, owner_qualified(canonical_path(path)), params=params, json=json)
        return body

    def gateway_headers(self, url: str) -> dict[str, str]:
        """The ``Authorization`` header for a storage-gateway URL, if the key may go there (else ChronicleError).

        The gateway's upload URLs (the ``r2`` route) take the API key; the rule of
        :func:`methodic._key_scope.key_may_go_to` decides, and a URL it refuses fails before any byte moves.
        """
        if not key_may_go_to(url, self.server_url):
            raise ChronicleError(
                f"refusing to send the API key to {redact_url(url)}: the storage gateway's URLs must be https,"
                " on Chronicle's own host, or on this machine"
            )
        return {"Authorization": f"Bearer {self._api_key}"}

    def post_absolute(self, url: str, *, json: Any, timeout: float) -> Any:
        """POST to an absolute URL with the API key (the storage gateway's); the parsed JSON, typed errors as usual.

        Only for a URL the caller has vetted: the bearer token goes with it.
        """
        body, _ = self._request("POST", url, json=json, timeout=timeout)
        return body

    def get(self, path: str, *, params: Mapping[str, Any] | None = None) -> Any:
        """GET a version-free (or ``/v1``) path; the parsed JSON. See :meth:`request`."""
        return self.request("GET", path, params=params)

    def post(self, path: str, *, json: Any = None, params: Mapping[str, Any] | None = None) -> Any:
        """POST ``json`` to a version-free (or ``/v1``) path; the parsed JSON. See :meth:`request`."""
        return self.request("POST", path, json=json, params=params)

    def put(self, path: str, *, json: Any = None, params: Mapping[str, Any] | None = None) -> Any:
        """PUT ``json``; the parsed JSON. See :meth:`request`."""
        return self.request("PUT", path, json=json, params=params)

    def patch(self, path: str, *, json: Any = None, params: Mapping[str, Any] | None = None) -> Any:
        """PATCH ``json``; the parsed JSON. See :meth:`request`."""
        return self.request("PATCH", path, json=json, params=params)

    def delete(self, path: str, *, params: Mapping[str, Any] | None = None) -> Any:
        """DELETE; the parsed JSON. See :meth:`request`."""
        return self.request("DELETE", path, params=params)

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self.http.close()


def canonical_path(path: str) -> str:
    """``/v1`` + a version-free path (a ``/v1`` path unchanged); ValueError for a URL or a relative path.

    The hosted SDK's transport takes version-free paths (``/experiments/{id}/outputs``) and older code
    passed ``/v1/me/scopes``: both reach the canonical endpoint, never the deprecated bare one.
    """
    if not path.startswith("/") or path.startswith("//") or "://" in path.split("?", 1)[0]:
        # the message quotes what was passed, minus any query string (a presigned URL's signature)
        raise UnsafePathError(
            f"expected a path on the Chronicle server such as /experiments/ID, got {redact_text(path)!r}"
        )
    if path == "/v1" or path.startswith(("/v1/", "/v1?")):
        return path
    return "/v1" + path


def confine_path(path: str) -> str:
    """``path`` unchanged if it stays where it is joined; UnsafePathError for a ``.`` or ``..`` segment.

    The server URL may carry a prefix (``http://host/prefix``); dot segments are resolved after the join
    (by httpx, or by a proxy that decodes ``%2e`` and ``%2f``), so ``/v1/../../x`` would carry the bearer
    key to ``/x``, outside the API. They are refused as written, percent-decoded, and with a backslash
    read as ``/``; a query string is not part of the path. Nothing is sent.
    """
    head = re.split(r"[?#]", path, maxsplit=1)[0]
    for candidate in (head, unquote(head)):
        if any(segment in (".", "..") for segment in re.split(r"[/\\]", candidate)):
            shown = redact_text(head)[:200]
            raise UnsafePathError(
                f"refusing the path {shown!r}: a dot segment ('.' or '..') would leave the API's prefix on the"
                " server; name the endpoint's path directly"
            )
    return path


def _operation_name(endpoint: Callable[..., Any]) -> str:
    return endpoint.__module__.rpartition(".")[2]


def owner_qualified(path: str, *, one_segment: bool = False) -> str:
    """Route an owner-qualified experiment reference onto the hosted grammar; any other path unchanged.

    ``/v1/experiments/@alice/ripple/commit`` (or with the reference URL-encoded as one segment, as the
    generated endpoints quote it) becomes ``/v1/u/alice/e/ripple/commit``; ``o/acme/ripple`` becomes
    ``/v1/o/acme/e/ripple``. A UUID or a bare slug stays under ``/v1/experiments/`` (the server resolves it).
    """
    prefix = "/v1/experiments/"
    if not path.startswith(prefix):
        return path
    head, sep, query = path.partition("?")
    first, slash, tail = head[len(prefix) :].partition("/")
    reference = unquote(first)
    if "/" in reference:  # the whole reference in one (quoted) segment: the generated endpoints' form
        pieces = [quote(piece, safe="@") for piece in reference.split("/")]  # a "?" in a slug stays in the path
        segments = [*pieces, *(tail.split("/") if slash else [])]
        parts = len(reference.split("/"))
    elif one_segment:
        return path
    else:  # written out as path segments, as raw hosted-SDK paths are
        segments = [reference, *(tail.split("/") if slash else [])]
        parts = 0
    if segments[0].startswith("@") and len(segments) >= 2 and segments[0][1:] and segments[1] and parts in (0, 2):
        kind, owner, remainder = "u", segments[0][1:], segments[1:]
    elif segments[0] in ("o", "u") and len(segments) >= 3 and segments[1] and segments[2] and parts in (0, 3):
        kind, owner, remainder = segments[0], segments[1], segments[2:]
    else:
        return path
    return f"/v1/{kind}/{owner}/e/" + "/".join(remainder) + sep + query
