"""Score the Python scanner against the labelled corpus (tests/data/python_corpus/{dev,heldout}).

Extraction: a labelled prompt is found when a scanned prompt text starts at the same file, line and column;
exact text compares the text with each variable shown as ``{expression}`` (and the variables in order);
exact count compares the tokens promptaudit counts for the static text with tiktoken's count of the
labelled static text. Calls: api, model, output cap and message order. Rules: findings matched by file,
rule and line; PA201 and PA301 (budget 200 tokens) are scored against the same rules run on prompts built
from the LABELLED texts (oracle extraction). Run: ``python tests/reading/code/scoring.py dev|heldout``.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections import Counter
from pathlib import Path

import yaml

from promptaudit.lint.linter import LintSettings, lint
from promptaudit.reading.code.decoding import decode_source
from promptaudit.reading.code.module import parse
from promptaudit.reading.code.scan import scan
from promptaudit.reading.loading import gather_prompts
from promptaudit.reading.prompts import Part, Prompt
from promptaudit.reading.templates import NONE
from promptaudit.tokens.tokenizers import count_texts

CORPUS = Path(__file__).resolve().parents[2] / "data" / "python_corpus"
HAND_RULES = ("PA101", "PA102", "PA103", "PA202", "PA401", "PA501", "PA601")
ORACLE_RULES = ("PA201", "PA301")
BUDGET = 200
MODEL = "gpt-4o"


@contextlib.contextmanager
def inside(path: Path):
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def load(split: str) -> dict:
    return yaml.safe_load((CORPUS / split / "labels.yaml").read_text(encoding="utf-8"))["modules"]


def scans(labels: dict) -> dict:
    found = {}
    for name in labels:
        data = Path(name).read_bytes()
        found[name] = scan(parse(name, decode_source(name, data)))
    return found


def _norm(path: str) -> str:
    return os.path.relpath(path)


def ratio(hits: int, total: int) -> float | None:
    return hits / total if total else None


def extraction(labels: dict, found: dict) -> dict:
    """Precision/recall of prompt units, and exactness of text and count among the found ones."""
    truth = {(name, p["line"], p["col"]): p for name, m in labels.items() for p in m.get("prompts") or []}
    predicted = {(_norm(t.path), t.line, t.column): t for s in found.values() for t in s.units()}
    matched = sorted(set(truth) & set(predicted))
    exact_text = [k for k in matched if _same_text(truth[k], predicted[k])]
    counts = _counts([_static(truth[k]) for k in matched] + [predicted[k].static_text for k in matched])
    half = len(matched)
    exact_count = [k for i, k in enumerate(matched) if counts[i] == counts[half + i]]
    return {
        "labelled": len(truth), "predicted": len(predicted), "found": len(matched),
        "precision": ratio(len(matched), len(predicted)), "recall": ratio(len(matched), len(truth)),
        "exact_text": ratio(len(exact_text), len(truth)), "exact_count": ratio(len(exact_count), len(truth)),
        "missed": sorted(set(truth) - set(predicted)), "extra": sorted(set(predicted) - set(truth)),
        "wrong_text": [(k, truth[k]["text"], predicted[k].text) for k in matched if k not in exact_text],
    }  # fmt: skip


def _same_text(label: dict, text) -> bool:
    return label["text"] == text.text and list(label.get("variables") or []) == text.variables


def _static(label: dict) -> str:
    text = label["text"]
    for name in label.get("variables") or []:
        text = text.replace("{" + name + "}", "", 1)
    return text


def _counts(texts: list[str]) -> list[int]:
    return [c.tokens for c in count_texts(texts, MODEL)] if texts else []


def calls(labels: dict, found: dict) -> dict:
    """Call facts: found by position, then api, model, cap and message order compared."""
    truth = {(name, c["line"], c["col"]): (name, c) for name, m in labels.items() for c in m.get("calls") or []}
    predicted = {(_norm(c.path), c.line, c.column): c for s in found.values() for c in s.calls}
    matched = sorted(set(truth) & set(predicted))
    checks = Counter()
    wrong = []
    for k in matched:
        name, label = truth[k]
        site = predicted[k]
        facts = {
            "api": site.api == label["api"],
            "model": site.model == label["model"],
            "max_tokens": site.cap == label["max_tokens"],
            "messages": _order(site, name, labels) == _label_order(label, name, labels),
        }
        checks.update(f for f, ok in facts.items() if ok)
        wrong += [(k, f) for f, ok in facts.items() if not ok]
    total = len(truth)
    summary = {f: ratio(checks[f], total) for f in ("api", "model", "max_tokens", "messages")}
    return {"labelled": total, "predicted": len(predicted), "found": len(matched),
            "precision": ratio(len(matched), len(predicted)), "recall": ratio(len(matched), total),
            **summary, "missed": sorted(set(truth) - set(predicted)), "extra": sorted(set(predicted) - set(truth)),
            "wrong": wrong}  # fmt: skip


def _position(labels: dict, name: str, ref: str) -> tuple:
    module, _, ident = ref.rpartition("#") if "#" in ref else (name, "", ref)
    prompt = next(p for p in labels[module]["prompts"] if p["id"] == ident)
    return module, prompt["line"], prompt["col"]


def _label_order(label: dict, name: str, labels: dict) -> list:
    order = []
    for m in label.get("messages") or []:
        what = _position(labels, name, m["prompt"]) if "prompt" in m else ("var", m["variable"])
        order.append((m["role"], what))
    return order


def _order(site, name: str, labels: dict) -> list:
    order = []
    for message in site.messages:
        if message.kind == "tool":
            continue
        text = message.text
        what = (_norm(text.path), text.line, text.column) if text.has_static else ("var", "".join(text.variables))
        order.append((message.role, what))
    return order


def rules(labels: dict, split_dir: Path) -> dict:
    """Rule precision/recall: hand labels for HAND_RULES, oracle extraction for ORACLE_RULES."""
    prompts, _ = gather_prompts(sorted(labels), (".py",))
    settings = LintSettings(model=MODEL, max_tokens=BUDGET)
    predicted = {(_norm(f.path.split("#")[0]), f.rule, f.line) for f in lint(prompts, settings)}
    truth = {(name, f["rule"], f["line"]) for name, m in labels.items() for f in m.get("findings") or []}
    truth |= oracle(labels, settings)
    out = {}
    for rule in (*HAND_RULES, *ORACLE_RULES):
        t = {k for k in truth if k[1] == rule}
        p = {k for k in predicted if k[1] == rule}
        out[rule] = {"expected": len(t), "predicted": len(p), "tp": len(t & p),
                     "missed": sorted(t - p), "extra": sorted(p - t)}  # fmt: skip
    every_t = {k for k in truth}
    every_p = {k for k in predicted if k[1] in (*HAND_RULES, *ORACLE_RULES)}
    out["all"] = {"expected": len(every_t), "predicted": len(every_p), "tp": len(every_t & every_p),
                  "precision": ratio(len(every_t & every_p), len(every_p)),
                  "recall": ratio(len(every_t & every_p), len(every_t))}  # fmt: skip
    return out


def oracle(labels: dict, settings: LintSettings) -> set:
    """PA201/PA301 findings on prompts built from the labelled texts, anchored where the scanner anchors."""
    built = _label_prompts(labels)
    select = LintSettings(model=settings.model, max_tokens=settings.max_tokens, select=ORACLE_RULES)
    return {(_norm(f.path.split("#")[0]), f.rule, f.line) for f in lint(built, select)}


class _Anchor:
    def __init__(self, line: int, column: int):
        self.line, self.column = line, column


def _label_prompts(labels: dict) -> list[Prompt]:
    referenced, built = set(), []
    for name, module in labels.items():
        for site in [*(module.get("calls") or []), *(module.get("templates") or [])]:
            parts = []
            for m in site.get("messages") or []:
                if "prompt" in m:
                    where = _position(labels, name, m["prompt"])
                    referenced.add(where)
                    prompt = next(p for p in labels[where[0]]["prompts"] if (where[0], p["line"], p["col"]) == where)
                    parts.append(_label_part(prompt["text"], prompt.get("variables"), m["role"]))
                else:
                    parts.append(_label_part("{" + m["variable"] + "}", [m["variable"]], m["role"]))
            if parts and not str(site.get("api", "")).endswith(("count_tokens", "batches.create")):
                fmt = "anthropic" if "anthropic" in site.get("api", "") else "openai"
                built.append(Prompt(name, parts, kind="chat" if "calls" in module else "template",
                                    provider_format=fmt, origin=_Anchor(site["line"], site["col"])))  # fmt: skip
    for name, module in labels.items():
        for p in module.get("prompts") or []:
            if (name, p["line"], p["col"]) not in referenced and p["id"].upper() == p["id"]:
                built.append(Prompt(name, [_label_part(p["text"], p.get("variables"), "user")],
                                    origin=_Anchor(p["line"], p["col"])))  # fmt: skip
    return built


def _label_part(text: str, variables, role: str) -> Part:
    spans, start = [], 0
    for name in variables or []:
        start = text.index("{" + name + "}", start)
        spans.append((start, start + len(name) + 2, name))
        start += len(name) + 2
    return Part("", text, role=role, placeholders=NONE, variable_spans=tuple(spans))


def score(split: str) -> dict:
    labels = load(split)
    with inside(CORPUS / split / "src"):
        found = scans(labels)
        return {"extraction": extraction(labels, found), "calls": calls(labels, found),
                "rules": rules(labels, CORPUS / split)}  # fmt: skip


def main(argv: list[str]) -> int:
    result = score(argv[0] if argv else "dev")
    print(json.dumps(result, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
