import csv

from openai import OpenAI

client = OpenAI()

TAG_PROMPT = "Tag the review with one topic: delivery, quality, price or service."


def tag_all(path):
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            client.chat.completions.create(
                model="gpt-4o-mini",
                max_tokens=5,
                messages=[{"role": "system", "content": TAG_PROMPT}, {"role": "user", "content": row["review"]}],
            )
