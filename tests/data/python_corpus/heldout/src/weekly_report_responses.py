from datetime import date

from openai import OpenAI

client = OpenAI()

REPORT_INSTRUCTIONS = f"""Current date: {date.today():%Y-%m-%d}

You write the weekly engineering report for the platform team. You receive the merged pull
requests of the week as a JSON list. Group them under the headings Features, Fixes and Chores,
write one line per pull request in the past tense, and finish with a two-sentence summary of the
week for managers who will not read the details. Use Markdown. Do not invent pull requests that
are not in the list, and do not mention authors by name.
"""


def weekly_report(pull_requests_json: str) -> str:
    response = client.responses.create(
        model="gpt-5",
        instructions=REPORT_INSTRUCTIONS,
        input=pull_requests_json,
    )
    return response.output_text


def weekly_report_raw(pull_requests_json: str):
    raw = client.responses.with_raw_response.create(
        model="gpt-5",
        instructions=REPORT_INSTRUCTIONS,
        input=pull_requests_json,
        max_output_tokens=1500,
    )
    print(raw.headers.get("x-request-id"))
    return raw.parse()
