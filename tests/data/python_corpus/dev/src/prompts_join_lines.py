import anthropic

client = anthropic.Anthropic()

RULES = [
    "- Answer in the language of the question.",
    "- Quote prices exactly as they appear in the catalogue.",
    "- If a product is out of stock, suggest the closest alternative.",
]

SALES_SYSTEM = "\n".join(
    [
        "You are the sales assistant of Hartley Garden Supplies.",
        "Follow these rules:",
        *RULES,
    ]
)

CLOSING_INSTRUCTIONS = """
    End every answer with one sentence that invites the customer to ask a follow-up question.
""".strip()


def answer(question: str) -> str:
    message = client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=350,
        system=SALES_SYSTEM + "\n\n" + CLOSING_INSTRUCTIONS,
        messages=[{"role": "user", "content": question}],
    )
    return message.content[0].text
