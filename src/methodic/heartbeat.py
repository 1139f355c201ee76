"""Background heartbeats and the managed run lifecycle, so a dead runner never leaves a run looking alive."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from types import FrameType, TracebackType
from typing import TYPE_CHECKING, Any

from methodic._constants import LOGGER_NAME
from methodic.errors import ChronicleError, RunTerminated
from methodic.transfer.console import print_above_progress

if TYPE_CHECKING:
    from methodic.run import Run

logger = logging.getLogger(LOGGER_NAME)


class HeartbeatThread:
    """Sends ``run.heartbeat()`` every ``interval`` seconds until stopped.

    A failed heartbeat is logged and retried at the next tick; it never raises into the training code.
    """

    def __init__(
        self,
        run: Run,
        interval: float,
        *,
        progressing: Callable[[], bool] | None = None,
        first_beat_after: float = 0.0,
    ) -> None:
        if interval <= 0:
            raise ValueError("heartbeat interval must be positive")
        self.run = run
        self.interval = interval
        # A run started a moment ago carries that moment as its last heartbeat: a beat at once would say it again.
        self.first_beat_after = first_beat_after
        # When given, a beat is sent only while this says the trainer is still making progress: a
        # process that survives a crash (a notebook) or hangs must not keep its run alive forever.
        self.progressing = progressing
        self.skipped = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"methodic-heartbeat-{run.run}", daemon=True)
        self.beats = 0
        self.failures = 0

    def __repr__(self) -> str:
        return f"<HeartbeatThread {self.run!r} every {self.interval}s beats={self.beats} failures={self.failures}>"

    def start(self) -> HeartbeatThread:
        """Start beating (the first heartbeat is sent at once, or ``first_beat_after`` seconds from now)."""
        self._thread.start()
        return self

    def _loop(self) -> None:
        if self.first_beat_after > 0:
            self._stop.wait(self.first_beat_after)
        while not self._stop.is_set():
            if self.progressing is not None and not self.progressing():
                if self.skipped == 0:
                    logger.warning(
                        "no training progress reported for %r for a while: heartbeats stop, so the watchdog can "
                        "mark the run lost if nothing ends it",
                        self.run,
                    )
                self.skipped += 1
                self._stop.wait(self.interval)
                continue
            self.skipped = 0
            try:
                self.run.heartbeat()
                self.beats += 1
            except ChronicleError as exc:
                self.failures += 1
                logger.warning("heartbeat for %r failed (will retry in %.0fs): %s", self.run, self.interval, exc)
            except Exception:
                self.failures += 1
                logger.exception("unexpected error while sending a heartbeat for %r", self.run)
            self._stop.wait(self.interval)

    def stop(self, timeout: float | None = None) -> None:
        """Stop beating and wait for the thread to exit (at most ``timeout`` seconds)."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        """Whether the thread is still running."""
        return self._thread.is_alive()

    def __enter__(self) -> HeartbeatThread:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


@contextmanager
def sigterm_raises() -> Iterator[None]:
    """While active (main thread only), SIGTERM raises RunTerminated instead of killing the process."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        raise RunTerminated(f"received signal {signum}")

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _signals_noted() -> Iterator[None]:
    """While active (main thread only), Ctrl-C and SIGTERM only note that we are stopping already.

    The last steps after a second signal (failing the run) are short and bounded by the API timeout; a
    third Ctrl-C there would only add a second traceback to the one about to be printed.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def noted(signum: int, frame: FrameType | None) -> None:
        print_above_progress("methodic: stopping already; failing the run, then exiting")

    previous = {s: signal.signal(s, noted) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _fail_quietly(run: Run, reason: str) -> None:
    """Report failure without masking the exception that got us here (a second signal retries once)."""
    for _ in range(2):
        try:
            run._report_failed(reason[:2000])
            return
        except (KeyboardInterrupt, RunTerminated):
            continue
        except Exception as exc:
            logger.error("could not mark %r as failed (%s): %s", run, reason[:200], exc)
            return


#: Exceptions frameworks raise for SIGTERM (Lightning's SIGTERMException): a preemption, not a crash.
_SIGTERM_EXCEPTIONS = ("SIGTERMException",)


def failure_reason(exc: BaseException) -> str:
    """The reason a run fails with for ``exc``: ``abandoned`` for an interrupt or SIGTERM, else ``crash: ...``."""
    if isinstance(exc, (KeyboardInterrupt, RunTerminated)) or type(exc).__name__ in _SIGTERM_EXCEPTIONS:
        return "abandoned"
    return f"crash: {type(exc).__name__}: {exc}"


def _what_stopped(cause: BaseException | None) -> tuple[str, str]:
    """(what happened, how to stop now) for the line printed when a drain starts."""
    if isinstance(cause, KeyboardInterrupt):
        return "Ctrl-C", "press Ctrl-C again to stop now"
    if isinstance(cause, RunTerminated) or type(cause).__name__ in _SIGTERM_EXCEPTIONS:
        return "SIGTERM", "send SIGTERM again (or press Ctrl-C) to stop now"
    if cause is not None:
        return f"the run raised {type(cause).__name__}", "press Ctrl-C to stop now"
    return "stopping", "press Ctrl-C to stop now"


def drain_then_fail(
    run: Run, heart: HeartbeatThread | None, reason: str, drain_timeout: float, *, cause: BaseException | None = None
) -> None:
    """Let the run's uploads finish (heartbeats go on), then fail it, saying what did not finish.

    When there is something to wait for, a line on stderr says so at once: what happened (``cause``),
    how many uploads, for how long at most, and that a second Ctrl-C (or SIGTERM) stops now. That second
    signal stops the client's transfers at once (they could not land on a failed run anyway, and the
    process must not go on sending to 100% or wait for them at exit); further signals while the run is
    being failed are only noted. The reason and the warning give the time really waited.
    Never raises for a server that cannot be reached: the exception that got us here matters more.
    """
    started = time.monotonic()
    stopped_again = False
    try:
        pending = run.drain_uploads(0) if drain_timeout > 0 else []
        if pending:
            what, how = _what_stopped(cause)
            print_above_progress(
                f"methodic: {what}: waiting up to {drain_timeout:g}s for {len(pending)} upload(s) of this run to"
                f" land before failing it; {how} (what has not landed stays in its tracker)"
            )
        unfinished = run.drain_uploads(drain_timeout)
    except (KeyboardInterrupt, RunTerminated):  # asked again to stop: stop waiting, and stop sending
        stopped_again = True
    waited = round(min(time.monotonic() - started, drain_timeout), 1)  # the drain's own overhead is not waiting
    with _signals_noted() if stopped_again else nullcontext():
        if stopped_again:
            unfinished = run.drain_uploads(0)
            run._api.stop_uploads()
        if heart is not None:
            heart.stop()
        if unfinished:
            ids = ", ".join(u.asset_id for u in unfinished)
            reason = f"{reason} [{len(unfinished)} upload(s) unfinished after {waited:g}s: {ids}]"
            logger.warning(
                "failing %r with %d upload(s) unfinished after %gs%s; they stay in their tracker: %s",
                run,
                len(unfinished),
                waited,
                " (stopped by a second signal)" if stopped_again else "",
                ids,
            )
        _fail_quietly(run, reason)


@contextmanager
def managed_lifecycle(
    run: Run,
    *,
    heartbeat_interval: float,
    start_kwargs: Mapping[str, Any],
    handle_sigterm: bool = True,
    drain_timeout: float,
) -> Iterator[Run]:
    """Start ``run``, heartbeat while the block runs, and end it in the state that matches what happened."""
    run.start(**{k: v for k, v in start_kwargs.items() if v is not None})
    heart = HeartbeatThread(run, heartbeat_interval).start()
    # The SIGTERM handler stays installed through the drain, so a second signal cuts the drain short
    # and the run is still failed, instead of the default action killing the process mid-drain.
    with sigterm_raises() if handle_sigterm else nullcontext():
        try:
            yield run
            run.succeed()  # waits for every upload; SIGTERM meanwhile still counts as a preemption
        except BaseException as exc:
            drain_then_fail(run, heart, failure_reason(exc), drain_timeout, cause=exc)
            raise
        finally:
            heart.stop()
