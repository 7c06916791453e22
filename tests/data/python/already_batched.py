import anthropic

client = anthropic.Anthropic()


def score_all(documents):
    for document in documents:
        client.messages.create(model="claude-haiku-4-5", max_tokens=5, messages=[{"role": "user", "content": document}])
    return client.messages.batches.create(requests=[])
