"""replay.answers and replay.recording: a repeated hook run is answered from its recording, and only when nothing changed."""

from __future__ import annotations

import marshal
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from promptaudit.replay import answers as replay

REPO = Path(__file__).resolve().parents[2]
# Runs the console entry point as the installed script does, and says on stderr whether Typer or Rich was
# imported. (tests/test_every_fixture.py runs the script itself, cold and warm, over every fixture.)
PROBE = (
    "import atexit, sys\n"
    "names = lambda: ','.join(m for m in ('typer', 'rich') if m in sys.modules)\n"
    "atexit.register(lambda: sys.stderr.write('\\nloaded:' + names()))\n"
    "sys.argv = ['promptaudit', *sys.argv[1:]]\n"
    "from promptaudit.console import main\n"
    "main()\n"
)


READ_ONLY = [
    ["check", "prompts"],
    ["count", "prompts"],
    ["count", "prompts", "--format", "json", "-m", "gpt-4o-mini", "-m", "gpt-4.1"],
    ["audit", "prompts"],
    ["project", "prompts", "--per-day", "1000"],
]
# check is the hook: its cases stay in the quick subset; the other commands' cases are marked slow (CI runs them).
EVERY_COMMAND = [READ_ONLY[0], *(pytest.param(c, marks=pytest.mark.slow) for c in READ_ONLY[1:])]


@pytest.fixture
def project(tmp_path) -> Path:
    """A small repository of prompts: the sample prompts and a config with a budget."""
    shutil.copytree(REPO / "sample_prompts", tmp_path / "project" / "prompts")
    (tmp_path / "project" / ".promptaudit.yaml").write_text("max_tokens: 400\n")
    return tmp_path / "project"


@pytest.fixture
def run(project, tmp_path):
    cache = tmp_path / "cache"
    env = {**os.environ, "PROMPTAUDIT_CACHE_DIR": str(cache)}

    def run_script(*args: str, **extra_env: str) -> tuple[int, str, str]:
        command = [sys.executable, "-c", PROBE, *args]
        done = subprocess.run(command, cwd=project, env={**env, **extra_env}, capture_output=True, timeout=60)
        return done.returncode, done.stdout.decode(), done.stderr.decode()

    run_script.answers = lambda: sorted(cache.glob(replay.ANSWER_PREFIX + "*")) if cache.exists() else []
    return run_script


def without_probe(result: tuple[int, str, str]) -> tuple[int, str, str]:
    code, out, err = result
    return code, out, err.rsplit("\nloaded:", 1)[0]


def loaded(result: tuple[int, str, str]) -> str:
    return result[2].rsplit("\nloaded:", 1)[1]


def test_an_unchanged_check_is_replayed_without_typer_or_rich(run):
    first = run("check", "prompts", "--fail-on", "warning")  # advice is printed (and fails) only on request
    second = run("check", "prompts", "--fail-on", "warning")

    assert first[0] == 1 and "PA103" in first[1]  # the sample prompts have findings to print
    assert without_probe(second) == without_probe(first)
    assert "typer" in loaded(first) and loaded(second) == ""
    assert len(run.answers()) == 1


def test_a_passing_check_is_replayed_silent(run, project):
    for name in ("support_agent.txt", "classifier.txt", "docs_assistant.md"):
        (project / "prompts" / name).unlink()
    first, second = run("check", "prompts"), run("check", "prompts")

    assert without_probe(first) == without_probe(second) == (0, "", "")
    assert loaded(second) == ""


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["count", "--help"], ["--version"]])
def test_help_is_replayed_identically(run, args):
    first, second = run(*args), run(*args)
    uncached = run(*args, PROMPTAUDIT_NO_CACHE="1")

    assert without_probe(first) == without_probe(second) == without_probe(uncached)
    assert "typer" in loaded(first) and loaded(second) == ""


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda p: (p / "prompts" / "classifier.txt").write_text("Say yes. " * 300), id="prompt-edited"),
        pytest.param(lambda p: (p / "prompts" / "new.md").write_text("Always be helpful. " * 30), id="prompt-added"),
        pytest.param(lambda p: (p / "prompts" / "ticket_reply.j2").unlink(), id="prompt-deleted"),
        pytest.param(lambda p: (p / ".promptaudit.yaml").write_text("max_tokens: 20\n"), id="config-edited"),
        pytest.param(lambda p: (p / ".promptaudit.yaml").unlink(), id="config-deleted"),
        pytest.param(
            lambda p: (p / "prompts" / "promptaudit.yaml").write_text("max_tokens: 20\n"), id="file-in-subdir"
        ),
        pytest.param(
            lambda p: (p / ".promptaudit-baseline.json").write_text('{"model": "gpt-4o", "prompts": {}}'),
            id="baseline-appeared",
        ),
    ],
)
@pytest.mark.parametrize("command", EVERY_COMMAND)
def test_any_change_to_what_the_run_read_means_running_again(run, project, change, cli, command):
    first, replayed = run(*command), run(*command)
    assert without_probe(replayed) == without_probe(first) and loaded(replayed) == ""
    change(project)
    again = run(*command)

    os.chdir(project)
    slow = cli(*command)
    assert without_probe(again) == (slow.exit_code, slow.stdout, slow.stderr)
    assert "typer" in loaded(again)


@pytest.mark.parametrize("command", [*READ_ONLY, ["models"], ["models", "--format", "json"]])
def test_every_read_only_command_is_replayed_identically(run, project, command, cli):
    first, second = run(*command), run(*command)

    os.chdir(project)
    slow = cli(*command)
    assert without_probe(first) == without_probe(second) == (slow.exit_code, slow.stdout, slow.stderr)
    assert "typer" in loaded(first) and loaded(second) == ""
    assert len(run.answers()) == 1


@pytest.mark.parametrize("command", [["count", "prompts"], ["models"]])
def test_an_answer_is_not_used_once_a_price_it_used_may_have_changed(run, command):
    """Prices change at a date or an off-peak hour: a recorded answer holds until the next such moment."""
    run(*command)
    [answer_file] = run.answers()
    answer = marshal.loads(answer_file.read_bytes())
    [until] = [dep for dep in answer["deps"] if dep[0] == "until"]
    assert time.time() < until[2] <= time.time() + 86_400
    answer_file.write_bytes(marshal.dumps({**answer, "deps": [*answer["deps"], ("until", "", int(time.time()) - 1)]}))

    assert "typer" in loaded(run(*command))


def test_a_notice_said_once_is_never_replayed(run):
    """The hint about reconstructed Claude counts is said once per cache: the run that says it is not recorded."""
    from promptaudit.tokens import claude

    runs = [run("count", "prompts", "-m", "claude-sonnet-4-5") for _ in range(3)]
    hinted = claude.ctok_version() is None
    assert ("estimates here" in runs[0][2]) == hinted
    assert all("estimates here" not in r[2] for r in runs[1:])
    assert without_probe(runs[2]) == without_probe(runs[1]) and loaded(runs[2]) == ""


def test_the_next_price_change_is_the_next_cut_or_boundary():
    from promptaudit.money.schedule import DAY, _next_change

    day = 20_000 * DAY
    assert _next_change((), (0,), day + 5) == day + DAY
    assert _next_change((), (0, 3600 * 16, 3600 * 18), day + 5) == day + 3600 * 16
    assert _next_change((), (0, 3600 * 16, 3600 * 18), day + 3600 * 17) == day + 3600 * 18
    assert _next_change((day + 10.0,), (0,), day + 5) == day + 10


def test_other_arguments_environment_or_terminal_width_are_other_questions(run):
    run("check", "prompts")
    assert "typer" in loaded(run("check", "prompts", "--max-tokens", "10"))
    assert "typer" in loaded(run("check", "prompts", COLUMNS="60"))
    assert "typer" in loaded(run("check", "prompts", NO_COLOR="1", PROMPTAUDIT_X="y"))


def test_runs_that_write_or_fail_are_not_recorded(run):
    assert run("check", "prompts", "--write-baseline")[0] in (0, 1)
    assert run("check", "no/such/folder")[0] == 2
    assert run("usage", "no-such.jsonl")[0] == 2  # only read-only commands and --help are replayed
    assert run("check", "/dev/null")[0] in (0, 1, 2)  # a device may read differently next time
    assert run.answers() == []
    assert "typer" in loaded(run("check", "no/such/folder"))


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda answer: b"not marshal at all", id="garbage"),
        pytest.param(lambda answer: marshal.dumps([1, 2, 3]), id="wrong-type"),
        pytest.param(lambda answer: marshal.dumps({**answer, "code": 5}), id="exit-code-out-of-range"),
        pytest.param(lambda answer: marshal.dumps({**answer, "code": True}), id="exit-code-a-bool"),
        pytest.param(lambda answer: marshal.dumps({**answer, "out": [(3, b"x")]}), id="unknown-stream"),
        pytest.param(lambda answer: marshal.dumps({**answer, "out": [(1, "text")]}), id="text-not-bytes"),
        pytest.param(lambda answer: marshal.dumps({**answer, "deps": [("run", "x", 1)]}), id="unknown-dependency"),
        pytest.param(lambda answer: marshal.dumps({**answer, "deps": [("until", "", "soon")]}), id="until-not-a-time"),
        pytest.param(lambda answer: marshal.dumps({**answer, "extra": 1}), id="extra-key"),
        pytest.param(lambda answer: marshal.dumps(answer)[:-7], id="truncated"),
    ],
)
@pytest.mark.parametrize("command", [["check", "prompts"], ["count", "prompts"]])
def test_a_malformed_answer_is_a_miss_and_is_rewritten(run, damage, command):
    first = run(*command)
    [answer_file] = run.answers()
    answer_file.write_bytes(damage(marshal.loads(answer_file.read_bytes())))

    again = run(*command)

    assert without_probe(again) == without_probe(first) and "typer" in loaded(again)
    assert replay.well_formed(marshal.loads(answer_file.read_bytes()))


def test_answers_are_bounded(run, monkeypatch, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(replay.MAX_ANSWERS + 1):
        (folder / f"{replay.ANSWER_PREFIX}{i:04d}.bin").write_bytes(b"x")

    replay._forget_oldest(str(folder))

    assert len(list(folder.iterdir())) == (replay.MAX_ANSWERS + 1) - (replay.MAX_ANSWERS + 1) // 2


def test_without_a_cache_nothing_is_recorded(run):
    run("check", "prompts", PROMPTAUDIT_NO_CACHE="1")
    assert run.answers() == []


def test_discovery_candidates_name_what_config_and_baseline_look_for(tmp_path):
    from promptaudit import config
    from promptaudit.gate import baseline
    from promptaudit.replay import recording

    names = {Path(p).name for p in recording.discovery_candidates(str(tmp_path))}
    assert names == {*config.CONFIG_NAMES, "pyproject.toml", baseline.DEFAULT_NAME}
    assert str(tmp_path.resolve() / ".promptaudit.yaml") in recording.discovery_candidates(str(tmp_path))


def test_a_run_into_a_closed_pipe_is_not_recorded(project, tmp_path):
    """``check | head -1``: output lost to a closed pipe; replaying that run would replay the loss."""
    env = {**os.environ, "PROMPTAUDIT_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):
        read_end, write_end = os.pipe()
        os.close(read_end)  # the reader is gone before the first byte is written
        subprocess.run([sys.executable, "-c", PROBE, "check", "prompts"], cwd=project, env=env, stdout=write_end,
                       stderr=subprocess.DEVNULL, timeout=60)  # fmt: skip
        os.close(write_end)

    assert not list((tmp_path / "cache").glob(replay.ANSWER_PREFIX + "*"))


def test_a_replay_into_a_closed_pipe_ends_quietly(run, project, tmp_path):
    first = run("check", "prompts")
    env = {**os.environ, "PROMPTAUDIT_CACHE_DIR": str(tmp_path / "cache")}
    read_end, write_end = os.pipe()
    os.close(read_end)
    done = subprocess.run([sys.executable, "-c", PROBE, "check", "prompts"], cwd=project, env=env, stdout=write_end,
                          stderr=subprocess.PIPE, timeout=60)  # fmt: skip
    os.close(write_end)

    assert done.returncode == first[0] and "Traceback" not in done.stderr.decode()
    assert done.stderr.decode().endswith("loaded:")  # it was the replay
