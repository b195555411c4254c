"""`--target production` (here pointed at `emulator serve`): refused without --auto-approve when
there is no terminal to type the project name on; applied with it; the target named first."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from emulator_process import EmulatorProcess, cli

EXAMPLE = Path(__file__).resolve().parents[2] / "specs"


def test_production_needs_auto_approve_without_a_terminal(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns(".reconciler"))
    emulator = EmulatorProcess(tmp_path / "state.sqlite3")
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "NO_COLOR": "1"}
    env.pop("AWS_PROFILE", None)
    command = cli("apply", str(project), "--target", "production", "--endpoint-url", emulator.url)
    try:
        refused = subprocess.run(command, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
        assert refused.returncode == 1
        assert refused.stdout.splitlines()[0].startswith("Target: production")
        assert "Not applying to production" in refused.stderr
        assert emulator.annotations() == []
        applied = subprocess.run([*command, "--auto-approve"], capture_output=True, text=True, env=env)
        assert applied.returncode == 0, applied.stdout + applied.stderr
        assert len(emulator.annotations()) == 25
    finally:
        emulator.close()


def test_a_project_whose_target_is_production_still_needs_target_production(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns(".reconciler"))
    manifest = project / "project.yaml"
    manifest.write_text(manifest.read_text().replace("target: local", "target: production"))
    emulator = EmulatorProcess(tmp_path / "state.sqlite3")
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "NO_COLOR": "1"}
    env.pop("AWS_PROFILE", None)
    try:
        for args in (("plan", str(project)), ("apply", str(project), "--auto-approve"), ("status", str(project))):
            refused = subprocess.run(cli(*args, "--endpoint-url", emulator.url), capture_output=True, text=True, env=env)
            assert refused.returncode == 1, refused.stdout
            assert "pass --target production" in refused.stderr
        assert emulator.annotations() == []

        saved = tmp_path / "plan.json"
        planned = subprocess.run(cli("plan", str(project), "--target", "production", "--endpoint-url", emulator.url,
                                     "--out", str(saved)), capture_output=True, text=True, env=env)
        assert planned.returncode == 0, planned.stderr
        refused = subprocess.run(cli("apply", str(saved), "--project", str(project), "--auto-approve"),
                                 capture_output=True, text=True, env=env)
        assert refused.returncode == 1 and "pass --target production" in refused.stderr
        applied = subprocess.run(cli("apply", str(saved), "--project", str(project), "--auto-approve",
                                     "--target", "production"), capture_output=True, text=True, env=env)
        assert applied.returncode == 0, applied.stdout + applied.stderr
        assert len(emulator.annotations()) == 25
    finally:
        emulator.close()
