"""What a person sees while transfers run: one display per client, and output that never tears.

Background uploads of every asset report into one :class:`TransferDisplay` (total bytes and files
across everything queued, the rate, the ETA, the assets in flight), as huggingface_hub shows one bar
for a folder, instead of a bar per asset. On a terminal it is one tqdm bar; in Jupyter, tqdm's
notebook widget; anywhere else (CI, a log file, ``nohup``) a plain line every ``interval`` seconds
or at each quarter of a long burst, never a cursor-control escape. ``METHODIC_PROGRESS=0`` (or
``progress=False``) turns it all off. Per-asset lines go to the ``methodic`` logger at DEBUG.

Bars and other output share a terminal only if the other output goes above the bar:
:func:`output_above_progress` does that for ``print`` and ``logging`` in one line.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from typing import Any, Literal, TextIO

from methodic._constants import LOGGER_NAME

logger = logging.getLogger(LOGGER_NAME)

ENV_PROGRESS = "METHODIC_PROGRESS"
DisplayMode = Literal["bar", "notebook", "lines", "off"]
_FALSE = {"0", "false", "no", "off", "none"}


def progress_disabled_by_env() -> bool:
    """Whether ``METHODIC_PROGRESS`` turns progress off (``0``, ``false``, ``no``, ``off``)."""
    return os.environ.get(ENV_PROGRESS, "").strip().lower() in _FALSE


_drawing = threading.local()


@contextmanager
def _bar_drawing() -> Iterator[None]:
    """Mark this thread as drawing our bar: tqdm then flushes ``sys.stdout`` first (see ``_AboveProgressStream``)."""
    previous = getattr(_drawing, "active", False)
    _drawing.active = True
    try:
        yield
    finally:
        _drawing.active = previous


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
        return stream.target if isinstance(stream, (_AboveProgressStream, _AboveProgressHandlerStream)) else stream

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
                    with _bar_drawing():
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
            _LINES.settle(LINE_SETTLE_SECONDS)  # outside the lock: the burst's last lines, a bounded wait
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
                with _bar_drawing():
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
                with _bar_drawing():
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
        _LINES.put(self.stream, line + "\n")  # written on a thread of its own: see _LineWriter


class _LineWriter:
    """Writes progress lines on a thread of its own: a stalled reader of the stream never holds a transfer.

    With stderr a pipe or a file (``2>&1 | tee``, a log shipper), a write blocks while the reader does
    not read; written from the transfer thread, one line held the upload for as long. Lines are queued
    instead (at most :data:`LINE_QUEUE` of them; a line that finds the queue full is dropped, since the
    next one carries the news) and :meth:`settle` gives a finished burst's last lines a bounded wait.
    """

    def __init__(self, limit: int) -> None:
        self._queue: queue.Queue[tuple[TextIO, str]] = queue.Queue(limit)
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.dropped = 0

    def put(self, stream: TextIO, text: str) -> None:
        """Queue ``text`` for ``stream``; never blocks."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="methodic-progress-lines", daemon=True)
                self._thread.start()
        try:
            self._queue.put_nowait((stream, text))
        except queue.Full:
            self.dropped += 1

    def _run(self) -> None:
        while True:
            stream, text = self._queue.get()
            try:
                stream.write(text)
                stream.flush()
            except (OSError, ValueError):  # a closed or broken stream must never break a transfer
                pass
            finally:
                self._queue.task_done()

    def settle(self, timeout: float) -> None:
        """Wait up to ``timeout`` s for the queued lines to be written (a stalled reader costs that, once)."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.002)


#: How many progress lines may wait for a slow reader before new ones are dropped.
LINE_QUEUE = 64
#: How long the end of a burst waits for its last lines to be written.
LINE_SETTLE_SECONDS = 0.5
_LINES = _LineWriter(LINE_QUEUE)

_writing_above = threading.local()

#: A partial line (no newline yet) longer than this is written out as it is, so memory stays bounded.
PARTIAL_LINE_LIMIT = 1 << 16


def _open_bars() -> list[Any]:
    """The tqdm bars drawn right now (a bar another thread is still constructing has no ``start_t`` yet)."""
    from tqdm import tqdm

    return [
        bar
        for bar in list(getattr(tqdm, "_instances", ()))
        if hasattr(bar, "start_t") and not getattr(bar, "disable", False)
    ]


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # a closed or unusual stream
        return False


def _write_above_bars(target: TextIO, text: str) -> None:
    """Clear every open tqdm bar, write ``text``, redraw the bars (what ``tqdm.write`` does for its own streams).

    ``tqdm.write`` only clears bars drawn on ``sys.stdout``/``sys.stderr`` as they are now; while
    :func:`output_above_progress` has wrapped those, the bars are on the real streams, so clear them here.

    tqdm's global lock is held only when ``target`` is a terminal, the one place a bar can share a line
    with the text. A pipe or a file never takes it: a stalled reader (``| less``, a paused ``tee``) then
    blocks only the thread that prints, never a transfer updating its bar.
    """
    if not _is_terminal(target) or not _open_bars():
        target.write(text)
        target.flush()
        return
    from tqdm import tqdm

    _writing_above.active = True
    try:
        with tqdm.get_lock():  # type: ignore[no-untyped-call]
            bars = _open_bars()
            for bar in bars:
                bar.clear(nolock=True)
            target.write(text)
            target.flush()
            for bar in bars:
                bar.refresh(nolock=True)
    finally:
        _writing_above.active = False


def print_above_progress(line: str) -> None:
    """Write ``line`` to ``sys.stderr`` at once, above any progress bar; a closed or broken stderr is no error.

    For what the SDK must say while the user waits (a drain after Ctrl-C), whatever logging is configured.
    """
    stream = sys.stderr
    if stream is None:
        return
    target = stream.target if isinstance(stream, (_AboveProgressStream, _AboveProgressHandlerStream)) else stream
    # RuntimeError: called from a signal handler while this thread was inside a write to the same stream
    with suppress(OSError, ValueError, RuntimeError):
        _write_above_bars(target, line.rstrip("\n") + "\n")


class _AboveProgressStream:
    r"""A text stream whose complete lines are written above any progress bar.

    On a terminal with a bar drawn, a partial line waits for its newline, so a bar redraw cannot cut it
    in two; ``flush()`` (a prompt, ``print(..., end="", flush=True)``) writes it out at once. A carriage
    return starts the pending line over, as the terminal would, so ``print(f"\rstep {i}", end="")`` keeps
    one step pending, not all of them. With no bar drawn, partial lines go straight through; a pipe or a
    file (which no bar shares) gets everything as written, at once.
    """

    def __init__(self, target: TextIO) -> None:
        self.target = target
        self._terminal = _is_terminal(target)
        self._parts: list[str] = []
        self._size = 0
        self._lock = threading.Lock()

    def _take(self) -> str:
        text = "".join(self._parts)
        self._parts, self._size = [], 0
        return text

    def write(self, text: str) -> int:
        if getattr(_writing_above, "active", False):
            self.target.write(text)
            return len(text)
        if not self._terminal:  # exactly as the stream itself would take it, buffering included
            self.target.write(text)
            return len(text)
        with self._lock:
            newline = text.rfind("\n")
            line = ""
            if newline >= 0:
                line = self._take() + text[: newline + 1]
                rest = text[newline + 1 :]
            else:
                rest = text
            carriage = rest.rfind("\r")
            if carriage >= 0:  # what came before it on this line is overwritten on a terminal
                self._take()
                rest = rest[carriage:]
            if rest:
                self._parts.append(rest)
                self._size += len(rest)
            partial = ""
            if self._size and (self._size > PARTIAL_LINE_LIMIT or not _open_bars()):
                partial = self._take()
        if line or partial:
            _write_above_bars(self.target, line + partial)
        return len(text)

    def flush(self) -> None:
        """Write out a partial line too (a prompt must be seen before its answer is typed).

        tqdm flushes ``sys.stdout`` before every redraw, so that text and bar keep their order on one
        terminal. A pipe or a file shares nothing with our bar, and its reader may be stalled: that flush is
        skipped there, so a stalled ``| less`` never holds up an upload's bar (and with it the upload).
        """
        if not self._terminal and getattr(_drawing, "active", False):
            return
        with self._lock:
            rest = self._take()
        if rest:
            self.target.write(rest)
        self.target.flush()

    def drain(self) -> None:
        """Write what is left of a partial line (when the wrapper is taken away); a closed stream is not an error."""
        with suppress(OSError, ValueError):
            self.flush()

    def isatty(self) -> bool:
        return self.target.isatty()

    def fileno(self) -> int:
        return self.target.fileno()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.target, name)


def _console_handlers(streams: tuple[Any, ...]) -> list[logging.StreamHandler[Any]]:
    """Every logging handler writing to one of ``streams`` (transformers and Lightning install their own)."""
    loggers = [
        logging.getLogger(),
        *(v for v in logging.Logger.manager.loggerDict.values() if isinstance(v, logging.Logger)),
    ]
    found: list[logging.StreamHandler[Any]] = []
    for each in loggers:
        for handler in each.handlers:
            if isinstance(handler, logging.FileHandler) or not isinstance(handler, logging.StreamHandler):
                continue
            if handler.stream in streams:
                found.append(handler)
    return found


class _AboveProgressHandlerStream:
    """What a console logging handler writes to while redirected: each record above the bars."""

    def __init__(self, target: TextIO) -> None:
        self.target = target

    def write(self, text: str) -> int:
        _write_above_bars(self.target, text)
        return len(text)

    def flush(self) -> None:
        self.target.flush()


@contextmanager
def output_above_progress() -> Iterator[None]:
    """While active, ``print()`` output and ``logging`` console output go above progress bars, never into them.

    The one line a runner adds around its training loop::

        with methodic.output_above_progress():
            train()

    ``sys.stdout`` is wrapped so each complete line is written with the bars cleared first and redrawn
    after (as ``tqdm.write`` does); every logging handler that writes to the console (the root
    logger's, and the ones transformers and Lightning install for themselves) is pointed the same way.
    ``sys.stderr`` itself is left alone: that is where the bars, ours and other libraries', are drawn.
    Everything is restored on exit.
    """
    with ExitStack() as stack:
        previous_out, previous_err = sys.stdout, sys.stderr
        if previous_out is not None:  # None: fd 1 was closed at startup, and print() is already a no-op
            wrapper = _AboveProgressStream(previous_out)
            sys.stdout = wrapper

            def restore_stdout() -> None:
                try:
                    wrapper.drain()
                finally:  # even when the program closed sys.stdout inside the block
                    if sys.stdout is wrapper:
                        sys.stdout = previous_out

            stack.callback(restore_stdout)
        streams = (previous_out, previous_err, sys.__stdout__, sys.__stderr__)
        for handler in _console_handlers(tuple(s for s in streams if s is not None)):
            original = handler.stream
            handler.setStream(_AboveProgressHandlerStream(original))
            stack.callback(handler.setStream, original)
        # Warnings of a program that configured no logging go through logging.lastResort: route it too.
        last_resort = logging.lastResort
        if last_resort is not None and previous_err is not None:
            above: logging.Handler = logging.StreamHandler(_AboveProgressHandlerStream(previous_err))
            above.setLevel(last_resort.level)
            logging.lastResort = above

            def restore_last_resort() -> None:
                logging.lastResort = last_resort

            stack.callback(restore_last_resort)
        yield
