"""Fixtures for reading the live account: a real boto3 client on the project's local emulator."""

from __future__ import annotations

import pytest

from reconciler.mturk import make_client


@pytest.fixture
def conn(tmp_path):
    """A `local` connection: the in-process emulator on tmp_path/.reconciler/local.sqlite3."""
    connection = make_client("local", project_dir=tmp_path)
    yield connection
    connection.close()


@pytest.fixture
def client(conn):
    return conn.client

