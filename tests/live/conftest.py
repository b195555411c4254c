"""Fixtures for reading the live account: the client of the shared `conn` (tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def client(conn):
    return conn.client

