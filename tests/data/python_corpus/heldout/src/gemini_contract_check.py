"""Flag contracts that contain an auto-renewal clause, using Gemini."""

from pathlib import Path

from google import genai
from google.genai import types

client = genai.Client()

CHECK_SYSTEM = (
    "You review commercial contracts for a procurement team. "
    "Answer yes or no: does the contract renew automatically unless one party cancels?"
)


def has_auto_renewal(contract: Path) -> bool:
    text = contract.read_text(encoding="utf-8")
    response = client.models.generate_content(
        model="gemini-2.5-pro",
        contents=f"Contract:\n\n{text}",
        config=types.GenerateContentConfig(
            system_instruction=CHECK_SYSTEM,
            max_output_tokens=3,
            temperature=0.0,
        ),
    )
    return response.text.strip().lower().startswith("yes")
