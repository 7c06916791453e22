import asyncio
import os

import litellm
from litellm import acompletion

FAQ_MODEL = os.getenv("FAQ_MODEL", "anthropic/claude-haiku-4-5")

ANSWER_PROMPT = "Answer the customer's question about our return policy in two or three sentences."

POLICY = """Items can be returned within 30 days of delivery in their original packaging.
Refunds go back to the original payment method within 5 working days of the return arriving.
Sale items are final and cannot be returned."""


def answer_one(question: str) -> str:
    response = litellm.completion(
        model=FAQ_MODEL,
        max_tokens=200,
        messages=[
            {"role": "system", "content": ANSWER_PROMPT + "\n\n" + POLICY},
            {"role": "user", "content": question},
        ],
    )
    return response.choices[0].message.content


async def answer_all(questions: list[str]) -> list[str]:
    responses = await asyncio.gather(
        *(
            acompletion(
                model=FAQ_MODEL,
                max_tokens=200,
                messages=[
                    {"role": "system", "content": ANSWER_PROMPT + "\n\n" + POLICY},
                    {"role": "user", "content": q},
                ],
            )
            for q in questions
        )
    )
    return [r.choices[0].message.content for r in responses]
