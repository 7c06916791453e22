"""Grade model answers against reference answers with an LLM judge.

Usage: python grade_answers_eval.py answers.jsonl > grades.jsonl
"""

import argparse
import json
import logging
import sqlite3

from openai import OpenAI

log = logging.getLogger("eval")

JUDGE_MODEL = "gpt-4o"
RESULTS_TABLE = "CREATE TABLE IF NOT EXISTS grades (id TEXT PRIMARY KEY, grade TEXT, answer TEXT)"

JUDGE_PROMPT = (
    "You are grading an answer to a quiz question against the reference answer. "
    + "Reply with only the grade: CORRECT, PARTIAL or WRONG."
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Grade answers with an LLM judge.")
    parser.add_argument("answers", help="JSON Lines file with question, reference and answer")
    parser.add_argument("--db", default="grades.sqlite", help="where to store the grades")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    client = OpenAI()
    db = sqlite3.connect(args.db)
    db.execute(RESULTS_TABLE)
    with open(args.answers, encoding="utf-8") as handle:
        items = [json.loads(line) for line in handle]
    log.info("grading %d answers with %s", len(items), JUDGE_MODEL)
    for item in items:
        completion = client.chat.completions.create(
            model=JUDGE_MODEL,
            max_completion_tokens=4,
            messages=[
                {"role": "system", "content": JUDGE_PROMPT},
                {
                    "role": "user",
                    "content": (
                        f"Question: {item['question']}\n"
                        f"Reference answer: {item['reference']}\n"
                        f"Answer to grade: {item['answer']}"
                    ),
                },
            ],
        )
        grade = completion.choices[0].message.content.strip()
        db.execute("INSERT OR REPLACE INTO grades VALUES (?, ?, ?)", (item["id"], grade, item["answer"]))
        print(json.dumps({"id": item["id"], "grade": grade}))
    db.commit()


if __name__ == "__main__":
    main()
