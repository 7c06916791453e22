"""Prepare and submit an OpenAI Batch API job that tags support transcripts."""

import json
from pathlib import Path

from openai import OpenAI

client = OpenAI()

TAG_PROMPT = "Tag the support transcript with up to three topics from: billing, login, bug, feature-request, other."


def write_requests(transcripts: dict[str, str], out: Path) -> None:
    with out.open("w", encoding="utf-8") as handle:
        for transcript_id, text in transcripts.items():
            body = {
                "model": "gpt-4o-mini",
                "max_tokens": 20,
                "messages": [{"role": "system", "content": TAG_PROMPT}, {"role": "user", "content": text}],
            }
            line = {"custom_id": transcript_id, "method": "POST", "url": "/v1/chat/completions", "body": body}
            handle.write(json.dumps(line) + "\n")


def submit(path: Path) -> str:
    batch_file = client.files.create(file=path.open("rb"), purpose="batch")
    batch = client.batches.create(
        input_file_id=batch_file.id,
        endpoint="/v1/chat/completions",
        completion_window="24h",
    )
    return batch.id
