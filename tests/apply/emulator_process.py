"""`reconciler emulator serve` in a subprocess on a free loopback port, and big test projects.

The server logs one line per call on stderr ("CreateHITWithHITType 200 OK 10.2ms"); a reader
thread counts the successful creates, so a test can kill an apply after exactly so many HITs
exist instead of sleeping for a guessed time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import boto3
from botocore.config import Config

CREATED = "CreateHITWithHITType 200"
THROTTLED = "ThrottlingException"


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "reconciler", *args]


class EmulatorProcess:
    """A running emulator server; `creates` counts HITs it has created so far."""

    def __init__(self, state: Path, *flags: str):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            cli("emulator", "serve", "--port", "0", "--state", str(state), *flags),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        banner = self.proc.stdout.readline()  # type: ignore[union-attr]
        if "listening on" not in banner:
            self.proc.kill()
            raise RuntimeError(f"the emulator did not start: {banner}{self.proc.stderr.read()}")  # type: ignore[union-attr]
        self.url = banner.split()[-1]
        self.creates = 0
        self.throttled = 0
        self.faults = 0
        self._lock = threading.Lock()
        threading.Thread(target=self._count, daemon=True).start()
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()  # type: ignore[union-attr]

    def _count(self) -> None:
        for line in self.proc.stderr:  # type: ignore[union-attr]
            if line.startswith(CREATED):
                with self._lock:
                    self.creates += 1
            elif THROTTLED in line:
                with self._lock:
                    self.throttled += 1
            elif " 500 " in line:
                with self._lock:
                    self.faults += 1

    def created(self) -> int:
        with self._lock:
            return self.creates

    def client(self):
        return boto3.client(
            "mturk", region_name="us-east-1", endpoint_url=self.url, aws_access_key_id="local",
            aws_secret_access_key="local", config=Config(retries={"mode": "standard", "max_attempts": 10}),
        )

    def annotations(self) -> list[str]:
        """The RequesterAnnotation of every HIT the emulator lists."""
        client = self.client()
        return [h.get("RequesterAnnotation", "") for page in client.get_paginator("list_hits").paginate(
            PaginationConfig={"PageSize": 100}) for h in page["HITs"]]

    def close(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def run_until(command: list[str], log: Path, stop_when, timeout: float = 120.0) -> int | None:
    """Run `command` (output to `log`); SIGKILL it as soon as `stop_when()` is true.
    Returns its exit code, or None when it was killed."""
    with open(log, "a") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while proc.poll() is None:
            if stop_when():
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                return None
            if time.monotonic() > deadline:
                proc.kill()
                raise AssertionError(f"{' '.join(command)} did not finish in {timeout:g}s")
            time.sleep(0.005)
        return proc.returncode


def write_project(folder: Path, rows: int, *, name: str = "crash-test", budget: str = "1000.00") -> Path:
    """A project of one batch with `rows` rows, expiring in 30 days."""
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "templates").mkdir(exist_ok=True)
    expires = (datetime.now(timezone.utc) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    (folder / "project.yaml").write_text(
        f'kind: Project\nname: {name}\ntarget: local\nbudget: "{budget}"\n---\n'
        "kind: HITType\nname: label\ntitle: Label a number\ndescription: Say whether the number is even.\n"
        'reward: "0.01"\nassignment_duration: 5m\nauto_approval_delay: 1d\n---\n'
        "kind: HITBatch\nname: numbers\nhit_type: label\n"
        "question: {html: templates/label.html.j2, frame_height: 300}\n"
        f"data: data/rows.csv\nkey: id\nassignments: 1\nexpires_at: {expires}\n"
    )
    (folder / "templates" / "label.html.j2").write_text("<p>Is {{ number }} even?</p>\n")
    lines = ["id,number"] + [f"n{i:05d},{i}" for i in range(rows)]
    (folder / "data" / "rows.csv").write_text("\n".join(lines) + "\n")
    return folder
