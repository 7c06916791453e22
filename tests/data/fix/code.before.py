"""Prompts of the ticket triage service."""

from openai import OpenAI

TRIAGE_SYSTEM_PROMPT = """You triage support tickets for Acme Cloud.
Please note that you should assign exactly one queue: billing, outage or account.
Reply with:
{
    "queue": "billing",
    "urgent": false,
    "summary": "one sentence",
    "customer": {
        "plan": "pro",
        "region": "eu-west"
    }
}
"""

GREETING_PROMPT = "Please note that you " + "should greet the customer by name."


def triage(client: OpenAI, ticket: str) -> str:
    reply = client.chat.completions.create(
        model="gpt-4o",
        max_tokens=200,
        messages=[{"role": "system", "content": TRIAGE_SYSTEM_PROMPT}, {"role": "user", "content": ticket}],
    )
    return reply.choices[0].message.content
