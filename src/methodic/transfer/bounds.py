"""Sizes and part layouts stated by the server, checked against the contract before anything is allocated.

The client takes sizes from the server in asset records (``size_bytes``, ``part_size``), multipart
start answers (``size_bytes``, ``part_size``, ``part_count``), list-parts answers (part numbers and
sizes), R2 manifests (each file's ``size``) and a tracker's recorded ``part_size``. Each is checked
here, in constant time, before a list, a file or a request is made from it: a part size of 1 byte
would make a download byte by byte, and 10^12 one-byte parts a list that ends in MemoryError.

The bounds are the contract's (:mod:`methodic_contract`, S3's limits): a part is at least 1 MiB
(``MIN_PART_SIZE``) and at most 5 GiB (``MAX_PART_SIZE``), except that a component smaller than one
part may state a smaller part size (it is one part either way); at most 10,000 parts
(``MAX_PARTS``), so ``size <= part_size * 10,000``; a component in parts is at most 5 TiB
(``MAX_MULTIPART_SIZE``), and so is any file a download splits into ranges (:func:`planned_ranges`:
whole MiB, at most 10,000 ranges, whatever the size); sizes are non-negative integers. Anything else raises
:class:`~methodic.errors.PartLayoutError` naming the asset, the component and the offending value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from methodic.errors import PartLayoutError
from methodic_contract import MAX_MULTIPART_SIZE, MAX_PART_SIZE, MAX_PARTS, MIN_PART_SIZE, part_count

if TYPE_CHECKING:
    from methodic.types import StoredPart

__all__ = [
    "PartLayout",
    "RangePlan",
    "checked_layout",
    "checked_max_part_bytes",
    "checked_size",
    "checked_stored_parts",
    "planned_ranges",
]

#: Ranges of a download are whole MiB (so each starts on a disk block, for writes past the page cache).
RANGE_ALIGNMENT = 1 << 20


@dataclass(frozen=True)
class PartLayout:
    """A component's size, part size and part count, within the contract's bounds."""

    size: int
    part_size: int
    count: int


def _whole(value: object) -> int | None:
    """``value`` as an int if it is one (a bool is not), else None."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def checked_size(value: object, *, asset_id: str, component: str, field: str = "size_bytes") -> int:
    """``value`` as a byte count: a non-negative integer, or PartLayoutError."""
    size = _whole(value)
    if size is None:
        raise PartLayoutError(asset_id, component, field, value, "is not an integer")
    if size < 0:
        raise PartLayoutError(asset_id, component, field, value, "is negative")
    return size


def checked_max_part_bytes(value: object, *, asset_id: str) -> int | None:
    """The storage gateway's ``max_part_bytes`` (None when not stated), or PartLayoutError.

    A positive integer, at most the 5 TiB of the largest object (a larger limit is no limit anyone needs,
    and no tracker can record it). Checked when the route is read, before anything is registered or sent:
    a word, a list, zero or a negative number would otherwise fail later, untyped, and at every resume.
    Integers written as decimal digits or as a whole float are taken, as the published client takes them.
    """
    if value is None:
        return None
    if isinstance(value, (str, float)):  # digits, or a whole float
        whole = value.isascii() and value.isdigit() if isinstance(value, str) else value.is_integer()
        value = int(value) if whole else value
    limit = _whole(value)
    if limit is None:
        raise PartLayoutError(asset_id, "(every component)", "max_part_bytes", value, "is not an integer")
    if limit <= 0:
        raise PartLayoutError(asset_id, "(every component)", "max_part_bytes", value, "is not a positive size")
    if limit > MAX_MULTIPART_SIZE:
        raise PartLayoutError(
            asset_id,
            "(every component)",
            "max_part_bytes",
            value,
            f"is over the {MAX_MULTIPART_SIZE}-byte maximum of any object",
        )
    return limit


def checked_layout(
    size: object,
    part_size: object,
    *,
    asset_id: str,
    component: str,
    count: object = None,
) -> PartLayout:
    """The layout of ``size`` bytes in parts of ``part_size`` (and, if stated, ``count`` parts), or PartLayoutError.

    Constant time, whatever the values: nothing is allocated before they are known to be sane.
    """
    total = checked_size(size, asset_id=asset_id, component=component)
    part = _whole(part_size)
    if part is None:
        raise PartLayoutError(asset_id, component, "part_size", part_size, "is not an integer")
    if part <= 0:
        raise PartLayoutError(asset_id, component, "part_size", part_size, "is not a positive part size")
    if part > MAX_PART_SIZE:
        raise PartLayoutError(asset_id, component, "part_size", part_size, f"is over the {MAX_PART_SIZE}-byte maximum")
    if part < MIN_PART_SIZE and total > part:
        raise PartLayoutError(
            asset_id,
            component,
            "part_size",
            part_size,
            f"is under the {MIN_PART_SIZE}-byte minimum for a component of {total} bytes (more than one part)",
        )
    if total > MAX_MULTIPART_SIZE:
        raise PartLayoutError(
            asset_id, component, "size_bytes", size, f"is over the {MAX_MULTIPART_SIZE}-byte maximum of a component"
        )
    parts = part_count(total, part)
    if parts > MAX_PARTS:
        raise PartLayoutError(
            asset_id,
            component,
            "size_bytes",
            size,
            f"makes {parts} parts of {part} bytes (at most {MAX_PARTS} are allowed)",
        )
    if count is not None and _whole(count) != parts:
        raise PartLayoutError(
            asset_id, component, "part_count", count, f"is not the {parts} parts of {total} bytes in {part}-byte parts"
        )
    return PartLayout(size=total, part_size=part, count=parts)


def checked_stored_parts(
    stored: Sequence[StoredPart], layout: PartLayout, *, asset_id: str, component: str
) -> dict[int, StoredPart]:
    """The parts storage says it holds, by number, or PartLayoutError if the list does not fit ``layout``.

    More parts than the layout has, a number outside ``1..count``, the same number twice, or a negative
    size is an answer no storage gives for this upload: refused, rather than trusted or sent again.
    """
    if len(stored) > layout.count:
        raise PartLayoutError(
            asset_id, component, "parts", len(stored), f"is more stored parts than the upload's {layout.count}"
        )
    held: dict[int, StoredPart] = {}
    for part in stored:
        number = _whole(part.part_number)
        if number is None or not 1 <= number <= layout.count or number in held:
            raise PartLayoutError(
                asset_id, component, "part_number", part.part_number, f"is not a new part number in 1..{layout.count}"
            )
        checked_size(part.size, asset_id=asset_id, component=component, field=f"part {number} size_bytes")
        held[number] = part
    return held


@dataclass(frozen=True)
class RangePlan:
    """How a whole-file download is split: ``count`` ranges of ``range_size`` bytes (the last one shorter)."""

    size: int
    range_size: int
    count: int

    def span(self, index: int) -> tuple[int, int]:
        """``(offset, length)`` of range ``index`` (0-based)."""
        offset = index * self.range_size
        return offset, min(self.range_size, self.size - offset)


def planned_ranges(size: object, range_size: int, *, asset_id: str, component: str) -> RangePlan:
    """Ranges of about ``range_size`` bytes for a ``size``-byte download: whole MiB, at most 10,000 of them.

    ``size`` is the server's word and is checked first (a non-negative integer, at most the 5 TiB of the
    largest object S3 and R2 store), else PartLayoutError; ``range_size`` is the client's own (at least
    1 MiB) and grows, in whole MiB, until the ranges fit in 10,000. Constant time and memory.
    """
    total = checked_size(size, asset_id=asset_id, component=component)
    if total > MAX_MULTIPART_SIZE:
        raise PartLayoutError(
            asset_id, component, "size_bytes", size, f"is over the {MAX_MULTIPART_SIZE}-byte maximum of an object"
        )
    wanted = max(range_size, -(-total // MAX_PARTS), RANGE_ALIGNMENT)
    step = -(-wanted // RANGE_ALIGNMENT) * RANGE_ALIGNMENT
    return RangePlan(size=total, range_size=step, count=max(1, -(-total // step)))
