from openai import OpenAI

import writer.prompts as wp
from writer import prompts

client = OpenAI()


def outline(title: str) -> str:
    response = client.chat.completions.create(
        model="gpt-4o-mini",
        max_tokens=400,
        messages=[{"role": "user", "content": prompts.OUTLINE_PROMPT.format(title=title)}],
    )
    return response.choices[0].message.content


def draft(outline_text: str, headings: list[str]) -> list[str]:
    sections = []
    for heading in headings:
        response = client.chat.completions.create(
            model="gpt-4o-mini",
            max_tokens=300,
            messages=[
                {"role": "system", "content": wp.DRAFT_SYSTEM},
                {"role": "user", "content": wp.DRAFT_PROMPT.format(heading=heading, outline=outline_text)},
            ],
        )
        sections.append(response.choices[0].message.content)
    return sections
