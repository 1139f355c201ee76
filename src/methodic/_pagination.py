"""The one cursor-pagination iterator behind every ``list()`` that pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, TypeVar

T = TypeVar("T")
P = TypeVar("P", bound="CursorPage")


class CursorPage(Protocol):
    """A page of a listing: its items come from the caller's ``items`` function; ``next_cursor`` is None on the last."""

    @property
    def next_cursor(self) -> str | None:
        """The opaque cursor of the next page, or None."""


def iterate_pages(fetch: Callable[[str | None], P], items: Callable[[P], Iterable[T]]) -> Iterator[T]:
    """Yield every item of every page, fetching each page only when the previous one is used up.

    ``fetch(cursor)`` gets None for the first page and the previous page's ``next_cursor`` after that.
    """
    cursor: str | None = None
    while True:
        page = fetch(cursor)
        yield from items(page)
        if not page.next_cursor:
            return
        cursor = page.next_cursor
