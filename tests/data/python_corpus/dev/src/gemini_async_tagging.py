import asyncio

from google import genai

client = genai.Client()

TAGGING_INSTRUCTIONS = "Suggest three short tags for the photo caption below. Return them as a comma-separated list."


async def tag_caption(caption: str) -> list[str]:
    response = await client.aio.models.generate_content(
        model="gemini-2.5-flash",
        contents=[caption],
        config={"system_instruction": TAGGING_INSTRUCTIONS, "max_output_tokens": 30},
    )
    return [tag.strip() for tag in response.text.split(",")]


async def tag_all(captions: list[str]) -> list[list[str]]:
    return await asyncio.gather(*[tag_caption(c) for c in captions])


def describe_trip(place: str) -> str:
    response = client.models.generate_content(
        model="gemini-2.5-flash",
        contents=f"Describe a three-day trip to {place} for a family with young children.",
    )
    return response.text
