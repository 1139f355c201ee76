"""The local Chronicle: an implementation of openapi.yaml plus a presigned-URL storage service.

For development, the demo, the SDK's own tests and users' tests of their runners. Needs the
``server`` extra (starlette, uvicorn). Start it with ``methodic dev-server`` or, in-process, with
``methodic.testing.LocalChronicle``.
"""
