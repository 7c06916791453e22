import time

import openai
from openai import OpenAI

client = OpenAI()

CLASSIFIER_SYSTEM = "Decide whether the message is spam. Answer yes or no."


def is_spam(message: str, attempts: int = 3) -> bool:
    for attempt in range(attempts):
        try:
            completion = client.chat.completions.create(
                model="gpt-4o-mini",
                max_tokens=1,
                messages=[
                    {"role": "system", "content": CLASSIFIER_SYSTEM},
                    {"role": "user", "content": message},
                ],
            )
            return completion.choices[0].message.content.strip().lower() == "yes"
        except openai.RateLimitError:
            time.sleep(2**attempt)
    raise RuntimeError("the classifier kept hitting the rate limit")
