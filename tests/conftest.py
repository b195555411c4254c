"""Fixtures shared by the layers' tests."""

from __future__ import annotations

import pytest

from reconciler.mturk import make_client


@pytest.fixture
def conn(tmp_path):
    """The `local` target: a real boto3 client on the in-process emulator in tmp_path/.reconciler."""
    connection = make_client("local", project_dir=tmp_path)
    yield connection
    connection.close()
