"""Hostile-input regression cases (tests/data/hostile/cases.yaml), run through the installed console script.

Each case builds its inputs in a fresh folder (files, FIFOs, sockets, symlinks to devices, deep trees,
git repositories with hostile config), runs ``promptaudit`` in a subprocess with a timeout and returns
what happened, so a test can assert the exit code, one clear stderr line and no traceback.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent.parent / "data" / "hostile"
CASES_FILE = HERE / "cases.yaml"
FILES = HERE / "files"
FILLER = (
    "<instructions>\nYou are a support assistant for Acme. Answer in two sentences.\n"
    "```python\nprint('hello')\n```\n</instructions>\n"
)


@dataclass
class Outcome:
    """What one run of the console script did."""

    returncode: int | None
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool = False


def load_cases() -> list[dict]:
    """Every case in cases.yaml."""
    return yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))


def _fmt(value: str, folder: Path) -> str:
    return value.replace("{dir}", str(folder)).replace("{files}", str(FILES))


def _git(folder: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    subprocess.run(
        ["git", "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", *args],
        cwd=folder,
        env=env,
        check=True,
        capture_output=True,
    )


def _big(path: Path, megabytes: float) -> None:
    size = int(megabytes * 1024 * 1024)
    block = (FILLER * (65536 // len(FILLER) + 1)).encode()
    with open(path, "wb") as handle:
        while size > 0:
            handle.write(block[:size])
            size -= len(block)


def _deep(path: Path, levels: int, name: str) -> None:
    # os.makedirs on a 1,000-level path exceeds PATH_MAX; create it one level at a time relative to a dir fd.
    path.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDONLY)
    try:
        for _ in range(levels):
            os.mkdir("d", dir_fd=fd)
            child = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = child
        file_fd = os.open(name, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(file_fd, b"A prompt at the bottom of a deep tree.\n")
        os.close(file_fd)
    finally:
        os.close(fd)


def _device(target: Path, step: dict) -> None:
    """A character device like /dev/full made inside the case folder (cases with it need root): a writer
    that replaced a device must never get near the machine's own /dev."""
    os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, int(step.get("minor", 7))))  # 7 full, 5 zero


def _nested(target: Path, step: dict) -> None:
    depth = int(step["depth"])
    target.write_text(step["open"] * depth + step.get("inner", "") + step["close"] * depth, encoding="utf-8")


def _owned(target: Path, step: dict) -> None:
    """A file of another user (uid/gid, as root) with a given mode."""
    target.write_text(step.get("text", ""), encoding="utf-8")
    os.chown(target, int(step["uid"]), int(step["gid"]))
    target.chmod(int(str(step["mode"]), 8))


TARGET_KINDS = {"device": _device, "nested": _nested, "owned": _owned}
"""Make kinds for the targets of writes (issue 26): devices, deep JSON, other users' files."""


def build(case: dict, folder: Path) -> list:
    """Create the case's inputs under ``folder``; return anything that must stay open (sockets)."""
    keep = []
    for step in case.get("make", []):
        target = folder / _fmt(step.get("path", ""), folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        kind = step["kind"]
        if kind in TARGET_KINDS:
            TARGET_KINDS[kind](target, step)
            continue
        if kind == "text":
            target.write_text(_fmt(step["text"], folder), encoding="utf-8")
        elif kind == "bytes":
            target.write_bytes(bytes.fromhex(step["hex"]))
        elif kind == "copy":
            shutil.copyfile(FILES / step["from"], target)
        elif kind == "repeat":
            target.write_text(step["text"] * int(step["times"]), encoding="utf-8")
        elif kind == "concat":  # pieces each repeated: "x = " + "(" * 150 + "1" + ")" * 150
            target.write_text("".join(p["text"] * int(p.get("times", 1)) for p in step["parts"]), encoding="utf-8")
        elif kind == "numbered":  # one line per number: "{n}" replaced (20,000 f-string fields, ...)
            lines = [step["text"].replace("{n}", str(n)) for n in range(int(step["times"]))]
            target.write_text(step.get("head", "") + step.get("join", "").join(lines) + step.get("tail", ""),
                              encoding="utf-8")  # fmt: skip
        elif kind == "digits":
            target.write_text(step["text"].replace("DIGITS", "9" * int(step["digits"])), encoding="utf-8")
        elif kind == "big":
            _big(target, float(step["megabytes"]))
        elif kind == "many":
            target.mkdir(parents=True, exist_ok=True)
            for number in range(int(step["files"])):
                (target / f"prompt_{number:05d}.txt").write_text(
                    f"Prompt {number}: answer briefly.\n", encoding="utf-8"
                )
        elif kind == "remove":
            target.unlink()
        elif kind == "fifo":
            os.mkfifo(target)
        elif kind == "socket":
            server = socket.socket(socket.AF_UNIX)
            server.bind(str(target))
            keep.append(server)
        elif kind == "symlink":
            os.symlink(_fmt(step["to"], folder), target)
        elif kind == "deep":
            _deep(target, int(step["levels"]), step.get("name", "p.txt"))
        elif kind == "unreadable":
            target.mkdir(parents=True, exist_ok=True)
            (target / "hidden.txt").write_text("A prompt nobody can read.\n", encoding="utf-8")
            target.chmod(0)
        elif kind == "git-init":
            _git(folder, "init", "-q", "-b", "main")
            _git(folder, "add", "-A")
            _git(folder, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "base")
        elif kind == "git-config":
            for key, value in step["values"].items():
                _git(folder, "config", key, _fmt(str(value), folder))
        else:
            raise ValueError(f"unknown make kind {kind!r} in case {case['id']}")
    return keep


PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2


def _without_dac_override() -> None:  # pragma: no cover - runs in the child, before exec
    """Drop root's power to read any file (Linux capabilities), so a mode-000 folder is unreadable."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            os._exit(97)


def _preexec(case: dict):
    """What the child does before exec: drop root's read-anything power, cap the size of files it writes."""
    drop, fsize = needs_dropped_privileges(case), case.get("fsize_limit")
    if not drop and fsize is None:
        return None

    def prepare() -> None:  # pragma: no cover - runs in the child
        if fsize is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_FSIZE, (int(fsize), int(fsize)))
        if drop:
            _without_dac_override()

    return prepare


def needs_root(case: dict) -> bool:
    """Cases about other users' files: only root can make them."""
    return bool(case.get("needs_root")) and os.geteuid() != 0


def needs_dropped_privileges(case: dict) -> bool:
    """Cases about unreadable folders: root reads mode-000 folders unless it drops those capabilities."""
    return any(step["kind"] == "unreadable" for step in case.get("make", [])) and os.geteuid() == 0


def run(case: dict, folder: Path, script: str | Path, env: dict[str, str]) -> Outcome:
    """Build the case in ``folder`` and run the console script on it."""
    keep = build(case, folder)
    args = [str(script), *(_fmt(str(a), folder) for a in case["argv"])]
    stdin = case.get("stdin")
    handle = open(stdin["device"], "rb") if isinstance(stdin, dict) else subprocess.DEVNULL  # noqa: SIM115
    text = stdin.encode() if isinstance(stdin, str) else None
    if text is not None:
        handle = subprocess.PIPE
    extra = {k: _fmt(str(v), folder) for k, v in (case.get("env") or {}).items()}
    start = time.monotonic()
    if case.get("pipe_head"):
        return _run_into_head(case, args, folder, {**env, **extra}, start)
    if case.get("stdout_tty"):
        return _run_on_terminal(case, args, folder, {**env, **extra}, start)
    for _ in range(int(case.get("warm_up", 0))):  # the same command before: caches (and recorded answers) warm
        subprocess.run(args, cwd=folder / case.get("cwd", "."), env={**env, **extra}, capture_output=True,
                       stdin=subprocess.DEVNULL, timeout=float(case.get("timeout", 60)))  # fmt: skip
    out = open(case["stdout_device"], "wb") if case.get("stdout_device") else subprocess.PIPE  # noqa: SIM115
    try:
        done = subprocess.run(
            args,
            cwd=folder / case.get("cwd", "."),
            env={**env, **extra},
            stdin=handle,
            input=text,
            stdout=out,
            stderr=subprocess.PIPE,
            timeout=float(case.get("timeout", 60)),
            preexec_fn=_preexec(case),
        )
        return Outcome(
            done.returncode,
            (done.stdout or b"").decode("utf-8", "replace"),
            done.stderr.decode("utf-8", "replace"),
            time.monotonic() - start,
        )
    except subprocess.TimeoutExpired as exc:
        said = (exc.stderr or b"").decode("utf-8", "replace")  # not `out`: the finally below closes that
        return Outcome(None, "", said, time.monotonic() - start, timed_out=True)
    finally:
        if handle not in (subprocess.DEVNULL, subprocess.PIPE):
            handle.close()
        if out is not subprocess.PIPE:
            out.close()
        for item in keep:
            item.close()


def _run_on_terminal(case: dict, args: list[str], folder: Path, env: dict, start: float) -> Outcome:
    """Run with stdout on a pseudo-terminal (what a user sees), read as it is written."""
    import pty
    import threading

    primary, secondary = pty.openpty()
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(primary, 65536)
            except OSError:  # EIO: the child closed its end
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    process = subprocess.Popen(args, cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=secondary,
                               stderr=subprocess.PIPE)  # fmt: skip
    os.close(secondary)
    try:
        _, err = process.communicate(timeout=float(case.get("timeout", 60)))
    except subprocess.TimeoutExpired:
        process.kill()
        return Outcome(None, "", "", time.monotonic() - start, timed_out=True)
    finally:
        reader.join(timeout=5)
        os.close(primary)
    out = b"".join(chunks).decode("utf-8", "replace")
    return Outcome(process.returncode, out, err.decode("utf-8", "replace"), time.monotonic() - start)


def _run_into_head(case: dict, args: list[str], folder: Path, env: dict, start: float) -> Outcome:
    """Like ``promptaudit ... | head -n N``: read N lines of stdout, then close the pipe."""
    process = subprocess.Popen(
        args, cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    lines = [process.stdout.readline() for _ in range(int(case["pipe_head"]))]
    process.stdout.close()
    try:
        err = process.stderr.read()
        code = process.wait(timeout=float(case.get("timeout", 60)))
    except subprocess.TimeoutExpired:
        process.kill()
        return Outcome(None, "", "", time.monotonic() - start, timed_out=True)
    return Outcome(
        code, b"".join(lines).decode("utf-8", "replace"), err.decode("utf-8", "replace"), time.monotonic() - start
    )


def problems(case: dict, out: Outcome, folder: Path) -> list[str]:
    """Every way ``out`` differs from what the case expects (empty when the run was clean)."""
    import json
    import re

    found = []
    if out.timed_out:
        return [f"no answer within {case.get('timeout', 60)} s"]
    if "Traceback" in out.stderr or "internal error" in out.stderr:
        found.append("traceback or internal error on stderr")
    expected_exits = case["exit"] if isinstance(case["exit"], list) else [case["exit"]]
    if out.returncode not in expected_exits:
        found.append(f"exit {out.returncode}, expected {case['exit']}")
    if case.get("stderr") and not re.search(case["stderr"], out.stderr):
        found.append(f"stderr lacks /{case['stderr']}/")
    if case.get("stdout") and not re.search(case["stdout"], out.stdout):
        found.append(f"stdout lacks /{case['stdout']}/")
    found += [f"stdout holds {c!r}" for c in case.get("stdout_lacks", []) if c in out.stdout]
    found += [f"stderr holds {c!r}" for c in case.get("stderr_lacks", []) if c in out.stderr]
    most = case.get("stderr_max_lines")
    if most is not None and len(out.stderr.splitlines()) > int(most):
        found.append(f"{len(out.stderr.splitlines())} stderr lines, at most {most} expected")
    found += [f"{name} was created" for name in case.get("absent", []) if (folder / name).exists()]
    expected = case.get("file_json")
    if expected:
        try:
            data = json.loads((folder / expected["path"]).read_text(encoding="utf-8"))
            if len(data[expected["has"]]) != expected["count"]:
                found.append(f"{expected['path']} holds {len(data[expected['has']])} {expected['has']}")
        except (OSError, ValueError, KeyError) as exc:
            found.append(f"{expected['path']}: {exc}")
    return found + target_problems(case, folder)


KINDS = {"device": stat.S_ISCHR, "fifo": stat.S_ISFIFO, "socket": stat.S_ISSOCK, "symlink": stat.S_ISLNK,
         "file": stat.S_ISREG}  # fmt: skip


def target_problems(case: dict, folder: Path) -> list[str]:
    """What happened to the files a write must not touch (kind, text, owner, mode), and temporary files left."""
    found = [f"{p.name} left behind" for p in folder.glob(".tmp-promptaudit-*")]
    for name, kind in (case.get("file_kinds") or {}).items():
        if not KINDS[kind](os.lstat(folder / name).st_mode):
            found.append(f"{name} is no longer a {kind}")
    for name, text in (case.get("file_text") or {}).items():
        if (folder / name).read_text(encoding="utf-8") != text:
            found.append(f"{name} changed")
    expected = case.get("file_stat")
    if expected:
        status = os.lstat(folder / expected["path"])
        wanted = (int(expected["uid"]), int(expected["gid"]), int(str(expected["mode"]), 8))
        if (status.st_uid, status.st_gid, stat.S_IMODE(status.st_mode)) != wanted:
            found.append(f"{expected['path']}: uid/gid/mode {status.st_uid}/{status.st_gid}/{status.st_mode:o}")
    return found


def remove(folder: Path) -> None:
    """Delete a case folder (``rm -rf``: shutil.rmtree recurses once per level and fails on deep trees)."""
    subprocess.run(["chmod", "-R", "u+rwx", str(folder)], check=False, capture_output=True)
    subprocess.run(["rm", "-rf", str(folder)], check=False, capture_output=True)


def main(argv: list[str]) -> int:
    """``python hostile_cases.py SCRIPT [ID...]``: print a Markdown table of what each case does now."""
    import tempfile

    script, wanted = argv[0], set(argv[1:])
    env = dict(os.environ)
    print(
        "| id | class | command | exit | seconds | stderr (last line) | against the target |\n|---|---|---|---|---|---|---|"
    )
    for case in load_cases():
        if wanted and case["id"] not in wanted:
            continue
        top = Path(tempfile.mkdtemp(prefix="hostile-"))
        folder, home = top / "case", top / "home"
        folder.mkdir()
        home.mkdir()
        case_env = {**env, "HOME": str(home), "PROMPTAUDIT_CACHE_DIR": str(home / "cache")}
        out = run(case, folder, script, case_env)
        lines = [line for line in out.stderr.splitlines() if line.strip()]
        last = (lines[-1] if lines else "").replace("|", "\\|")[:150]
        tb = " TRACEBACK" if "Traceback" in out.stderr else ""
        code = "TIMEOUT" if out.timed_out else out.returncode
        command = " ".join(str(a) for a in case["argv"]).replace("|", "\\|")
        wrong = "; ".join(problems(case, out, folder)).replace("|", "\\|") or "ok"
        print(
            f"| {case['id']} | {case['class']} | `{command}` | {code}{tb} | {out.seconds:.1f} | {last} | {wrong} |",
            flush=True,
        )
        remove(top)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
