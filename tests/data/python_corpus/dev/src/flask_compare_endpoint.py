from flask import Flask, Response, jsonify, request
from openai import OpenAI

app = Flask(__name__)
client = OpenAI()

COMPARE_PROMPT = "Compare the two products below for a shopper in at most 80 words. Be neutral."


@app.route("/compare", methods=["POST"])
def compare():
    payload = request.get_json()
    answers = []
    for pair in payload["pairs"][:3]:
        completion = client.chat.completions.create(
            model="gpt-4o-mini",
            max_tokens=150,
            messages=[
                {"role": "system", "content": COMPARE_PROMPT},
                {"role": "user", "content": f"A: {pair['a']}\nB: {pair['b']}"},
            ],
        )
        answers.append(completion.choices[0].message.content)
    return jsonify(answers)


@app.get("/stream")
def stream():
    question = request.args["q"]

    def generate():
        chunks = client.chat.completions.create(
            model="gpt-4o-mini",
            max_tokens=300,
            stream=True,
            messages=[{"role": "user", "content": question}],
        )
        for chunk in chunks:
            yield chunk.choices[0].delta.content or ""

    return Response(generate(), mimetype="text/plain")
