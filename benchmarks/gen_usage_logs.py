"""Write realistic synthetic usage logs: a mix of OpenAI Chat, OpenAI Responses, Anthropic and Gemini records.

Each line is a full provider response (choices/content trimmed to a short reply) wrapped with an app's
timestamp and metadata (prompt and route tags), about 600 bytes a line, like a real application log.

    python benchmarks/gen_usage_logs.py OUT.jsonl[.gz] --lines 1000000 [--seed 7]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import time

START = 1_793_491_200  # 2026-11-01T00:00:00Z
PROMPTS = ("support-triage", "summarise-ticket", "draft-reply", "classify-intent")


def chat(rng: random.Random, stamp: int) -> dict:
    prompt, output = rng.randint(800, 6000), min(int(rng.lognormvariate(5.3, 0.7)), 4096)
    cached = (prompt - 1024) // 128 * 128 + 1024 if prompt >= 1024 and rng.random() < 0.6 else 0
    return {
        "id": f"chatcmpl-{rng.getrandbits(64):x}",
        "object": "chat.completion",
        "created": stamp,
        "model": rng.choice(("gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18")),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "Sure, here is the summary."},
                "finish_reason": "length" if output == 4096 else "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": output,
            "total_tokens": prompt + output,
            "prompt_tokens_details": {"cached_tokens": cached, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
        },
    }


def responses(rng: random.Random, stamp: int) -> dict:
    prompt, output = rng.randint(500, 4000), int(rng.lognormvariate(5.0, 0.6))
    return {
        "id": f"resp_{rng.getrandbits(64):x}",
        "object": "response",
        "created_at": stamp,
        "status": "completed",
        "model": "gpt-4.1-mini-2025-04-14",
        "output": [{"type": "message", "content": [{"type": "output_text"}]}],
        "usage": {
            "input_tokens": prompt,
            "input_tokens_details": {"cached_tokens": rng.choice((0, prompt // 2))},
            "output_tokens": output,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": prompt + output,
        },
    }


def anthropic(rng: random.Random, stamp: int) -> dict:
    hit = rng.random() < 0.8
    output = min(int(rng.lognormvariate(5.5, 0.6)), 2048)
    return {
        "id": f"msg_{rng.getrandbits(64):x}",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5-20250929",
        "content": [{"type": "text", "text": "Here you go."}],
        "stop_reason": "max_tokens" if output == 2048 else "end_turn",
        "stop_sequence": None,
        "usage": {
            "input_tokens": rng.randint(20, 400),
            "cache_creation_input_tokens": 0 if hit else 3000,
            "cache_read_input_tokens": 3000 if hit else 0,
            "output_tokens": output,
        },
    }


def gemini(rng: random.Random, stamp: int) -> dict:
    prompt, output = rng.randint(1000, 8000), int(rng.lognormvariate(5.2, 0.5))
    return {
        "candidates": [{"content": {"parts": [{"text": "Done."}], "role": "model"}, "finishReason": "STOP"}],
        "usageMetadata": {
            "promptTokenCount": prompt,
            "candidatesTokenCount": output,
            "cachedContentTokenCount": rng.choice((0, prompt // 2)),
            "totalTokenCount": prompt + output,
        },
        "modelVersion": "gemini-2.5-flash",
        "responseId": f"{rng.getrandbits(64):x}",
    }


MAKERS = (chat, chat, responses, anthropic, gemini)


def line(rng: random.Random, number: int, per_second: float, iso: bool = False) -> str:
    """One wrapped log line: the app's timestamp (Unix seconds, or ISO 8601 with ``iso``) and tags around a
    provider response."""
    stamp = START + int(number / per_second)
    route = "fallback" if rng.random() < 0.08 else "primary"
    body = rng.choice(MAKERS)(rng, stamp)
    when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stamp)) if iso else stamp
    return json.dumps({"ts": when, "metadata": {"prompt": rng.choice(PROMPTS), "route": route}, "response": body})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--days", type=float, default=7.0, help="time span the lines cover")
    parser.add_argument("--iso-time", action="store_true", help="the app's timestamp as ISO 8601 text")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    per_second = args.lines / (args.days * 86_400)
    opener = gzip.open if args.out.endswith(".gz") else open
    with opener(args.out, "wt", encoding="utf-8") as out:
        for number in range(args.lines):
            out.write(line(rng, number, per_second, args.iso_time) + "\n")


if __name__ == "__main__":
    main()
