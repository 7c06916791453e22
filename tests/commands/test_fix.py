"""``promptaudit fix`` through the CLI: golden before/after files for every fix kind and format, preview by
default, idempotence, the audit afterwards, exact savings, and the refusals (one line, exit 2)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from promptaudit import exitcodes

GOLDEN = Path(__file__).parents[1] / "data" / "fix"
CASES = sorted(path.name.replace(".before", "") for path in GOLDEN.glob("*.before.*"))


def place(folder: Path, name: str) -> Path:
    """Copy the golden ``before`` file of ``name`` (``text.txt``) into ``folder`` as ``name``."""
    stem, ext = name.rsplit(".", 1)
    target = folder / name
    shutil.copyfile(GOLDEN / f"{stem}.before.{ext}", target)
    return target


def after(name: str) -> bytes:
    stem, ext = name.rsplit(".", 1)
    return (GOLDEN / f"{stem}.after.{ext}").read_bytes()


def test_every_fix_kind_and_format_has_a_golden_case():
    assert {name.rsplit(".", 1)[1] for name in CASES} == {"txt", "md", "j2", "json", "yaml", "py"}
    assert all(after(name) != (GOLDEN / name.replace(".", ".before.", 1)).read_bytes() for name in CASES)


@pytest.mark.parametrize("name", CASES)
def test_write_gives_the_golden_file_and_a_second_run_changes_nothing(cli, isolated_env, name):
    target = place(isolated_env, name)
    assert cli("fix", name, "--write").exit_code == exitcodes.OK
    assert target.read_bytes() == after(name)
    stamp = target.stat().st_mtime_ns
    again = cli("fix", name, "--write")
    assert (again.exit_code, again.stdout) == (exitcodes.OK, "")
    assert "Nothing to fix in 1 file(s)." in again.stderr
    assert target.stat().st_mtime_ns == stamp


@pytest.mark.parametrize("name", CASES)
def test_the_preview_is_a_patch_that_gives_the_golden_file_and_writes_nothing(cli, isolated_env, name):
    target = place(isolated_env, name)
    before, stamp = target.read_bytes(), target.stat().st_mtime_ns
    preview = cli("fix", name)
    assert preview.exit_code == exitcodes.FINDINGS  # something to fix: like audit, 1
    assert preview.stdout.startswith(f"--- {name}\n+++ {name}\n@@ ")
    assert "Nothing was written: give --write to apply the diff." in preview.stderr
    assert (target.read_bytes(), target.stat().st_mtime_ns) == (before, stamp)
    if shutil.which("patch"):
        subprocess.run(["patch", "-p0", "-s"], input=preview.stdout.encode(), cwd=isolated_env, check=True, timeout=30)
        assert target.read_bytes() == after(name)


@pytest.mark.parametrize("name", CASES)
def test_after_the_fix_audit_drops_exactly_the_saving_and_reports_nothing_new(cli, isolated_env, name):
    place(isolated_env, name)
    audited = json.loads(cli("audit", name, "--format", "json", "--per-day", "1000").stdout)
    plan = json.loads(cli("fix", name, "--format", "json", "--per-day", "1000").stdout)
    [file] = plan["files"]
    assert cli("fix", name, "--write").exit_code == exitcodes.OK
    later = json.loads(cli("audit", name, "--format", "json", "--per-day", "1000").stdout)
    tokens = [sum(f["tokens"] for f in report["files"]) for report in (audited, later)]
    assert tokens == [file["tokens_before"], file["tokens_after"]]
    assert file["tokens_saved"] == tokens[0] - tokens[1] > 0
    fixed = [fix["rule"] for fix in file["fixes"]]
    rules = {rule: [f["rule"] for f in report["findings"]].count(rule) for rule in set(fixed) for report in [later]}
    before = {rule: [f["rule"] for f in audited["findings"]].count(rule) for rule in set(fixed)}
    assert all(rules[rule] <= before[rule] - fixed.count(rule) for rule in set(fixed))
    assert {f["rule"] for f in later["findings"]} <= {f["rule"] for f in audited["findings"]}


def test_the_saving_in_money_is_at_the_volume_given(cli, isolated_env):
    place(isolated_env, "markdown.md")
    plan = json.loads(cli("fix", "markdown.md", "--format", "json", "--per-day", "1000", "-m", "gpt-4o").stdout)
    [file] = plan["files"]
    from decimal import Decimal

    from promptaudit.money import pricing

    per_token = pricing.price_for("gpt-4o").input_mtok / Decimal(1_000_000)
    expected = file["tokens_saved"] * per_token * 1000 * 30
    assert Decimal(file["monthly_saving"]) == expected
    assert plan["prices"]["as_of"]


def test_rule_selects_what_is_fixed(cli, isolated_env):
    target = place(isolated_env, "text.txt")
    assert cli("fix", "text.txt", "--write", "--rule", "PA107").exit_code == exitcodes.OK
    text = target.read_text(encoding="utf-8")
    assert "Please note that you should" in text and " \t\n" not in text


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--rule", "PA102"], "--rule PA102: PA102 cannot be fixed automatically (fixable: PA103, PA105, PA107"),
        (["--rule", "PA999"], "PA999"),
        (["-"], "standard input (-) cannot be fixed"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(cli, isolated_env, args, said):
    place(isolated_env, "text.txt")
    result = cli("fix", "text.txt", *args)
    assert result.exit_code == exitcodes.USAGE
    assert said in result.stderr and len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""


def test_line_endings_bom_and_mode_are_kept(cli, isolated_env):
    target = isolated_env / "crlf.txt"
    source = (GOLDEN / "text.before.txt").read_bytes().replace(b"\n", b"\r\n")
    target.write_bytes(b"\xef\xbb\xbf" + source)
    os.chmod(target, 0o640)
    assert cli("fix", "crlf.txt", "--write").exit_code == exitcodes.OK
    written = target.read_bytes()
    assert written == b"\xef\xbb\xbf" + after("text.txt").replace(b"\n", b"\r\n")
    assert target.stat().st_mode & 0o777 == 0o640


def test_a_file_with_nothing_to_fix_is_not_touched(cli, isolated_env):
    target = isolated_env / "clean.txt"
    target.write_text("Answer in English.\nCite the article you used.\n", encoding="utf-8")
    stamp = target.stat().st_mtime_ns
    result = cli("fix", "clean.txt", "--write")
    assert (result.exit_code, result.stdout) == (exitcodes.OK, "")
    assert target.stat().st_mtime_ns == stamp


def test_a_file_changed_between_read_and_write_is_refused(cli, isolated_env, monkeypatch):
    from promptaudit.lint.fixing import engine

    target = place(isolated_env, "text.txt")
    real = engine.fix_file

    def meanwhile(*args, **kwargs):  # an editor saves the file while fix works on it
        fixed = real(*args, **kwargs)
        target.write_text("Edited meanwhile.\n", encoding="utf-8")
        return fixed

    monkeypatch.setattr(engine, "fix_file", meanwhile)
    result = cli("fix", "text.txt", "--write")
    assert result.exit_code == exitcodes.USAGE
    assert "text.txt: changed since fix read it; not written (run fix again)" in result.stderr
    assert target.read_text(encoding="utf-8") == "Edited meanwhile.\n"


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_uncommitted_changes_need_force(cli, isolated_env):
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=isolated_env, check=True, capture_output=True, timeout=30)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "start")
    target = place(isolated_env, "text.txt")  # untracked: not committed
    refused = cli("fix", "text.txt", "--write")
    assert refused.exit_code == exitcodes.USAGE
    assert "has changes git has not committed; not written" in refused.stderr
    assert target.read_bytes() == (GOLDEN / "text.before.txt").read_bytes()
    assert cli("fix", "text.txt", "--write", "--force").exit_code == exitcodes.OK
    assert target.read_bytes() == after("text.txt")


def test_json_output_is_pure_and_names_every_file(cli, isolated_env):
    for name in ("text.txt", "jinja.j2"):
        place(isolated_env, name)
    result = cli("fix", "text.txt", "jinja.j2", "--format", "json")
    payload = json.loads(result.stdout)
    assert [f["path"] for f in payload["files"]] == ["text.txt", "jinja.j2"]
    assert payload["write"] is False and all(f["written"] is False for f in payload["files"])
    assert [fix["rule"] for fix in payload["files"][1]["fixes"]] == ["PA103"]  # the one inside {% if %} stays
