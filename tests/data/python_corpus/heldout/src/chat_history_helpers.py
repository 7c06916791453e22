from openai import OpenAI

client = OpenAI()

CHAT_SYSTEM_PROMPT = "You are the in-app assistant of Ledgerly, a bookkeeping app for freelancers. Answer questions about using the app."


def build_messages(history: list[dict], question: str) -> list[dict]:
    return [{"role": "system", "content": CHAT_SYSTEM_PROMPT}, *history, {"role": "user", "content": question}]


def reply(history: list[dict], question: str) -> str:
    completion = client.chat.completions.create(
        model="gpt-4.1-mini",
        max_tokens=500,
        messages=build_messages(history, question),
    )
    return completion.choices[0].message.content
