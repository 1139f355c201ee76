"""Output that never tears: other output goes above the progress bars, and progress lines never hold a transfer.

Bars and other output share a terminal only if the other output goes above the bar:
:func:`output_above_progress` does that for ``print`` and ``logging`` in one line, and
:func:`print_above_progress` for what the SDK itself must say while a bar is drawn. Plain progress lines
(stderr a pipe or a file) are written on a thread of their own (:data:`progress_lines`), so a reader that
stalls never stalls an upload. Drawing the progress itself is :mod:`methodic.transfer.display`'s job;
this module knows nothing of it beyond :func:`bar_drawing`, which the display enters while it draws.
"""

from __future__ import annotations

import logging
import queue
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from typing import Any, TextIO

_drawing = threading.local()


@contextmanager
def bar_drawing() -> Iterator[None]:
    """Mark this thread as drawing a bar of ours: tqdm flushes ``sys.stdout`` first (see ``_AboveProgressStream``)."""
    previous = getattr(_drawing, "active", False)
    _drawing.active = True
    try:
        yield
    finally:
        _drawing.active = previous


def unwrapped(stream: TextIO) -> TextIO:
    """The stream under :func:`output_above_progress`'s wrappers (a bar's redraws must reach it as they are)."""
    return stream.target if isinstance(stream, (_AboveProgressStream, _AboveProgressHandlerStream)) else stream


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
#: The one writer of every display's plain progress lines.
progress_lines = _LineWriter(LINE_QUEUE)

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
    target = unwrapped(stream)
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
