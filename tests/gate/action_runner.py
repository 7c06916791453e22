"""Run ``action.yml``'s composite steps the way the GitHub Actions runner runs them, on this machine.

What the runner does for a composite action, reproduced here (GitHub's docs: metadata syntax, workflow
commands, contexts, expressions):

- each ``run:`` step runs as ``bash --noprofile --norc -eo pipefail FILE`` (``shell: bash``), in the
  workspace, with the job's ``GITHUB_*`` environment plus the step's ``env:``;
- ``${{ }}`` expressions are evaluated from the ``inputs``, ``github`` (the event payload included),
  ``runner`` and ``steps`` contexts, with ``==``, ``!=``, ``&&``, ``||``, ``!``, parentheses and the status
  functions (a step's ``if:`` defaults to ``success()``);
- every step gets fresh ``GITHUB_OUTPUT`` and ``GITHUB_STEP_SUMMARY`` files: ``name=value`` (and the
  ``name<<DELIM`` form) lines become ``steps.<id>.outputs``; summaries are collected in order;
- a failing step fails the action unless it has ``continue-on-error: true``; later steps then run only
  if their condition says ``always()`` or ``failure()``.

``uses:`` steps (upload-artifact, upload-sarif) are GitHub's own JavaScript actions: they are not run, but
recorded with their evaluated ``with:``, after checking that what they would upload exists; the artifact
step answers with an ``artifact-url`` output as the real one does.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
TOKEN = re.compile(r"\s*(==|!=|&&|\|\||!|\(|\)|'(?:[^']|'')*'|[A-Za-z_][\w.\-]*(?:\(\))?)")


@dataclass
class StepRun:
    """One step's result."""

    name: str
    ran: bool
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""
    outputs: dict = field(default_factory=dict)
    uses: str = ""
    with_: dict = field(default_factory=dict)


@dataclass
class ActionRun:
    """The whole action's result: the steps, the job summary, the action's outputs and success."""

    steps: list[StepRun]
    summary: str
    outputs: dict
    success: bool

    def step(self, name: str) -> StepRun:
        return next(s for s in self.steps if s.name == name)

    @property
    def log(self) -> str:
        return "\n".join(f"--- {s.name}\n{s.stdout}{s.stderr}" for s in self.steps if s.ran)


class Expressions:
    """A small evaluator of GitHub's expression syntax, for the subset action.yml uses."""

    def __init__(self, contexts: dict, status: str = "success"):
        self.contexts = contexts
        self.status = status

    def value(self, name: str):
        if name.endswith("()"):
            return {"always()": True, "success()": self.status == "success",
                    "failure()": self.status == "failure", "cancelled()": False}[name]  # fmt: skip
        if name in ("true", "false"):
            return name == "true"
        current = self.contexts
        for part in name.split("."):
            current = current.get(part) if isinstance(current, dict) else None
        return "" if current is None else current

    def evaluate(self, text: str):
        tokens = [t for t in TOKEN.findall(text)]
        if "".join(tokens).replace(" ", "") != text.replace(" ", ""):
            raise ValueError(f"expression not understood: {text!r}")
        value, rest = self._or(tokens)
        assert not rest, f"trailing tokens in {text!r}: {rest}"
        return value

    def _or(self, tokens):
        left, tokens = self._and(tokens)
        while tokens and tokens[0] == "||":
            right, tokens = self._and(tokens[1:])
            left = left or right
        return left, tokens

    def _and(self, tokens):
        left, tokens = self._compare(tokens)
        while tokens and tokens[0] == "&&":
            right, tokens = self._compare(tokens[1:])
            left = left and right
        return left, tokens

    def _compare(self, tokens):
        left, tokens = self._unary(tokens)
        if tokens and tokens[0] in ("==", "!="):
            op = tokens[0]
            right, tokens = self._unary(tokens[1:])
            same = str(left).lower() == str(right).lower()  # GitHub compares strings case-insensitively
            left = same if op == "==" else not same
        return left, tokens

    def _unary(self, tokens):
        head = tokens[0]
        if head == "!":
            value, rest = self._unary(tokens[1:])
            return not value, rest
        if head == "(":
            value, rest = self._or(tokens[1:])
            assert rest[0] == ")"
            return value, rest[1:]
        if head.startswith("'"):
            return head[1:-1].replace("''", "'"), tokens[1:]
        return self.value(head), tokens[1:]

    def substitute(self, text: str) -> str:
        def one(match):
            value = self.evaluate(match.group(1))
            return str(value).lower() if isinstance(value, bool) else str(value)

        return EXPRESSION.sub(one, text)

    def condition(self, text: str | None) -> bool:
        if text is None:
            return self.status == "success"
        bare = EXPRESSION.fullmatch(text.strip())
        expression = bare.group(1) if bare else text
        if not re.search(r"\b(always|success|failure|cancelled)\(\)", expression):
            expression = f"success() && ({expression})"
        return bool(self.evaluate(expression))


def read_outputs(path: Path) -> dict:
    """``name=value`` lines and ``name<<DELIM`` blocks of a GITHUB_OUTPUT file."""
    outputs, lines = {}, path.read_text().splitlines() if path.exists() else []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, i + 1)
            outputs[name] = "\n".join(lines[i + 1 : end])
            i = end + 1
            continue
        name, _, value = line.partition("=")
        outputs[name] = value
        i += 1
    return outputs


class Runner:
    """Runs one action.yml with given inputs, for one event, in one workspace."""

    def __init__(self, action_dir: Path, workspace: Path, env: dict, github: dict, temp: Path):
        self.action = yaml.safe_load((action_dir / "action.yml").read_text())
        self.action_dir = action_dir
        self.workspace = workspace
        self.env = env
        self.github = github
        self.temp = temp

    def inputs(self, given: dict) -> dict:
        declared = self.action["inputs"]
        unknown = set(given) - set(declared)
        assert not unknown, f"inputs not declared in action.yml: {unknown}"
        missing = [k for k, v in declared.items() if v.get("required") and k not in given]
        assert not missing, f"required inputs missing: {missing}"
        values = {}
        for name, spec in declared.items():
            default = Expressions({"github": self.github}).substitute(str(spec.get("default", "")))
            values[name] = str(given.get(name, default))
        return values

    def run(self, given: dict) -> ActionRun:
        contexts = {"inputs": self.inputs(given), "github": self.github, "runner": {"temp": str(self.temp)},
                    "steps": {}}  # fmt: skip
        status, runs, summary = "success", [], []
        for index, step in enumerate(self.action["runs"]["steps"]):
            expressions = Expressions(contexts, status)
            name = step.get("name", f"step {index}")
            if not expressions.condition(step.get("if")):
                runs.append(StepRun(name, ran=False))
                continue
            done = self._uses(step, expressions) if "uses" in step else self._run(step, expressions, summary, index)
            done.name = name
            runs.append(done)
            if step.get("id"):
                contexts["steps"][step["id"]] = {"outputs": done.outputs,
                                                 "outcome": "success" if done.returncode == 0 else "failure"}  # fmt: skip
            if done.returncode != 0 and not step.get("continue-on-error"):
                status = "failure"
        final = Expressions(contexts, status)
        outputs = {k: final.substitute(v["value"]) for k, v in self.action.get("outputs", {}).items()}
        return ActionRun(runs, "".join(summary), outputs, status == "success")

    def _run(self, step: dict, expressions: Expressions, summary: list, index: int) -> StepRun:
        assert step.get("shell") == "bash", "composite run steps must name their shell"
        script = self.temp / f"step-{index}.sh"
        script.write_text(expressions.substitute(step["run"]))
        output, step_summary = self.temp / f"output-{index}", self.temp / f"summary-{index}"
        env = {**self.env, **{k: expressions.substitute(str(v)) for k, v in (step.get("env") or {}).items()}}
        env.update(GITHUB_OUTPUT=str(output), GITHUB_STEP_SUMMARY=str(step_summary),
                   GITHUB_ACTION_PATH=str(self.action_dir))  # fmt: skip
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=self.workspace, env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        if step_summary.exists():
            summary.append(step_summary.read_text())
        return StepRun("", True, done.returncode, done.stdout, done.stderr, read_outputs(output))

    def _uses(self, step: dict, expressions: Expressions) -> StepRun:
        with_ = {k: expressions.substitute(str(v)) for k, v in (step.get("with") or {}).items()}
        uses = step["uses"]
        outputs = {}
        if uses.startswith("actions/upload-artifact@"):
            assert Path(with_["path"]).exists(), f"nothing to upload at {with_['path']}"
            outputs = {"artifact-id": "42", "artifact-url": "https://github.test/o/r/actions/runs/1/artifacts/42"}
        elif uses.startswith("github/codeql-action/upload-sarif@"):
            assert Path(with_["sarif_file"]).is_file(), f"no SARIF file at {with_['sarif_file']}"
        else:
            raise AssertionError(f"the harness does not know {uses}")
        return StepRun("", True, 0, outputs=outputs, uses=uses, with_=with_)


def job_environment(workspace: Path, temp: Path, event_path: Path, event_name: str, api_url: str, extra: dict) -> dict:
    """The environment variables GitHub sets for a job (the ones the action reads), plus ``extra``."""
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    return {
        **base,
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": event_name,
        "GITHUB_EVENT_PATH": str(event_path),
        "GITHUB_REPOSITORY": "owner/repo",
        "GITHUB_REPOSITORY_OWNER": "owner",
        "GITHUB_SERVER_URL": "https://github.test",
        "GITHUB_API_URL": api_url,
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_RUN_ID": "1",
        "GITHUB_REF": "refs/pull/7/merge",
        "GITHUB_BASE_REF": "main",
        "GITHUB_HEAD_REF": "feature",
        "RUNNER_TEMP": str(temp),
        "RUNNER_OS": "Linux",
        **extra,
    }
