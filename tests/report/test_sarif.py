"""SARIF output validates against the official SARIF 2.1.0 schema (vendored; no network)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from promptaudit.lint.rules import RULE_MODULES

SCHEMA = json.loads((Path(__file__).parents[1] / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
SAMPLE = Path(__file__).parents[2] / "sample_prompts"


@pytest.fixture
def sarif(cli):
    result = cli("audit", str(SAMPLE / "support_agent.txt"), str(SAMPLE / "ticket_reply.j2"), "--format", "sarif")
    assert result.exit_code == 1
    return json.loads(result.stdout)


def test_sarif_validates_against_the_schema(sarif):
    jsonschema.validate(sarif, SCHEMA, cls=jsonschema.Draft4Validator)


def test_sarif_results_point_at_lines_with_rule_indexes(sarif):
    run = sarif["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rules == [m.ID for m in RULE_MODULES]  # every rule, in registry order
    first = run["results"][0]
    assert (first["ruleId"], first["level"]) == ("PA103", "warning")
    region = {"startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 29}  # "You are a helpful assistant."
    assert first["locations"][0]["physicalLocation"]["region"] == region
    assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in run["results"])


def test_empty_sarif_is_valid(cli, isolated_env):
    (isolated_env / "ok.txt").write_text("Answer in English.\n")
    result = cli("audit", "ok.txt", "--format", "sarif")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    jsonschema.validate(document, SCHEMA, cls=jsonschema.Draft4Validator)
    assert document["runs"][0]["results"] == []
