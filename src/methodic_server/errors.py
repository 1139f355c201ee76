"""Errors the local server answers with; each becomes the contract's Error body."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An error response: HTTP status, machine-readable code, message and optional details."""

    def __init__(self, status: int, code: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details


def bad_request(message: str, *, code: str = "validation_error", details: dict[str, Any] | None = None) -> ApiError:
    """400."""
    return ApiError(400, code, message, details)


def not_found(message: str) -> ApiError:
    """404."""
    return ApiError(404, "not_found", message)


def conflict(message: str, *, code: str = "conflict", details: dict[str, Any] | None = None) -> ApiError:
    """409."""
    return ApiError(409, code, message, details)


def error_body(code: str, message: str, request_id: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    """The contract's Error schema."""
    return {"code": code, "message": message, "details": details, "request_id": request_id}
