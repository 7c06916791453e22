from openai import OpenAI


class ResearchAgent:
    """Answers research questions with short, sourced summaries."""

    SYSTEM_PROMPT = (
        "You are a research assistant. Answer with a short summary followed by a list of sources. "
        "If you are not sure about a fact, say so instead of guessing."
    )

    def __init__(self, model: str = "gpt-4.1-mini") -> None:
        self.client = OpenAI()
        self.model = model

    def ask(self, question: str) -> str:
        response = self.client.chat.completions.create(
            model=self.model,
            max_tokens=600,
            messages=[
                {"role": "system", "content": self.SYSTEM_PROMPT},
                {"role": "user", "content": question},
            ],
        )
        return response.choices[0].message.content
