"""Launching the examples under torchrun for the integration tests: one node of N processes, or two nodes.

Two "nodes" are two torchrun agents on this machine joined by a static rendezvous. Lightning broadcasts
rank 0's checkpoint path to every rank, as it may on real nodes whose local disks are mounted at the same
path; ``private_disk`` reproduces that: each node runs in its own mount namespace with its own folder
bind-mounted at that one path, so neither node can see the other's files.
"""

from __future__ import annotations

import shlex
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from methodic import Chronicle
from methodic_server import LocalChronicle
from tests.helpers import EXAMPLES, chronicle_env

TIMEOUT = 300


def one_node(server: LocalChronicle, triple: tuple[str, int, int], script: str, *args: str) -> str:
    """``torchrun --standalone --nproc_per_node 2 examples/<script> args``; returns its stdout."""
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2"]
    done = subprocess.run(
        [*command, str(EXAMPLES / script), *args],
        env=chronicle_env(server, triple, OMP_NUM_THREADS="1"),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return done.stdout


def private_disks_supported() -> bool:
    """Whether this machine lets a process mount a folder in a mount namespace of its own (root, util-linux)."""
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-m", "--propagation", "private", "mount", "-t", "tmpfs", "probe", "/mnt"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


def on_private_disk(command: list[str], disk: Path, mountpoint: Path) -> list[str]:
    """``command`` in a mount namespace of its own where ``disk`` is mounted at ``mountpoint`` (a node's disk)."""
    mountpoint.mkdir(parents=True, exist_ok=True)
    mount = f"mount --bind {shlex.quote(str(disk))} {shlex.quote(str(mountpoint))}"
    return ["unshare", "-m", "--propagation", "private", "sh", "-c", f"{mount} && exec {shlex.join(command)}"]


def two_nodes(
    server: LocalChronicle,
    triple: tuple[str, int, int],
    script: str,
    *args: str,
    base: Path,
    private_disk: Path | None = None,
    output_dir_flag: str | None = "--output-dir",
    check: bool = True,
    nproc_per_node: int = 1,
    env: dict[str, str] | None = None,
) -> list[tuple[int, str, str]]:
    """Two torchrun agents, ``nproc_per_node`` processes each; returns each node's exit code, stdout and stderr.

    Without ``private_disk`` each node gets ``<output_dir_flag> base/node<N>`` (None: the same ``args``
    on both, as on a shared filesystem). With it, ``base/node<N>`` is mounted at ``private_disk`` for
    node N only, and ``args`` name paths under ``private_disk``. ``check`` asserts both succeeded. ``script``
    is a file of examples/ (or an absolute path); ``env`` adds variables to the nodes' environment.
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    nodes = []
    for node in (0, 1):
        command = [
            sys.executable, "-m", "torch.distributed.run", "--nnodes", "2", "--nproc_per_node", str(nproc_per_node),
            "--node_rank", str(node), "--rdzv_backend", "static", "--master_addr", "127.0.0.1",
            "--master_port", str(port), str(EXAMPLES / script), *args,
        ]  # fmt: skip
        disk = base / f"node{node}"
        disk.mkdir(parents=True, exist_ok=True)
        if private_disk is None and output_dir_flag is not None:
            command += [output_dir_flag, str(disk)]
        elif private_disk is not None:
            command = on_private_disk(command, disk, private_disk)
        node_env = chronicle_env(server, triple, OMP_NUM_THREADS="1", **(env or {}))
        nodes.append(subprocess.Popen(command, env=node_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outputs = []
    for proc in nodes:
        out, err = proc.communicate(timeout=TIMEOUT)
        assert proc.returncode == 0 or not check, err[-4000:]
        outputs.append((proc.returncode, out, err))
    return outputs


def checkpoint_files(client: Chronicle, exp_id: str, v: int) -> dict[int, list[str]]:
    """Each ready checkpoint asset of the variation by step: its component names."""
    found: dict[int, list[str]] = {}
    for asset in client.variation(exp_id, v).list_outputs():
        if asset.asset_type == "checkpoint":
            assert asset.state == "ready"
            found[asset.asset_config["step"]] = sorted(c["name"] for c in asset["components"])
    return found
