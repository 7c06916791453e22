import anthropic

from .weather import get_weather

client = anthropic.Anthropic()

WEATHER_AGENT_SYSTEM = """You are a travel planner. Use the get_weather tool for any question about the weather.
Please be as helpful as possible.
Give temperatures in Celsius."""

TOOLS = [
    {
        "name": "get_weather",
        "description": "Get the current weather for a city.",
        "input_schema": {
            "type": "object",
            "properties": {"city": {"type": "string", "description": "City name, e.g. Lisbon"}},
            "required": ["city"],
        },
    }
]


def plan(request: str) -> str:
    messages = [{"role": "user", "content": request}]
    response = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1024,
        system=WEATHER_AGENT_SYSTEM,
        tools=TOOLS,
        messages=messages,
    )
    while response.stop_reason == "tool_use":
        tool_use = next(block for block in response.content if block.type == "tool_use")
        result = get_weather(**tool_use.input)
        messages.append({"role": "assistant", "content": response.content})
        messages.append(
            {
                "role": "user",
                "content": [{"type": "tool_result", "tool_use_id": tool_use.id, "content": result}],
            }
        )
        response = client.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=1024,
            system=WEATHER_AGENT_SYSTEM,
            tools=TOOLS,
            messages=messages,
        )
    return response.content[0].text
