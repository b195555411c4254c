"""Fixtures for apply tests: faults on demand in the shared `conn` (tests/conftest.py)."""

from __future__ import annotations

import pytest

from reconciler.emulator.faults import Faults


@pytest.fixture
def faulty(conn):
    """Set the emulator's faults for a test: faulty(fail_rate=0.3, ...)."""

    def set_faults(**options):
        conn.engine.faults = Faults(seed=7, **options)
        return conn.engine.faults

    return set_faults
