"""Every default and well-known name the SDK uses, in one place."""

from __future__ import annotations

DEFAULT_SERVER_URL = "https://api.methodiclabs.ai"
#: Seconds for connect, read, write and pool waits on API calls. Never None: no call may hang forever.
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_UPLOAD_WORKERS = 2
#: Default page size when iterating paginated listings.
DEFAULT_PAGE_SIZE = 50
#: Default interval between background heartbeats (the server's watchdog fires after 15 minutes).
DEFAULT_HEARTBEAT_INTERVAL = 60.0

ENV_SERVER_URL = "CHRONICLE_SERVER_URL"
ENV_API_KEY = "CHRONICLE_API_KEY"
ENV_ORGANIZATION_ID = "CHRONICLE_ORGANIZATION_ID"
ENV_TIMEOUT = "CHRONICLE_TIMEOUT"
ENV_MAX_UPLOAD_WORKERS = "CHRONICLE_MAX_UPLOAD_WORKERS"

#: Under the user's home directory.
CONFIG_DIR = ".methodic"
CREDENTIALS_FILE = "credentials.yaml"
CONFIG_FILE = "config.yaml"

REQUEST_ID_HEADER = "X-Request-Id"
LOGGER_NAME = "methodic"

#: Run states after which no transition is possible.
TERMINAL_RUN_STATES = frozenset({"succeeded", "failed_crash", "failed_abandoned", "failed_lost"})
