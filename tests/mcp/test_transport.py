"""The MCP endpoint as a transport: what the stdio launcher and native Streamable-HTTP clients rely on."""

from __future__ import annotations

import httpx
import pytest

from methodic_server import LocalChronicle
from tests.mcp.jsonrpc import PATH, McpClient
from tests.server.wire import Wire


def test_initialize_without_accept_session_or_version_header_negotiates_a_version(mcp: McpClient) -> None:
    for asked, agreed in (("2025-06-18", "2025-06-18"), ("2024-11-05", "2024-11-05"), ("1999-01-01", "2025-06-18")):
        envelope = mcp.request(
            "initialize", {"protocolVersion": asked, "capabilities": {}, "clientInfo": {"name": "t"}}
        )
        result = envelope["result"]
        assert result["protocolVersion"] == agreed
        assert "tools" in result["capabilities"]
        assert result["serverInfo"]["name"] and result["instructions"]


def test_no_session_id_is_issued_and_each_post_stands_alone(mcp: McpClient) -> None:
    response = mcp.post({"jsonrpc": "2.0", "id": 7, "method": "ping"})
    assert response.status_code == 200 and response.json() == {"jsonrpc": "2.0", "id": 7, "result": {}}
    assert "mcp-session-id" not in response.headers
    assert response.headers["x-request-id"].startswith("req_")


def test_tools_list_gives_bare_snake_case_names_with_schemas(mcp: McpClient) -> None:
    tools = mcp.request("tools/list")["result"]["tools"]
    names = [tool["name"] for tool in tools]
    assert len(names) == len(set(names))
    for tool in tools:
        assert set(tool) == {"name", "description", "inputSchema"}
        assert tool["name"].isidentifier() and tool["name"] == tool["name"].lower()
        assert tool["inputSchema"]["type"] == "object" and tool["description"]
    by_name = {tool["name"]: tool for tool in tools}
    for upload in ("upload_asset", "upload_image"):  # the launcher fills these in
        assert not {"filename", "content_type"} & set(by_name[upload]["inputSchema"]["required"])
    assert {"experiment_id"} <= set(by_name["create_variation"]["inputSchema"]["required"])


def test_list_outputs_answers_like_the_rest_listing(mcp: McpClient, rest: Wire) -> None:
    exp_id = rest.committed()
    assert mcp.ok("list_outputs", experiment_id=exp_id) == rest.ok("GET", f"/v1/experiments/{exp_id}/outputs")
    run = mcp.ok("list_outputs", experiment_id=exp_id, variation=0, run=0)
    assert run == rest.ok("GET", f"/v1/experiments/{exp_id}/variations/0/runs/0/outputs")


def test_a_tool_failure_is_a_200_result_with_is_error(mcp: McpClient) -> None:
    response = mcp.post(
        {
            "jsonrpc": "2.0",
            "id": 3,
            "method": "tools/call",
            "params": {"name": "get_experiment", "arguments": {"experiment_id": "nope"}},
        }
    )
    assert response.status_code == 200
    error = mcp.fails("get_experiment", experiment_id="nope")
    assert error["status"] == 404 and error["code"] == "not_found" and error["request_id"].startswith("req_")


@pytest.mark.parametrize(
    ("message", "code"),
    [
        (
            {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "no_such_tool", "arguments": {}}},
            -32602,
        ),
        ({"jsonrpc": "2.0", "id": 1, "method": "resources/list"}, -32601),
        (
            {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "get_experiment", "arguments": [1]}},
            -32602,
        ),
    ],
)
def test_unknown_tools_and_methods_get_json_rpc_errors(mcp: McpClient, message: dict[str, object], code: int) -> None:
    response = mcp.post(message)
    assert response.status_code == 200
    assert response.json()["id"] == 1 and response.json()["error"]["code"] == code


def test_bad_json_is_a_parse_error_and_a_batch_is_refused(mcp: McpClient) -> None:
    response = mcp.post(b"{not json")
    assert response.status_code == 400 and response.json()["error"]["code"] == -32700
    batch = mcp.post([{"jsonrpc": "2.0", "id": 1, "method": "ping"}])  # type: ignore[arg-type]
    assert batch.status_code == 400 and batch.json()["error"]["code"] == -32600


def test_a_notification_gets_202_and_no_body(mcp: McpClient) -> None:
    response = mcp.post({"jsonrpc": "2.0", "method": "notifications/initialized"})
    assert response.status_code == 202 and response.content == b""
    reply = mcp.post({"jsonrpc": "2.0", "id": 99, "result": {}})  # a response to a server request, equally accepted
    assert reply.status_code == 202 and reply.content == b""


@pytest.mark.parametrize("key", [None, "sk_user_not-a-key"])
def test_a_missing_or_unknown_key_gets_401_with_www_authenticate_and_an_envelope(
    mcp_server: LocalChronicle, key: str | None
) -> None:
    client = McpClient(mcp_server.url, key)
    try:
        response = client.post({"jsonrpc": "2.0", "id": "abc", "method": "tools/list"})
    finally:
        client.close()
    assert response.status_code == 401
    assert response.headers["www-authenticate"].lower().startswith("bearer")
    body = response.json()
    assert body["jsonrpc"] == "2.0" and body["id"] == "abc" and body["error"]["code"] < 0


def test_native_streamable_http_client_headers_are_honoured(mcp_server: LocalChronicle) -> None:
    headers = {
        "Authorization": f"Bearer {mcp_server.api_key}",
        "Accept": "application/json, text/event-stream",
        "MCP-Protocol-Version": "2025-06-18",
    }
    with httpx.Client(base_url=mcp_server.url, headers=headers, timeout=30) as http:
        listed = http.post(PATH, json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
        assert listed.status_code == 200 and listed.headers["content-type"].startswith("application/json")
        assert listed.headers["mcp-protocol-version"] == "2025-06-18"
        assert http.post(PATH, json={"jsonrpc": "2.0", "method": "notifications/initialized"}).status_code == 202
        for method in ("GET", "DELETE"):
            refused = http.request(method, PATH)
            assert refused.status_code == 405 and refused.headers["allow"] == "POST"
            assert refused.json()["jsonrpc"] == "2.0"
        odd = http.post(
            PATH, json={"jsonrpc": "2.0", "id": 2, "method": "ping"}, headers={"MCP-Protocol-Version": "1999-01-01"}
        )
        assert odd.status_code == 400 and odd.json()["id"] == 2 and odd.json()["error"]["code"] == -32600


def test_a_message_over_the_body_limit_gets_413_with_an_envelope() -> None:
    with LocalChronicle(max_body_bytes=4096) as small:
        client = McpClient(small.url, small.api_key)
        try:
            response = client.post({"jsonrpc": "2.0", "id": 1, "method": "ping", "params": {"pad": "x" * 8192}})
        finally:
            client.close()
    assert response.status_code == 413
    assert response.json()["jsonrpc"] == "2.0" and response.json()["error"]["code"] == -32600
