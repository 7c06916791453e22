import OpenAI from "openai";

const client = new OpenAI();

export async function ask(question: string) {
  return client.chat.completions.create({
    model: "gpt-4o-mini",
    max_tokens: 100,
    messages: [{ role: "user", content: `Answer briefly: ${question}` }],
  });
}

export function broken( {
  const x = ;
