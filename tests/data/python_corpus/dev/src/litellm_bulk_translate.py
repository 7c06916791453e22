import csv

from litellm import completion

MODEL = "openai/gpt-4o-mini"

TRANSLATE_PROMPT = "Translate the product title into German. Keep brand names unchanged. Output only the translation."


def translate_file(path: str) -> list[str]:
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        completion(
            model=MODEL,
            max_tokens=40,
            messages=[{"role": "system", "content": TRANSLATE_PROMPT}, {"role": "user", "content": row["title"]}],
        ).choices[0].message.content
        for row in rows
    ]
