from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.prompts import ChatPromptTemplate, MessagesPlaceholder
from langchain_anthropic import ChatAnthropic

TUTOR_SYSTEM = (
    "You are a patient maths tutor for secondary-school students. "
    "Explain one step at a time and ask the student to try the next step before you show it."
)

tutor_prompt = ChatPromptTemplate.from_messages(
    [
        ("system", TUTOR_SYSTEM),
        ("human", "Can you help me solve 2x + 6 = 14?"),
        ("ai", "Of course. What could you do to both sides to get 2x on its own?"),
        MessagesPlaceholder(variable_name="history"),
        ("human", "{question}"),
    ]
)

model = ChatAnthropic(model="claude-haiku-4-5", max_tokens=400)
chain = tutor_prompt | model


def ask(question: str, history: list) -> str:
    reply = chain.invoke({"question": question, "history": history})
    history.extend([HumanMessage(content=question), AIMessage(content=reply.content)])
    return reply.content
