"""The real-prompt corpus: system prompts and templates from published agent frameworks, read at test time.

What is committed (all under ``tests/data/real_prompts/``):

``manifest.yaml``
    The published artifacts (PyPI sdists) with their sha256, upstream repository, tag and licence;
    :mod:`realdata` downloads and verifies them. Nothing written by their authors is committed.
``sources.yaml``
    Which files of each artifact are prompts. ``files`` are read as promptaudit reads a file named on its
    command line. ``python`` modules are not given to promptaudit's own Python scanner (this corpus must not
    depend on what it measures): every module- or class-level assignment to one name whose value is a string
    literal, or a call whose receiver or first argument is one (``PromptTemplate("...")``,
    ``dedent('''...''')``, ``'''...'''.strip()``), of at least :data:`MIN_CONSTANT_CHARS` characters, is one
    prompt, read as plain text with the file's declared placeholder syntax. ``toml`` files: every string
    value of at least that length is one prompt (``path::table.key``).
``split.yaml``
    Each unit's split, ``dev`` or ``heldout``: a third of the *files* are held out, chosen by the sha256 of
    ``artifact/path`` (:func:`split_of`), so all constants of one module share a split. A test checks the
    committed split against the rule, so a new unit is added knowingly.
``labels.yaml``
    Our judgement of each finding, made by reading: ``unit``, ``rule``, ``line``, ``hash`` (of the flagged
    text, :func:`excerpt_hash`), ``ok`` (TRUE: removing or merging it loses nothing the model needs) and
    ``why``.
``pairs.yaml``
    Restatements a careful reader would merge: ``unit``, the earlier and the later sentence's ``line`` and
    ``hash``. Recall is the share whose later sentence a PA101/PA102 finding covers.

A unit's id is ``artifact/path`` (``::Name`` for a constant); its lines are the file's (a constant's are
counted from its own first character).
"""

from __future__ import annotations

import ast
import functools
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import realdata
import yaml

HERE = Path(__file__).parent / "data" / "real_prompts"
MIN_CONSTANT_CHARS = 200
SPLITS = ("dev", "heldout")


@dataclass(frozen=True)
class Unit:
    """One prompt of the corpus: where it comes from and its text."""

    id: str
    file: Path
    text: str
    constant: str | None = None
    syntax: str | None = None
    split_group: str | None = None

    @property
    def group(self) -> str:
        """What the split is decided by: ``artifact/path`` (a collection's product, see real_prompt_mirrors)."""
        return self.split_group or self.id.split("::", 1)[0]


def split_of(group: str) -> str:
    """``heldout`` for a third of the files, by the first byte of the sha256 of ``artifact/path``."""
    return "heldout" if hashlib.sha256(group.encode()).digest()[0] % 3 == 0 else "dev"


def excerpt_hash(text: str) -> str:
    """A short, stable key for a piece of flagged text: case, punctuation and spacing folded."""
    folded = " ".join(re.sub(r"[^\w\s]+", " ", text.lower()).split())
    return hashlib.sha256(folded.encode()).hexdigest()[:10]


def _load(name: str, folder: Path = HERE):
    return yaml.safe_load((folder / name).read_text(encoding="utf-8"))


@functools.cache
def artifacts() -> dict[str, realdata.Artifact]:
    """Manifest entries by artifact name."""
    return {a.name: a for a in realdata.load_manifest(HERE / "manifest.yaml")}


def _expand(root: Path, patterns: list[str]) -> list[Path]:
    found = []
    for pattern in patterns:
        matches = sorted(p for p in root.glob(pattern) if p.is_file() and p.read_bytes().strip())
        found += [p for p in matches if p not in found]
    return found


def _literal(node: ast.AST) -> str | None:
    """The string a value is built from: a literal, or a call on or with one (recursively)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute) and (inner := _literal(node.func.value)) is not None:
            return inner
        if node.args:
            return _literal(node.args[0])
    return None


def constants(source: str) -> list[tuple[str, str]]:
    """``(name, text)`` of every long string assigned at module or class level (see the module docstring)."""
    found: list[tuple[str, str]] = []

    def scan(body: list, prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef):
                scan(node.body, f"{prefix}{node.name}.")
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                text = _literal(node.value)
                if len(targets) == 1 and isinstance(targets[0], ast.Name) and text and len(text) >= MIN_CONSTANT_CHARS:
                    found.append((f"{prefix}{targets[0].id}", text))

    scan(ast.parse(source).body, "")
    return found


def toml_strings(data: dict, prefix: str = "") -> list[tuple[str, str]]:
    """``(dotted key, text)`` of every long string in a parsed TOML document."""
    found = []
    for key, value in data.items():
        if isinstance(value, dict):
            found += toml_strings(value, f"{prefix}{key}.")
        elif isinstance(value, str) and len(value) >= MIN_CONSTANT_CHARS:
            found.append((f"{prefix}{key}", value))
    return found


def _units_of(name: str, spec: dict, folder: Path) -> list[Unit]:
    (root,) = [p for p in folder.iterdir() if p.is_dir()]
    units = []
    for path in _expand(root, spec.get("files", [])):
        rel = path.relative_to(root).as_posix()
        units.append(Unit(f"{name}/{rel}", path, path.read_text(encoding="utf-8")))
    for path in _expand(root, spec.get("python", [])):
        rel = path.relative_to(root).as_posix()
        for constant, text in constants(path.read_text(encoding="utf-8")):
            units.append(Unit(f"{name}/{rel}::{constant}", path, text, constant, spec.get("syntax", "python-format")))
    for path in _expand(root, spec.get("toml", [])):
        import tomllib

        rel = path.relative_to(root).as_posix()
        for key, text in toml_strings(tomllib.loads(path.read_text(encoding="utf-8"))):
            units.append(Unit(f"{name}/{rel}::{key}", path, text, key, spec.get("syntax", "python-format")))
    return units


def units(fetch=realdata.require) -> list[Unit]:
    """Every unit of the corpus, artifacts brought by ``fetch`` (skip or fail when unavailable)."""
    found = []
    for name, spec in _load("sources.yaml").items():
        found += _units_of(name, spec, fetch(artifacts()[name]))
    return found


def committed_split(folder: Path = HERE) -> dict[str, str]:
    """The committed unit -> split mapping (of the corpus in ``folder``)."""
    return {unit: split for split in SPLITS for unit in _load("split.yaml", folder)[split] or []}


def labels(folder: Path = HERE) -> list[dict]:
    return _load("labels.yaml", folder) or []


def pairs(folder: Path = HERE) -> list[dict]:
    return _load("pairs.yaml", folder) or []


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


# --- scoring -----------------------------------------------------------------------------------------------

REDUNDANCY = ("PA101", "PA102")


@dataclass(frozen=True)
class Flagged:
    """One finding on a unit, with the text its span covers and that text's :func:`excerpt_hash`."""

    unit: str
    rule: str
    line: int
    end_line: int
    excerpt: str
    hash: str
    severity: str
    tokens_saved: int
    message: str


def prompts_of(unit: Unit) -> list:
    """The unit read as promptaudit reads it, named by the unit's id."""
    from promptaudit.reading import templates
    from promptaudit.reading.loading import load_prompts
    from promptaudit.reading.prompts import parse_text
    from promptaudit.reading.sources import Source

    if unit.constant is not None:
        return parse_text(unit.id, unit.text, templates.declared([unit.syntax]))
    prompts = load_prompts(Source(str(unit.file)))
    for prompt in prompts:
        prompt.path = unit.id
    return prompts


def _offset(text: str, line: int, column: int) -> int:
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    return starts[min(line, len(starts)) - 1] + column - 1


def flagged(unit: Unit, rules: tuple[str, ...], model: str = "gpt-4o") -> list[Flagged]:
    """Every finding of ``rules`` on ``unit`` with the text it points at."""
    from promptaudit.lint.linter import LintSettings, lint

    return [flag(unit, finding) for finding in lint(prompts_of(unit), LintSettings(model=model, select=rules))]


def flag(unit: Unit, finding) -> Flagged:
    """A finding on ``unit`` with the text its span covers (what labels are matched by)."""
    start = _offset(unit.text, finding.line, finding.column)
    end_line = finding.end_line or finding.line
    end = _offset(unit.text, end_line, finding.end_column) if finding.end_column else unit.text.find("\n", start)
    excerpt = unit.text[start : end if end > start else start + 200]
    return Flagged(
        unit.id,
        finding.rule,
        finding.line,
        end_line,
        excerpt,
        excerpt_hash(excerpt),
        finding.severity,
        finding.tokens_saved,
        finding.message,
    )


def label_key(item) -> tuple:
    """What a label and a finding are matched by: unit, rule, line and excerpt hash."""
    get = item.get if isinstance(item, dict) else lambda k: getattr(item, k)
    return get("unit"), get("rule"), get("line"), get("hash")


def precision(found: list[Flagged], judged: list[dict], rules: tuple[str, ...]) -> dict:
    """TRUE, FALSE and unlabelled findings of ``rules`` (together) at warning or above, and precision over the
    labelled ones. Info findings (a recap, a prompt too short to cache) add no savings and are counted apart."""
    verdict = {label_key(j): j["ok"] for j in judged}
    info = [f for f in found if f.rule in rules and f.severity == "info"]
    mine = [f for f in found if f.rule in rules and f.severity != "info"]
    true = sum(verdict.get(label_key(f)) is True for f in mine)
    false = sum(verdict.get(label_key(f)) is False for f in mine)
    unlabelled = [f for f in mine if label_key(f) not in verdict]
    return {
        "findings": len(mine),
        "true": true,
        "false": false,
        "unlabelled": len(unlabelled),
        "info": len(info),
        "precision": round(true / (true + false), 3) if true + false else None,
    }


def covers(found: list[Flagged], unit: str, line: int) -> bool:
    """Whether a PA101/PA102 finding on ``unit`` spans ``line``."""
    return any(f.unit == unit and f.rule in REDUNDANCY and f.line <= line <= f.end_line for f in found)


def recall(found: list[Flagged], wanted: list[dict]) -> dict:
    """Share of the paraphrase pairs whose later sentence a PA101/PA102 finding covers."""
    hit = [p for p in wanted if covers(found, p["unit"], p["later"]["line"])]
    return {"pairs": len(wanted), "found": len(hit), "recall": round(len(hit) / len(wanted), 3) if wanted else None}


def kept(found: list[Flagged], judged: list[dict], mark: str = "before") -> dict:
    """Share of the TRUE PA101/PA102 findings of an earlier code still reported: ``before: true`` marks the code
    before issue 21's tuning, ``main: true`` the code of main when its second round began."""
    baseline = [j for j in judged if j.get(mark) and j["ok"] and j["rule"] in REDUNDANCY]
    still = [j for j in baseline if covers(found, j["unit"], j["line"])]
    return {
        "before_true": len(baseline),
        "kept": len(still),
        "share": round(len(still) / len(baseline), 3) if baseline else None,
    }
