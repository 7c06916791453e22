"""Ticket triage endpoint: labels incoming support tickets before they reach the queue."""

import logging

from fastapi import FastAPI, HTTPException
from openai import AsyncOpenAI
from pydantic import BaseModel

logger = logging.getLogger(__name__)
app = FastAPI(title="triage")
client = AsyncOpenAI()

LABELS = ("billing", "shipping", "account", "bug", "other")

TRIAGE_SYSTEM = (
    "You triage customer support tickets for an online store. "
    "Classify the ticket into exactly one of: billing, shipping, account, bug, other. "
    "Reply with one word: the label, in lower case."
)


class Ticket(BaseModel):
    subject: str
    body: str


@app.post("/triage")
async def triage(ticket: Ticket) -> dict:
    logger.info("triaging ticket %r", ticket.subject)
    response = await client.chat.completions.create(
        model="gpt-4.1",
        max_tokens=5,
        temperature=0,
        messages=[
            {"role": "system", "content": TRIAGE_SYSTEM},
            {"role": "user", "content": f"Subject: {ticket.subject}\n\n{ticket.body}"},
        ],
    )
    label = response.choices[0].message.content.strip().lower()
    if label not in LABELS:
        raise HTTPException(status_code=502, detail=f"model returned an unknown label: {label}")
    return {"label": label}
