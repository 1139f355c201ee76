"""Registry of which handwritten method wraps which operationId of openapi.yaml.

Every namespace method that calls a generated endpoint is decorated with ``@wraps_operation(...)``.
The operation-coverage test compares this registry with the spec, so a new endpoint cannot be
added to openapi.yaml and silently forgotten in the SDK.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable[..., object])

#: operationId -> qualified name of the public method that wraps it.
WRAPPED_OPERATIONS: dict[str, str] = {}


def wraps_operation(operation_id: str) -> Callable[[F], F]:
    """Record that the decorated public method is the SDK's wrapper for ``operation_id``."""

    def register(func: F) -> F:
        WRAPPED_OPERATIONS[operation_id] = func.__qualname__
        return func

    return register
