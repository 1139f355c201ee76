"""Every exception the SDK raises on purpose, in one module: catch them from here (or from ``methodic``).

Every non-2xx API response becomes one of these, never a bare httpx error; so does every failed
storage transfer, a broken upload tracker, and SIGTERM inside ``run.lifecycle()``.

Hierarchy::

    ChronicleError
    ├── ChronicleConfigError            settings are missing or invalid (raised before any network call)
    ├── ClientClosedError (RuntimeError) a call on a Chronicle client after close() or its ``with`` block
    ├── APIError                        the server answered with an error, or could not be reached
    │   ├── APIStatusError              a non-2xx response (status_code, code, message, request_id, body)
    │   │   ├── BadRequestError         400, 422
    │   │   ├── AuthenticationError     401
    │   │   ├── PermissionDeniedError   403
    │   │   ├── NotFoundError           404
    │   │   ├── ConflictError           409
    │   │   ├── AssetExpiredError       410
    │   │   └── ServerError             5xx (search's 503 included)
    │   ├── APIConnectionError          the request never got a response
    │   │   └── APITimeoutError
    │   └── APIResponseValidationError  a 2xx whose body does not match the contract
    ├── StorageError                    a presigned storage request failed for good (status_code, code, component)
    │   ├── StorageFullError            storage answered 507 / insufficient_storage: it is full (never retried)
    │   └── IntegrityError              downloaded bytes do not match the recorded size or sha256
    │       ├── PartLayoutError         the server stated a size or part layout outside the contract's bounds
    │       └── ManifestError           an R2 copy's manifest disagrees with the record, or names an unsafe path
    ├── FileChangedError                a registered file changed before it was uploaded (the asset is not finalized)
    ├── UnsafePathError (ValueError)    a name that would escape its folder, a bad file or folder: refused up front
    ├── TrackerError                    the upload tracker database is unusable or was used wrongly
    ├── ReportNotCompiledError (RuntimeError) a report's PDF was asked for, but it was not compiled
    ├── UploadError                     one or more background uploads failed (failures: asset, component, error)
    └── DownloadError                   one or more components could not be downloaded

    RunTerminated (a BaseException)     SIGTERM arrived inside ``run.lifecycle()``

Nothing here ever contains the API key or a presigned URL's query string.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from methodic._redact import redact_text


class ChronicleError(Exception):
    """Base class of every exception the SDK raises on purpose."""


class ChronicleConfigError(ChronicleError):
    """The client could not be configured (no API key, a malformed config file, ...)."""


class ClientClosedError(ChronicleError, RuntimeError):
    """A call on a :class:`~methodic.Chronicle` after ``close()`` (or the end of its ``with`` block).

    A closed client's connections are gone, so nothing is sent; make a new client. It is a RuntimeError too,
    as the HTTP library's own "client has been closed" error was, so existing handlers keep catching it.
    """


class APIError(ChronicleError):
    """A call to the Chronicle API failed.

    ``status_code``, ``code``, ``request_id`` and ``body`` are None where the failure happened
    before a response arrived.
    """

    status_code: int | None
    code: str | None
    request_id: str | None
    body: Any

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        code: str | None = None,
        request_id: str | None = None,
        body: Any = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        self.message = redact_text(message)
        self.status_code = status_code
        self.code = code
        self.request_id = request_id
        self.body = body
        self.method = method
        self.path = path
        super().__init__(self.message)

    def __str__(self) -> str:
        where = f" ({self.method} {self.path})" if self.method and self.path else ""
        extras = [f"{k}={v}" for k, v in (("code", self.code), ("request_id", self.request_id)) if v]
        tail = f" [{', '.join(extras)}]" if extras else ""
        if self.status_code is None:
            return f"{self.message}{where}{tail}"
        try:
            phrase = HTTPStatus(self.status_code).phrase
        except ValueError:
            phrase = "Error"
        return f"{self.status_code} {phrase}: {self.message}{where}{tail}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code!r}, code={self.code!r}, message={self.message!r})"


class APIStatusError(APIError):
    """The server answered with a non-2xx status."""

    status_code: int


class BadRequestError(APIStatusError):
    """400 or 422: the request was invalid (``code`` says why, e.g. ``wandb_partial_triple``)."""


class AuthenticationError(APIStatusError):
    """401: the API key or token is missing, unknown or expired."""


class PermissionDeniedError(APIStatusError):
    """403: the credentials may not act on this resource (e.g. a worker key outside its run)."""


class NotFoundError(APIStatusError):
    """404: no such resource."""


class ConflictError(APIStatusError):
    """409: the resource's state forbids the change (committed, terminal, linked, ...)."""


class AssetExpiredError(APIStatusError):
    """410: the asset's bytes expired (a checkpoint past its ``ttl_days``); its record and hashes remain."""


class ServerError(APIStatusError):
    """5xx. Search answers 503 when the server has no search configured."""


class APIConnectionError(APIError):
    """The request did not get a response: connection refused or reset, DNS failure, TLS error."""


class APITimeoutError(APIConnectionError):
    """The request timed out."""


class APIResponseValidationError(APIError):
    """A successful response whose body does not match the API contract (missing or mistyped fields)."""


class UploadError(ChronicleError):
    """Background uploads failed. ``failures`` names each failed component and why."""

    def __init__(self, failures: Sequence[tuple[str, str, BaseException]]) -> None:
        #: (asset_id, component, exception) per failed component.
        self.failures = list(failures)
        lines = [f"{asset_id}/{component}: {redact_text(str(exc))}" for asset_id, component, exc in self.failures]
        summary = f"{len(self.failures)} upload(s) failed: " + "; ".join(lines)
        super().__init__(summary)


class DownloadError(ChronicleError):
    """One or more components of an asset could not be downloaded. ``failures`` names each one."""

    def __init__(self, failures: Sequence[tuple[str, str, BaseException]]) -> None:
        #: (asset_id, component, exception) per failed component.
        self.failures = list(failures)
        lines = [f"{asset_id}/{component}: {redact_text(str(exc))}" for asset_id, component, exc in self.failures]
        super().__init__(f"{len(self.failures)} download(s) failed: " + "; ".join(lines))


class StorageError(ChronicleError):
    """A storage request failed for good. The message names host and path, never the signature.

    ``status_code`` is None when no response arrived; ``code`` is the storage error code (S3's
    ``<Code>``, e.g. ``AccessDenied``) when the response had one; ``component`` names the file.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        code: str | None = None,
        component: str | None = None,
    ) -> None:
        message = redact_text(message)
        self.status_code = status_code
        self.code = code
        self.component = component
        self.message = message
        super().__init__(message)


class IntegrityError(StorageError):
    """Downloaded bytes do not match the size or sha256 the server recorded."""


class PartLayoutError(IntegrityError):
    """The server stated a component size or part layout outside the contract's bounds; nothing was requested.

    A part size under 1 MiB (unless the whole component fits in that one part) or over 5 GiB, more than
    10,000 parts, a negative size, or a size, part size and part count that do not agree: refused before
    anything is allocated, written or requested, so a hostile record cannot make the client download byte
    by byte or build a list of a trillion parts. ``asset_id``, ``component``, ``field`` and ``value`` name
    what was refused.
    """

    def __init__(self, asset_id: str, component: str, field: str, value: object, reason: str) -> None:
        self.asset_id = asset_id
        self.field = field
        self.value = value
        shown = repr(value)[:80]
        super().__init__(
            f"asset {asset_id}, component {component}: the server stated {field}={shown}, which {reason};"
            " refusing it before any byte moves",
            component=component,
        )


class ManifestError(IntegrityError):
    """An R2 copy's manifest disagrees with the asset's record, or names a path no file may have; nothing was read.

    The manifest (``{files: [{path, size}]}``) says which objects the copy holds; the record says which
    components were finalized, with their sizes and sha256s. A path that is absolute, has ``..`` or empty
    segments, names no component, or appears twice; a size other than the recorded one; a file missing:
    each is refused before any file is created or any byte requested, so a lying manifest can neither
    write outside the destination nor hand over bytes that were never finalized. ``asset_id`` names the asset.
    """

    def __init__(self, asset_id: str, problem: str, *, path: str | None = None) -> None:
        self.asset_id = asset_id
        self.path = path
        super().__init__(
            f"asset {asset_id}: the R2 copy's manifest {problem}; refusing it before any byte moves",
            component=path,
        )


class StorageFullError(StorageError):
    """Storage answered 507 Insufficient Storage (or the error code ``insufficient_storage``): it is full.

    Not a transient error: it fails at once, without retries. Nothing is lost: an upload through a tracker
    stays pending and ``methodic uploads resume`` finishes it once space has been freed.
    """


class ReportNotCompiledError(ChronicleError, RuntimeError):
    """A report's PDF was asked for, but the report was not compiled (``compile_status`` says how it stands).

    Also a ``RuntimeError``, which is what the published client raises here. Its LaTeX source stays readable.
    """


class FileChangedError(ChronicleError):
    """A registered file no longer matches what it was at registration; its asset will never be finalized.

    ``component`` names the component, ``path`` the file, ``change`` says what changed (deleted, size,
    modified, replaced). An asset becomes ready only with exactly the bytes that were registered.
    """

    def __init__(self, component: str, path: str, change: str) -> None:
        self.component = component
        self.path = path
        self.change = change
        super().__init__(f"{component} ({path}) changed after it was registered: {change}")


class UnsafePathError(ChronicleError, ValueError):
    """A component name or file would escape its folder, or cannot be used safely; nothing was written or sent.

    Also a ``ValueError``, which is what these refusals raised before they had a type of their own.
    """


class TrackerError(ChronicleError):
    """The tracker database is unusable (corrupt, foreign, locked too long) or was used wrongly."""


class DuplicateComponentError(ChronicleError, ValueError):
    """Two ranks of a distributed upload hold a component of the same name; nothing was uploaded.

    Raised on every rank, before any byte moves: an asset cannot hold two different files under one
    name, and silently keeping one of them would tear the checkpoint.
    """


class CheckpointNotFoundError(ChronicleError, LookupError):
    """No ready checkpoint matches what was asked for (a ``step`` that was never saved, say).

    Asking for the newest checkpoint when there is none is not an error (``None`` means "start fresh");
    asking for a specific one that does not exist is, because silently training from scratch would be wrong.
    """


class RunTerminated(BaseException):
    """Raised in the main thread when SIGTERM arrives inside ``run.lifecycle()``.

    A BaseException, like KeyboardInterrupt, so ordinary ``except Exception`` blocks in training code
    do not swallow it.
    """


_STATUS_CLASSES: Mapping[int, type[APIStatusError]] = {
    400: BadRequestError,
    422: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    410: AssetExpiredError,
}


def error_class_for_status(status_code: int) -> type[APIStatusError]:
    """The exception class for an HTTP status; statuses without their own class map to APIStatusError."""
    if status_code in _STATUS_CLASSES:
        return _STATUS_CLASSES[status_code]
    if status_code >= 500:
        return ServerError
    return APIStatusError


__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ChronicleConfigError",
    "ChronicleError",
    "ConflictError",
    "DownloadError",
    "FileChangedError",
    "IntegrityError",
    "NotFoundError",
    "PartLayoutError",
    "PermissionDeniedError",
    "ReportNotCompiledError",
    "RunTerminated",
    "ServerError",
    "StorageError",
    "StorageFullError",
    "TrackerError",
    "UnsafePathError",
    "UploadError",
    "error_class_for_status",
]
