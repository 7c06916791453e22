import json

from openai import OpenAI

client = OpenAI()

POLICY_PROMPT = """You are the booking assistant of Sunward Hotels.
Answer questions about rooms, prices, breakfast, parking and cancellations.
Cancellations are free until 48 hours before arrival; after that the first night is charged.
Breakfast is served from 7:00 to 10:30 and costs 18 euros per person.
Parking is available for 25 euros per night and must be booked in advance.
Never confirm a booking yourself: send the guest the booking link instead."""


def chat(profile: dict, question: str) -> str:
    completion = client.chat.completions.create(
        model="gpt-4.1-mini",
        max_tokens=250,
        messages=[
            {"role": "system", "content": f"Guest profile: {json.dumps(profile)}"},
            {"role": "system", "content": POLICY_PROMPT},
            {"role": "user", "content": question},
        ],
    )
    return completion.choices[0].message.content
