import OpenAI from "openai";
import { SUPPORT_SYSTEM_PROMPT, TRIAGE_INSTRUCTIONS } from "./lib/prompts";

const client = new OpenAI();
const MODEL = process.env.SUPPORT_MODEL ?? "gpt-4.1";

export async function answer(question: string) {
  return client.chat.completions.create({
    model: MODEL,
    max_tokens: 300,
    messages: [
      { role: "system", content: SUPPORT_SYSTEM_PROMPT.trim() },
      { role: "user", content: `Question: ${question}` },
    ],
  });
}

export async function triageAll(tickets: string[]) {
  const labels = [];
  for (const ticket of tickets) {
    const reply = await client.chat.completions.create({
      model: "gpt-4.1",
      messages: [
        { role: "system", content: TRIAGE_INSTRUCTIONS },
        { role: "user", content: ticket },
      ],
    });
    labels.push(reply.choices[0].message.content);
  }
  return labels;
}
