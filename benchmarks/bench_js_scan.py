"""Scan speed on TypeScript code: a 500-file tree with 25 LLM calls (prints figures; not a test).

Usage: python benchmarks/bench_js_scan.py [--runs 10] [--files 500] [--calls 25]   (needs the [js] extra)

Issue 23 asks that scanning a 500-file TS tree end to end take at most twice the time tree-sitter alone takes
to parse the same files. Measured in the same run, interleaved, each a fresh subprocess (interpreter start-up
in every figure), median of ``--runs`` with min and max:

- ``parse``: the baseline, a minimal script that walks the tree, reads every ``.ts``/``.tsx`` file and parses
  it with tree-sitter (the TypeScript or TSX grammar), nothing else;
- ``scan``: promptaudit's reading layer (``gather_prompts``: discover, pre-filter, parse and scan the files
  that may hold prompts, follow imports, build the prompts), no token counting;
- ``count``: the installed CLI end to end, ``promptaudit count TREE --ext .ts --ext .tsx -f json``.

The tree: 475 ordinary modules (React components and utilities, ~130 lines each; 5% mention "prompt" in UI
text, so the pre-filter lets them through to the parser) and 25 modules with an SDK call each, in the styles
of the labelled corpus (openai, @anthropic-ai/sdk, Vercel AI SDK, @google/genai, LangChain.js), importing
their prompts from a shared ``prompts.ts``. The machine is shared: compare the ratios, not absolute times.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PARSE = """
import os, sys
import tree_sitter, tree_sitter_typescript as ts
parsers = {".ts": tree_sitter.Parser(tree_sitter.Language(ts.language_typescript())),
           ".tsx": tree_sitter.Parser(tree_sitter.Language(ts.language_tsx()))}
for root, dirs, files in os.walk(sys.argv[1]):
    for name in files:
        ext = os.path.splitext(name)[1]
        if ext in parsers:
            with open(os.path.join(root, name), "rb") as handle:
                parsers[ext].parse(handle.read())
"""
SCAN = """
import sys
from promptaudit.reading.loading import gather_prompts
prompts, errors = gather_prompts([sys.argv[1]], (".ts", ".tsx"))
assert len(prompts) >= int(sys.argv[2]) and not errors, (len(prompts), errors)
"""
COMPONENT = """import {{ useState, useEffect }} from "react";
import {{ formatDate, clamp }} from "../utils/format";

export type Item{i} = {{ id: string; title: string; createdAt: Date; score: number }};

export function List{i}({{ items, onSelect }}: {{ items: Item{i}[]; onSelect: (id: string) => void }}) {{
  const [query, setQuery] = useState("");
  const [page, setPage] = useState(0);
  useEffect(() => {{ setPage(0); }}, [query]);
  const shown = items.filter((item) => item.title.toLowerCase().includes(query.toLowerCase()));
  return (
    <section className="list-{i}">
      <input value={{query}} onChange={{(e) => setQuery(e.target.value)}} placeholder="{placeholder}" />
      <ul>
        {{shown.slice(page * 20, page * 20 + 20).map((item) => (
          <li key={{item.id}} onClick={{() => onSelect(item.id)}}>
            <span>{{item.title}}</span> <time>{{formatDate(item.createdAt)}}</time> <b>{{clamp(item.score, 0, 100)}}</b>
          </li>
        ))}}
      </ul>
      <button onClick={{() => setPage(page + 1)}}>Next</button>
    </section>
  );
}}
"""
HELPER = """
export function step{i}_{n}(values: number[], limit = {n}): number[] {{
  const kept = values.filter((v) => v < limit);
  if (kept.length === 0) {{
    console.debug(`nothing under ${{limit}} in step {n}`);
    return [];
  }}
  return kept.sort((a, b) => a - b).map((v) => Math.round(v * 100) / 100);
}}
"""
PROMPTS = """export const SUMMARY_PROMPT = `You summarise support tickets for the team.
Write two sentences: what the customer wants, and what has been tried already.
Do not include names, e-mail addresses or order numbers.`;

export const TRIAGE_SYSTEM = "Classify the ticket as billing, bug or other. Reply with one word.";
"""
CALLS = [
    """import OpenAI from "openai";
import {{ SUMMARY_PROMPT }} from "../prompts";
const client = new OpenAI();
export async function summarise{i}(ticket: string) {{
  return client.chat.completions.create({{ model: "gpt-4o-mini", max_tokens: 120,
    messages: [{{ role: "system", content: SUMMARY_PROMPT }}, {{ role: "user", content: `Ticket: ${{ticket}}` }}] }});
}}
""",
    """import Anthropic from "@anthropic-ai/sdk";
import {{ TRIAGE_SYSTEM }} from "../prompts";
const anthropic = new Anthropic();
export async function triage{i}(ticket: string) {{
  return anthropic.messages.create({{ model: "claude-haiku-4-5", max_tokens: 5, system: TRIAGE_SYSTEM,
    messages: [{{ role: "user", content: ticket }}] }});
}}
""",
    """import {{ generateText }} from "ai";
import {{ openai }} from "@ai-sdk/openai";
import {{ SUMMARY_PROMPT }} from "../prompts";
export async function title{i}(text: string) {{
  const {{ text: out }} = await generateText({{ model: openai("gpt-4.1-mini"), system: SUMMARY_PROMPT, prompt: text }});
  return out;
}}
""",
    """import {{ GoogleGenAI }} from "@google/genai";
const ai = new GoogleGenAI({{}});
export async function poem{i}(topic: string) {{
  return ai.models.generateContent({{ model: "gemini-2.5-flash", contents: `Write a haiku about ${{topic}}.`,
    config: {{ systemInstruction: "You are a poet.", maxOutputTokens: 60 }} }});
}}
""",
    """import {{ ChatPromptTemplate }} from "@langchain/core/prompts";
import {{ ChatOpenAI }} from "@langchain/openai";
export const prompt{i} = ChatPromptTemplate.fromMessages([["system", "Answer from the context: {{context}}"], ["human", "{{q}}"]]);
export const llm{i} = new ChatOpenAI({{ model: "gpt-4o-mini", maxTokens: 300 }});
""",
]


def build_tree(root: Path, files: int, calls: int, seed: int = 23) -> None:
    """Write ``files`` modules under ``root``, ``calls`` of them with an SDK call, plus a shared prompts.ts."""
    rng = random.Random(seed)
    with_calls = set(rng.sample(range(files - 1), calls))
    (root / "src").mkdir(parents=True)
    (root / "src" / "prompts.ts").write_text(PROMPTS, encoding="utf-8")
    for index in range(files - 1):
        folder = root / "src" / f"feature{index % 12}"
        folder.mkdir(exist_ok=True)
        if index in with_calls:
            (folder / f"llm_{index}.ts").write_text(CALLS[index % len(CALLS)].format(i=index), encoding="utf-8")
            continue
        placeholder = "Enter a prompt" if rng.random() < 0.05 else "Search"
        text = COMPONENT.format(i=index, placeholder=placeholder) + "".join(
            HELPER.format(i=index, n=n) for n in range(6)
        )
        (folder / f"view_{index}.tsx").write_text(text, encoding="utf-8")


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--calls", type=int, default=25)
    args = parser.parse_args()
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # users' installs are byte-compiled
    script = Path(sys.executable).with_name("promptaudit")
    with tempfile.TemporaryDirectory(prefix="promptaudit-jsbench-") as folder:
        tree = Path(folder) / "app"
        build_tree(tree, args.files, args.calls)
        commands = {
            "parse": [sys.executable, "-c", PARSE, str(tree)],
            "scan": [sys.executable, "-c", SCAN, str(tree), str(args.calls)],
            "count": [str(script), "count", str(tree), "--ext", ".ts", "--ext", ".tsx", "-f", "json"],
        }
        for command in commands.values():
            timed(command)  # warm the file cache and byte-compile once
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(timed(command))
    base = statistics.median(times["parse"])
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {args.files} files, {args.calls} calls")
    print(f"{'':<8} {'median':>8} {'min':>7} {'max':>7}  vs. tree-sitter parse alone")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<8} {median:7.2f}s {min(values):6.2f}s {max(values):6.2f}s  {median / base:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
