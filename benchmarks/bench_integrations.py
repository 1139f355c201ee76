"""What the trainer integration costs a training run, and the SDK's CPU per GiB uploaded.

Both against baselines measured in the same run, with the server in its own process (``methodic
dev-server``, at the lowest CPU priority: on a real cluster storage is elsewhere, not on the trainer's
cores) so that its CPU is not counted as ours:

- **Training overhead.** The same HF ``Trainer`` run (a 4-layer GPT-2 built from a config, CPU, the
  same steps and the same saves) with ``ChronicleCallback`` uploading every checkpoint, versus
  without the callback. The callback's time includes waiting, at the end, for every upload to be
  ready. Alternating rounds, best wall time of each side (a 2-core machine is noisy); the target is within 5%.
- **Fixed cost on a small run.** A 40-step HF ``Trainer`` run of a 2-layer GPT-2 (the one in
  ``examples/hf_trainer.py``, under a second of training) with 4 saves, with the callback starting the
  run, capturing the environment, uploading the 4 checkpoints and waiting for the last one, versus the same
  run without the SDK. What the callback adds here is mostly fixed cost (before the first step, per save,
  the last upload), so this is where it shows; the target is within 15%. A third side makes the same
  uploads with a bare hand-written uploader (``benchmarks/_bare_uploader.py``: ``http.client`` on one
  thread, nothing else), so the table also says what the wire and this server cost any client, and
  what the SDK costs above that.
- **CPU per GiB.** ``upload_directory_async`` of a 1 GiB folder (process CPU time, all threads)
  versus what the same bytes cost ``sha256sum`` plus ``curl -T`` (children's CPU time): the SDK hashes
  as it sends, so the baseline hashes too.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._common import DevServer, Row, median, pending_run, started_run
from methodic import Chronicle

GIB = 1 << 30
MIB = 1 << 20


def _trainer(output_dir: Path, callbacks: list[Any], steps: int, save_steps: int) -> Any:
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel, Trainer, TrainingArguments

    torch.manual_seed(0)
    config = GPT2Config(
        n_layer=4, n_head=4, n_embd=256, vocab_size=1024, n_positions=64, bos_token_id=0, eos_token_id=0
    )
    rows = (torch.randint(0, 1024, (512, 1)) + torch.arange(64)) % 1024
    data = [{"input_ids": r, "labels": r} for r in rows]
    args = TrainingArguments(
        output_dir=str(output_dir),
        max_steps=steps,
        save_steps=save_steps,
        save_total_limit=1,
        per_device_train_batch_size=8,
        report_to=[],
        use_cpu=True,
        disable_tqdm=True,
        logging_steps=5,
        seed=0,
    )
    return Trainer(model=GPT2LMHeadModel(config), args=args, train_dataset=data, callbacks=callbacks)


def _training_overhead(chronicle: Chronicle, work: Path, rounds: int, steps: int) -> list[Row]:
    from methodic.integrations.transformers import ChronicleCallback

    save_steps = max(1, steps // 3)
    plain: list[float] = []
    tracked: list[float] = []
    checkpoint_bytes = 0
    for r in range(rounds):
        for side in ("plain", "tracked") if r % 2 == 0 else ("tracked", "plain"):
            out = work / f"{side}-{r}"
            if side == "plain":
                start = time.perf_counter()
                _trainer(out, [], steps, save_steps).train()
                plain.append(time.perf_counter() - start)
            else:
                run = started_run(chronicle)
                callback = ChronicleCallback(run, heartbeat_interval=30, upload_tracker=out / "uploads.sqlite")
                start = time.perf_counter()
                callback.train(_trainer(out, [callback], steps, save_steps))  # returns once every upload is ready
                tracked.append(time.perf_counter() - start)
                assert run.refresh_state() == "succeeded"
                checkpoint_bytes = sum(
                    f.stat().st_size for f in next(out.glob("checkpoint-*")).rglob("*") if f.is_file()
                )
            shutil.rmtree(out, ignore_errors=True)
    ratio = min(tracked) / min(plain)
    return [
        Row(
            f"HF Trainer, {steps} steps, {steps // save_steps} checkpoint uploads",
            f"{min(tracked):.2f} s",
            f"{min(plain):.2f} s without the callback",
            ratio,
            "≤ 1.05×",
            ratio <= 1.05,
            f"best of {rounds} alternating rounds (medians {median(tracked):.2f} s vs {median(plain):.2f} s); each "
            f"checkpoint {checkpoint_bytes / MIB:.0f} MiB; the callback's time includes the wait for every upload at "
            "the end",
        )
    ]


def _small_trainer(output_dir: Path, callbacks: list[Any], steps: int, save_steps: int) -> Any:
    import sys

    examples = str(Path(__file__).resolve().parents[1] / "examples")
    if examples not in sys.path:
        sys.path.insert(0, examples)
    import hf_trainer
    from transformers import Trainer, TrainingArguments

    args = TrainingArguments(
        output_dir=str(output_dir),
        max_steps=steps,
        save_steps=save_steps,
        save_total_limit=1,
        per_device_train_batch_size=8,
        learning_rate=5e-3,
        report_to=[],
        use_cpu=True,
        disable_tqdm=True,
        logging_steps=10,
        seed=0,
    )
    return Trainer(
        model=hf_trainer.tiny_gpt2(), args=args, train_dataset=hf_trainer.CountingDataset(), callbacks=callbacks
    )


def _small_run_overhead(chronicle: Chronicle, server: DevServer, work: Path, rounds: int) -> list[Row]:
    from benchmarks._bare_uploader import BareUploader
    from methodic.integrations.transformers import ChronicleCallback

    steps, saves = 40, 4
    times: dict[str, list[float]] = {"plain": [], "bare": [], "sdk": []}
    for r in range(rounds):
        for side in list(times) if r % 2 == 0 else list(times)[::-1]:
            out = work / f"small-{side}-{r}"
            if side == "plain":
                trainer = _small_trainer(out, [], steps, steps // saves)
                start = time.perf_counter()
                trainer.train()
                times[side].append(time.perf_counter() - start)
            elif side == "bare":
                run = pending_run(chronicle)
                uploader = BareUploader(server.url, server.api_key, run.experiment_id, run.variation, run.run)
                trainer = _small_trainer(out, [uploader], steps, steps // saves)
                start = time.perf_counter()
                trainer.train()
                uploader.finish()  # returns once every checkpoint is finalized and the run succeeded
                times[side].append(time.perf_counter() - start)
                assert run.refresh_state() == "succeeded"
                assert (
                    len([a for a in run.list_outputs() if a.asset_type == "checkpoint" and a.state == "ready"]) == saves
                )
            else:
                run = pending_run(chronicle)  # the callback starts it, as in real use
                callback = ChronicleCallback(run, heartbeat_interval=30, upload_tracker=out / "uploads.sqlite")
                trainer = _small_trainer(out, [callback], steps, steps // saves)
                start = time.perf_counter()
                callback.train(trainer)  # returns once every upload is ready and the run succeeded
                times[side].append(time.perf_counter() - start)
                assert run.refresh_state() == "succeeded"
                assert len([a for a in run.list_outputs() if a.asset_type == "checkpoint"]) == saves
            shutil.rmtree(out, ignore_errors=True)
    plain, bare, sdk = (times[k] for k in ("plain", "bare", "sdk"))
    name = f"HF Trainer, small run: {steps} steps, {saves} checkpoint uploads"
    medians = (
        f"medians {median(sdk):.3f} s SDK, {median(bare):.3f} s bare uploader, {median(plain):.3f} s without uploads"
    )
    return [
        Row(
            name,
            f"{min(sdk):.3f} s",
            f"{min(plain):.3f} s without the SDK",
            min(sdk) / min(plain),
            "≤ 1.15×",
            min(sdk) / min(plain) <= 1.15,
            f"best of {rounds} alternating rounds ({medians}: {median(sdk) / median(plain):.2f}×); the callback "
            "starts the run and its time includes the wait for the last upload at the end",
        ),
        Row(
            f"{name}, the same uploads by a bare uploader",
            f"{min(bare):.3f} s",
            f"{min(plain):.3f} s without uploads",
            min(bare) / min(plain),
            "reported",
            None,
            f"what any client of the wire pays on this server ({medians}: {median(bare) / median(plain):.2f}×):"
            " benchmarks/_bare_uploader.py, http.client on one thread, no tracker, staging, environment or heartbeat",
        ),
        Row(
            f"{name}, SDK against the bare uploader",
            f"{min(sdk):.3f} s",
            f"{min(bare):.3f} s bare uploader",
            min(sdk) / min(bare),
            "reported",
            None,
            f"what the SDK's crash safety and features cost above the wire ({median(sdk) / median(bare):.2f}× in medians)",
        ),
    ]


def _cpu_per_gib(chronicle: Chronicle, work: Path, size: int) -> list[Row]:
    folder = work / "cpu-folder"
    folder.mkdir()
    block = os.urandom(8 * MIB)
    with (folder / "state.bin").open("wb") as f:
        for _ in range(size // len(block)):
            f.write(block)
    run = started_run(chronicle)
    before = time.process_time()
    run.upload_directory_async(folder, asset_type="checkpoint").wait()
    sdk_cpu = (time.process_time() - before) / (size / GIB)

    info = run.create_asset_presigned(asset_type="checkpoint", components=["state.bin"])
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(["sha256sum", str(folder / "state.bin")], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(
        ["curl", "-sS", "--fail", "-T", str(folder / "state.bin"), info.upload_urls["state.bin"]],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    base_cpu = ((after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)) / (size / GIB)
    shutil.rmtree(folder)
    ratio = sdk_cpu / base_cpu
    return [
        Row(
            "SDK CPU per GiB uploaded",
            f"{sdk_cpu:.2f} CPU-s/GiB",
            f"{base_cpu:.2f} CPU-s/GiB (sha256sum + curl -T)",
            ratio,
            "reported",
            None,
            f"{size / GIB:g} GiB, one file, upload_directory_async(...).wait(), server in its own process",
        )
    ]


def run(quick: bool = False) -> list[Row]:
    """The integration rows."""
    try:
        import transformers  # noqa: F401
    except ImportError:
        return [Row("trainer integration", "—", "—", None, "≤ 1.05×", None, "transformers not installed; skipped")]
    if shutil.which("curl") is None or shutil.which("sha256sum") is None:
        return [Row("trainer integration", "—", "—", None, "≤ 1.05×", None, "curl or sha256sum missing; skipped")]
    with tempfile.TemporaryDirectory(prefix="methodic-bench-int-") as tmp:
        work = Path(tmp)
        server = DevServer(work / "srv")
        try:
            with Chronicle(server.url, server.api_key) as chronicle:
                rows = _small_run_overhead(chronicle, server, work, rounds=3 if quick else 15)
                rows += _training_overhead(chronicle, work, rounds=2 if quick else 5, steps=12 if quick else 60)
                rows += _cpu_per_gib(chronicle, work, 256 * MIB if quick else GIB)
        finally:
            server.close()
    return rows


def main() -> int:
    """``python -m benchmarks.bench_integrations [--only small,big,cpu] [--rounds N] [--big-rounds N] [--quick]``."""
    import argparse

    from benchmarks._common import render

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="small,big,cpu", help="comma-separated subset of: small, big, cpu")
    parser.add_argument("--rounds", type=int, default=15, help="alternating rounds of the small run")
    parser.add_argument("--big-rounds", type=int, default=5, help="alternating rounds of the big run")
    parser.add_argument("--quick", action="store_true", help="12-step big run, 256 MiB CPU row")
    args = parser.parse_args()
    chosen = {n.strip() for n in args.only.split(",") if n.strip()}
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="methodic-bench-int-") as tmp:
        work = Path(tmp)
        server = DevServer(work / "srv")
        try:
            with Chronicle(server.url, server.api_key) as chronicle:
                if "small" in chosen:
                    rows += _small_run_overhead(chronicle, server, work, rounds=args.rounds)
                if "big" in chosen:
                    rows += _training_overhead(chronicle, work, rounds=args.big_rounds, steps=12 if args.quick else 60)
                if "cpu" in chosen:
                    rows += _cpu_per_gib(chronicle, work, 256 * MIB if args.quick else GIB)
        finally:
            server.close()
    print(render(rows, markdown=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
