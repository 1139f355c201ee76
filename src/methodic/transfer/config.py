"""How a :class:`~methodic.transfer.TransferManager` moves bytes: workers, timeouts, retries."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from methodic._constants import DEFAULT_MAX_UPLOAD_WORKERS, DEFAULT_TIMEOUT

#: Components larger than this go up in parallel parts (256 MiB). Each part costs a request and a ledger
#: row; below this a single PUT is as fast and a crash costs little (on loopback, 4 files of 256 MiB went
#: up at 0.72x of curl in 8 MiB parts; the previous table had 1.04x in single PUTs). rclone's S3 cutoff
#: is 200 MiB.
DEFAULT_MULTIPART_THRESHOLD = 256 << 20
#: Parts of one large component (or ranges of one download) in flight at once, apart from ``max_workers``.
#: ``max_workers`` bounds how many components and assets move at once (a user's knob, default 2, so a
#: trainer's background uploads stay polite); one big file still needs many connections to reach the
#: bandwidth of storage that paces each connection (cloud storage does, at tens of MiB/s). s3transfer's
#: ``max_concurrency`` is 10 for the same reason. Measured (benchmarks/bench_r2.py, benchmarks/RESULTS-r2.md;
#: 1 GiB in 5 MiB parts, local storage paced at 32 and 64 MiB/s per connection, 2 cores): with 8, the parts
#: went up at 5.7-6.0x one curl stream at 32 MiB/s; at 64 MiB/s the CPU, not the worker count, is the limit:
#: 16 workers (80 MiB of buffers) were no faster and grew peak RSS to +104 MiB against +54 MiB. Memory stays
#: bounded by the parts' buffers (see :mod:`methodic.transfer.multipart`).
DEFAULT_MAX_PART_WORKERS = 8
#: Bytes per ranged GET of a file downloaded in parallel (16 MiB): a file larger than this comes down in
#: ranges of it on the part pool. Large enough that a request's round trip is small beside its transfer
#: (16 MiB at 64 MiB/s is 250 ms), small enough that 8 workers keep busy to the end of a file of a few
#: hundred MiB; grown in whole MiB for files past 156 GiB so that no file needs more than 10,000 ranges.
#: Measured on 1 GiB (benchmarks/bench_download.py): against 8 MiB, the same at 32 and 64 MiB/s per
#: connection (7.40x and 7.13x of curl, against 7.66x and 7.00x), and faster unpaced on 2 cores, where
#: each request costs CPU (870-1,025 MB/s against 550-690 in separate runs).
DEFAULT_DOWNLOAD_RANGE_SIZE = 16 << 20
#: The smallest part (5 MiB, R2's and S3's minimum): files up to 48.8 GiB go in 5 MiB parts (small parts keep
#: the buffers of parallel parts small: see methodic.transfer.multipart.PART_MEMORY), larger files in larger
#: parts, at most 10,000 of them. 8 MiB parts with 64 MiB of buffers measured no faster for 1 GiB paced at 64
#: MiB/s per connection and grew peak RSS to +77 MiB (benchmarks/RESULTS-r2.md).
DEFAULT_MIN_PART_SIZE = 5 << 20


@dataclass(frozen=True)
class RetryPolicy:
    """How storage requests are retried: ``max_attempts`` in all, backoff capped at ``max_delay`` seconds.

    ``sleep`` is injectable so tests need not wait.
    """

    max_attempts: int = 5
    base_delay: float = 0.2
    max_delay: float = 8.0
    sleep: Callable[[float], None] = time.sleep

    def delay(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(max_delay, base_delay * 2**attempt)]."""
        return random.uniform(0, min(self.max_delay, self.base_delay * (2**attempt)))


@dataclass(frozen=True)
class StallPolicy:
    """The slowest storage GET a download accepts (``Chronicle(download_stall=...)``): a floor rate, two ways.

    1. A GET moving fewer than ``min_bytes`` in any ``window`` seconds has stalled (a dripping server).
       Slow but moving transfers pass: the default asks for 128 KiB a minute (about 2.2 KB/s). The fast
       download path sees progress one 128 KiB buffer at a time, so it never asks for less than that.
    2. A GET of ``n`` known bytes must end within the client's ``timeout`` plus the time ``n`` bytes take at
       that floor rate (:meth:`seconds_for`): 40 bytes at ``timeout=3`` get ~3 s, 1 GiB ~5.7 days.

    Why a deadline proportional to size rather than a fixed one: any fixed overall deadline either kills a
    healthy large download on a slow link or lets a small body drip for minutes; proportional to the size,
    the whole GET is held to the same floor as each window, so a link above the floor always finishes, and a
    server dripping a small body is cut off after about ``timeout``. Either way the GET fails as a read
    timeout, retried like one (so at most ``RetryPolicy.max_attempts`` such deadlines in all).
    """

    window: float = 60.0
    min_bytes: int = 128 * 1024

    def __post_init__(self) -> None:
        if not (self.window > 0 and self.window < float("inf")) or self.min_bytes < 1:
            raise ValueError("a StallPolicy needs a finite window > 0 seconds and min_bytes >= 1")

    def seconds_for(self, size: int, grace: float = 0.0) -> float:
        """How long a GET of ``size`` bytes may take in all: ``grace`` plus ``size`` bytes at the floor rate."""
        return grace + max(0, size) * self.window / self.min_bytes

    def describe(self) -> str:
        """The floor in words, for messages."""
        return f"at least {self.min_bytes} bytes per {self.window:g} s"


@dataclass(frozen=True)
class TransferConfig:
    """Settings of one transfer manager (``Chronicle`` builds it from its own arguments).

    ``max_workers`` threads move components in parallel, uploads and downloads alike, and the parts or
    ranges of one large component move on ``max_part_workers`` threads of their own; ``timeout``
    bounds each storage connect, read and write; ``retry`` says how often and how patiently; ``stall``
    says how little progress makes a download a stall. A component larger than ``multipart_threshold``
    bytes is uploaded in parts of at least ``min_part_size`` bytes (at most 10,000 parts), in parallel on
    the workers. A file larger than ``download_range_size`` (None: 16 MiB) is downloaded in parallel
    ranges of that size on the part workers, verified by its whole-file sha256; a component stored in
    parts in ranges of one stored part, or of ``download_range_size`` rounded up to whole parts
    (verification is part-wise). A size at least the file's fetches it in one GET.

    Parallel one-part ranges are right for S3 and its peers, where a ranged GET costs only its range.
    ``download_range_size`` is for stores where every GET costs the whole object (moto reads the
    full object into memory for each range, so 768 ranges of a 6 GiB object would read 4.5 TiB);
    like s3transfer's ``multipart_chunksize``, it sets how much each download request asks for.
    """

    max_workers: int = DEFAULT_MAX_UPLOAD_WORKERS
    max_part_workers: int = DEFAULT_MAX_PART_WORKERS
    timeout: float = DEFAULT_TIMEOUT
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    stall: StallPolicy = field(default_factory=StallPolicy)
    multipart_threshold: int = DEFAULT_MULTIPART_THRESHOLD
    min_part_size: int = DEFAULT_MIN_PART_SIZE
    download_range_size: int | None = None

    def __post_init__(self) -> None:
        if self.max_workers < 1:
            raise ValueError("max_upload_workers must be at least 1")
        if self.max_part_workers < 1:
            raise ValueError("max_part_workers must be at least 1")
        if self.min_part_size < (1 << 20):
            raise ValueError("min_part_size must be at least 1 MiB")
        if self.download_range_size is not None and self.download_range_size < (1 << 20):
            raise ValueError("download_range_size must be at least 1 MiB (or None: one range per stored part)")
