OUTLINE_PROMPT = """Write an outline for a blog post titled "{title}".
Use 4 to 6 section headings and one sentence under each heading saying what it covers."""

DRAFT_SYSTEM = "You are a technical writer. You write clear, friendly prose for developers and avoid marketing language."

DRAFT_PROMPT = "Write the section \"{heading}\" of the post, in about 150 words, following this outline:\n\n{outline}"
