"""`make demo`: the whole Chronicle story on a local server, from hypothesis to conclusion.

1. A researcher writes a hypothesis report, creates an experiment, commits it, adds a variation.
2. A runner (a separate process) pulls the config, starts the run, trains a numpy model and uploads
   checkpoints in the background through an UploadTracker, and is killed with SIGKILL mid-upload.
3. `methodic uploads resume` finishes the checkpoint the dead process left half-uploaded; the
   scheduler marks the dead run failed_crash and queues the variation again as a fresh run (the
   hosted platform's scheduler does this itself; here the demo plays it with `server.new_run`).
4. The continuation run resumes from `latest_output("checkpoint")`, finishes and succeeds.
5. The researcher uploads takeaways, concludes, walks lineage and searches.

The server runs in this process (methodic_server.LocalChronicle); runners are child processes that
are always reaped, even if the demo is interrupted.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from methodic import Chronicle
from methodic_server import LocalChronicle

HERE = Path(__file__).resolve().parent
CONFIG = textwrap.dedent(
    """\
    lr: 0.05
    steps: 60
    checkpoint_every: 10
    checkpoint_mb: 24
    seed: 7
    """
)


def say(title: str) -> None:
    print(f"\n=== {title} ===", flush=True)


def runner(server: LocalChronicle, exp_id: str, variation: int, run: int, workdir: Path, *extra: str) -> int:
    env = {**os.environ, "CHRONICLE_SERVER_URL": server.url, "CHRONICLE_API_KEY": server.api_key}
    cmd = [sys.executable, str(HERE / "numpy_runner.py"), exp_id, str(variation), str(run), "--workdir", str(workdir)]
    proc = subprocess.Popen([*cmd, *extra], env=env)
    try:
        return proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if sys.stdout.isatty():  # a runner killed mid-upload leaves its progress bar half drawn: erase it
            sys.stdout.write("\r\x1b[2K")
            sys.stdout.flush()


def researcher_setup(chronicle: Chronicle) -> tuple[str, int]:
    say("researcher: hypothesis, experiment, variation")
    report = chronicle.assets.create_inline(
        asset_type="hypothesis_report",
        content="# Hypothesis\nA higher learning rate with warmup-free SGD converges within 60 steps.\n",
        content_type="text/markdown",
    )
    exp = chronicle.experiments.create(
        title="Linear probe learning rate",
        hypothesis_summary="lr=0.05 converges in 60 steps",
        config_yaml=CONFIG.replace("0.05", "0.01"),
        rationale="The baseline (variation 0) uses lr=0.01.",
    )
    exp.link_inputs(report.id)
    print(f"experiment {exp.id[:8]} '{exp.title}' is {exp.state}; hypothesis report {report.id[:8]} linked")
    variation = exp.commit().variations.create(
        config_yaml=CONFIG, name="lr-0.05", hypothesis="5x the learning rate", expected_outcome="loss < 1e-3"
    )
    variation.commit()
    print(f"experiment is {exp.state}; variation {variation.variation} '{variation.name}' is {variation.state}")
    print(f"runs of variation {variation.variation}: {[(r.run, r.state) for r in chronicle.runs.list(exp.id, 1)]}")
    return exp.id, variation.variation


def main() -> int:
    # Ctrl-C and SIGTERM both unwind through the finally blocks below, which reap the runner and stop the server.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    workdir = Path(tempfile.mkdtemp(prefix="methodic-demo-"))
    try:
        with LocalChronicle() as server, Chronicle(server.url, server.api_key) as chronicle:
            print(f"local Chronicle at {server.url} (storage at {server.storage_url})")
            exp_id, v = researcher_setup(chronicle)

            say("runner 0: train with background checkpoint uploads, then get killed")
            code = runner(server, exp_id, v, 0, workdir, "--die-at-step", "29")
            print(f"runner 0 exited with {code} (-9 = SIGKILL); run 0 is still '{chronicle.run(exp_id, v, 0).state}'")

            say("crash recovery: finish the half-uploaded checkpoint from the tracker")
            tracker_path = workdir / "uploads.sqlite"
            env = {**os.environ, "CHRONICLE_SERVER_URL": server.url, "CHRONICLE_API_KEY": server.api_key}
            methodic_cli = [sys.executable, "-m", "methodic.cli"]
            subprocess.run([*methodic_cli, "uploads", "status", "--tracker", str(tracker_path)], env=env, check=True)
            subprocess.run(
                [*methodic_cli, "uploads", "resume", "--tracker", str(tracker_path), "--no-progress"],
                env=env,
                check=True,
            )

            say("scheduler: mark the dead run crashed and queue a continuation run")
            dead = chronicle.run(exp_id, v, 0).fail(reason="crash: runner killed by SIGKILL")
            print(f"run 0 -> {dead.state}")
            continuation = chronicle.run(exp_id, v, server.new_run(exp_id, v))  # no API call makes a run
            print(f"variation {v} queued again as run {continuation.run} ({continuation.state})")
            checkpoints = [a for a in continuation.list_outputs(across_runs=True) if a.asset_type == "checkpoint"]
            print("checkpoints so far: " + ", ".join(f"{a.id[:8]}={a.state}" for a in checkpoints))

            say(f"runner {continuation.run}: resume from the newest checkpoint and finish")
            code = runner(server, exp_id, v, continuation.run, workdir)
            if code != 0:
                print(f"continuation runner failed with exit code {code}")
                return 1
            print(f"run {continuation.run} is {continuation.get_status().state}")

            say("researcher: takeaways, conclude, lineage, search")
            metrics = next(a for a in continuation.list_outputs() if a.asset_type == "metrics")
            chronicle.assets.create_inline(
                asset_type="takeaways_report",
                content={
                    "summary": f"lr=0.05 converged: final loss {metrics['content']['final_loss']:.2e} after a crash"
                    " and a resume from checkpoint",
                    "key_findings": ["checkpoint resume lost no steps", "higher learning rate converged"],
                },
                output_of={"experiment_id": exp_id},
            )
            exp = chronicle.experiment(exp_id).conclude(on_exist_action="keep")
            print(f"experiment {exp.id[:8]} is {exp.state}")
            follow_up = chronicle.experiments.create(
                title="Learning-rate warmup", hypothesis_summary="warmup allows lr=0.1", parent_experiment_ids=[exp_id]
            )
            lineage = chronicle.experiments.get_lineage(follow_up.id)
            print(f"follow-up {follow_up.id[:8]} descends from {[a.id[:8] for a in lineage.ancestors]}")
            hits = chronicle.search.query("learning rate converged", filters={"asset_types": ["takeaways_report"]})
            for hit in hits.results:
                title = hit.title if len(hit.title) <= 48 else hit.title[:47] + "…"
                print(f"search hit ({hit.score:.2f}) {hit.asset_type} '{title}': {hit.snippet}")
            if not hits.results:
                print("search found nothing")
                return 1
        say("done: server stopped")
        return 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted: runner reaped, server stopped", file=sys.stderr)
        sys.exit(130)
