"""The local Chronicle: an implementation of openapi.yaml plus a presigned-URL storage service.

For development, the demo, the SDK's own tests and users' tests of their runners. Needs the
``server`` extra (starlette, uvicorn, openapi-core). Start it with ``methodic dev-server`` or, in
process, with :class:`LocalChronicle`; inject failures through its :class:`Faults`. pytest fixtures:
``pytest_plugins = ["methodic_server.pytest_plugin"]``.

It ships in the same distribution as the SDK, as its own top-level package: the server must speak
exactly the contract version the client was generated from, yet the client never imports it.
"""

from methodic_server.testing import Faults, LocalChronicle, ServerExtraMissing

__all__ = ["Faults", "LocalChronicle", "ServerExtraMissing"]
