"""A realistic usage log for the report's tests: ten days of OpenAI chat completions, caching from day six."""

from __future__ import annotations

import json
import random
from pathlib import Path

START = 1_795_392_000  # 2026-11-23T00:00:00Z
SPLIT = "2026-11-28"  # the prompt was reordered: its static prefix caches from here on
DAYS, PER_DAY = 10, 36


def _record(rng: random.Random, day: int, index: int) -> dict:
    created = START + day * 86_400 + index * 2_400 + rng.randrange(600)
    output = min(int(rng.lognormvariate(5.3, 0.5)), 1024)
    cached = 1_152 if day >= 5 and rng.random() < 0.85 else 0
    return {
        "id": f"chatcmpl-{day}-{index}",
        "object": "chat.completion",
        "created": created,
        "model": "gpt-4o-2024-08-06",
        "choices": [{"index": 0, "finish_reason": "length" if output == 1024 else "stop"}],
        "usage": {
            "prompt_tokens": 1_800 + rng.randrange(400),
            "completion_tokens": output,
            "total_tokens": 0,
            "prompt_tokens_details": {"cached_tokens": cached},
        },
    }


def write(path: Path) -> Path:
    """Write the log (JSON Lines) to ``path``; the same bytes every time."""
    rng = random.Random(17)
    lines = [json.dumps(_record(rng, day, i)) for day in range(DAYS) for i in range(PER_DAY)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
