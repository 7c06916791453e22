import json

from openai import OpenAI

client = OpenAI()

EXTRACT_PROMPT = """Extract the sender's contact details from the email below.
Return a JSON object like {{"name": "...", "email": "...", "phone": "..."}} and use null for anything missing.

Email:
{email}"""


def extract_contact(email_body: str) -> dict:
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        max_tokens=300,
        response_format={"type": "json_object"},
        messages=[{"role": "user", "content": EXTRACT_PROMPT.format(email=email_body)}],
    )
    return json.loads(completion.choices[0].message.content)
