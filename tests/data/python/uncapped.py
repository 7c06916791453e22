import anthropic
from openai import OpenAI

client = OpenAI()
claude = anthropic.Anthropic()
SETTINGS = {"max_tokens": 300}


def summary(text):
    return client.chat.completions.create(
        model="gpt-4o",
        messages=[{"role": "system", "content": "Summarise the text in three bullet points."},
                  {"role": "user", "content": text}],
    )


def summary_with_settings(text):
    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": text}], **SETTINGS)


def count(text):
    return claude.messages.count_tokens(model="claude-haiku-4-5", messages=[{"role": "user", "content": text}])
