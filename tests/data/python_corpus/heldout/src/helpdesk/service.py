import anthropic

from .prompts import ESCALATION_PROMPT, REPLY_INSTRUCTIONS

client = anthropic.Anthropic()


def escalation_reply(ticket_text: str, history: list[str]) -> str:
    message = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=400,
        system=REPLY_INSTRUCTIONS,
        messages=[
            {
                "role": "user",
                "content": ESCALATION_PROMPT.format(ticket=ticket_text, history="\n".join(history)),
            }
        ],
    )
    return message.content[0].text
