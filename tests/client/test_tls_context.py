"""One TLS context per process (``methodic._tls``): the CA bundle is loaded once, however many clients connect.

Checked in a fresh interpreter (the context is cached per process): a client that uploads builds the API's
transport and storage's, and a direct download connects over https; the bundle is loaded once, and the
context still verifies (certificates required, hostnames checked).
"""

from __future__ import annotations

import json
import ssl
import subprocess
import sys

from methodic._tls import default_ssl_context

CHILD = """
import json, ssl
loads = []
original = ssl.SSLContext.load_verify_locations
def counted(self, *args, **kwargs):
    loads.append(1)
    return original(self, *args, **kwargs)
ssl.SSLContext.load_verify_locations = counted
from methodic import Chronicle
from methodic.transfer.directget import DirectGetter
with Chronicle("http://127.0.0.1:9", "sk_user_12345678" + "a" * 32) as first:
    first.transfers  # the transfer engine and its storage client
    with Chronicle("https://chronicle.invalid", "sk_user_12345678" + "b" * 32) as second:
        second.transfers
        DirectGetter(timeout=1.0, user_agent="t")._connect(("https", "storage.invalid", 443))
print(json.dumps({"loads": len(loads)}))
"""


def test_the_ca_bundle_is_loaded_once_per_process_for_every_client_and_connection() -> None:
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"loads": 1}


def test_the_shared_context_verifies_certificates_and_hostnames() -> None:
    context = default_ssl_context()
    assert context is default_ssl_context()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
