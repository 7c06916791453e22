import os

from openai import OpenAI

client = OpenAI()
MODEL = os.getenv("ROUTER_MODEL", "gpt-4.1")

ROUTER_SYSTEM = "Classify the message as sales, support or spam. Reply with one word."


def route(message):
    return client.chat.completions.create(
        model=MODEL,
        max_tokens=3,
        messages=[{"role": "system", "content": ROUTER_SYSTEM}, {"role": "user", "content": message}],
    )


def route_cheaply(message):
    return client.chat.completions.create(
        model="gpt-4o-mini",
        max_tokens=3,
        messages=[{"role": "system", "content": ROUTER_SYSTEM}, {"role": "user", "content": message}],
    )
