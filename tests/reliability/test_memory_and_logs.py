"""Memory does not grow with file size, and logs carry no secrets."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from methodic import Chronicle, errors
from methodic_server import LocalChronicle

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from methodic import Chronicle, errors

    def rss(field):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) * 1024
        raise SystemExit("no " + field)

    url, key, exp, path, dest = sys.argv[1:6]
    with Chronicle(url, key) as c:
        run = c.run(exp, 0, 0)
        c.me.scopes()  # warm up imports and the connection pool before measuring
        base = rss("VmRSS:")
        info = run.create_asset_presigned(asset_type="checkpoint", components=["big.bin"])
        run.upload_component(info.upload_urls["big.bin"], local_path=path, progress=False)
        run.finalize_asset(info.asset_id)
        c.assets.download(info.asset_id, local_dir=dest, progress=False)
        print(rss("VmHWM:") - base)
    """
)


@pytest.mark.slow
def test_upload_and_download_memory_is_bounded(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    client.run(*committed_run).start()
    big = tmp_path / "big.bin"
    with big.open("wb") as f:
        for _ in range(384):
            f.write(os.urandom(1 << 20))
    result = subprocess.run(
        [sys.executable, "-c", CHILD, server.url, server.api_key, committed_run[0], str(big), str(tmp_path / "d")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    growth = int(result.stdout.strip().splitlines()[-1])
    assert growth < 64 * (1 << 20), f"peak RSS grew by {growth / (1 << 20):.1f} MiB for a 384 MiB file"
    assert (tmp_path / "d" / "big.bin").stat().st_size == big.stat().st_size


def test_debug_logs_have_calls_but_no_secrets(
    server: LocalChronicle,
    client: Chronicle,
    committed_run: tuple[str, int, int],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="methodic")
    run = client.run(*committed_run).start()
    src = tmp_path / "ckpt"
    src.mkdir()
    (src / "w.bin").write_bytes(os.urandom(100_000))
    server.faults.fail_storage(1, status=500)
    asset = run.upload_directory_async(src, asset_type="checkpoint", progress=False).wait()
    client.assets.download(asset.id, local_dir=tmp_path / "out", progress=False)
    with pytest.raises(errors.NotFoundError):
        client.experiments.get("missing")
    text = caplog.text
    assert "POST /v1/experiments/" in text and "-> 200 request_id=req_" in text  # the run's start
    assert "-> 404 code=not_found" in text
    assert "uploaded w.bin" in text and "retrying w.bin" in text
    assert server.api_key not in text
    assert "signature=" not in text and "expires=" not in text
