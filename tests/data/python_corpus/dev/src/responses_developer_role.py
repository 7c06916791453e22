from openai import OpenAI

client = OpenAI()

DEV_INSTRUCTIONS = "Talk like a pirate. Keep answers to two sentences."


def pirate_answer(question: str) -> str:
    response = client.responses.create(
        model="gpt-4.1",
        max_output_tokens=120,
        input=[
            {"role": "developer", "content": DEV_INSTRUCTIONS},
            {"role": "user", "content": question},
        ],
    )
    return response.output_text


def pirate_greeting() -> str:
    response = client.responses.create(
        model="gpt-4.1",
        input="Say hello to a new crew member in one sentence.",
    )
    return response.output_text
