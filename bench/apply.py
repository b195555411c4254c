"""Benchmark: how much faster apply creates HITs with its thread pool than one call at a time.

Starts `reconciler emulator serve --latency 50ms` (a fresh account per run), generates a project
of N rows, and times `reconciler apply --auto-approve` with `--parallelism 1` and with the
default (8). Prints both, the HIT-create stage times, and the ratio (goal: at least 6x).
`--throttle 20/s` adds a run against a throttled emulator and reports the rate apply sustained
against the rate allowed, which is how we judge botocore's adaptive rate limiter.

    python bench/apply.py                       # 1,000 HITs, 50 ms latency
    python bench/apply.py --hits 200 --throttle 20/s
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import write_project

DEFAULT_PARALLELISM = 8
STAGE = re.compile(r"HIT creates: (\d+)/(\d+) done.* in ([\d.]+)s")


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "reconciler", *args]


def timed_apply(work: Path, rows: int, parallelism: int, emulator_flags: list[str]) -> tuple[float, float]:
    """(wall seconds of the whole apply, seconds of its HIT-create stage) on a fresh emulator."""
    run_dir = Path(tempfile.mkdtemp(dir=work))
    project = write_project(run_dir / "project", rows)
    server = subprocess.Popen(
        cli("emulator", "serve", "--port", "0", "--quiet", "--state", str(run_dir / "state.sqlite3"), *emulator_flags),
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        url = server.stdout.readline().split()[-1]  # type: ignore[union-attr]
        started = time.monotonic()
        result = subprocess.run(
            cli("apply", str(project), "--auto-approve", "--endpoint-url", url, "--parallelism", str(parallelism)),
            capture_output=True, text=True,
        )
        wall = time.monotonic() - started
    finally:
        server.terminate()
        server.wait()
    if result.returncode != 0:
        raise SystemExit(f"apply failed ({result.returncode}):\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    match = STAGE.search(result.stdout)
    return wall, float(match.group(3)) if match else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hits", type=int, default=1000)
    parser.add_argument("--latency", default="50ms")
    parser.add_argument("--throttle", default=None, help="also run against a throttled emulator, e.g. 20/s")
    args = parser.parse_args()
    flags = ["--latency", args.latency]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print(f"apply of {args.hits:,} new HITs against `reconciler emulator serve --latency {args.latency}`")
        serial, serial_stage = timed_apply(work, args.hits, 1, flags)
        print(f"  --parallelism 1:            {serial:6.1f} s  (create stage {serial_stage:.1f} s)")
        pooled, pooled_stage = timed_apply(work, args.hits, DEFAULT_PARALLELISM, flags)
        print(f"  --parallelism {DEFAULT_PARALLELISM} (default):  {pooled:6.1f} s  (create stage {pooled_stage:.1f} s)")
        print(f"  speed-up: {serial / pooled:.1f}x whole apply, {serial_stage / pooled_stage:.1f}x create stage (goal >= 6x)")
        if args.throttle:
            rate = float(args.throttle.split("/")[0])
            wall, stage = timed_apply(work, args.hits, DEFAULT_PARALLELISM, [*flags, "--throttle", args.throttle])
            print(f"  --throttle {args.throttle}: {wall:.1f} s, create stage {stage:.1f} s = "
                  f"{args.hits / stage:.1f} creates/s of {rate:g}/s allowed ({args.hits / stage / rate:.0%})")


if __name__ == "__main__":
    main()
