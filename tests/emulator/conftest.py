"""Fixtures for the emulator engine tests: an in-memory engine on a manual clock and a real
boto3 client answered by it in-process."""

from __future__ import annotations

import pytest
from emulator_support import START, TYPE_FIELDS

from reconciler.emulator import Engine, ManualClock
from reconciler.emulator.transport import local_client


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def engine(clock: ManualClock) -> Engine:
    return Engine(":memory:", clock=clock)


@pytest.fixture
def client(engine: Engine):
    return local_client(engine)


@pytest.fixture
def hit_type(client) -> str:
    return client.create_hit_type(**TYPE_FIELDS)["HITTypeId"]
