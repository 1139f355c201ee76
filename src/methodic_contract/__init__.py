"""Facts of the Chronicle API contract that both the client and the local server need as code.

``openapi.yaml`` is the contract; the generated ``methodic_api`` package is what the client makes
of its schemas. What a schema cannot say as code (which run states are terminal, the name of the
request-id header) and the spec file itself live here, once, so that the client (``methodic``) and
the local server (``methodic_server``) share them without importing each other. No dependencies.

``openapi.yaml`` in this package is the repository's root spec: a symlink in a checkout, a copy in
a wheel, so :func:`spec_path` finds it the same way in both.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from importlib.resources import as_file, files
from pathlib import Path

#: Every run state, in lifecycle order.
RUN_STATES = ("pending", "running", "succeeded", "failed_crash", "failed_abandoned", "lost", "failed_lost")

#: Run states after which no transition is possible.
TERMINAL_RUN_STATES = frozenset({"succeeded", "failed_crash", "failed_abandoned", "failed_lost"})

#: Response header (and error-body field) that identifies one request in the server's logs.
REQUEST_ID_HEADER = "X-Request-Id"


#: The most parts a multipart upload may have (S3's limit).
MAX_PARTS = 10_000
#: The smallest part size the contract accepts (S3 itself asks for 5 MiB; the SDK uses 8 MiB or more).
MIN_PART_SIZE = 1 << 20
#: The largest part size (S3's limit for one part).
MAX_PART_SIZE = 5 << 30
#: The largest component a multipart upload may assemble (S3's largest object, 5 TiB).
MAX_MULTIPART_SIZE = 5 << 40


def part_count(size: int, part_size: int) -> int:
    """How many parts of ``part_size`` bytes (the last one shorter) make ``size`` bytes."""
    return max(1, -(-size // part_size))


def part_range(size: int, part_size: int, part_number: int) -> tuple[int, int]:
    """``(offset, length)`` of part ``part_number`` (1-based) of a ``size``-byte object."""
    offset = (part_number - 1) * part_size
    return offset, max(0, min(part_size, size - offset))


def part_checksum(part_digests: Iterable[bytes]) -> str:
    """The part-wise checksum of a multipart component: sha256 over its parts' raw sha256 digests, in order.

    This is what ``sha256`` means for a component with a ``part_size``: each part's digest comes from
    the one read that sends (or receives) it, so parts can move in parallel and still be verified end
    to end without reading the file a second time. S3 calls the same construction a COMPOSITE checksum.
    """
    outer = hashlib.sha256()
    for digest in part_digests:
        outer.update(digest)
    return outer.hexdigest()


def spec_path() -> Path:
    """The path of ``openapi.yaml``, from a checkout or an installed wheel alike."""
    with as_file(files(__name__) / "openapi.yaml") as path:
        return Path(path)


__all__ = [
    "MAX_MULTIPART_SIZE",
    "MAX_PARTS",
    "MAX_PART_SIZE",
    "MIN_PART_SIZE",
    "REQUEST_ID_HEADER",
    "RUN_STATES",
    "TERMINAL_RUN_STATES",
    "part_checksum",
    "part_count",
    "part_range",
    "spec_path",
]
