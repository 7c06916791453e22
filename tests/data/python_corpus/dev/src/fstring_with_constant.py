from datetime import date

from openai import OpenAI

client = OpenAI()

BASE_SYSTEM_PROMPT = "You are Quill, the writing assistant built into Notewise."


def system_message(user_name: str) -> str:
    return f"{BASE_SYSTEM_PROMPT}\n\nThe user's name is {user_name}. Today is {date.today().isoformat()}."


def rewrite(user_name: str, text: str, tone: str) -> str:
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        max_tokens=800,
        messages=[
            {"role": "system", "content": f"{BASE_SYSTEM_PROMPT} Rewrite the user's text in a {tone} tone."},
            {"role": "user", "content": text},
        ],
    )
    return completion.choices[0].message.content
