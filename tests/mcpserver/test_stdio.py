"""Every tool and resource over stdio with the SDK's client: the numbers are the CLI's, byte for byte."""

from __future__ import annotations

import json
import subprocess

import pytest

from .conftest import calls, document, run_async

pytest.importorskip("mcp")

TOOLS = {"count_tokens", "project_cost", "audit_prompt", "list_models", "usage_summary", "diff_cost"}


def cli_document(done: subprocess.CompletedProcess) -> tuple[str, dict]:
    assert done.returncode in (0, 1), done.stderr
    return done.stdout, json.loads(done.stdout)


def test_initialize_lists_six_read_only_tools_and_three_resources(connect, workspace, network_attempts):
    async def session():
        async with connect(workspace, roots=[workspace]) as client:
            return await client.list_tools(), await client.list_resources()

    tools, resources = run_async(session)

    assert {tool.name for tool in tools.tools} == TOOLS
    assert all(tool.annotations.readOnlyHint and not tool.annotations.openWorldHint for tool in tools.tools)
    assert all(tool.description for tool in tools.tools)
    assert {str(r.uri) for r in resources.resources} == {
        "promptaudit://prices",
        "promptaudit://rules",
        "promptaudit://config",
    }
    assert network_attempts() == ""


COUNTS = [
    ({"paths": ["sample_prompts/"]}, ["count", "sample_prompts/"]),
    (
        {
            "paths": ["sample_prompts/ticket_reply.j2", "requests/openai_chat.json", "requests/anthropic.json"],
            "models": ["gpt-4o", "gpt-4o-mini", "claude-sonnet-4-5"],
            "vars": {"plan": "Pro"},
        },
        ["count", "sample_prompts/ticket_reply.j2", "requests/openai_chat.json", "requests/anthropic.json"]
        + ["-m", "gpt-4o", "-m", "gpt-4o-mini", "-m", "claude-sonnet-4-5", "--var", "plan=Pro"],
    ),
]


def test_count_tokens_is_the_cli(connect, cli, workspace):
    results = calls(connect, workspace, [("count_tokens", arguments) for arguments, _ in COUNTS])

    for (_, command), result in zip(COUNTS, results):
        text, expected = cli_document(cli(workspace, *command, "--format", "json"))
        assert document(result) == expected
        assert result.content[0].text == text
        assert expected["files"][0]["counts"][0]["tokens"] > 0


def test_count_tokens_on_text_is_the_cli_on_stdin_and_passes_the_notes_on(connect, cli, workspace):
    prompt = (workspace / "sample_prompts/support_agent.txt").read_text(encoding="utf-8")
    on_text, with_notes = calls(
        connect,
        workspace,
        [
            ("count_tokens", {"text": prompt, "models": ["gpt-4.1"]}),
            ("count_tokens", {"paths": ["sample_prompts/ticket_reply.j2"]}),
        ],
    )
    _, expected = cli_document(cli(workspace, "count", "-", "-m", "gpt-4.1", "--format", "json", stdin=prompt))

    assert document(on_text) == expected
    assert expected["files"][0]["chars"] == len(prompt)
    document(with_notes)
    assert "ticket_reply.j2: no value for customer_name, kb_excerpt, plan, ticket_body" in with_notes.content[1].text


PROJECTIONS = [
    ({"per_day": 10000, "output_tokens": 250}, ["--per-day", "10000", "--output-tokens", "250"]),
    (
        {
            "rps": 2.5,
            "models": ["gpt-4o", "claude-sonnet-4-5"],
            "output_tokens": 300,
            "cache_hit_rate": 0.8,
            "batch_share": 0.25,
            "max_tokens": 400,
        },
        [
            "--rps",
            "2.5",
            "-m",
            "gpt-4o",
            "-m",
            "claude-sonnet-4-5",
            "--output-tokens",
            "300",
            "--cache-hit-rate",
            "0.8",
            "--batch-share",
            "0.25",
            "--max-tokens",
            "400",
        ],
    ),
    (
        {
            "per_month": 90000,
            "route_to": "gpt-4o-mini",
            "route_share": 0.6,
            "fallback_rate": 0.1,
            "user_tokens": 120,
            "days_per_month": 31,
        },
        [
            "--per-month",
            "90000",
            "--route-to",
            "gpt-4o-mini",
            "--route-share",
            "0.6",
            "--fallback-rate",
            "0.1",
            "--user-tokens",
            "120",
            "--days-per-month",
            "31",
        ],
    ),
]


def test_project_cost_is_the_cli(connect, cli, workspace):
    paths = ["sample_prompts/support_agent.txt", "sample_prompts/docs_assistant.md"]
    results = calls(
        connect, workspace, [("project_cost", {"paths": paths, **arguments}) for arguments, _ in PROJECTIONS]
    )

    for (_, flags), result in zip(PROJECTIONS, results):
        _, expected = cli_document(cli(workspace, "project", *paths, *flags, "--format", "json"))
        assert document(result) == expected
        assert expected["models"][0]["monthly_cost"]


def test_audit_prompt_findings_have_locations_and_savings(connect, cli, workspace):
    arguments = {"paths": ["sample_prompts/"], "model": "gpt-4o", "per_day": 20000}
    [result] = calls(connect, workspace, [("audit_prompt", arguments)])
    _, expected = cli_document(
        cli(workspace, "audit", "sample_prompts/", "-m", "gpt-4o", "--per-day", "20000", "--format", "json")
    )

    found = document(result)
    assert found == expected
    saving = [f for f in found["findings"] if f["tokens_saved"] > 0]
    assert saving and all(f["path"] and f["line"] >= 1 and f["column"] >= 1 for f in saving)
    assert any(f["monthly_saving"] not in (None, "0") for f in found["files"])


def test_list_models_and_usage_summary_are_the_cli(connect, cli, workspace):
    usage = {"logs": ["logs/handchecked.jsonl"], "by": "day", "since": "2020-01-01"}
    models, spend = calls(connect, workspace, [("list_models", {"provider": "anthropic"}), ("usage_summary", usage)])
    _, expected_models = cli_document(cli(workspace, "models", "--provider", "anthropic", "--format", "json"))
    _, expected_spend = cli_document(
        cli(workspace, "usage", "logs/handchecked.jsonl", "--by", "day", "--since", "2020-01-01", "--format", "json")
    )

    assert document(models) == expected_models
    assert {row["provider"] for row in expected_models["models"]} == {"anthropic"}
    assert document(spend) == expected_spend
    assert expected_spend["groups"]


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture
def repository(workspace):
    """The workspace as a git work tree: the prompts committed, then one edited and one added."""
    git(workspace, "init", "-q", "-b", "main")
    git(workspace, "-c", "user.name=t", "-c", "user.email=t@example.com", "add", "-A")
    git(workspace, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "prompts")
    agent = workspace / "sample_prompts/support_agent.txt"
    agent.write_text(agent.read_text(encoding="utf-8") + "\nAlways answer in English.\n", encoding="utf-8")
    (workspace / "sample_prompts/new.txt").write_text("You are a terse assistant.\n", encoding="utf-8")
    return workspace


def test_diff_cost_is_the_cli(connect, cli, repository):
    [result] = calls(connect, repository, [("diff_cost", {"base": "HEAD", "per_day": 5000})])
    _, expected = cli_document(cli(repository, "diff", "--base", "HEAD", "--per-day", "5000", "--format", "json"))

    found = document(result)
    assert found == expected
    assert {f["path"]: f["status"] for f in found["prompts"]} == {
        "sample_prompts/new.txt": "added",
        "sample_prompts/support_agent.txt": "modified",
    }


def read(connect, workspace, *uris: str) -> list[dict]:
    async def session():
        async with connect(workspace, roots=[workspace]) as client:
            return [await client.read_resource(uri) for uri in uris]

    return [json.loads(found.contents[0].text) for found in run_async(session)]


def test_the_prices_resource_is_the_models_command_s_and_the_rules_are_the_registry(connect, cli, workspace):
    from promptaudit.lint.rules import RULE_MODULES

    prices, rules = read(connect, workspace, "promptaudit://prices", "promptaudit://rules")
    _, expected = cli_document(cli(workspace, "models", "--format", "json"))

    assert prices == {"prices": expected["prices"], "facts_as_of": expected["facts_as_of"]}
    assert [(r["id"], r["name"], r["severity"]) for r in rules["rules"]] == [
        (m.ID, m.NAME, m.SEVERITY) for m in RULE_MODULES
    ]
    assert all("Anti-pattern" in r["documentation"] for r in rules["rules"])


def test_the_config_resource_and_the_tools_use_the_workspace_config(connect, cli, workspace):
    (workspace / ".promptaudit.yaml").write_text("models: [gpt-4o-mini]\nvolume: {per_day: 3000}\n", encoding="utf-8")

    [config] = read(connect, workspace, "promptaudit://config")
    [result] = calls(connect, workspace, [("project_cost", {"paths": ["sample_prompts/classifier.txt"]})])
    _, expected = cli_document(cli(workspace, "project", "sample_prompts/classifier.txt", "--format", "json"))

    assert config["file"] == str(workspace / ".promptaudit.yaml")
    assert config["values"] == {"models": ["gpt-4o-mini"], "volume": {"per_day": 3000}}
    assert config["workspace"] == {"roots": [str(workspace)], "declared_by_client": True}
    assert document(result) == expected
    assert expected["models"][0]["model"] == "gpt-4o-mini"


def test_project_cost_total_traffic_with_shares_is_the_cli(connect, cli, workspace):
    """``total_per_day`` + ``shares`` pass through as ``--total-per-day``/``--share`` (the money branch adds them)."""
    if "--total-per-day" not in cli(workspace, "project", "--help").stdout:
        pytest.xfail("--total-per-day/--share come with the money branch (issue 20)")
    shares = {"sample_prompts/support_agent.txt": 0.7, "sample_prompts/classifier.txt": 0.3}
    paths = list(shares)
    [result] = calls(
        connect,
        workspace,
        [("project_cost", {"paths": paths, "total_per_day": 20000, "shares": shares, "output_tokens": 200})],
    )
    flags = [f"--share={path}={share}" for path, share in shares.items()]
    _, expected = cli_document(
        cli(
            workspace,
            "project",
            *paths,
            "--total-per-day",
            "20000",
            *flags,
            "--output-tokens",
            "200",
            "--format",
            "json",
        )
    )

    assert document(result) == expected
