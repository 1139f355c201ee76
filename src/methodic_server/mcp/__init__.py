"""The local server's MCP endpoint: JSON-RPC over one POST (protocol.py) and tools over the REST operations (tools.py).

Agents reach the hosted service through MCP (``POST /v1/mcp/messages``); the public stdio launcher of the
agent skills relays to it. The tools here call the very operations the REST routes serve, through
:meth:`methodic_server.api.Api.invoke`, so an agent meets the same validation, scope and key rules.
"""
