from openai import OpenAI

client = OpenAI()

messages = [{"role": "system", "content": "You are a concise assistant for Linux shell questions."}]

while True:
    question = input("you> ")
    if question in ("exit", "quit"):
        break
    messages.append({"role": "user", "content": question})
    stream = client.chat.completions.create(
        model="gpt-4.1-nano",
        max_tokens=400,
        messages=messages,
        stream=True,
    )
    answer = ""
    for chunk in stream:
        piece = chunk.choices[0].delta.content or ""
        answer += piece
        print(piece, end="", flush=True)
    print()
    messages.append({"role": "assistant", "content": answer})
