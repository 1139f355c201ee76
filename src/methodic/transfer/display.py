"""What a person sees while transfers run: one display per client, a bar or plain lines.

Background uploads of every asset report into one :class:`TransferDisplay` (total bytes and files
across everything queued, the rate, the ETA, the assets in flight), as huggingface_hub shows one bar
for a folder, instead of a bar per asset. On a terminal it is one tqdm bar; in Jupyter, tqdm's
notebook widget; anywhere else (CI, a log file, ``nohup``) a plain line every ``interval`` seconds
or at each quarter of a long burst, never a cursor-control escape. ``METHODIC_PROGRESS=0`` (or
``progress=False``) turns it all off. Per-asset lines go to the ``methodic`` logger at DEBUG.

Bars and other output share a terminal only if the other output goes above the bar; that, and writing
the plain lines on a thread of their own, is :mod:`methodic.transfer.console`'s job
(:func:`output_above_progress` is importable from here too).
"""

from __future__ import annotations

import importlib.util
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TextIO

from methodic._constants import LOGGER_NAME
from methodic.transfer.console import LINE_SETTLE_SECONDS, bar_drawing, progress_lines, unwrapped

logger = logging.getLogger(LOGGER_NAME)

ENV_PROGRESS = "METHODIC_PROGRESS"
DisplayMode = Literal["bar", "notebook", "lines", "off"]
_FALSE = {"0", "false", "no", "off", "none"}


def progress_disabled_by_env() -> bool:
    """Whether ``METHODIC_PROGRESS`` turns progress off (``0``, ``false``, ``no``, ``off``)."""
    return os.environ.get(ENV_PROGRESS, "").strip().lower() in _FALSE


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython")
    get_ipython = getattr(shell, "get_ipython", None) if shell is not None else None
    instance = get_ipython() if callable(get_ipython) else None
    return type(instance).__name__ == "ZMQInteractiveShell"


def detect_mode(stream: TextIO | None = None) -> DisplayMode:
    """``off`` when disabled by the environment, else a bar on a terminal, widgets in Jupyter, plain lines otherwise."""
    if progress_disabled_by_env():
        return "off"
    if _in_notebook():
        return "notebook"
    target = stream if stream is not None else sys.stderr
    try:
        return "bar" if target.isatty() else "lines"
    except (AttributeError, ValueError):  # a closed or unusual stream
        return "lines"


@dataclass(frozen=True)
class DisplayState:
    """A snapshot of everything the display counts (for tests and for your own rendering)."""

    total_bytes: int
    done_bytes: int
    total_files: int
    done_files: int
    assets_in_flight: int
    assets_done: int
    bytes_per_second: float
    eta_seconds: float | None

    @property
    def fraction(self) -> float:
        """Done bytes over total bytes (1.0 when there is nothing to send)."""
        return self.done_bytes / self.total_bytes if self.total_bytes else 1.0


def format_bytes(n: float) -> str:
    """A byte count for people: ``512 B``, ``24.0 MiB``, ``1.2 TiB``."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TiB"  # pragma: no cover


def _duration(seconds: float) -> str:
    whole = round(seconds)
    if whole < 60:
        return f"{whole}s"
    minutes, whole = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m{whole:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


class TrackedTransfer:
    """One asset's (or one call's) share of a display: a :class:`ProgressCallback` plus ``on_file_done``."""

    def __init__(self, display: TransferDisplay, files: int) -> None:
        self._display = display
        self._files = files
        self._finished = False
        self.description = ""

    def on_start(self, total_bytes: int, description: str) -> None:
        """Add this transfer's bytes and files to the display's totals."""
        self.description = description
        self._display._started(self, total_bytes, self._files)

    def on_bytes(self, n: int) -> None:
        """Count ``n`` more bytes."""
        self._display._bytes(n)

    def on_file_done(self) -> None:
        """Count one more finished file."""
        self._display._file_done()

    def on_done(self) -> None:
        """Mark the transfer over (sent, failed or cancelled); idempotent."""
        if not self._finished:
            self._finished = True
            self._display._finished(self)


class TransferDisplay:
    """The aggregate progress of many concurrent transfers, rendered one way for the whole client.

    ``mode`` is ``"bar"``, ``"notebook"``, ``"lines"`` or ``"off"`` (``None``: :func:`detect_mode`).
    ``leave=False`` removes a finished bar from the screen: a training loop that checkpoints a
    thousand times must not leave a thousand bars behind.
    Totals grow as transfers are queued; when the last one finishes the display closes, and the next
    transfer opens a fresh one. Thread-safe: pool workers report into it concurrently.
    """

    def __init__(
        self,
        mode: DisplayMode | None = None,
        *,
        stream: TextIO | None = None,
        interval: float = 10.0,
        label: str = "upload",
        leave: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream
        self.leave = leave
        self.mode: DisplayMode = mode if mode is not None else detect_mode(stream)
        if self.mode == "notebook" and importlib.util.find_spec("ipywidgets") is None:
            self.mode = "lines"  # tqdm's notebook bar needs ipywidgets: plain lines instead
        self.interval = interval
        self.label = label
        self._clock = clock
        self._lock = threading.RLock()
        self._bar: Any = None
        self._reset()

    def _reset(self) -> None:
        self._total_bytes = 0
        self._done_bytes = 0
        self._total_files = 0
        self._done_files = 0
        self._in_flight = 0
        self._assets_done = 0
        self._started_at: float | None = None
        self._last_line_at = 0.0
        self._last_quarter = 0
        self._lines_written = 0

    @property
    def stream(self) -> TextIO:
        """Where the display writes: ``sys.stderr`` as it is at the time, by default.

        Never through :func:`output_above_progress`'s wrapper: the bar's own redraws must reach the
        terminal as they are, not as lines written above the bar.
        """
        stream = self._stream if self._stream is not None else sys.stderr
        return unwrapped(stream)

    def track(self, files: int = 0) -> TrackedTransfer:
        """A callback for one more transfer of ``files`` files; its ``on_start`` adds it to the totals."""
        return TrackedTransfer(self, files)

    def state(self) -> DisplayState:
        """What the display counts right now."""
        with self._lock:
            elapsed = self._clock() - self._started_at if self._started_at is not None else 0.0
            rate = self._done_bytes / elapsed if elapsed > 0 else 0.0
            left = self._total_bytes - self._done_bytes
            eta = left / rate if rate > 0 else None
            return DisplayState(
                self._total_bytes,
                self._done_bytes,
                self._total_files,
                self._done_files,
                self._in_flight,
                self._assets_done,
                rate,
                eta,
            )

    # -- reports from the transfers --------------------------------------------------------------
    def _started(self, tracked: TrackedTransfer, total_bytes: int, files: int) -> None:
        with self._lock:
            if self._in_flight == 0 and self._started_at is None:
                self._started_at = self._clock()
                self._last_line_at = self._started_at
            self._in_flight += 1
            self._total_bytes += total_bytes
            self._total_files += files
            self._render(force=False, grew=True)
        logger.debug("%s %s: %d file(s), %s queued", self.label, tracked.description, files, format_bytes(total_bytes))

    def _bytes(self, n: int) -> None:
        with self._lock:
            self._done_bytes += n
            if self._bar is not None:
                try:
                    with bar_drawing():
                        self._bar.update(n)
                except Exception:  # a broken stream must never fail a transfer
                    self._bar, self.mode = None, "off"
            else:
                self._render(force=False)

    def _file_done(self) -> None:
        with self._lock:
            self._done_files += 1
            self._render(force=False, grew=True)

    def _finished(self, tracked: TrackedTransfer) -> None:
        with self._lock:
            self._in_flight -= 1
            self._assets_done += 1
            last = self._in_flight == 0
            self._render(force=last, grew=True)
            if last:
                self._close_bar()
                self._reset()
        if last:
            progress_lines.settle(LINE_SETTLE_SECONDS)  # outside the lock: the burst's last lines, a bounded wait
        logger.debug("%s %s: done", self.label, tracked.description)

    # -- rendering ---------------------------------------------------------------------------------
    def _summary(self) -> str:
        files = f"{self._done_files}/{self._total_files} files" if self._total_files else ""
        assets = f"{self._in_flight} asset{'s' if self._in_flight != 1 else ''} in flight"
        return ", ".join(p for p in (assets, files) if p)

    def _render(self, *, force: bool, grew: bool = False) -> None:
        """Draw; a display that cannot draw (no ipywidgets in Jupyter, a closed stream) never fails a transfer."""
        if self.mode == "off":
            return
        try:
            if self.mode in ("bar", "notebook"):
                with bar_drawing():
                    self._render_bar(grew)
                return
            self._render_line(force)
        except ImportError as exc:  # tqdm.notebook without ipywidgets: plain lines instead
            logger.debug("progress widgets unavailable (%s); printing plain lines", exc)
            self._bar = None
            self.mode = "lines"
        except Exception as exc:
            logger.debug("progress display failed (%s); turning it off", exc)
            self._bar = None
            self.mode = "off"

    def _render_bar(self, grew: bool) -> None:
        if self._bar is None:
            if self._in_flight == 0:
                return
            bar_class: Any
            if self.mode == "notebook":
                from tqdm.notebook import tqdm as bar_class
            else:
                from tqdm import tqdm as bar_class
            self._bar = bar_class(
                total=self._total_bytes,
                initial=self._done_bytes,
                desc=self.label,
                unit="B",
                unit_scale=True,
                unit_divisor=1024,
                leave=self.leave,
                file=self.stream if self.mode == "bar" else None,
                dynamic_ncols=True,
            )
        if grew:
            self._bar.total = self._total_bytes
            self._bar.set_postfix_str(self._summary(), refresh=False)
            self._bar.refresh()

    def _close_bar(self) -> None:
        if self._bar is not None:
            bar, self._bar = self._bar, None
            try:
                bar.total = self._total_bytes
                bar.set_postfix_str(f"{self._assets_done} done, {self._done_files}/{self._total_files} files")
                with bar_drawing():
                    bar.close()
            except Exception as exc:
                logger.debug("closing the progress bar failed: %s", exc)

    def _render_line(self, force: bool) -> None:
        """A line every ``interval`` s, or at a quarter mark once the burst is a few seconds old.

        A burst that finishes within a couple of seconds prints nothing at all (its assets are logged
        at DEBUG): a log full of 100% lines for small checkpoints is noise. The closing line is
        printed only for a burst that printed progress.
        """
        if self._started_at is None:
            return
        now = self._clock()
        quarter = int(4 * self._done_bytes / self._total_bytes) if self._total_bytes else 4
        finished = force and self._in_flight == 0
        if finished:
            if self._lines_written == 0:
                return
        else:
            periodic = now - self._last_line_at >= self.interval
            at_quarter = (
                quarter > self._last_quarter
                and now - self._started_at >= self.interval / 5
                and now - self._last_line_at >= self.interval / 10
            )
            if not (periodic or at_quarter):
                return
        self._last_line_at = now
        self._last_quarter = quarter
        self._lines_written += 1
        state = self.state()
        rate = f"{format_bytes(state.bytes_per_second)}/s"
        if finished:
            took = _duration(now - self._started_at)
            line = (
                f"methodic {self.label}: done, {format_bytes(state.done_bytes)} in {took} ({rate}), "
                f"{self._assets_done} asset{'s' if self._assets_done != 1 else ''}"
                + (f", {state.done_files}/{state.total_files} files" if state.total_files else "")
            )
        else:
            eta = f", ETA {_duration(state.eta_seconds)}" if state.eta_seconds is not None else ""
            line = (
                f"methodic {self.label}: {100 * state.fraction:.0f}% {format_bytes(state.done_bytes)}/"
                f"{format_bytes(state.total_bytes)}, {rate}{eta}, {self._summary()}"
            )
        progress_lines.put(self.stream, line + "\n")  # written on a thread of its own: see console
