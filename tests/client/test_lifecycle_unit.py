"""The background heartbeat and the managed lifecycle, over an injected transport that records calls."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable

import httpx
import pytest

from methodic import Chronicle
from methodic.errors import RunTerminated
from methodic.heartbeat import HeartbeatThread

KEY = "sk_user_12345678" + "a" * 32


class FakeRuns:
    """Answers run transitions like the server would, and records the order of calls."""

    def __init__(self, fail_heartbeats: int = 0) -> None:
        self.calls: list[str] = []
        self.bodies: list[bytes] = []
        self.state = "pending"
        self.fail_heartbeats = fail_heartbeats
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        action = request.url.path.rsplit("/", 1)[-1]
        with self.lock:
            self.calls.append(action)
            self.bodies.append(request.content)
            if action == "heartbeat" and self.fail_heartbeats:
                self.fail_heartbeats -= 1
                return httpx.Response(503, json={"code": "down", "message": "busy", "details": None, "request_id": "r"})
            self.state = {
                "start": "running",
                "succeed": "succeeded",
                "fail": "failed_abandoned" if b"abandoned" in request.content else "failed_crash",
            }.get(action, self.state)
        return httpx.Response(
            200,
            json={
                "experiment_id": "e",
                "variation": 0,
                "run": 0,
                "state": self.state,
                "created_at": "2026-01-01T00:00:00Z",
                "started_at": None,
                "finished_at": None,
                "last_heartbeat_at": None,
                "failure_reason": None,
                "wandb_run_id": None,
                "wandb_entity": None,
                "wandb_project": None,
                "wandb_dashboard_url": None,
            },
        )


def make(fake: Callable[[httpx.Request], httpx.Response]) -> Chronicle:
    return Chronicle("https://chronicle.test", KEY, transport=httpx.MockTransport(fake))


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)


def test_heartbeat_thread_beats_until_stopped() -> None:
    fake = FakeRuns()
    with make(fake) as chronicle:
        heart = chronicle.run("e", 0, 0).background_heartbeat(interval=0.02)
        wait_until(lambda: heart.beats >= 3)
        heart.stop()
        assert not heart.alive
        count = fake.calls.count("heartbeat")
        time.sleep(0.1)
        assert fake.calls.count("heartbeat") == count


def test_heartbeat_failures_are_logged_and_retried(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeRuns(fail_heartbeats=2)
    with make(fake) as chronicle, HeartbeatThread(chronicle.run("e", 0, 0), 0.02).start() as heart:
        wait_until(lambda: heart.beats >= 1)
    assert heart.failures == 2
    assert "heartbeat" in caplog.text and "will retry" in caplog.text
    assert KEY not in caplog.text


def test_interval_must_be_positive() -> None:
    with make(FakeRuns()) as chronicle, pytest.raises(ValueError):
        HeartbeatThread(chronicle.run("e", 0, 0), 0)


def test_lifecycle_normal_exit_succeeds() -> None:
    fake = FakeRuns()
    with make(fake) as chronicle:
        run = chronicle.run("e", 0, 0)
        with run.lifecycle(heartbeat_interval=0.02):
            wait_until(lambda: fake.calls.count("heartbeat") >= 2)
        assert run.state == "succeeded"
    assert fake.calls[0] == "start"
    assert fake.calls[-1] == "succeed"


def test_lifecycle_exception_fails_with_crash_and_propagates() -> None:
    fake = FakeRuns()
    with make(fake) as chronicle:
        run = chronicle.run("e", 0, 0)
        with pytest.raises(ZeroDivisionError), run.lifecycle(heartbeat_interval=10):
            1 / 0
        assert run.state == "failed_crash"
    assert fake.calls[-1] == "fail"
    assert b"crash: ZeroDivisionError" in fake.bodies[-1]
    assert "succeed" not in fake.calls


def test_lifecycle_keyboard_interrupt_is_abandoned() -> None:
    fake = FakeRuns()
    with make(fake) as chronicle:
        run = chronicle.run("e", 0, 0)
        with pytest.raises(KeyboardInterrupt), run.lifecycle(heartbeat_interval=10):
            raise KeyboardInterrupt
        assert run.state == "failed_abandoned"


def test_lifecycle_sigterm_is_abandoned_and_handler_restored() -> None:
    fake = FakeRuns()
    before = signal.getsignal(signal.SIGTERM)
    with make(fake) as chronicle:
        run = chronicle.run("e", 0, 0)
        with pytest.raises(RunTerminated), run.lifecycle(heartbeat_interval=10):
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # interrupted by the signal handler
        assert run.state == "failed_abandoned"
    assert signal.getsignal(signal.SIGTERM) == before


def test_lifecycle_does_not_mask_the_training_exception_when_fail_itself_fails() -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/fail"):
            raise httpx.ConnectError("server went away", request=request)
        return FakeRuns()(request)

    with (
        make(broken) as chronicle,
        pytest.raises(RuntimeError, match="training blew up"),
        chronicle.run("e", 0, 0).lifecycle(heartbeat_interval=10),
    ):
        raise RuntimeError("training blew up")


def test_lifecycle_passes_wandb_fields_to_start() -> None:
    fake = FakeRuns()
    with (
        make(fake) as chronicle,
        chronicle.run("e", 0, 0).lifecycle(heartbeat_interval=10, wandb_run_id="r1", wandb_entity="team"),
    ):
        pass
    assert b'"wandb_run_id": "r1"' in fake.bodies[0] or b'"wandb_run_id":"r1"' in fake.bodies[0]


def test_a_heartbeat_answered_after_succeed_does_not_turn_the_run_back_to_running() -> None:
    """The heartbeat sent before ``succeed()`` but answered after it: the later-sent call's answer stands."""
    fake = FakeRuns()
    heartbeat_sent = threading.Event()
    succeed_answered = threading.Event()

    def transport(request: httpx.Request) -> httpx.Response:
        action = request.url.path.rsplit("/", 1)[-1]
        if action == "heartbeat":
            response = fake(request)  # answered "running", then held back on the wire
            heartbeat_sent.set()
            succeed_answered.wait(5)
            return response
        response = fake(request)
        if action == "succeed":
            succeed_answered.set()
        return response

    with make(transport) as chronicle:
        run = chronicle.run("e", 0, 0).start()
        beat = threading.Thread(target=run.heartbeat)
        beat.start()
        assert heartbeat_sent.wait(5)
        run.succeed()
        beat.join(5)
        assert not beat.is_alive()
        assert run.state == "succeeded"
        assert run.get_status().state == "succeeded"  # a call sent later still refreshes the record
    assert fake.calls[:3] == ["start", "heartbeat", "succeed"]
