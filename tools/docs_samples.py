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
exits 1 and names every block that differs. The outputs depend on the price snapshot, so the
genai-prices version they were made with is kept in ``docs/samples.lock``; the test skips when another
version is installed instead of failing on a price change that is not the change under test.
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
LOCK = ROOT / "docs" / "samples.lock"
BLOCK = re.compile(r"(?P<head>^```console\n)(?P<body>.*?)(?P<tail>^```$)", re.M | re.S)
STATIC = "<!-- sample: static -->"
COMMAND = re.compile(r"^\$ (?P<env>(?:[A-Z_]+=\S+ )*)promptaudit(?P<args>(?: .*)?)$", re.S)
COLUMNS = "110"
TIMEOUT = 60


def documents() -> list[Path]:
    """README.md and every Markdown page of the docs site."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def snapshot_version() -> str:
    """The installed genai-prices version (the price data every money sample depends on)."""
    return metadata.version("genai-prices")


def lock_line() -> str:
    """What the samples depend on: the price snapshot, and ctok when Claude counts are reconstructed."""
    from promptaudit.tokens import claude

    ctok = claude.ctok_version()
    return f"genai-prices=={snapshot_version()}" + (f" ctok=={ctok}" if ctok else "")


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
    """``text`` with every runnable sample re-run; also the first command of each block that changed."""
    changed = []

    def replace(match: re.Match) -> str:
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        if before.strip() == STATIC or _commands(match["body"]) is None:
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
    failures = []
    with tempfile.TemporaryDirectory() as cache:
        for path in documents():
            text = path.read_text(encoding="utf-8")
            fresh, changed = refresh(text, cache)
            failures += [f"{path.relative_to(ROOT)}: {command}" for command in changed]
            if args.write and fresh != text:
                path.write_text(fresh, encoding="utf-8")
    if args.write:
        LOCK.write_text(lock_line() + "\n", encoding="utf-8")
        return 0
    for failure in failures:
        print(f"sample differs from the real output: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
