"""What every namespace shares: the API transport and a way to leave optional fields out of a request."""

from __future__ import annotations

from typing import Any, TypeVar

from methodic_api.types import UNSET, Unset

from methodic._models import Record
from methodic._transport import Transport

T = TypeVar("T")
R = TypeVar("R", bound=Record)


def opt(value: T | None) -> T | Unset:
    """None means "not given": the generated models drop UNSET fields from the JSON body."""
    return UNSET if value is None else value


class Namespace:
    """Base class: binds an API area to the transport that does the HTTP (the anthropic SDK's ``SyncAPIResource``)."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    def _call(self, endpoint: Any, expected: type[R], /, **kwargs: Any) -> R:
        return self._transport.call(endpoint, expected, **kwargs)

    def _list(self, endpoint: Any, item: type[R], /, **kwargs: Any) -> list[R]:
        items, _ = self._transport.call_list(endpoint, item, **kwargs)
        return items
