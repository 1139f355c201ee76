"""Facts of the Chronicle API contract that both the client and the local server need as code.

``openapi.yaml`` is the contract; the generated ``methodic_api`` package is what the client makes
of its schemas. What a schema cannot say as code (which run states are terminal, the name of the
request-id header) and the spec file itself live here, once, so that the client (``methodic``) and
the local server (``methodic_server``) share them without importing each other. No dependencies.

``openapi.yaml`` in this package is the repository's root spec: a symlink in a checkout, a copy in
a wheel, so :func:`spec_path` finds it the same way in both.
"""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

#: Every run state, in lifecycle order.
RUN_STATES = ("pending", "running", "succeeded", "failed_crash", "failed_abandoned", "lost", "failed_lost")

#: Run states after which no transition is possible.
TERMINAL_RUN_STATES = frozenset({"succeeded", "failed_crash", "failed_abandoned", "failed_lost"})

#: Response header (and error-body field) that identifies one request in the server's logs.
REQUEST_ID_HEADER = "X-Request-Id"


def spec_path() -> Path:
    """The path of ``openapi.yaml``, from a checkout or an installed wheel alike."""
    with as_file(files(__name__) / "openapi.yaml") as path:
        return Path(path)


__all__ = ["REQUEST_ID_HEADER", "RUN_STATES", "TERMINAL_RUN_STATES", "spec_path"]
