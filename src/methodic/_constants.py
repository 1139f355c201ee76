"""Every default and well-known name the SDK uses, in one place."""

from __future__ import annotations

# Facts of the API contract itself are shared with the local server through methodic_contract.
from methodic_contract import REQUEST_ID_HEADER as REQUEST_ID_HEADER
from methodic_contract import TERMINAL_RUN_STATES as TERMINAL_RUN_STATES

DEFAULT_SERVER_URL = "https://api.methodiclabs.ai"
#: Seconds for connect, read, write and pool waits on API calls. Never None: no call may hang forever.
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_UPLOAD_WORKERS = 2
#: The largest API response body accepted, decompressed (a real one is a few hundred KiB at most).
DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024
#: Default page size when iterating paginated listings.
DEFAULT_PAGE_SIZE = 50
#: Default interval between background heartbeats (the server's watchdog fires after 15 minutes).
DEFAULT_HEARTBEAT_INTERVAL = 60.0
#: Seconds a failing run waits for its own uploads before it is failed (the server abandons what is still
#: pending then). Kubernetes sends SIGKILL 30 s after SIGTERM by default and GCP preemptible VMs get 30 s:
#: 25 s leaves time to fail the run and exit. AWS spot gives 2 minutes: pass ``drain_timeout=100`` there.
DEFAULT_DRAIN_TIMEOUT = 25.0

ENV_SERVER_URL = "CHRONICLE_SERVER_URL"
ENV_API_KEY = "CHRONICLE_API_KEY"
ENV_ORGANIZATION_ID = "CHRONICLE_ORGANIZATION_ID"
ENV_ORGANIZATION_SLUG = "CHRONICLE_ORGANIZATION_SLUG"
#: One YAML file that replaces both ~/.methodic files (the hosted SDK's variable).
ENV_CONFIG = "CHRONICLE_CONFIG"
ENV_SCRIBE_URL = "CHRONICLE_SCRIBE_URL"
ENV_TIMEOUT = "CHRONICLE_TIMEOUT"
ENV_MAX_UPLOAD_WORKERS = "CHRONICLE_MAX_UPLOAD_WORKERS"

#: Under the user's home directory.
CONFIG_DIR = ".methodic"
CREDENTIALS_FILE = "credentials.yaml"
CONFIG_FILE = "config.yaml"

LOGGER_NAME = "methodic"

#: The upload routes the transfer engine speaks, sent as ``upload_targets`` when it creates an asset, in the
#: hosted client's order of preference: the storage gateway ("r2": the API key on its URL, big files in
#: parallel parts there) and presigned PUTs ("gcs": one streamed PUT per file).
UPLOAD_TARGETS = ("r2", "gcs")
