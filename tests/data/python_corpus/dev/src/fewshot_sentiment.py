from openai import OpenAI

client = OpenAI()

SENTIMENT_SYSTEM = "Classify the sentiment of the customer review as positive, negative or mixed."

FEW_SHOT = [
    {"role": "user", "content": "The delivery was fast and the shoes fit perfectly."},
    {"role": "assistant", "content": "positive"},
    {"role": "user", "content": "Nice colour, but the zip broke after a week."},
    {"role": "assistant", "content": "mixed"},
]


def sentiment(review: str) -> str:
    completion = client.chat.completions.create(
        model="gpt-4o",
        messages=[
            {"role": "system", "content": SENTIMENT_SYSTEM},
            *FEW_SHOT,
            {"role": "user", "content": review},
        ],
    )
    return completion.choices[0].message.content.strip()
