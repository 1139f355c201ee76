"""The aggregate transfer display: counts, totals and completion across concurrent assets, and plain lines."""

from __future__ import annotations

import io
import re
import threading

import pytest

from methodic.transfer.console import output_above_progress
from methodic.transfer.display import TransferDisplay, detect_mode

ESCAPE = re.compile(r"\x1b\[|\r")


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class TtyStream(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_several_concurrent_assets_add_up_to_one_total_and_close_when_the_last_finishes() -> None:
    clock = FakeClock()
    display = TransferDisplay("off", clock=clock)
    first, second = display.track(files=2), display.track(files=3)
    first.on_start(1000, "upload a")
    second.on_start(3000, "upload b")
    state = display.state()
    assert (state.total_bytes, state.total_files, state.assets_in_flight) == (4000, 5, 2)

    threads = [threading.Thread(target=lambda t=t: [t.on_bytes(10) for _ in range(50)]) for t in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    clock.now += 2
    first.on_file_done()
    state = display.state()
    assert state.done_bytes == 1000 and state.done_files == 1
    assert state.bytes_per_second == pytest.approx(500.0)
    assert state.eta_seconds == pytest.approx(6.0)  # 3000 bytes left at 500 B/s

    first.on_done()
    first.on_done()  # idempotent
    assert display.state().assets_in_flight == 1 and display.state().assets_done == 1
    second.on_done()
    assert display.state().total_bytes == 0  # idle: the next transfer starts a fresh display


def test_without_a_terminal_plain_lines_every_interval_or_quarter_and_no_escapes() -> None:
    clock = FakeClock()
    out = io.StringIO()
    display = TransferDisplay("lines", stream=out, interval=10, clock=clock)
    t = display.track(files=1)
    t.on_start(1000, "upload a")
    t.on_bytes(300)  # a quarter crossed, but the burst is young: silent
    assert out.getvalue() == ""
    clock.now += 3
    t.on_bytes(10)  # 31%, 3 s in: the quarter mark is printed
    t.on_bytes(10)  # nothing new
    clock.now += 11
    t.on_bytes(10)  # the interval passed
    t.on_bytes(670)
    t.on_file_done()
    t.on_done()
    text = out.getvalue()
    lines = text.splitlines()
    assert not ESCAPE.search(text)
    assert lines[0].startswith("methodic upload: 31% 310 B/1000 B")
    assert "1 asset in flight" in lines[0] and "0/1 files" in lines[0]
    assert lines[1].startswith("methodic upload: 33%") and "ETA" in lines[1]
    assert lines[-1].startswith("methodic upload: done, 1000 B in 14s") and "1 asset, 1/1 files" in lines[-1]
    assert len(lines) == 3  # the 100% mark came too soon after the last line: only the closing line


def test_a_quick_burst_prints_nothing_without_a_terminal() -> None:
    clock = FakeClock()
    out = io.StringIO()
    display = TransferDisplay("lines", stream=out, interval=10, clock=clock)
    for _ in range(3):
        t = display.track(files=2)
        t.on_start(100, "small")
        t.on_bytes(100)
        clock.now += 0.5
        t.on_done()
    assert out.getvalue() == ""


def test_off_writes_nothing_and_the_environment_turns_progress_off(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    display = TransferDisplay("off", stream=out)
    t = display.track(files=1)
    t.on_start(10, "x")
    t.on_bytes(10)
    t.on_done()
    assert out.getvalue() == ""
    monkeypatch.setenv("METHODIC_PROGRESS", "0")
    assert detect_mode(TtyStream()) == "off"
    monkeypatch.setenv("METHODIC_PROGRESS", "1")
    assert detect_mode(TtyStream()) == "bar"
    assert detect_mode(io.StringIO()) == "lines"


def test_a_terminal_gets_one_bar_for_many_assets() -> None:
    out = TtyStream()
    display = TransferDisplay("bar", stream=out)
    tracked = [display.track(files=1) for _ in range(3)]
    for i, t in enumerate(tracked):
        t.on_start(1024, f"asset {i}")
    for t in tracked:
        t.on_bytes(1024)
        t.on_file_done()
        t.on_done()
    text = out.getvalue()
    final = text.split("\r")[-1]
    assert text.count("upload:") >= 1
    assert "3.00k/3.00k" in final and "3 done, 3/3 files" in final
    assert "\n" in text and text.count("\n") == 1  # one bar, closed once


def test_print_and_logging_go_above_the_bar(capsys: pytest.CaptureFixture[str]) -> None:
    import logging
    import sys

    library = logging.getLogger("a_library_with_its_own_handler")  # as transformers and Lightning do
    library.propagate = False
    handler = logging.StreamHandler(sys.stderr)
    library.addHandler(handler)
    try:
        with output_above_progress():
            print("hello", "world")
            print("partial", end="")
            sys.stdout.write(" line\n")
            library.warning("a library warning")
            assert handler.stream is not sys.stderr  # routed above the bars while active
        assert handler.stream is sys.stderr  # and given back
    finally:
        library.removeHandler(handler)
    captured = capsys.readouterr()
    assert "hello world\n" in captured.out and "partial line\n" in captured.out
    assert "a library warning\n" in captured.err


def test_a_library_bar_on_stderr_redraws_in_place_while_prints_go_above_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import sys

    from tqdm import tqdm

    with output_above_progress():
        bar = tqdm(total=3, file=sys.stderr, desc="theirs")  # a library's bar on the wrapped stderr
        for _ in range(3):
            bar.update(1)
            print("step done")
        print("partial", end="", flush=True)
        print(" and the rest")
        bar.close()
    captured = capsys.readouterr()
    assert captured.out.count("step done\n") == 3
    assert "partial and the rest\n" in captured.out
    assert "theirs" in captured.err and captured.err.count("\n") == 1  # redraws in place, one newline at close


def test_jupyter_without_ipywidgets_falls_back_to_plain_lines() -> None:
    import importlib.util

    if importlib.util.find_spec("ipywidgets") is not None:
        pytest.skip("ipywidgets is installed here: the notebook bar would be used")
    clock = FakeClock()
    out = io.StringIO()
    display = TransferDisplay("notebook", stream=out, clock=clock)
    t = display.track(files=1)
    t.on_start(100, "x")
    clock.now += 30
    t.on_bytes(100)
    t.on_done()
    assert display.mode == "lines"
    assert out.getvalue().startswith("methodic upload: 100%") and not ESCAPE.search(out.getvalue())
