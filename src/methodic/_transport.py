"""The one shared HTTP layer: configures httpx, maps every non-2xx to a typed error, logs each call.

Namespaces call generated endpoint functions through :meth:`Transport.call`. Error mapping lives in
an httpx response hook, so it runs before the generated code tries to parse an error body (which
might be a proxy's HTML page), and there is exactly one place where status codes become exceptions.
"""

from __future__ import annotations

import json
import logging
import platform
import time
from collections.abc import Callable
from typing import Any, TypeVar

import httpx
from methodic_api.client import AuthenticatedClient
from methodic_api.types import Response

from methodic._constants import LOGGER_NAME, REQUEST_ID_HEADER
from methodic._redact import redact_text
from methodic._version import __version__
from methodic.errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    error_class_for_status,
)

logger = logging.getLogger(LOGGER_NAME)

T = TypeVar("T")

USER_AGENT = f"methodic/{__version__} python/{platform.python_version()}"
_START = "methodic_started_at"


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
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
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
    ) -> None:
        self.server_url = server_url.rstrip("/")
        self._api_key = api_key
        self.timeout = httpx.Timeout(timeout)
        headers = {"Authorization": f"Bearer {api_key}", "User-Agent": USER_AGENT}
        if http_client is None:
            http_client = httpx.Client(
                base_url=self.server_url,
                headers=headers,
                timeout=self.timeout,
                transport=transport,
                follow_redirects=False,
            )
        else:
            # A caller-supplied client keeps its transport and pool; it gets our base URL, headers and hooks.
            http_client.base_url = httpx.URL(self.server_url)
            http_client.headers.update(headers)
            if http_client.timeout == httpx.Timeout(None):
                http_client.timeout = self.timeout
        http_client.event_hooks = {
            "request": [*http_client.event_hooks.get("request", []), _on_request],
            "response": [*http_client.event_hooks.get("response", []), self._on_response],
        }
        self.http = http_client
        # Created eagerly: the generated client creates its httpx client lazily and without a lock.
        self.api = AuthenticatedClient(base_url=self.server_url, token=api_key, timeout=self.timeout)
        self.api.set_httpx_client(http_client)

    def _on_response(self, response: httpx.Response) -> None:
        request = response.request
        if response.is_success:
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

    def call(self, endpoint: Callable[..., Response[Any]], expected: type[T], /, **kwargs: Any) -> T:
        """Call a generated ``sync_detailed`` function and return its parsed body, or raise a typed error."""
        try:
            response = endpoint(client=self.api, **kwargs)
        except APIError:
            raise
        except httpx.TimeoutException as exc:
            raise APITimeoutError(f"request timed out after {self.timeout.read}s: {type(exc).__name__}") from exc
        except httpx.TransportError as exc:
            reason = redact_text(str(exc) or type(exc).__name__, self._api_key)
            raise APIConnectionError(f"could not reach {self.server_url}: {reason}") from exc
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise APIResponseValidationError(
                f"the server's response does not match the API contract: {type(exc).__name__}: {exc}"
            ) from exc
        parsed = response.parsed
        if not isinstance(parsed, expected):
            raise APIResponseValidationError(
                f"expected {expected.__name__} in the {response.status_code} response, got {type(parsed).__name__}",
                status_code=response.status_code,
                request_id=response.headers.get(REQUEST_ID_HEADER),
            )
        return parsed

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self.http.close()
