"""A support agent that looks up orders with tools until it can answer."""

import json

from openai import OpenAI

from shop.orders import find_order, refund_order

client = OpenAI()

SYSTEM_PROMPT = """You are Ava, the support agent of Northwind Outfitters.

<rules>
- Look up the order with the find_order tool before you say anything about its status.
- Offer a refund only when the order arrived damaged or more than 10 days late.
- Never reveal another customer's order details.
- Keep every reply under 120 words.
- If the customer asks for a human, say that you are handing the chat to a colleague.
</rules>

Keep every reply under 120 words.
"""

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "find_order",
            "description": "Find an order by its number and return its status and items.",
            "parameters": {
                "type": "object",
                "properties": {"order_number": {"type": "string"}},
                "required": ["order_number"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "refund_order",
            "description": "Refund an order in full. Only call this after checking the refund rules.",
            "parameters": {
                "type": "object",
                "properties": {"order_number": {"type": "string"}, "reason": {"type": "string"}},
                "required": ["order_number", "reason"],
            },
        },
    },
]

HANDLERS = {"find_order": find_order, "refund_order": refund_order}


def answer(question: str) -> str:
    messages = [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": question},
    ]
    while True:
        response = client.chat.completions.create(
            model="gpt-4.1-mini",
            messages=messages,
            tools=TOOLS,
        )
        message = response.choices[0].message
        if not message.tool_calls:
            return message.content
        messages.append(message)
        for call in message.tool_calls:
            result = HANDLERS[call.function.name](**json.loads(call.function.arguments))
            messages.append({"role": "tool", "tool_call_id": call.id, "content": json.dumps(result)})
