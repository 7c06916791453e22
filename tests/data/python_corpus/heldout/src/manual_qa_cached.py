"""Answer questions about the X200 router manual, caching the manual with Anthropic prompt caching."""

import anthropic

client = anthropic.Anthropic()

MANUAL_SYSTEM = "You answer questions about the X200 home router, using only the manual excerpt you are given."

MANUAL_EXCERPT = """\
# X200 router: setup and troubleshooting

## Lights
The power light is solid green when the router is on. The internet light blinks amber while the
router connects to your provider and turns solid green once it is online. A red internet light means
that the router cannot reach your provider: check that the grey cable is plugged into the WAN port.

## Resetting
Hold the reset button on the back for ten seconds to restore the factory settings. The router
restarts, and the network name and password printed on the label work again.

## Firmware
The router updates itself at 3 a.m. when an update is available. You can also update it from the
Settings > Firmware page of the admin app.
"""


def ask(question: str) -> str:
    response = client.beta.messages.create(
        model="claude-haiku-4-5",
        max_tokens=300,
        system=[{"type": "text", "text": MANUAL_SYSTEM}],
        messages=[
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": f"My question: {question}"},
                    {"type": "text", "text": MANUAL_EXCERPT, "cache_control": {"type": "ephemeral"}},
                ],
            }
        ],
    )
    return response.content[0].text
