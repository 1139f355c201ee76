"""Feedback and error reports over raw HTTP: validation, the server's own fingerprint, the rate limit."""

from __future__ import annotations

import hashlib

import pytest

from methodic_server import LocalChronicle
from methodic_server.store.feedback import MAX_BODY_BYTES
from tests.helpers import module_server
from tests.server.wire import Wire

STACK = 'File "train.py", line 12, in step\n  at 0x7ffee3\nFile "loop.py", line 99, in run\n'


server = module_server()  # one contract-checked server for this module's tests


def test_feedback_is_stored_with_its_category_and_context(wire: Wire) -> None:
    body = {"category": "gap", "body_md": "| a |\n|---|\n", "source": "skill", "context": {"sdk_method": "x"}}
    created = wire.ok("POST", "/v1/feedback", body, status=201)
    assert created["id"] and created["category"] == "gap" and created["context"] == {"sdk_method": "x"}
    assert wire.ok("POST", "/v1/feedback", {"body_md": "nice"}, status=201)["category"] == "feedback"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"category": "bug", "body_md": "x"}, 400),
        ({"body_md": "   "}, 400),
        ({"body_md": "x", "context": ["not", "ids"]}, 400),
        ({"body_md": "x" * (MAX_BODY_BYTES + 1)}, 413),
    ],
)
def test_bad_feedback_is_refused(wire: Wire, body: dict[str, object], status: int) -> None:
    assert wire.error("POST", "/v1/feedback", body)[0] == status


def test_an_error_report_is_fingerprinted_by_the_server_and_deduplicated(wire: Wire) -> None:
    body = {
        "source": "sdk",
        "error_type": "ServerError",
        "message": "boom",
        "captured_at": "2026-01-01T00:00:00+00:00",
        "fingerprint": "whatever-the-client-thinks",
        "stack": STACK,
        "request_method": "GET",
        "request_path": "/v1/experiments/6535ef3f-fa20-4925-bf5e-f32c169ee893/variations/3",
        "response_status": 500,
    }
    first = wire.ok("POST", "/v1/errors", body, status=202)
    # the identity ignores line numbers and addresses: the same failure elsewhere in the file is the same report
    moved = STACK.replace("line 12", "line 40").replace("0x7ffee3", "0x1")
    again = wire.ok("POST", "/v1/errors", {**body, "stack": moved}, status=202)
    assert (again["id"], again["fingerprint"], again["occurrences"]) == (first["id"], first["fingerprint"], 2)
    other = wire.ok("POST", "/v1/errors", {"error_type": "ServerError", "message": "other"}, status=202)
    assert other["id"] != first["id"] and other["occurrences"] == 1
    assert other["fingerprint"] == hashlib.sha256(b"ServerError|other|").hexdigest()
    deeper = wire.ok("POST", "/v1/errors", {**body, "stack": 'File "eval.py", line 1, in main\n' + STACK})
    assert deeper["id"] != first["id"]  # a different top frame is a different failure
    stored = wire.server._server.store.docs.get("error_report", first["fingerprint"])
    assert stored is not None
    assert stored["occurrences"][0]["request_path"] == "/v1/experiments/{id}/variations/{id}"


@pytest.mark.parametrize(
    "body",
    [{"message": "m"}, {"error_type": "E", "message": 3}, {"error_type": "E", "message": "m", "response_status": 99}],
)
def test_a_malformed_error_report_is_refused(wire: Wire, body: dict[str, object]) -> None:
    assert wire.error("POST", "/v1/errors", body)[0] == 400


def test_a_caller_over_the_rate_is_told_when_to_retry() -> None:
    with LocalChronicle(validate_contract=True) as server:
        wire = Wire(server)
        try:
            over_the_rate(wire, server)
        finally:
            wire.close()
        assert server.contract_violations == []


def over_the_rate(wire: Wire, server: LocalChronicle) -> None:
    limit = server._server.store.feedback.feedback_limit.limit
    for n in range(limit):
        wire.ok("POST", "/v1/feedback", {"body_md": f"note {n}"}, status=201)
    response = wire.http.post("/v1/feedback", json={"body_md": "one too many"})
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    # another caller is not held back by this one
    other = Wire(server, server.mint_admin_key())
    try:
        assert other.ok("POST", "/v1/feedback", {"body_md": "mine"}, status=201)["id"]
    finally:
        other.close()
