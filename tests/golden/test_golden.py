"""Golden plans: for each folder under tests/golden/, the plan of its `after/` manifests against the
live state its `before/` apply and `script.py` left, in JSON, text and Markdown, must equal the
stored plan.json, plan.txt and plan.md (scrubbed of what varies per run; see golden_scrub).

Regenerate after an intended change of the plan or its rendering, then review the diff in git:

    python -m pytest tests/golden --regen-golden
    RECONCILER_REGEN_GOLDEN=1 python -m pytest tests/golden      # same, from any invocation

A new case is a new folder: `after/` (required), `before/`, `script.py`, `args.txt` (see
golden_cases); run once with the flag to write its outputs.
"""

from __future__ import annotations

import json

import pytest
from golden_cases import GOLDEN_DIR, case_names, run_case


def expected_exit_code(document: dict) -> int:
    """What `plan --detailed-exitcode` must exit with for this plan document."""
    if document["summary"]["errors"]:
        return 1
    return 2 if document["changes"] else 0


@pytest.mark.parametrize("case", case_names())
def test_golden_plan(case: str, tmp_path, regen_golden: bool):
    folder = GOLDEN_DIR / case
    result = run_case(folder, tmp_path)
    assert result.exit_code == expected_exit_code(json.loads(result.outputs["plan.json"]))
    if regen_golden:
        for name, text in result.outputs.items():
            (folder / name).write_text(text)
        return
    for name, text in result.outputs.items():
        expected = folder / name
        assert expected.exists(), f"{case}/{name} is missing: run `python -m pytest tests/golden --regen-golden`"
        assert text == expected.read_text(), f"{case}/{name} differs (regenerate with --regen-golden if intended)"
