"""Turn label anchors into line/col by plain text search (no parsing), and check literal constants.

usage: fill_positions.py CORPUS_DIR   (reads labels.src.yaml and src/, writes labels.yaml)
"""
import ast
import sys
import textwrap
from pathlib import Path

import yaml


def locate(text: str, anchor: str, nth: int = 1) -> tuple[int, int]:
    start = -1
    for _ in range(nth):
        start = text.find(anchor, start + 1)
        if start < 0:
            raise SystemExit(f"anchor not found ({nth}): {anchor!r}")
    line = text.count("\n", 0, start) + 1
    col = start - (text.rfind("\n", 0, start) + 1) + 1
    return line, col


def place(entry: dict, source: str) -> None:
    if "at" in entry:
        entry["line"], entry["col"] = locate(source, entry.pop("at"), entry.pop("nth", 1))


def check_constants(path: Path, prompts: list[dict]) -> None:
    """Independent check of literal-only constants: evaluate the assignment alone (stdlib names only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)):
            continue
        names = {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)}
        if names - {"textwrap"} or any(isinstance(n, ast.JoinedStr) for n in ast.walk(node.value)):
            continue
        value = eval(compile(ast.Expression(node.value), str(path), "eval"), {"textwrap": textwrap})
        if not isinstance(value, str):
            continue
        label = next((p for p in prompts if p["id"] == node.targets[0].id), None)
        if label is None:
            continue
        ok = label["text"] == value or label.get("variables") and label["text"] == value.replace("{{", "{").replace("}}", "}")
        print(("OK  " if ok else "BAD ") + f"{path.name}:{label['id']}")
        if not ok:
            print("  label:", repr(label["text"]))
            print("  value:", repr(value))


def main(root: Path) -> None:
    data = yaml.safe_load((root / "labels.src.yaml").read_text(encoding="utf-8"))
    for name, module in data["modules"].items():
        path = root / "src" / name
        source = path.read_text(encoding="utf-8")
        for key in ("prompts", "calls", "templates", "findings"):
            for entry in module.get(key) or []:
                place(entry, source)
        check_constants(path, module.get("prompts") or [])
    header = (root / "labels.src.yaml").read_text(encoding="utf-8").split("modules:")[0]
    out = header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)
    (root / "labels.yaml").write_text(out, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
