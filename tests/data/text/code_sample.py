import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Ticket:
    """A support ticket as the classifier sees it."""

    id: int
    subject: str
    body: str

    def prompt(self) -> str:
        return f"Subject: {self.subject}\n\n{self.body}"


def load(path: str) -> list[Ticket]:
    with open(path, encoding="utf-8") as handle:
        return [Ticket(**row) for row in json.load(handle)]


if __name__ == "__main__":
    for t in load("tickets.json"):
        print(t.id, len(t.prompt()))	# tab-indented comment
