from openai import OpenAI

client = OpenAI()


def run(task, tools):
    messages = [{"role": "system", "content": "Plan, then call tools until the task is done."},
                {"role": "user", "content": task}]
    while True:
        reply = client.chat.completions.create(model="gpt-4.1-mini", max_tokens=800, messages=messages, tools=tools)
        if not reply.choices[0].message.tool_calls:
            return reply
        messages.append(reply.choices[0].message)


def classify(text):
    for attempt in range(3):
        try:
            return client.chat.completions.create(
                model="gpt-4o-mini", max_tokens=3, messages=[{"role": "user", "content": text}]
            )
        except TimeoutError:
            continue
