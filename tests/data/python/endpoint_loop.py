from fastapi import FastAPI
from openai import OpenAI

app = FastAPI()
client = OpenAI()


@app.post("/summaries")
def summaries(items: list[str]):
    return [
        client.chat.completions.create(
            model="gpt-4o-mini", max_tokens=100, messages=[{"role": "user", "content": f"Summarise: {item}"}]
        )
        for item in items
    ]
