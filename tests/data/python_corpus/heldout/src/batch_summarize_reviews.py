#!/usr/bin/env python3
"""Nightly job: summarise yesterday's product reviews into one line each."""

import csv
import sys
import textwrap

from openai import OpenAI

MODEL = "gpt-4o-mini"

SUMMARY_PROMPT = textwrap.dedent("""\
    You summarise product reviews for the merchandising team.
    Write one sentence of at most 25 words that says what the reviewer liked or disliked.
    Mention the product feature they talk about (battery, screen, delivery, price...).
    Do not quote the review and do not add an opinion of your own.
""")


def main(path: str) -> None:
    client = OpenAI()
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        writer = csv.writer(sys.stdout)
        for row in reader:
            response = client.chat.completions.create(
                model=MODEL,
                max_tokens=60,
                messages=[
                    {"role": "system", "content": SUMMARY_PROMPT},
                    {"role": "user", "content": row["review"]},
                ],
            )
            writer.writerow([row["id"], response.choices[0].message.content])


if __name__ == "__main__":
    main(sys.argv[1])
