from langchain_core.prompts import ChatPromptTemplate, PromptTemplate
from langchain_openai import ChatOpenAI

naming_prompt = PromptTemplate(
    input_variables=["product"],
    template="What is a good name for a company that makes {product}?",
)

SUMMARY_TEMPLATE = """Summarise the text below for a busy executive.
Return JSON shaped like {{"headline": "...", "bullets": ["...", "..."]}}.

Text:
{text}
"""

summary_prompt = PromptTemplate.from_template(SUMMARY_TEMPLATE)

joke_prompt = ChatPromptTemplate.from_template("Tell me a short, clean joke about {topic}.")

llm = ChatOpenAI(model="gpt-4o-mini")
naming_chain = naming_prompt | llm
summary_chain = summary_prompt | llm
joke_chain = joke_prompt | llm
