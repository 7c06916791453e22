from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnablePassthrough
from langchain_openai import ChatOpenAI

from .retriever import get_retriever

prompt = ChatPromptTemplate.from_messages(
    [
        (
            "system",
            "You answer questions about the Acme HR handbook. "
            "Use only the context below; if the answer is not in it, say you don't know. "
            "Please note that you must cite the section title in square brackets after each claim.",
        ),
        ("human", "Context:\n{context}\n\nQuestion: {question}"),
    ]
)


def format_docs(docs):
    return "\n\n".join(doc.page_content for doc in docs)


def build_chain():
    llm = ChatOpenAI(model="gpt-4o-mini", temperature=0)
    retriever = get_retriever()
    return (
        {"context": retriever | format_docs, "question": RunnablePassthrough()}
        | prompt
        | llm
        | StrOutputParser()
    )
