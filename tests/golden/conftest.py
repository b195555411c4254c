"""The `--regen-golden` option: rewrite the expected plan outputs instead of comparing them."""

from __future__ import annotations

import os

import pytest

REGEN_ENV = "RECONCILER_REGEN_GOLDEN"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        default=False,
        help=f"Rewrite tests/golden/<case>/plan.* from the current code (or set {REGEN_ENV}=1).",
    )


@pytest.fixture
def regen_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regen-golden", default=False)) or os.environ.get(REGEN_ENV) == "1"
