"""``methodic dev-server --api-key`` refuses keys that are malformed or too short to be secret."""

from __future__ import annotations

import subprocess
import sys

import pytest

from methodic_server import LocalChronicle


@pytest.mark.parametrize(
    "key", ["x", "sk_user_short", "sk_admin_" + "a" * 40, "sk_user_" + "a" * 31, "Bearer sk_user_"]
)
def test_weak_api_keys_are_refused(key: str) -> None:
    try:
        result = subprocess.run(
            [sys.executable, "-m", "methodic", "dev-server", "--api-key", key],
            capture_output=True,
            text=True,
            timeout=15,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"dev-server started with the key {key!r}")
    assert result.returncode != 0
    assert "sk_user_" in result.stderr and "32" in result.stderr, result.stderr


def test_weak_api_keys_are_refused_in_process_too() -> None:
    with pytest.raises(ValueError, match="sk_user_"):
        LocalChronicle(api_keys=["x"])


def test_a_strong_key_is_accepted() -> None:
    key = "sk_user_" + "0123456789abcdef" * 2
    with LocalChronicle(api_keys=[key]) as server:
        assert server.api_key == key
