"""Fixtures for apply tests: the local target's in-process emulator, with faults on demand."""

from __future__ import annotations

import pytest

from reconciler.emulator.faults import Faults
from reconciler.mturk import make_client


@pytest.fixture
def conn(tmp_path):
    """The `local` target: the in-process emulator on tmp_path/.reconciler."""
    connection = make_client("local", project_dir=tmp_path)
    yield connection
    connection.close()


@pytest.fixture
def faulty(conn):
    """Set the emulator's faults for a test: faulty(fail_rate=0.3, ...)."""

    def set_faults(**options):
        conn.engine.faults = Faults(seed=7, **options)
        return conn.engine.faults

    return set_faults
