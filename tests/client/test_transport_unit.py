"""Narrow unit tests of client behaviour over an injected transport: headers, timeouts, error mapping."""

from __future__ import annotations

import json
import platform
from collections.abc import Callable

import httpx
import pytest

from methodic import Chronicle, errors
from methodic._transport import owner_qualified
from methodic._version import __version__

KEY = "sk_user_abcdef12" + "0" * 32

RUN_BODY = {
    "experiment_id": "e1",
    "variation": 0,
    "run": 0,
    "state": "running",
    "created_at": "2026-01-01T00:00:00Z",
    "started_at": "2026-01-01T00:00:01Z",
    "finished_at": None,
    "last_heartbeat_at": None,
    "failure_reason": None,
    "wandb_run_id": None,
    "wandb_entity": None,
    "wandb_project": None,
    "wandb_dashboard_url": None,
}


def client_with(handler: Callable[[httpx.Request], httpx.Response], **kwargs: object) -> Chronicle:
    return Chronicle("https://chronicle.test", KEY, transport=httpx.MockTransport(handler), **kwargs)  # type: ignore[arg-type]


def test_requests_carry_bearer_user_agent_and_v1_path() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=RUN_BODY, headers={"X-Request-Id": "req_1"})

    with client_with(handler) as chronicle:
        chronicle.run("e1", 0, 0).heartbeat()
    (request,) = seen
    assert request.method == "POST"
    assert request.url.path == "/v1/heartbeat"
    assert json.loads(request.content) == {"experiment_id": "e1", "variation": 0, "run": 0}
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    assert request.headers["User-Agent"] == f"methodic/{__version__} python/{platform.python_version()}"


def test_auth0_tokens_go_verbatim_into_the_bearer_header() -> None:
    token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        return httpx.Response(200, json={"scopes": []})

    with Chronicle("https://chronicle.test", token, transport=httpx.MockTransport(handler)) as chronicle:
        chronicle.me.scopes()
    assert seen == [f"Bearer {token}"]


def test_every_request_has_a_finite_timeout() -> None:
    seen: list[dict[str, float]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, json={"scopes": []})

    with client_with(handler, timeout=7.5) as chronicle:
        chronicle.me.scopes()
    assert seen == [{"connect": 7.5, "read": 7.5, "write": 7.5, "pool": 7.5}]


def test_default_timeout_is_thirty_seconds() -> None:
    seen: list[dict[str, float]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, json={"scopes": []})

    with client_with(handler) as chronicle:
        chronicle.me.scopes()
    assert seen[0]["read"] == 30.0


def test_injected_http_client_is_configured_and_used() -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, json={"scopes": [{"id": "u", "kind": "user", "name": "Me", "slug": "me"}]})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with Chronicle("https://chronicle.test", KEY, http_client=http, timeout=5) as chronicle:
        scopes = chronicle.me.scopes()
    assert scopes[0].slug == "me"
    assert calls[0].headers["Authorization"] == f"Bearer {KEY}"
    assert calls[0].extensions["timeout"]["read"] == 5


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, errors.BadRequestError),
        (422, errors.BadRequestError),
        (401, errors.AuthenticationError),
        (403, errors.PermissionDeniedError),
        (404, errors.NotFoundError),
        (409, errors.ConflictError),
        (500, errors.ServerError),
        (502, errors.ServerError),
        (503, errors.ServerError),
        (405, errors.APIStatusError),
        (413, errors.APIStatusError),
        (429, errors.APIStatusError),
    ],
)
def test_status_codes_map_to_typed_errors(status: int, cls: type[errors.APIError]) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = {"code": "some_code", "message": "it went wrong", "details": None, "request_id": "req_body"}
        return httpx.Response(status, json=body, headers={"X-Request-Id": "req_hdr"})

    with client_with(handler) as chronicle, pytest.raises(cls) as info:
        chronicle.runs.get("e1", 0, 0)
    err = info.value
    assert type(err) is cls
    assert isinstance(err, errors.APIError)
    assert isinstance(err, errors.ChronicleError)
    assert err.status_code == status
    assert err.code == "some_code"
    assert err.message == "it went wrong"
    assert err.request_id == "req_hdr"
    assert err.body["details"] is None
    text = str(err)
    assert "\n" not in text
    assert str(status) in text and "it went wrong" in text and "req_hdr" in text


def test_search_503_is_a_server_error_with_status_code() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = {"code": "search_unavailable", "message": "search is not configured", "details": None, "request_id": "r"}
        return httpx.Response(503, json=body)

    with client_with(handler) as chronicle, pytest.raises(errors.ServerError) as info:
        chronicle.search.query("loss")
    assert info.value.status_code == 503
    assert info.value.code == "search_unavailable"
    assert info.value.request_id == "r"


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html", "502 Bad Gateway"),
        (b"", "text/plain", "empty body"),
        (b"{not json", "application/json", "non-JSON error response"),
    ],
)
def test_non_json_error_bodies_still_give_the_right_class(body: bytes, content_type: str, expected: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502, content=body, headers={"content-type": content_type, "X-Request-Id": "req_p"})

    with client_with(handler) as chronicle, pytest.raises(errors.ServerError) as info:
        chronicle.runs.get("e1", 0, 0)
    assert info.value.status_code == 502
    assert info.value.code is None
    assert info.value.request_id == "req_p"
    assert expected in str(info.value)


def test_json_error_body_that_is_not_an_object() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json=["nope"])

    with client_with(handler) as chronicle, pytest.raises(errors.NotFoundError) as info:
        chronicle.runs.get("e1", 0, 0)
    assert info.value.body == ["nope"]
    assert "Not Found" in str(info.value)


def test_errors_never_contain_the_api_key_or_presigned_query_strings() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        message = f"bad key {KEY}; see https://storage.test/obj/a?signature=deadbeef&expires=1 (Bearer {KEY})"
        return httpx.Response(
            401, json={"code": "unauthorized", "message": message, "details": None, "request_id": "r"}
        )

    with client_with(handler) as chronicle, pytest.raises(errors.AuthenticationError) as info:
        chronicle.me.scopes()
    for text in (str(info.value), repr(info.value), info.value.message):
        assert KEY not in text
        assert "deadbeef" not in text
    assert "https://storage.test/obj/a" in str(info.value)


def test_response_missing_a_declared_field_reads_none() -> None:
    body = dict(RUN_BODY)
    del body["state"], body["failure_reason"]

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=body)

    with client_with(handler) as chronicle:
        status = chronicle.runs.get_status("e1", 0, 0)
    assert status.state is None and status.failure_reason is None
    assert "state" not in status and status.started_at == RUN_BODY["started_at"]


def test_a_success_body_that_is_not_an_object_is_a_validation_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=["running"])

    with client_with(handler) as chronicle, pytest.raises(errors.APIResponseValidationError) as info:
        chronicle.runs.get_status("e1", 0, 0)
    assert "get_run_status" in str(info.value) and "list" in str(info.value)


def test_non_json_success_body_is_a_validation_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"<html>ok</html>", headers={"content-type": "text/html"})

    with client_with(handler) as chronicle, pytest.raises(errors.APIResponseValidationError):
        chronicle.runs.get("e1", 0, 0)


def test_unknown_states_and_extra_fields_are_accepted() -> None:
    body = {**RUN_BODY, "state": "preempted", "new_field": {"x": 1}}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=body)

    with client_with(handler) as chronicle:
        run = chronicle.run("e1", 0, 0).heartbeat()
        assert run.state == "preempted"
        assert run.data["new_field"] == {"x": 1}


def test_timeouts_and_connection_errors_are_typed() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    with client_with(slow) as chronicle, pytest.raises(errors.APITimeoutError) as info:
        chronicle.me.scopes()
    assert isinstance(info.value, errors.APIConnectionError)
    assert info.value.status_code is None
    with client_with(refused) as chronicle, pytest.raises(errors.APIConnectionError) as info2:
        chronicle.me.scopes()
    assert "Connection refused" in str(info2.value)


def test_no_automatic_retries() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(503, json={"code": "x", "message": "down", "details": None, "request_id": "r"})

    with client_with(handler) as chronicle, pytest.raises(errors.ServerError):
        chronicle.run("e1", 0, 0).start()
    assert calls == 1


def test_start_with_no_wandb_sends_no_body_and_with_wandb_sends_the_fields() -> None:
    bodies: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(request.content)
        return httpx.Response(200, json=RUN_BODY)

    with client_with(handler) as chronicle:
        chronicle.run("e1", 0, 0).start()
        chronicle.run("e1", 0, 0).start(wandb_run_id="abc", wandb_entity="team")
    assert bodies[0] == b""
    assert json.loads(bodies[1]) == {"wandb_run_id": "abc", "wandb_entity": "team"}


def test_close_is_idempotent_and_repr_has_no_secret() -> None:
    chronicle = client_with(lambda r: httpx.Response(200, json={"scopes": []}))
    assert KEY not in repr(chronicle)
    chronicle.close()
    chronicle.close()
    assert chronicle.closed


def test_a_callers_http_client_is_used_but_never_modified() -> None:
    calls: list[httpx.Request] = []
    hook_saw: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, json={"scopes": []})

    http = httpx.Client(
        transport=httpx.MockTransport(handler),
        headers={"X-Team": "vision"},
        timeout=7,
        event_hooks={"request": [lambda r: hook_saw.append(r.url.path)]},
    )
    before = (http.base_url, dict(http.headers), http.timeout, {k: list(v) for k, v in http.event_hooks.items()})
    with Chronicle("https://chronicle.test", KEY, http_client=http) as chronicle:
        chronicle.me.scopes()
    after = (http.base_url, dict(http.headers), http.timeout, {k: list(v) for k, v in http.event_hooks.items()})
    assert after == before
    assert "authorization" not in http.headers
    assert str(calls[0].url) == "https://chronicle.test/v1/me/scopes"
    assert calls[0].headers["X-Team"] == "vision" and calls[0].headers["Authorization"] == f"Bearer {KEY}"
    assert calls[0].extensions["timeout"]["read"] == 7
    assert hook_saw == ["/v1/me/scopes"]  # the caller's own hooks still run
    assert not http.is_closed  # the caller's client is the caller's to close
    http.close()


def test_a_programming_error_is_not_reported_as_a_contract_mismatch() -> None:
    from methodic_api.api.runs import get_run_status

    from methodic.types import RunRecord

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=RUN_BODY)

    with client_with(handler) as chronicle, pytest.raises(TypeError):
        chronicle._transport.call(
            get_run_status.sync_detailed, RunRecord, experiment_id="e1", variation=0, run=0, bogus=1
        )


def test_deeply_nested_json_is_a_contract_mismatch_not_a_recursion_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        depth = 100_000
        return httpx.Response(200, content=b"[" * depth + b"]" * depth, headers={"content-type": "application/json"})

    with client_with(handler) as chronicle, pytest.raises(errors.APIResponseValidationError):
        chronicle.runs.get("e1", 0, 0)


def test_the_generated_client_holds_no_copy_of_the_key() -> None:
    with client_with(lambda r: httpx.Response(200, json=RUN_BODY)) as chronicle:
        api = chronicle._transport.api
        assert KEY not in repr(api) and not hasattr(api, "token")
        assert KEY not in repr(chronicle._transport)


@pytest.mark.parametrize("status", [200, 204])
def test_lifecycle_calls_accept_an_empty_answer_and_read_the_state_from_status(status: int) -> None:
    seen: list[tuple[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.path))
        if request.url.path.endswith("/status"):
            return httpx.Response(200, json={**RUN_BODY, "state": "succeeded"})
        return httpx.Response(status)

    with client_with(handler) as chronicle:
        run = chronicle.run("e1", 0, 0).start().heartbeat().succeed()
        assert chronicle.runs.fail("e1", 0, 0) == {}
        assert run.state == "succeeded"
    base = "/v1/experiments/e1/variations/0/runs/0"
    assert seen == [
        ("POST", f"{base}/start"),
        ("POST", "/v1/heartbeat"),
        ("POST", f"{base}/succeed"),
        ("POST", f"{base}/fail"),
        ("GET", f"{base}/status"),
    ]


def test_call_list_reads_a_bare_array_and_an_older_servers_wrapper() -> None:
    asset = {"id": "a1", "asset_type": "checkpoint", "state": "ready"}
    answers = iter([[asset], {"assets": [asset], "next_cursor": None}, {"assets": [], "experiments": []}, ""])

    def handler(request: httpx.Request) -> httpx.Response:
        answer = next(answers)
        return httpx.Response(200, json=answer) if answer != "" else httpx.Response(200)

    with client_with(handler) as chronicle:
        assert [a.id for a in chronicle.runs.list_outputs("e1", 0, 0)] == ["a1"]
        (wrapped,) = chronicle.runs.list_outputs("e1", 0, 0)
        assert wrapped["id"] == "a1" and wrapped.state == "ready"
        assert chronicle.runs.list_outputs("e1", 0, 0) == []  # two lists: neither is guessed
        assert chronicle.runs.list_outputs("e1", 0, 0) == []  # an empty body is an empty list


def test_call_list_refuses_a_scalar() -> None:
    with (
        client_with(lambda r: httpx.Response(200, json="nope")) as chronicle,
        pytest.raises(errors.APIResponseValidationError, match="list_run_outputs"),
    ):
        chronicle.runs.list_outputs("e1", 0, 0)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/v1/experiments/@alice/ripple", "/v1/u/alice/e/ripple"),
        ("/v1/experiments/@alice/ripple/variations/0/commit", "/v1/u/alice/e/ripple/variations/0/commit"),
        ("/v1/experiments/o/acme/ripple/lineage?depth=2", "/v1/o/acme/e/ripple/lineage?depth=2"),
        ("/v1/experiments/u/alice/ripple", "/v1/u/alice/e/ripple"),
        ("/v1/experiments/%40alice%2Fripple/inputs", "/v1/u/alice/e/ripple/inputs"),
        ("/v1/experiments/o%2Facme%2Fripple", "/v1/o/acme/e/ripple"),
        # a UUID or a bare slug is the server's to resolve
        (
            "/v1/experiments/0b6c2f3e-1111-4222-8333-444455556666",
            "/v1/experiments/0b6c2f3e-1111-4222-8333-444455556666",
        ),
        ("/v1/experiments/ripple/variations", "/v1/experiments/ripple/variations"),
        ("/v1/experiments", "/v1/experiments"),
        ("/v1/assets/@alice/x", "/v1/assets/@alice/x"),
        # not an owner-qualified reference: left alone
        ("/v1/experiments/@/ripple", "/v1/experiments/@/ripple"),
        ("/v1/experiments/o/acme", "/v1/experiments/o/acme"),
    ],
)
def test_owner_qualified_references_take_the_hosted_paths(path: str, expected: str) -> None:
    assert owner_qualified(path) == expected


def test_owner_qualified_one_segment_rewrites_only_a_quoted_reference() -> None:
    # the generated endpoints quote the reference as one segment; a literal second segment is a sub-resource
    assert (
        owner_qualified("/v1/experiments/%40alice%2Fripple/commit", one_segment=True) == "/v1/u/alice/e/ripple/commit"
    )
    assert owner_qualified("/v1/experiments/o/acme/ripple", one_segment=True) == "/v1/experiments/o/acme/ripple"
    assert owner_qualified("/v1/experiments/%40alice%2Fa%2Fb", one_segment=True) == "/v1/experiments/%40alice%2Fa%2Fb"


def test_wrapped_calls_send_owner_qualified_references_on_the_hosted_paths() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(200, json={"experiment": {"id": "e1", "state": "open"}, "variations": []})

    with client_with(handler) as chronicle:
        chronicle.experiments.get("@alice/ripple")
        chronicle.experiments.get("o/acme/ripple")
        chronicle.experiments.get("ripple")
        chronicle._transport.get("/experiments/@alice/ripple/inputs")
    assert seen == [
        "/v1/u/alice/e/ripple",
        "/v1/o/acme/e/ripple",
        "/v1/experiments/ripple",
        "/v1/u/alice/e/ripple/inputs",
    ]
