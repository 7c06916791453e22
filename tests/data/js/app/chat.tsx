import { generateText, streamText } from "ai";
import { openai } from "@ai-sdk/openai";
import { anthropic } from "@ai-sdk/anthropic";

const SYSTEM_PROMPT = `You are a cheerful cooking assistant. Suggest one recipe at a time.`;

export async function POST(req: Request) {
  const { messages } = await req.json();
  const result = streamText({
    model: anthropic("claude-sonnet-4-5"),
    system: SYSTEM_PROMPT,
    messages,
    maxOutputTokens: 800,
  });
  return result.toUIMessageStreamResponse();
}

export function Title({ text }: { text: string }) {
  return <h1 className="title">{text}<span>{"<"}</span></h1>;
}

export async function title(text: string) {
  const { text: title } = await generateText({
    model: openai("gpt-4.1-mini"),
    prompt: `Write a five word title for: ${text}`,
  });
  return title;
}
