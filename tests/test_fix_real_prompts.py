"""``promptaudit fix`` on the real-prompt corpus, as a user runs it (benchmarks/eval_fix_real_prompts.py: the
installed console script on a copy of every prompt file): it edits, writes, and then a second run changes
nothing, audit reports nothing new and none of what was fixed, and its token count drops by exactly the
saving ``fix`` showed. Which edits are right is tests/lint/test_fix_precision.py's business."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import realdata

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
from eval_fix_real_prompts import evaluate  # noqa: E402

pytestmark = pytest.mark.slow  # five runs of the console script over 569 files


def test_fix_on_real_prompts_is_verified_idempotent_and_saves_exactly_what_it_shows():
    result = evaluate("1000", fetch=realdata.require)
    assert result["write_exit"] == 0
    assert set(result["edits"]) == {"PA103", "PA105", "PA107"} and result["files_changed"] >= 20
    assert result["second_run_changes"] == 0
    assert result["new_findings_after"] == 0 and result["fixed_still_reported"] == 0
    assert result["audit_tokens_drop"] == result["tokens_saved_per_request"] > 0
